"""The command line: help with examples, codes, policy check and classify."""

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from attendtoolkit.cli import build_parser, main
from attendtoolkit.words import file_size

from ..conftest import absent, long_register, present

COMMANDS = [["classify"], ["letters"], ["report"], ["codes"], ["policy", "check"], ["policy", "diff"], ["council", "check"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit):
        main(command + ["--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and f"attendtoolkit {' '.join(command)}" in out


def test_codes_as_json(capsys):
    assert main(["codes", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"code": "O", "meaning": "Absent in other or unknown circumstances", "category": "unauthorised",
            "legacy": False} in rows


def test_codes_as_a_table(capsys):
    main(["codes"])
    assert "Unauthorised absence" in capsys.readouterr().out


def test_policy_check_lists_stages(capsys):
    assert main(["policy", "check", "swindon"]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "Early help: intensive support" in out


def test_policy_check_explains_problems_and_fails(tmp_path, capsys):
    bad = tmp_path / "policy.toml"
    bad.write_text('[policy]\nid = "x"\n', encoding="utf-8")
    assert main(["policy", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "policy.toml has" in err and "missing key 'name'" in err


def test_classify_json_to_stdout(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(long_register({"A": present(15) + absent("O", 5)}))
    assert main(["classify", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2024-09-27" and data["pupils"][0]["stage"] == "3"  # 25% absence


def test_classify_csv_to_a_file_prints_a_summary(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(long_register({"A": present(20)}))
    out = tmp_path / "results.csv"
    assert main(["classify", str(path), "--format", "csv", "-o", str(out), "--as-of", "2024-09-20"]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("pupil_id,")
    assert "1 pupil, as of 2024-09-20" in capsys.readouterr().err


@pytest.mark.parametrize("terminal", [True, False])
def test_a_long_run_says_each_step_on_a_terminal_and_nothing_more_in_a_log(tmp_path, capsys, monkeypatch, terminal):
    """A council's file takes a minute: someone watching sees what is happening and how long it took;
    messages sent to a log or a pipe are only the summary, as before."""
    path = tmp_path / "register.csv"
    path.write_bytes(long_register({"A": present(20)}))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    out = tmp_path / "results.json"
    assert main(["classify", str(path), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    steps = [f"Reading register.csv ({path.stat().st_size} bytes) and working out each pupil's stage…",
             f"Writing {out}…", f"Wrote {out} ("]
    assert all(step in err for step in steps) == terminal
    assert any(step in err for step in steps) == terminal
    assert "1 pupil, as of" in err
    if terminal:
        assert re.search(r"\) in (less than a second|\d+ seconds?)\.\n", err)


@pytest.mark.parametrize("terminal", [True, False])
def test_a_register_that_is_not_there_is_said_so_whether_or_not_steps_are_said(tmp_path, capsys, monkeypatch,
                                                                               terminal):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    missing = tmp_path / "nope.csv"
    assert main(["classify", str(missing), "-o", str(tmp_path / "results.json")]) == 2
    assert "nope.csv: cannot open the file (No such file or directory)." in capsys.readouterr().err
    folder = tmp_path / "schools"
    folder.mkdir()
    (folder / "a.csv").write_bytes(long_register({"A": present(20)}))
    (folder / "b.csv").symlink_to(missing)  # a link to a file that has gone
    assert main(["classify", str(folder), "-o", str(tmp_path / "results.json"), "--workers", "1"]) == 2
    assert "b.csv: cannot open the file (No such file or directory)." in capsys.readouterr().err


def test_a_folder_of_registers_says_its_steps_on_a_terminal_when_the_results_go_to_a_file(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "schools"
    folder.mkdir()
    for name in ("a.csv", "b.csv"):
        (folder / name).write_bytes(long_register({"A": present(20)}))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    out = tmp_path / "results.csv"
    assert main(["classify", str(folder), "--format", "csv", "-o", str(out), "--workers", "1"]) == 0
    size = file_size(sum(p.stat().st_size for p in folder.iterdir()))  # words tested in test_words
    err = capsys.readouterr().err
    assert f"Reading 2 register files ({size}) and working out each pupil's stage…" in err
    assert f"Wrote {out} (" in err
    assert main(["classify", str(folder), "--workers", "1"]) == 0  # results on the terminal: no steps among them
    assert "Reading" not in capsys.readouterr().err


def test_a_command_runs_with_the_cycle_collector_paused_from_start_to_end(tmp_path, monkeypatch):
    """Re-enabled between reading and writing, the collector scanned every object the register had
    made (0.9 s at 230,000 pupils) before the first pupil was written; it is on again after."""
    import gc
    from attendtoolkit import cli
    path = tmp_path / "register.csv"
    path.write_bytes(long_register({"A": present(20)}))
    collecting = []
    real = cli.write_json
    monkeypatch.setattr(cli, "write_json", lambda data, f: collecting.append(gc.isenabled()) or real(data, f))
    assert main(["classify", str(path), "-o", str(tmp_path / "results.json")]) == 0
    assert collecting == [False]
    assert gc.isenabled()


def test_classify_a_file_that_cannot_be_read_says_why(tmp_path, capsys):
    path = tmp_path / "notes.csv"
    path.write_text("Name,Notes\nAmy,hello\n")
    assert main(["classify", str(path)]) == 2
    assert "notes.csv: cannot tell what kind of register this is" in capsys.readouterr().err


def test_a_bad_as_of_date_is_explained(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["classify", "x.csv", "--as-of", "20/12/2024"])
    assert "write it as YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.native
def test_the_module_runs_as_a_program(tmp_path):
    done = subprocess.run([sys.executable, "-m", "attendtoolkit", "codes"], capture_output=True, text=True)
    assert done.returncode == 0 and "Present" in done.stdout


def test_letters_writes_print_ready_html_and_a_merge_csv(tmp_path, capsys):
    from ..conftest import ROOT
    out, merge = tmp_path / "letters.html", tmp_path / "merge.csv"
    code = main(["letters", str(ROOT / "examples" / "register-long.csv"), "--school",
                 str(ROOT / "examples" / "school.toml"), "-o", str(out), "--merge-csv", str(merge),
                 "--templates", str(ROOT)])
    assert code == 0
    html = out.read_text()
    records = list(csv.reader(io.StringIO(merge.read_text(), newline="")))
    assert html.count('class="atk-letter"') == len(records) - 1 > 0
    assert re.search(r"Wrote [\d,]+ letters? for [\d,]+ pupils? to ", capsys.readouterr().err)


def test_letters_without_a_parent_name_column_says_what_to_add(tmp_path, capsys):
    from ..conftest import ROOT
    register = tmp_path / "r.csv"
    register.write_bytes(long_register({"A": present(15) + absent("O", 5)}))
    assert main(["letters", str(register), "--school", str(ROOT / "examples" / "school.toml"),
                 "--templates", str(ROOT)]) == 2
    assert "parent name is missing for 1 pupil: A" in capsys.readouterr().err


def test_classify_several_schools_gives_each_and_combined_totals(tmp_path, capsys):
    folder = tmp_path / "schools"
    folder.mkdir()
    (folder / "a.csv").write_bytes(long_register({"A": present(20)}))
    (folder / "b.csv").write_bytes(long_register({"B": present(10) + absent("O", 10)}))
    assert main(["classify", str(folder)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["source"]["file"] for s in data["schools"]] == ["a.csv", "b.csv"]
    combined = data["combined"]
    assert (combined["pupils"], combined["possible"], combined["attendance_pct"]) == (2, 80, 75.0)
    assert combined["persistent_absence_pct"] == 50.0
    main(["classify", str(folder / "a.csv"), str(folder / "b.csv"), "--format", "csv"])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:2] == ["school", "pupil_id"] and [r[:2] for r in rows[1:]] == [["a.csv", "A"], ["b.csv", "B"]]


def test_an_empty_folder_is_explained(tmp_path, capsys):
    assert main(["classify", str(tmp_path)]) == 2
    assert "no register files (.csv, .txt, .tsv, .xlsx, .xls, .ods) found" in capsys.readouterr().err


def test_policy_check_names_a_letter_that_does_not_exist(tmp_path, capsys):
    from attendtoolkit.resources import read_text
    path = tmp_path / "policy.toml"
    path.write_text(read_text("policy", "shipped", "dfe-national.toml").replace('letters = ["concern-1"]', 'letters = ["concern-one"]'))
    assert main(["policy", "check", str(path)]) == 2
    assert "Stage 2 suggests a letter called 'concern-one', but there is no such letter" in capsys.readouterr().err


@pytest.mark.native
def test_piping_into_a_command_that_stops_reading_gives_no_traceback():
    from ..conftest import ROOT
    command = f"{sys.executable} -m attendtoolkit council check {ROOT / 'examples' / 'council-knowsley'} | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True)
    assert "Traceback" not in done.stderr and done.returncode == 0
    assert done.stdout.startswith(str(ROOT / "examples" / "council-knowsley"))


MAPPED = "Learner,Forename,Parent name,Day,Half,Code\r\n" + "".join(
    f"A,Amy,Ann Smith,0{d}/09/2024,{s},O\r\n" for d in range(2, 7) for s in ("AM", "PM"))
MAPPING = "pupil_id=Learner,date=Day,session=Half,mark=Code"


@pytest.mark.parametrize("command", [["classify"], ["report", "-o", "{tmp}/report.html"],
                                     ["letters", "--school", "{root}/examples/school.toml", "-o", "{tmp}/l.html"]])
def test_every_command_that_reads_a_register_takes_the_same_register_options(command, tmp_path):
    from ..conftest import ROOT
    register = tmp_path / "mapped.csv"
    register.write_text(MAPPED)
    args = [a.format(tmp=tmp_path, root=ROOT) for a in command]
    options = ["--columns", MAPPING, "--shape", "long", "--engine", "python", "--policy", "dfe-national",
               "--as-of", "2024-09-06"]
    assert main([args[0], str(register)] + args[1:] + options) == 0


def test_policy_check_names_a_legal_letter_that_does_not_exist(tmp_path, capsys):
    from attendtoolkit.resources import read_text
    path = tmp_path / "policy.toml"
    text = read_text("policy", "shipped", "dfe-national.toml")
    path.write_text(text.replace('legal_letters = ["notice-to-improve",', 'legal_letters = ["notice-to-improv",'))
    assert main(["policy", "check", str(path)]) == 2
    assert ("[compulsory_school_age] legal_letters names a letter called 'notice-to-improv', but there is no such "
            "letter") in capsys.readouterr().err


def test_a_council_sized_file_is_read_with_pandas_when_it_is_installed_and_a_schools_with_python(tmp_path,
                                                                                                 monkeypatch):
    """Engine speed issue: pandas is the CLI's default for a file larger than a school's."""
    import importlib.util
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from attendtoolkit import api
    from attendtoolkit.read import arrow_long
    small, large = tmp_path / "school.csv", tmp_path / "council.csv"
    small.write_bytes(b"x" * 1000)
    large.write_bytes(b"x" * 3000)
    monkeypatch.setattr(api, "PANDAS_FROM", 2000)
    assert api.default_engine([small]) == "python"
    assert api.default_engine([small, large]) == "pandas"
    assert api.default_engine([tmp_path / "missing.csv"]) == "python"
    real = importlib.util.find_spec
    monkeypatch.setattr(arrow_long, "find_spec", lambda name: None if name == "pyarrow" else real(name))
    assert api.default_engine([large]) == "python"


def test_classify_gives_the_same_results_whichever_engine_the_file_size_chooses(tmp_path, capsys, monkeypatch):
    from attendtoolkit import api
    from attendtoolkit.synthetic import generate, long_csv
    register = tmp_path / "register.csv"
    register.write_text(long_csv(generate(20, 30)), encoding="utf-8")
    assert main(["classify", str(register), "--format", "json", "--engine", "python"]) == 0
    by_python = capsys.readouterr().out
    monkeypatch.setattr(api, "PANDAS_FROM", 1)
    assert main(["classify", str(register), "--format", "json"]) == 0
    assert capsys.readouterr().out == by_python
