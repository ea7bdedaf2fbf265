"""The made-up exports in examples/, one for each supported shape, give the figures worked out by hand."""

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


@pytest.mark.parametrize("name", ["register-long.csv", "register-wide.csv", "register-summary.csv",
                                  "register-weeks.csv", "register-wide.xlsx"])
def test_every_example_is_read_with_nothing_rejected(name):
    if name.endswith(".xlsx"):
        pytest.importorskip("python_calamine")
    result = analyse(EXAMPLES / name)
    assert result["totals"]["pupils"] > 0 and result["rejected"] == []
