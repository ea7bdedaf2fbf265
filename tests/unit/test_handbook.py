"""Handbook text rendered from policy rules, worked by hand."""

from attendtoolkit.policy.describe import describe_rule
from attendtoolkit.site.handbook import lost_learning_page, pages
from attendtoolkit.policy.model import load_policy


def test_a_swindon_stage_3_rule_reads_as_plain_english():
    policy = load_policy("swindon")
    assert describe_rule(policy.stage("3").rule, policy) == (
        "Attendance below 80% over the last 12 school weeks and 20 or more sessions of unauthorised "
        "absence over the last 12 school weeks.")


def test_the_penalty_rule_reads_as_plain_english():
    policy = load_policy()
    assert describe_rule(policy.flags["penalty_notice_threshold"].rule, policy) == (
        "10 or more sessions coded G, N, O or U within any 10 school weeks in a row.")


def test_the_missing_education_rule_reads_as_plain_english():
    policy = load_policy()
    assert describe_rule(policy.flags["missing_education_risk"].rule, policy) == (
        "20 school days or more in a row with every session unauthorised (G, N or O).")


def test_the_lost_learning_page_shows_the_engine_figures():
    page = lost_learning_page(load_policy())
    assert "<th scope=\"row\">90%</th><td>19</td><td>3.8</td><td>95</td>" in page


def test_there_is_one_page_per_stage():
    assert {p for p in pages(load_policy("knowsley")) if p.startswith("approach/stage-")} == {
        f"approach/stage-{n}.md" for n in "1234"}
