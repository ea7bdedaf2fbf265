"""The way back: school days of full attendance to recover, and where the year will end, by hand.

Persistent absence is "missing 10% or more of possible sessions" (DfE, Working together to
improve school attendance, 2024): a pupil leaves it only when absence is strictly below 10%.
Maintained schools open for 380 sessions (190 days) a year (The Education (School Day and School
Year) (England) Regulations 1999, regulation 3); term dates are set by the school's employer.
"""

from datetime import date

import pytest

from attendtoolkit.engine.recovery import days_needed, in_band, targets, year_ahead
from attendtoolkit.policy.model import TermDates
from attendtoolkit.policy.load import PolicyError, load_policy, parse_policy, policy_source

from ..conftest import absent, long_register, present, pupil, run

SWINDON_EASTER = date(2024, 3, 21)  # Thursday before the last day of Swindon's term 4 (28 March 2024)


@pytest.fixture(scope="module")
def pa(national):
    return targets(national)["persistent_absence"].condition


def test_attended_80_of_100_needs_51_full_days_because_20_of_200_is_still_10_percent(pa):
    # 20 absent of 100 possible. After 50 full days: 20/200 = 10% exactly, still persistently
    # absent; after 51: 20/202 = 9.9%, below 10%.
    assert in_band(80 + 100, 100 + 100, pa)
    assert not in_band(80 + 102, 100 + 102, pa)
    assert days_needed(80, 100, pa) == 51


def test_a_pupil_at_exactly_10_percent_needs_one_full_day(pa):
    # 10 absent of 100 is exactly 10%: persistently absent. One full day: 10/102 = 9.8%.
    assert in_band(90, 100, pa)
    assert days_needed(90, 100, pa) == 1


def test_a_pupil_below_10_percent_needs_no_days(pa):
    assert days_needed(91, 100, pa) == 0


def test_the_at_risk_stage_is_left_at_95_percent_attendance_exactly(national):
    # Stage 2 is "attendance below 95%". 90 of 100: (90 + 2d) / (100 + 2d) >= 95% needs
    # 100 * (90 + 2d) >= 95 * (100 + 2d), that is 10d >= 500: 50 days (190 of 200 is 95% exactly).
    at_risk = targets(national)["at_risk"].condition
    assert days_needed(90, 100, at_risk) == 50
    assert not in_band(190, 200, at_risk) and in_band(188, 198, at_risk)


def test_the_51_day_case_in_a_register_gives_the_date_attending_every_day():
    # 40 days present, then 10 days absent: 80 of 100 sessions, as of Friday 8 November 2024 (the
    # register has no half term). The 51st weekday after that is Monday 20 January 2025; the
    # national policy has no term dates, so 190 - 50 = 140 school days are left.
    result = run(long_register({"A": present(40) + absent("O", 10)}))
    r = pupil(result)["recovery"]
    assert r["persistent_absence"] == {"threshold": "10%", "now": True, "days_needed": 51, "this_year": True,
                                       "date": "2025-01-20", "attendance_after": "above 90%"}
    assert (r["remaining_school_days"], r["year_end"], r["term_dates"]) == (140, "2025-07-31", False)
    assert r["sentence"].startswith("Attending every day from now, this pupil would be out of persistent "
                                    "absence on 20 January 2025 (51 school days).")
    assert pupil(result)["reasons"][-1] == f"Way back: {r['sentence']}"


def test_at_the_end_of_the_year_the_sentence_says_no_day_is_left_and_gives_no_projection():
    # 190 school days held (the default year), 140 present and 50 absent: 280 of 380 sessions, so
    # no day is left. Absence 100 / (380 + 2d) < 10% needs 2d > 620: 311 days; 95% needs
    # 100 / (380 + 2d) <= 5%: 2d >= 1,620, 810 days.
    r = pupil(run(long_register({"A": present(140) + absent("O", 50)})))["recovery"]
    assert r["remaining_school_days"] == 0
    assert r["sentence"].startswith("Getting out of persistent absence would take 311 school days; getting back to "
                                    "attendance of 95% or more would take 810 school days, but no school days are "
                                    "left this school year (it ends on 31 July 2025).")
    assert "only 0" not in r["sentence"] and "Attending every remaining session" not in r["sentence"]


def test_days_needed_are_written_with_thousands_separators():
    # 5 days present, 95 absent: absence 190 / (200 + 2d) <= 5% needs 2d >= 3,600: 1,800 days.
    r = pupil(run(long_register({"A": present(5) + absent("O", 95)})))["recovery"]
    assert "would take 1,800 school days" in r["sentence"]


def test_a_pupil_who_can_no_longer_recover_this_year():
    # 100 days present then 50 absent: 200 of 300 sessions, as of Friday 28 March 2025 (150 school
    # days held), so 190 - 150 = 40 school days are left. Absence 100 / (300 + 2d) < 10% needs
    # 2d >= 701: 351 days. Best possible: (200 + 80) / (300 + 80) = 73.7%. The last 6 school weeks
    # (30 days) were all absent, so at that rate the year ends at 200 / 380 = 52.6%.
    r = pupil(run(long_register({"A": present(100) + absent("O", 50)})))["recovery"]
    assert r["remaining_school_days"] == 40
    assert r["persistent_absence"]["days_needed"] == 351
    assert r["persistent_absence"]["this_year"] is False and r["persistent_absence"]["date"] is None
    assert r["best_year_end_pct"] == pytest.approx(280 * 100 / 380)
    assert r["recent_attendance_pct"] == 0
    assert r["projected_year_end_pct"] == pytest.approx(200 * 100 / 380)
    assert "Getting out of persistent absence would take 351 school days" in r["sentence"]
    assert "only 40 school days are left this school year (to 31 July 2025)" in r["sentence"]
    assert "end the year at 73.7%" in r["sentence"] and "at 52.6%" in r["sentence"]


def test_a_joiner_counts_from_admission_but_the_school_year_is_the_schools():
    # B joins after 20 school days (Z: not yet on roll), then 10 days present and 3 absent: 20 of
    # 26 sessions. 6 / (26 + 2d) < 10% needs 26 + 2d > 60: 18 days (6/62 = 9.7%; 17 gives 6/60).
    # The school has held 33 days (A is on roll throughout), so 157 are left.
    data = long_register({"A": present(33), "B": ["Z"] * 40 + present(10) + absent("I", 3)})
    r = pupil(run(data), "B")["recovery"]
    assert r["persistent_absence"]["days_needed"] == 18
    assert r["remaining_school_days"] == 157


def test_term_dates_across_easter_skip_the_holiday_and_the_bank_holiday():
    # Swindon 2023/24: term 4 ends Thursday 28 March 2024, term 5 runs 15 April to 24 May with the
    # 6 May bank holiday closed. After Thursday 21 March: 22, 25, 26, 27, 28 March (5 days), then
    # from 15 April. Remaining: 5 + 29 (term 5) + 39 (term 6) = 73 days, ending 25 July 2024.
    ahead = year_ahead(load_policy("swindon").term_dates, SWINDON_EASTER)
    assert ahead.from_terms and ahead.end == date(2024, 7, 25) and len(ahead.days) == 73
    assert ahead.days[4] == date(2024, 3, 28) and ahead.days[5] == date(2024, 4, 15)
    assert date(2024, 5, 6) not in ahead.days


def test_a_swindon_pupil_recovers_after_easter_on_the_day_worked_out_by_hand():
    # From Monday 19 February 2024 (term 4): C 20 days present, 4 absent: 40 of 48 sessions.
    # 8 / (48 + 2d) < 10% needs 48 + 2d > 80: 17 days: 5 in March, 15-19, 22-26 April, 29 and
    # 30 April: 30 April 2024. D: 19 days present, 5 absent: 38 of 48 sessions. 10 / (48 + 2d)
    # < 10% needs 48 + 2d > 100: 27 days: 1, 2, 3, 7 May (6 May is closed), 8, 9, 10, 13, 14, 15 May.
    data = long_register({"C": present(20) + absent("O", 4), "D": present(19) + absent("O", 5)},
                         start=date(2024, 2, 19))
    result = run(data, "swindon", SWINDON_EASTER)
    c, d = pupil(result, "C")["recovery"], pupil(result, "D")["recovery"]
    assert (c["persistent_absence"]["days_needed"], c["persistent_absence"]["date"]) == (17, "2024-04-30")
    assert (d["persistent_absence"]["days_needed"], d["persistent_absence"]["date"]) == (27, "2024-05-15")
    assert c["term_dates"] is True and "holidays are not counted" not in c["sentence"]
    assert "at_risk" not in c  # Swindon's stage 2 is measured over 12 weeks, not the year


def test_without_terms_the_year_ends_on_the_last_weekday_of_july():
    # 31 July 2027 is a Saturday: the last weekday is Friday 30 July 2027.
    ahead = year_ahead(TermDates(), date(2027, 7, 1), days_so_far=0)
    assert ahead.end == date(2027, 7, 30) and not ahead.from_terms
    assert len(ahead.days) == 21  # 2 to 30 July 2027, weekdays


def test_a_pupil_with_no_concern_has_no_way_back_sentence():
    result = run(long_register({"A": present(30)}))
    assert pupil(result)["recovery"]["sentence"] is None
    assert not any(r.startswith("Way back") for r in pupil(result)["reasons"])


def _with_term_dates(text: str) -> str:
    policy, _name = policy_source("dfe-national")
    start = policy.index("[term_dates]")
    end = policy.index("\n\n", start)
    return policy[:start] + text + policy[end:]


def test_terms_that_end_before_they_start_or_overlap_are_rejected():
    text = _with_term_dates('[term_dates]\ndescription = "x"\nsource = "y"\nend_month = 13\n'
                             '[[term_dates.terms]]\nstart = 2024-09-02\nend = 2024-08-01\n'
                             '[[term_dates.terms]]\nstart = 2024-09-02\nend = 2024-10-25\n'
                             '[[term_dates.terms]]\nstart = 2024-10-21\nend = 2024-12-20\n')
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "p.toml")
    problems = "\n".join(caught.value.problems)
    assert "ends (2024-08-01) before it starts (2024-09-02)" in problems
    assert "terms overlap: 2024-09-02 to 2024-10-25 and 2024-10-21 to 2024-12-20" in problems
    assert "13 is not a month" in problems


def test_leaving_persistent_absence_means_attendance_above_90_and_leaving_stage_2_means_95_or_more(national):
    # Persistent absence is absence of 10% or more, so a pupil is out of it when attendance is above
    # 90% (never at exactly 90%); the national stage 2 is attendance below 95%, left at 95% or more.
    found = targets(national)
    assert found["persistent_absence"].attendance_after == "above 90%"
    assert found["at_risk"].attendance_after == "95% or more"


def _days_by_search(attended: int, possible: int, c, most: int = 5000) -> int | None:
    """days_needed found by trying each day in turn (None: not within `most` days)."""
    return next((d for d in range(most + 1) if not in_band(attended + 2 * d, possible + 2 * d, c)), None)


@pytest.mark.parametrize("measure", ["attendance_pct", "absence_pct"])
@pytest.mark.parametrize("compare", ["below", "at_most", "at_least", "above"])
@pytest.mark.parametrize("value", [10, 50, 90, 95, 95.5, 99.9])
def test_the_days_needed_are_the_first_day_the_condition_stops_holding(measure, compare, value):
    from attendtoolkit.policy.model import Condition, Threshold
    c = Condition(measure, compare, Threshold("t", value, "percent", "", ""))
    for possible in (1, 2, 7, 100, 101, 380):
        for attended in {0, 1, possible // 3, possible // 2, possible - 1, possible} - {-1}:
            found = days_needed(attended, possible, c)
            expected = _days_by_search(attended, possible, c)
            assert found == expected or (expected is None and (found is None or found > 5000)), (attended, possible)
