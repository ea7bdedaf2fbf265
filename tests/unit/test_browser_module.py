"""attendtoolkit.browser gives exactly the CLI's JSON for the same file, policy and date."""

import json

import pytest

from attendtoolkit.browser import classify_file, download_files
from attendtoolkit.cli import main
from attendtoolkit.resources import read_text

from ..conftest import absent, long_register, present


def test_the_result_comes_without_the_download_files_which_follow_and_equal_the_clis(tmp_path, capsys):
    data = long_register({"A": present(10) + absent("O", 5), "B": present(15)})
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    main(["classify", str(path), "--as-of", "2024-09-18"])
    cli = capsys.readouterr().out
    out = json.loads(classify_file(data, "register.csv", read_text("policy", "shipped", "dfe-national.toml"),
                                   "dfe-national.toml", "2024-09-18"))
    browser = json.loads(download_files())
    assert out["ok"] and "json" not in out and browser["json"] == cli
    main(["classify", str(path), "--as-of", "2024-09-18", "--format", "csv"])
    assert browser["csv"] == capsys.readouterr().out


def test_a_bad_file_gives_a_plain_error():
    out = json.loads(classify_file(b"Name,Notes\nAmy,x\n", "notes.csv", read_text("policy", "shipped", "dfe-national.toml"),
                                   "dfe-national.toml"))
    assert not out["ok"] and out["error"].startswith("notes.csv: cannot tell what kind of register")


def test_browser_letters_equal_the_cli_letters(tmp_path, capsys):
    from attendtoolkit.browser import render_letters
    from attendtoolkit.render.letters import LetterSet, template_folders

    from ..conftest import ROOT
    register, school = ROOT / "examples" / "register-long.csv", ROOT / "examples" / "school.toml"
    main(["letters", str(register), "--school", str(school), "--templates", str(ROOT)])
    cli = capsys.readouterr().out
    main(["classify", str(register)])
    result = capsys.readouterr().out
    school_json = json.dumps({"name": "Oak Tree High School", "address": "1 School Lane\nTownsville TS1 1AA",
                              "head_teacher": "Mrs J Patel", "attendance_lead": "Mr S Evans",
                              "phone": "01234 567890", "email": "office@oaktree.example"})  # dated today, as the CLI
    letters_json = json.dumps(LetterSet.from_folders(template_folders(ROOT)).as_json())
    out = json.loads(render_letters(result, school_json, letters_json))
    assert out["ok"] and out["html"] == cli


def test_browser_letters_report_missing_fields():
    from attendtoolkit.browser import render_letters
    from attendtoolkit.render.letters import LetterSet, template_folders

    from ..conftest import ROOT
    result = classify_file((ROOT / "examples" / "register-long.csv").read_bytes(), "r.csv",
                           read_text("policy", "shipped", "dfe-national.toml"), "dfe-national.toml")
    letters_json = json.dumps(LetterSet.from_folders(template_folders(ROOT)).as_json())
    assert json.loads(result)["ok"]
    out = json.loads(render_letters(None, "{}", letters_json))  # None: the file just classified
    assert not out["ok"] and "school name is missing" in out["error"]


def test_a_workbook_without_the_excel_reader_says_what_is_missing(monkeypatch):
    """A site built without python-calamine cannot read workbooks; Python says so instead of failing."""
    from attendtoolkit import browser
    monkeypatch.setattr(browser, "have_reader", lambda: False)
    out = json.loads(classify_file(b"PK\x03\x04....xl/workbook.xml", "r.xlsx",
                                   read_text("policy", "shipped", "dfe-national.toml"), "dfe-national.toml"))
    assert out == {"ok": False, "needs": "python-calamine"}


def test_the_page_gets_the_result_without_its_pupils_and_asks_the_worker_for_a_pupil_page():
    from attendtoolkit.browser import pupil_page
    from attendtoolkit.render.components import pupil_view
    data = long_register({"A": present(10) + absent("O", 5), "B": present(15)})
    out = json.loads(classify_file(data, "register.csv", read_text("policy", "shipped", "dfe-national.toml"),
                                   "dfe-national.toml"))
    full = json.loads(json.loads(download_files())["json"])
    assert out["overview"] == {key: value for key, value in full.items() if key != "pupils"}
    context = {"policy": full["policy"], "as_of": full["as_of"], "source": full["source"], "letter_titles": {}}
    for i, pupil in enumerate(full["pupils"]):
        assert pupil_page(i, json.dumps(context)) == pupil_view(pupil, {**context, "trend": full["trend"]})


def test_the_changes_since_date_gives_the_clis_since_worklist(tmp_path, capsys):
    """As the CLI's --since: compared with Friday 13 September, a pupil absent all of the week of
    16 September and present in the week of 23 September is new in the two weeks compared."""
    data = long_register({"A": present(10) + absent("O", 5) + present(5)})
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    main(["classify", str(path), "--since", "2024-09-13"])
    cli = capsys.readouterr().out
    out = json.loads(classify_file(data, "register.csv", read_text("policy", "shipped", "dfe-national.toml"),
                                   "dfe-national.toml", since="2024-09-13"))
    assert out["ok"] and json.loads(download_files())["json"] == cli
    assert out["overview"]["worklist"]["since"] == "2024-09-13" and out["overview"]["actions"]
    default = json.loads(classify_file(data, "register.csv", read_text("policy", "shipped", "dfe-national.toml"),
                                       "dfe-national.toml"))
    assert default["overview"]["worklist"]["since"] == "2024-09-20"


def test_a_workbook_gives_its_sheet_names_and_the_sheet_chosen_is_read_as_the_cli_reads_it(tmp_path, capsys):
    """The page's sheet chooser: every answer for a workbook lists its sheets, failed or not; the
    sheet chosen gives the CLI's JSON with --sheet."""
    pytest.importorskip("python_calamine")
    from ..workbooks import xlsx
    policy = read_text("policy", "shipped", "dfe-national.toml")
    rows = [["UPN", "Date", "Session", "Mark"], ["A1", "02/09/2024", "AM", "/"], ["A1", "02/09/2024", "PM", "N"]]
    book = xlsx({"Notes": [["Made up for the tests"]], "Register": rows})
    first = json.loads(classify_file(book, "r.xlsx", policy, "dfe-national.toml"))
    assert not first["ok"] and first["sheets"] == ["Notes", "Register"]
    assert "That was the sheet 'Notes'; the workbook also has 'Register'." in first["error"]
    chosen = json.loads(classify_file(book, "r.xlsx", policy, "dfe-national.toml", sheet="Register"))
    assert chosen["ok"] and chosen["sheets"] == ["Notes", "Register"] and chosen["overview"]["source"]["sheet"] == "Register"
    path = tmp_path / "r.xlsx"
    path.write_bytes(book)
    main(["classify", str(path), "--sheet", "Register"])
    assert json.loads(download_files())["json"] == capsys.readouterr().out


def test_a_csv_file_has_no_sheets():
    out = json.loads(classify_file(long_register({"A": present(2)}), "r.csv",
                                   read_text("policy", "shipped", "dfe-national.toml"), "dfe-national.toml"))
    assert out["ok"] and "sheets" not in out


def test_warming_up_for_the_start_up_snapshot_leaves_no_result_behind_and_changes_no_later_result(tmp_path, capsys):
    """The site's build runs warm() before it snapshots Python (toolkit/snapshot.mjs): a visitor's
    first file must give the CLI's result, as if nothing had run before it."""
    from attendtoolkit.browser import _last, warm

    warm()
    assert _last == {"result": None, "pupils": [], "sent": [], "json": None}
    test_the_result_comes_without_the_download_files_which_follow_and_equal_the_clis(tmp_path, capsys)
