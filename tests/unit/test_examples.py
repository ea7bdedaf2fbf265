"""The made-up exports in examples/, one for each supported shape, give the figures worked out by hand."""

from datetime import date

import pytest

from attendtoolkit import analyse

from ..conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_the_summary_with_mis_headings_gives_the_hand_worked_figures():
    """Persistent absence is missing 10% or more of possible sessions, severe absence 50% or more
    (Working together to improve school attendance). By hand: possible 120+120+118+120+100+110 = 688;
    attending 114 + (100+2) + 118 + 54 + 91 + 99 = 578, so 84.0%; Ben (15% missed), Dev (55%) and Fay
    (exactly 10%) are persistently absent, 3 of 6 pupils; Dev alone is severely absent."""
    result = analyse(EXAMPLES / "register-summary.csv")
    totals = result["totals"]
    assert (totals["possible"], totals["present"] + totals["aea"]) == (688, 578)
    assert round(totals["attendance_pct"], 1) == 84.0
    flagged = {p["details"]["forename"]: p["flags"] for p in result["pupils"]}
    assert [name for name, flags in flagged.items() if "persistent_absence" in flags] == ["Ben", "Dev", "Fay"]
    assert [name for name, flags in flagged.items() if "severe_absence" in flags] == ["Dev"]
    assert result["source"]["columns"]["aea"] == "Approved Educational Activity (AEA)"
    assert result["rejected"] == [] and result["warnings"] == []


def test_the_long_workbook_with_mis_headings_gives_the_hand_worked_figures():
    """Persistent absence is missing 10% or more of possible sessions, severe absence 50% or more
    (Working together to improve school attendance); code L (late before the register closed) counts
    as present. By hand, two school weeks of 20 sessions: Ada attends all 20; Ben misses I I, 18 of 20
    (exactly 10% missed); Cat's L L count as present and she misses N O O O, 16 of 20; Dan misses
    6 I and 4 O, 10 of 20. Together 64 of 80, 80.0%; Ben, Cat and Dan are persistently absent and
    Dan alone severely absent. Dates are date cells and the Adno text, so 0201 keeps its zero."""
    pytest.importorskip("python_calamine")
    result = analyse(EXAMPLES / "register-long.xlsx")
    assert result["source"]["shape"] == "long" and result["source"]["format"] == "xlsx"
    assert result["as_of"] == "2024-09-13"
    assert [(p["pupil_id"], p["possible"], p["present"]) for p in result["pupils"]] == [
        ("0201", 20, 20), ("0202", 20, 18), ("0203", 20, 16), ("0204", 20, 10)]
    assert (result["totals"]["possible"], result["totals"]["present"]) == (80, 64)
    assert result["totals"]["attendance_pct"] == 80.0
    flagged = {p["details"]["forename"]: p["flags"] for p in result["pupils"]}
    assert [name for name, flags in flagged.items() if "persistent_absence" in flags] == ["Ben", "Cat", "Dan"]
    assert [name for name, flags in flagged.items() if "severe_absence" in flags] == ["Dan"]
    assert result["rejected"] == [] and result["warnings"] == []


def test_the_same_register_as_an_excel_97_2003_workbook_gives_the_same_results():
    """tests/files/register-long.xls is the example above written by xlwt (scripts/make_workbooks.py)."""
    pytest.importorskip("python_calamine")
    xls = analyse(ROOT / "tests" / "files" / "register-long.xls")
    xlsx = analyse(EXAMPLES / "register-long.xlsx")
    assert xls["source"]["format"] == "xls" and xls["source"]["sheet"] == "Attendance"
    assert {k: v for k, v in xls.items() if k != "source"} == {k: v for k, v in xlsx.items() if k != "source"}


def test_the_long_and_wide_examples_are_one_register_in_two_shapes():
    long, wide = analyse(EXAMPLES / "register-long.csv"), analyse(EXAMPLES / "register-wide.csv")
    assert (long["source"]["shape"], wide["source"]["shape"]) == ("long", "wide")
    assert long["pupils"] == wide["pupils"] and long["totals"] == wide["totals"]
    assert (long["totals"]["pupils"], long["totals"]["possible"], long["as_of"]) == (40, 5483, "2024-12-13")


SHAPES = {"register-long.csv": ("long", "csv"), "register-wide.csv": ("wide", "csv"),
          "register-summary.csv": ("summary", "csv"), "register-weeks.csv": ("weeks", "csv"),
          "register-wide.xlsx": ("wide", "xlsx"), "register-long.xlsx": ("long", "xlsx")}


def test_every_register_in_examples_is_classified_here():
    assert sorted(p.name for p in EXAMPLES.glob("register-*")) == sorted(SHAPES)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_example_is_read_in_its_shape_with_nothing_rejected(name):
    if name.endswith(".xlsx"):
        pytest.importorskip("python_calamine")
    result = analyse(EXAMPLES / name)
    assert (result["source"]["shape"], result["source"]["format"]) == SHAPES[name]
    assert result["totals"]["pupils"] > 0 and result["rejected"] == []


def test_the_example_school_is_a_secondary_like_the_example_register():
    """The made-up register has years 7 to 11, so the made-up school details are a secondary's."""
    import tomllib
    school = tomllib.loads((EXAMPLES / "school.toml").read_text(encoding="utf-8"))["school"]
    assert analyse(EXAMPLES / "register-long.csv")["school_phase"]["phase"] == "secondary"
    assert school["name"] == "Oak Tree High School"


def test_the_example_school_details_make_letters_for_a_register_that_ends_in_june(tmp_path):
    """examples/school.toml has no letter_date, so letters are dated the day they are made: a register
    to Friday 20 June 2025 gets its letters, where a fixed date in December 2024 refused them as
    dated before their own figures."""
    from attendtoolkit.cli import main

    from ..conftest import absent, long_rows, present, to_csv
    rows = long_rows({"A": present(15) + absent("O", 5)}, start=date(2025, 5, 26))
    register = tmp_path / "june.csv"
    register.write_bytes(to_csv(["UPN", "Forename", "Surname", "Parent/Carer Name", "Date", "Session", "Mark"],
                                [[r[0], "Amy", "Smith", "Ms A Smith", *r[1:]] for r in rows]))
    out = tmp_path / "letters.html"
    assert main(["letters", str(register), "--school", str(EXAMPLES / "school.toml"), "-o", str(out),
                 "--templates", str(ROOT)]) == 0
    assert "Oak Tree High School" in out.read_text(encoding="utf-8")
