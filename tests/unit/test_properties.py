"""Invariants over generated registers (hypothesis)."""

from collections import Counter
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendtoolkit.engine.metrics import Counts
from attendtoolkit.engine.recovery import days_needed, in_band, targets
from attendtoolkit.policy.load import load_policy
from attendtoolkit.synthetic import school_days

from ..conftest import MONDAY, absent, long_rows, present, run, to_csv
from .test_suppression import COLUMNS, register, shown_and_hidden

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


def _in_span(target: list[int], vectors: list[list[int]]) -> bool:
    """Whether `target` is a combination of `vectors`, with exact fractions (the attacker's algebra)."""
    rows = [[Fraction(x) for x in v] for v in vectors]
    basis: list[list[Fraction]] = []
    for row in rows + [None]:
        v = [Fraction(x) for x in target] if row is None else row
        for b in basis:
            pivot = next(i for i, x in enumerate(b) if x)
            if v[pivot]:
                v = [a - v[pivot] / b[pivot] * c for a, c in zip(v, b)]
        if row is None:
            return not any(v)
        if any(v):
            basis.append(v)
    return False


school_pupil = st.fixed_dictionaries({
    "year_group": st.sampled_from(["7", "8", "9", ""]),
    "reg_letter": st.sampled_from(["A", "B"]),
    "looked_after": st.sampled_from(["Yes", "No", "No", "No", ""]),
    "absent_days": st.integers(0, 10),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(school_pupil, min_size=1, max_size=30))
def test_no_hidden_group_can_be_derived_from_what_is_shown(drawn):
    """An attacker knows every shown figure and which pupils are in which group, and tries to
    write each small hidden group (and each small set of pupils with no value) as sums and
    differences of the shown groups and the whole file. Every figure (pupils, sessions, pupils
    at each stage or with each flag) adds up over pupils, so such a combination would give all of
    them. It never exists; and in each breakdown the pupils not shown are none or at least 5."""
    pupils = []
    for d in drawn:
        p = {"marks": present(10 - d["absent_days"]) + absent("O", d["absent_days"])}
        if d["year_group"]:
            p["year_group"] = d["year_group"]
            p["reg_group"] = d["year_group"] + d["reg_letter"]
        if d["looked_after"]:
            p["looked_after"] = d["looked_after"]
        pupils.append(p)
    result = run(register(pupils))
    members = {}
    for i, p in enumerate(pupils):
        for field in COLUMNS:
            if field in p:
                members.setdefault((field, p[field]), set()).add(i)
    vector = lambda ids: [1 if i in ids else 0 for i in range(len(pupils))]  # noqa: E731
    shown, hidden = shown_and_hidden(result)
    published = [vector(set(range(len(pupils))))] + [vector(members[k]) for k in shown]
    small = [members[k] for k, g in hidden.items() if g.get("suppression", "small") == "small"]
    for field in COLUMNS:
        unvalued = {i for i, p in enumerate(pupils) if field not in p}
        if any(k[0] == field for k in members) and 0 < len(unvalued) < 5:
            small.append(unvalued)
        unshown = len(pupils) - sum(len(members[k]) for k in shown if k[0] == field)
        if any(k[0] == field for k in members):
            assert unshown == 0 or unshown >= 5 or unshown == len(pupils)
    for ids in small:
        if len(ids) < len(pupils):
            assert not _in_span(vector(ids), published), f"a hidden group of {len(ids)} can be worked out"
