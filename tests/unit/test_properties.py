"""Invariants over generated registers (hypothesis)."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from attendtoolkit.engine.metrics import Counts
from attendtoolkit.engine.recovery import days_needed, in_band, targets
from attendtoolkit.policy.model import load_policy
from attendtoolkit.synthetic import school_days

from ..conftest import MONDAY, long_rows, run, to_csv

MARKS = ["/", "\\", "L", "U", "G", "N", "O", "I", "M", "V", "K", "D", "Z", "#", "Y1", "X", "C2"]
pupils_strategy = st.dictionaries(
    keys=st.sampled_from(["A", "B", "C", "D"]),
    values=st.lists(st.sampled_from(MARKS), min_size=0, max_size=90),
    min_size=1,
).filter(lambda pupils: any(pupils.values()))  # a file with no marks at all is refused (header only)
POLICIES = st.sampled_from(["dfe-national", "swindon", "knowsley"])


def pupil_results(result):
    return sorted(result["pupils"], key=lambda p: p["pupil_id"])


@given(st.lists(st.sampled_from(MARKS), max_size=200))
def test_categories_add_up_to_possible(marks):
    counts = Counts.from_tally(Counter(marks))
    assert counts.present + counts.aea + counts.authorised + counts.unauthorised == counts.possible
    assert counts.possible + counts.not_possible == len(marks)


@settings(max_examples=40, deadline=None)
@given(pupils_strategy, POLICIES, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(pupils, policy, rnd):
    rows = long_rows(pupils)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    header = ["UPN", "Date", "Session", "Mark"]
    assert pupil_results(run(to_csv(header, rows), policy)) == pupil_results(run(to_csv(header, shuffled), policy))


def wide(pupils):
    longest = max(len(m) for m in pupils.values())
    days = school_days(MONDAY, (longest + 1) // 2)
    sessions = [f"{d.strftime('%d/%m/%Y')} {s}" for d in days for s in ("AM", "PM")][:longest]
    rows = [[pid] + marks + [""] * (longest - len(marks)) for pid, marks in pupils.items()]
    return to_csv(["UPN"] + sessions, rows)


@settings(max_examples=40, deadline=None)
@given(pupils_strategy.filter(lambda pupils: any(pupils.values())), POLICIES)
def test_long_and_wide_forms_of_a_register_give_the_same_results(pupils, policy):
    header = ["UPN", "Date", "Session", "Mark"]
    long_result = run(to_csv(header, long_rows(pupils)), policy)
    wide_result = run(wide(pupils), policy)
    # A pupil with no marks at all appears only in the wide grid (an empty row).
    wide_pupils = [p for p in pupil_results(wide_result) if p["pupil_id"] in {q["pupil_id"] for q in long_result["pupils"]}]
    assert pupil_results(long_result) == wide_pupils


@settings(max_examples=25, deadline=None)
@given(pupils_strategy)
def test_cohort_totals_are_sums_over_pupils(pupils):
    result = run(to_csv(["UPN", "Date", "Session", "Mark"], long_rows(pupils)))
    for key in ("possible", "present", "aea", "authorised", "unauthorised"):
        assert result["totals"][key] == sum(p[key] for p in result["pupils"])
    assert sum(result["totals"]["by_stage"].values()) == len(result["pupils"])


@settings(deadline=None)  # loading the policy takes longer than the default deadline on a busy machine
@given(attended=st.integers(0, 400), extra=st.integers(0, 400))
def test_recovery_days_are_the_first_day_out_of_persistent_absence(attended, extra):
    c = targets(load_policy())["persistent_absence"].condition
    possible = attended + extra
    needed = days_needed(attended, possible, c)
    if possible == 0:
        assert needed is None
        return
    if extra == 0:
        assert needed == 0
        return
    assert not in_band(attended + 2 * needed, possible + 2 * needed, c)
    if needed:
        assert in_band(attended + 2 * needed - 2, possible + 2 * needed - 2, c)


@settings(max_examples=40, deadline=None)
@given(pupils_strategy, POLICIES)
def test_every_pupil_gets_at_most_one_letter_and_none_that_warns_a_pupil_to_review_first(pupils, policy):
    result = run(to_csv(["UPN", "Date", "Session", "Mark"], long_rows(pupils)), policy)
    rules = load_policy(policy).letter_rules
    for p in result["pupils"]:
        assert len(p["letters"]) <= 1
        if p["review_first"]:
            assert all(rules.rule(n).kind == "praise" for n in p["letters"])
