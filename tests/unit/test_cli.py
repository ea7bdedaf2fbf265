"""The command line: help with examples, codes, policy check and classify."""

import json
import subprocess
import sys

import pytest

from attendtoolkit.cli import build_parser, main

from ..conftest import absent, long_register, present

COMMANDS = [["classify"], ["codes"], ["policy", "check"]]


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
    assert out.read_text().startswith("pupil_id,")
    assert "1 pupils, as of 2024-09-20" in capsys.readouterr().err


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
