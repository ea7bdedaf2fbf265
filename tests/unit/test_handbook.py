"""Handbook text rendered from policy rules, worked by hand."""

from attendtoolkit.policy.describe import describe_rule
from attendtoolkit.policy.load import load_policy
from attendtoolkit.site.handbook import Facts, fill_page, generated_pages

from ..conftest import ROOT


def lost_learning_page(policy) -> str:
    """docs/lost-learning.md with its markers filled, as the site build fills them."""
    return fill_page((ROOT / "docs" / "lost-learning.md").read_text(encoding="utf-8"), "docs/lost-learning.md",
                     Facts(policy))


def test_a_swindon_stage_3_rule_reads_as_plain_english():
    policy = load_policy("swindon")
    assert describe_rule(policy.stage("3").rule, policy) == (
        "Attendance below 80% over the last 12 school weeks and 20 or more sessions of unauthorised "
        "absence over the last 12 school weeks.")


def test_the_penalty_rule_reads_as_plain_english():
    policy = load_policy()
    assert describe_rule(policy.flags["penalty_notice_threshold"].rule, policy) == (
        "10 or more sessions coded G, N, O or U within the last 10 school weeks (a rolling period).")


def test_the_missing_education_rule_reads_as_plain_english():
    policy = load_policy()
    assert describe_rule(policy.flags["missing_education_risk"].rule, policy) == (
        "20 school days or more in a row with every session unauthorised (G, N or O).")


def test_the_lost_learning_page_shows_the_engine_figures():
    page = lost_learning_page(load_policy())
    assert "<th scope=\"row\">90%</th><td>19</td><td>3.8</td><td>95</td>" in page


def test_the_lost_learning_page_works_the_51_day_case_with_the_engine():
    # Persistent absence is absence of 10% or more (DfE, Working together to improve school
    # attendance). Nia: 80 of 100 sessions by Friday 8 November 2024 (50 weekdays from 2 September).
    # 20 of 200 is 10% exactly; 20 of 202 is 9.9%: 51 days, the 51st weekday after 8 November is
    # 20 January 2025. 95% needs 80 + 2d >= 0.95 (100 + 2d), d >= 150; 190 - 50 = 140 days are left.
    page = lost_learning_page(load_policy())
    assert "By 8 November 2024, Nia had been on roll for the first 50 school days" in page
    assert "absence would be 20\nof 200 sessions (10.0%); after 51 school days, 20 of 202\n(9.9%)" in page
    assert ('<th scope="row">Out of persistent absence (attendance above 90%)</th><td>51</td>'
            "<td>20 January 2025</td><td>Yes</td>") in page
    assert ('<th scope="row">Back to attendance of 95% or more</th><td>150</td><td>Not this school year</td>'
            "<td>No: 140 school days are left</td>") in page
    assert "> Attending every day from now, Nia would be out of persistent absence on 20 January 2025" in page


def test_the_worked_example_uses_the_policys_term_dates():
    # Swindon 2023/24, term 1 from Friday 1 September 2023 to 18 October (34 days), term 2 from
    # 30 October: the 50th school day is Monday 20 November 2023. 51 school days later, with the
    # Christmas holiday (16 December to 1 January) and the February half term not counted:
    # 19 days to 15 December, 29 from 2 January to 9 February (48), then 19, 20, 21 February 2024.
    page = lost_learning_page(load_policy("swindon"))
    assert "By 20 November 2023" in page and "with this policy's term dates" in page
    assert "<td>51</td><td>21 February 2024</td><td>Yes</td>" in page


def test_there_is_one_page_per_stage():
    assert {p for p in generated_pages(load_policy("knowsley")) if p.startswith("approach/stage-")} == {
        f"approach/stage-{n}.md" for n in "1234"}
