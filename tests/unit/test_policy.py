"""Policy files: the shipped ones load, and every kind of mistake gets a message a person can act on."""

from dataclasses import replace

import pytest

from attendtoolkit.policy.model import NATIONAL_FLAGS
from attendtoolkit.policy.load import PolicyError, load_policy, parse_policy, shipped_policies
from attendtoolkit.resources import read_text

NATIONAL = read_text("policy", "shipped", "dfe-national.toml")


def problems(text):
    with pytest.raises(PolicyError) as err:
        parse_policy(text, "council.toml")
    assert str(err.value).startswith("council.toml has")
    return err.value.problems


@pytest.mark.parametrize("name", ["dfe-national", "swindon", "knowsley"])
def test_shipped_policies_load_with_the_national_flags(name):
    policy = load_policy(name)
    assert set(NATIONAL_FLAGS) <= set(policy.flags)
    assert policy.stages[0].rule is None and all(s.rule for s in policy.stages[1:])


def test_the_default_policy_is_the_national_one():
    assert load_policy().id == "dfe-national" and "dfe-national" in shipped_policies()


def test_every_threshold_has_a_description_and_source():
    for name in shipped_policies():
        for t in load_policy(name).thresholds.values():
            assert t.description and t.source, (name, t.name)


def test_the_at_risk_threshold_is_marked_as_a_local_choice():
    policy = load_policy()
    assert policy.thresholds["at_risk_attendance"].local_choice
    assert not policy.thresholds["persistent_absence"].local_choice


def test_a_policy_file_can_be_loaded_by_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(NATIONAL.replace('id = "dfe-national"', 'id = "mine"'), encoding="utf-8")
    assert load_policy(path).id == "mine"


def test_a_missing_file_says_what_to_give():
    with pytest.raises(PolicyError, match="shipped policies: dfe-national"):
        load_policy("no-such-policy.toml")


def test_an_unknown_key_is_named_with_a_suggestion():
    found = problems(NATIONAL.replace("[thresholds.severe_absence]\nvalue = 50",
                                      "[thresholds.severe_absence]\nvalu = 50"))
    assert any("[thresholds.severe_absence]: unknown key 'valu'. Did you mean 'value'?" in p for p in found)


def test_a_wrong_type_is_named():
    found = problems(NATIONAL.replace("value = 50", 'value = "fifty"', 1))
    assert any("[thresholds.severe_absence].value: should be a number" in p for p in found)


def test_a_percentage_over_100_is_refused():
    found = problems(NATIONAL.replace("value = 50", "value = 150", 1))
    assert any("150 is not a percentage between 0 and 100" in p for p in found)


def test_thresholds_out_of_order_are_refused():
    # Stage 4 at 5% absence would be milder than stage 3 at 10%.
    text = NATIONAL.replace('all = [{ measure = "absence_pct", compare = "at_least", threshold = "severe_absence" }]\n',
                            'all = [{ measure = "absence_pct", compare = "at_least", threshold = "five" }]\n')
    text += '\n[thresholds.five]\nvalue = 5\nunit = "percent"\ndescription = "x"\nsource = "x"\n'
    found = problems(text)
    assert any("thresholds out of order" in p and "stage '3'" in p for p in found)


def test_an_unknown_threshold_reference_is_named_with_a_suggestion():
    found = problems(NATIONAL.replace('threshold = "severe_absence"', 'threshold = "severe_absense"', 1))
    assert any("no threshold called 'severe_absense'" in p and "Did you mean 'severe_absence'?" in p for p in found)


def test_a_threshold_in_the_wrong_unit_is_refused():
    found = problems(NATIONAL.replace('threshold = "persistent_absence" }]', 'threshold = "penalty_notice_sessions" }]', 1))
    assert any("is in sessions, but this needs percent" in p for p in found)


def test_a_missing_national_flag_is_refused():
    text = NATIONAL.replace("[flags.severe_absence]", "[flags.severe]").replace(
        "[[flags.severe_absence.when]]", "[[flags.severe.when]]")
    assert any("national flag 'severe_absence' is missing" in p for p in problems(text))


def test_an_unknown_code_in_a_rule_is_refused():
    found = problems(NATIONAL.replace('codes = ["L", "U"]', 'codes = ["L", "LATE"]'))
    assert any("'LATE' is not a register code" in p for p in found)


def test_an_unknown_measure_lists_the_measures():
    found = problems(NATIONAL.replace('measure = "absence_pct"', 'measure = "absence"', 1))
    assert any("'absence' is not a measure. Use one of: attendance_pct" in p for p in found)


def test_only_the_first_stage_has_no_conditions():
    text = NATIONAL.replace('[[stages.when]]\nall = [{ measure = "attendance_pct", compare = "below", '
                            'threshold = "at_risk_attendance" }]\n', "")
    assert any("only the first stage may have no 'when'" in p for p in problems(text))


def test_invalid_toml_points_at_the_line():
    found = problems('[policy]\nid = "x\n')
    assert "is not valid TOML" in found[0] and "line 2" in found[0]


def test_all_problems_are_reported_together():
    text = NATIONAL.replace("value = 50", "value = 150", 1).replace('unit = "percent"', 'unit = "pc"', 1)
    assert len(problems(text)) >= 2


def test_a_policys_own_comparison_figures_follow_the_national_figures_in_the_results():
    from ..conftest import long_register, present, run
    text = NATIONAL + ('\n[[comparisons]]\nlabel = "Our area, all schools"\nyear = "2023/24"\n'
                       'source = "Our area\'s attendance report"\nabsence_pct = 6.8\n')
    result = run(long_register({"A": present(20)}), policy=parse_policy(text, "ours.toml"))
    # No year groups in the file: England, all schools first (2023/24, then 2018/19), then the policy's own.
    assert [c["label"] for c in result["comparisons"]] == ["England, all schools"] * 2 + ["Our area, all schools"]
    assert result["comparisons"][0]["persistent_absence_pct"] == 20.0
    assert result["comparisons"][-1]["absence_pct"] == 6.8


def test_a_comparison_needs_a_figure_and_percentages():
    text = NATIONAL + '\n[[comparisons]]\nlabel = "x"\nyear = "2024/25"\nsource = "y"\n'
    assert any("give at least one figure" in p for p in problems(text))
    text = NATIONAL + '\n[[comparisons]]\nlabel = "x"\nyear = "2024/25"\nsource = "y"\nabsence_pct = 140\n'
    assert any("140 is not a percentage" in p for p in problems(text))


def test_a_letter_that_comes_after_an_undescribed_letter_is_refused():
    text = NATIONAL.replace('after = "meeting-invitation"', 'after = "meeting-invite"')
    assert "[letters.attendance-contract].after: there is no [letters.meeting-invite] table" in "\n".join(problems(text))


def test_letters_that_come_after_each_other_in_a_circle_are_refused():
    text = NATIONAL.replace('[letters.concern-1]\nkind = "concern"\nstep = 3\n',
                            '[letters.concern-1]\nkind = "concern"\nstep = 3\nafter = "concern-2"\n')
    assert any("come after each other in a circle" in p for p in problems(text))


def test_a_letter_kind_and_an_approved_code_are_checked():
    text = NATIONAL.replace('[letters.praise]\nkind = "praise"', '[letters.praise]\nkind = "thanks"')
    text = text.replace('approved_absence_codes = ["C", ', 'approved_absence_codes = ["O", ')
    found = "\n".join(problems(text))
    assert "[letters.praise].kind: 'thanks' is not a kind of letter. Use one of: praise, concern, legal." in found
    assert "[letter_rules].approved_absence_codes: 'O' is not authorised absence" in found


def test_a_policy_parsed_again_is_its_own_copy_and_another_text_gives_another_policy():
    text = read_text("policy", "shipped", "dfe-national.toml")
    first = parse_policy(text, "dfe-national.toml")
    first.worklist = replace(first.worklist, close_after_weeks=9)
    first.flags.pop("lateness")
    again = parse_policy(text, "dfe-national.toml")
    assert again.worklist.close_after_weeks == 3 and "lateness" in again.flags
    assert again == load_policy("dfe-national")
    changed = parse_policy(text.replace("close_after_weeks = 3", "close_after_weeks = 2"), "dfe-national.toml")
    assert changed.worklist.close_after_weeks == 2
