"""National figures for the school's phase (issue 14, item 5): a primary file is compared with primary
schools, a secondary file with secondary schools and a file with both with all schools, for the
latest full school year, never 2019/20 beside a 2024/25 register.

The figures rest on Pupil absence in schools in England, academic year 2023/24 (DfE): "The overall
absence rate decreased from 7.4% in 2022/23 to 7.1% in 2023/24 ... decreased in primary schools from
5.9% to 5.5%, decreased in secondary schools from 9.0% to 8.9%, remained stable in special schools at
13.0%"; persistent absence 20.0% and severe absence 2.3% of pupils in all schools.
"""

import pytest

from attendtoolkit.engine.phase import school_phase, year_of
from attendtoolkit.policy.national import national_rows
from attendtoolkit.render.components import comparisons, summary

from ..conftest import run, to_csv

HEADER = ["UPN", "Year", "Possible", "Present", "Authorised", "Unauthorised"]


def register(*years: str) -> bytes:
    """A summary register: one pupil per year group, each at 95 of 100 sessions (absence 5%)."""
    return to_csv(HEADER, [[f"P{i}", year, "100", "95", "5", "0"] for i, year in enumerate(years)])


def first(result: dict) -> dict:
    return result["comparisons"][0]


def test_a_file_of_reception_to_year_6_is_compared_with_primary_schools_2023_24():
    # Years R, 1 and 6 are all primary years: England, primary schools, 2023/24 comes first:
    # overall absence 5.5% (attendance 100 - 5.5 = 94.5%), persistent 14.6%, severe 0.9%.
    result = run(register("R", "1", "6"))
    assert result["school_phase"]["phase"] == "primary"
    assert result["school_phase"]["chosen_by"] == "year_groups"
    assert result["school_phase"]["reason"] == "The file's year groups are Reception to Year 6: primary."
    row = first(result)
    assert (row["label"], row["year"]) == ("England, primary schools", "2023/24")
    assert (row["absence_pct"], row["attendance_pct"]) == (5.5, 94.5)
    assert (row["persistent_absence_pct"], row["severe_absence_pct"]) == (14.6, 0.9)


def test_the_summary_cards_name_the_phase_and_year_of_the_national_figures():
    html = summary(run(register("R", "1", "6")))
    assert "The cards compare with England, primary schools." in html
    assert "England, primary schools, 2023/24: 94.5%" in html
    assert "England, primary schools, 2023/24: 14.6%" in html
    assert "England, primary schools, 2023/24: 0.9%" in html


def test_a_secondary_summary_says_persistent_and_severe_absence_are_compared_with_all_schools():
    """national_absence.toml has no checked 2023/24 persistent or severe absence figure for secondary
    schools, so those two cards show all schools' 20.0% and 2.3%: the sentence names each, as the cards do."""
    html = summary(run(register("7", "8")))
    assert ("The cards compare attendance with England, secondary schools; persistent absence and severe "
            "absence with England, all schools.") in html
    assert "England, secondary schools, 2023/24: 91.1%" in html
    assert "England, all schools, 2023/24: 20.0%" in html and "England, all schools, 2023/24: 2.3%" in html
    assert "The cards compare with England, secondary schools." not in html


def test_a_file_with_primary_and_secondary_years_is_compared_with_all_schools():
    # Year 6 is primary, Year 7 secondary: an all-through school, so all schools 2023/24:
    # overall absence 7.1% (attendance 92.9%), persistent 20.0%, severe 2.3%.
    result = run(register("Year 6", "Year 7"))
    assert result["school_phase"]["phase"] == "all"
    assert result["school_phase"]["reason"] == ("The file has primary and secondary year groups (Year 6 to Year 7), "
                                                "so it is compared with all schools.")
    row = first(result)
    assert (row["label"], row["year"]) == ("England, all schools", "2023/24")
    assert (row["absence_pct"], row["attendance_pct"]) == (7.1, 92.9)
    assert (row["persistent_absence_pct"], row["severe_absence_pct"]) == (20.0, 2.3)
    assert "England, all schools, 2023/24: 92.9%" in summary(result)


def test_a_secondary_file_gets_secondary_absence_and_all_schools_persistent_absence_named_as_such():
    # Secondary overall absence 2023/24 is 8.9% (attendance 91.1%). No secondary persistent absence
    # figure has been checked, so the card gives the all-schools figure and says so.
    result = run(register("7", "11"))
    assert result["school_phase"]["phase"] == "secondary"
    html = summary(result)
    assert "England, secondary schools, 2023/24: 91.1%" in html
    assert "England, all schools, 2023/24: 20.0%" in html


def test_the_pre_pandemic_line_is_shown_after_the_latest_year():
    # 2018/19, before the pandemic: primary schools 4.0% overall absence.
    rows = run(register("2", "3"))["comparisons"]
    assert [(r["label"], r["year"]) for r in rows][:2] == [("England, primary schools", "2023/24"),
                                                          ("England, primary schools", "2018/19")]
    assert rows[1]["absence_pct"] == 4.0


def test_a_file_without_year_groups_is_compared_with_all_schools_and_says_why():
    data = to_csv(["UPN", "Possible", "Present", "Authorised", "Unauthorised"], [["A", "100", "95", "5", "0"]])
    result = run(data)
    assert result["school_phase"]["phase"] == "all"
    assert "no year groups we can read" in result["school_phase"]["reason"]


def test_a_special_school_chooses_its_phase():
    # Special schools cannot be told from year groups; 2023/24 overall absence 13.0% (attendance 87.0%).
    result = run(register("7", "8"), phase="special")
    assert result["school_phase"] == {"phase": "special", "label": "special schools", "chosen_by": "choice",
                                      "year_groups": ["7", "8"], "reason": "You chose special schools."}
    assert (first(result)["absence_pct"], first(result)["attendance_pct"]) == (13.0, 87.0)


def test_a_phase_that_is_not_a_phase_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="'infant' is not a school phase. Use one of: all, primary, secondary, special."):
        school_phase(["1"], "infant")


@pytest.mark.parametrize("cell, year", [("Year 7", "7"), ("Y7", "7"), ("07", "7"), ("Yr 10", "10"), ("13", "13"),
                                        ("Reception", "R"), ("YR", "R"), ("R", "R"), ("N2", "N"), ("Nursery", "N"),
                                        ("7A", None), ("Sixth form", None), ("14", None), ("", None)])
def test_year_group_cells_are_read_as_national_curriculum_years(cell, year):
    assert year_of(cell) == year


def test_cells_that_are_not_year_groups_are_named_in_the_reason():
    found = school_phase(["3", "4", "Mixed"])
    assert found["phase"] == "primary"
    assert found["reason"] == "The file's year groups are Year 3 to Year 4: primary. Not read as year groups: Mixed."


def test_every_national_figure_has_its_year_publication_and_address():
    for row in national_rows():
        assert row["year"] and row["sources"]
        for source in row["sources"]:
            assert source["publication"] and source["url"].startswith("https://")
            assert source["figures"]


def test_the_comparison_table_names_the_phase_and_links_each_publication():
    html = comparisons(run(register("R", "1")))
    assert "National figures are for primary schools." in html
    assert ('<a href="https://explore-education-statistics.service.gov.uk/find-statistics/'
            'pupil-absence-in-schools-in-england/2023-24">Pupil absence in schools in England, academic year 2023/24'
            in html)
    assert "2019/20" not in html


def test_a_secondary_file_is_told_plainly_which_national_figures_are_not_shown():
    """national_absence.toml has no 2024/25 full-year figures and no checked secondary persistent or
    severe absence for 2023/24: the result says both, and nothing about primary schools."""
    result = run(register("7", "11"))
    assert result["national_not_shown"][:2] == [
        "The full school year 2024/25: no figures are shown, because the Department for Education's full-year "
        "figures (Pupil absence in schools in England, academic year 2024/25) have not been checked against the "
        "publication yet.",
        "England, secondary schools, 2023/24: persistent absence and severe absence are not shown, because no "
        "published figure has been checked yet."]
    assert not any("primary" in sentence for sentence in result["national_not_shown"])
    html = comparisons(result)
    assert "Not shown yet:" in html and "<li>The full school year 2024/25: no figures are shown" in html


def test_a_primary_file_has_every_2023_24_figure_so_only_the_missing_years_are_listed():
    # Primary 2023/24: overall absence 5.5%, persistent absence 14.6%, severe absence 0.9%, all checked.
    not_shown = run(register("R", "6"))["national_not_shown"]
    assert not any("2023/24" in sentence for sentence in not_shown)
    assert "England, primary schools, 2018/19: persistent absence and severe absence are not shown, because no " \
           "published figure has been checked yet." in not_shown


def test_a_school_year_left_out_must_say_why(monkeypatch):
    from attendtoolkit.policy import national
    monkeypatch.setattr(national, "_data", lambda: {"figures": [], "not_included": [{"year": "2024/25"}]})
    with pytest.raises(ValueError, match=r"\[\[not_included\]\] number 1: give exactly 'year' and 'note'"):
        national.years_not_included()
