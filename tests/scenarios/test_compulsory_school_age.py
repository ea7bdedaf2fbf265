"""Compulsory school age from the date of birth (issue 14).

Education Act 1996, section 8: a child is of compulsory school age from the prescribed day on or after
their fifth birthday (the Education (Start of Compulsory School Age) Order 1998: 31 December, 31 March,
31 August) until the school leaving date (the last Friday in June, the Education (School Leaving Date)
Order 1997) of the school year they turn 16. Penalty notices and notices to improve are for parents
of pupils of compulsory school age only.
"""

from datetime import date

from attendtoolkit import load_policy

from ..conftest import MONDAY, absent, long_rows, present, pupil, run, to_csv

HEADER = ["UPN", "Date of birth", "Date", "Session", "Mark"]
TEN_G = present(5) + absent("G", 5) + present(10)  # 10 G sessions in the second school week


def register(born: str, marks: list[str], start: date = MONDAY) -> bytes:
    rows = [[r[0], born, *r[1:]] for r in long_rows({"A": marks}, start)]
    return to_csv(HEADER, rows)


def test_a_child_below_compulsory_school_age_gets_no_penalty_flag_and_no_notice_to_improve():
    # Born 10 February 2020: five on 10 February 2025, of compulsory school age from 31 March 2025.
    # In September 2024 the child is in reception and below compulsory school age.
    p = pupil(run(register("10/02/2020", TEN_G)))
    assert p["unauthorised"] == 10
    assert "penalty_notice_threshold" not in p["flags"]
    assert "notice-to-improve" not in p["letters"]
    assert not any("Notice to improve" in n for n in p["letter_notes"])
    assert p["compulsory_school_age"] == {"status": "below", "from": "2025-03-31", "until": "2036-06-27"}
    assert ("Legal measures not given (Penalty notice threshold, Close to the penalty threshold, Tell the "
            "local authority): the pupil is below compulsory school age until 31 March 2025 (the term after "
            "the fifth birthday). Source: Education Act 1996, section 8(2) and (3); the Education (Start of "
            "Compulsory School Age) Order 1998 sets the prescribed days as 31 December, 31 March and "
            "31 August.") in p["reasons"]


def test_the_same_register_for_a_child_of_compulsory_school_age_gives_the_penalty_flag():
    # Born 10 February 2019: of compulsory school age from 31 March 2024.
    p = pupil(run(register("10/02/2019", TEN_G)))
    assert p["compulsory_school_age"]["status"] == "of"
    assert "penalty_notice_threshold" in p["flags"]
    # The notice to improve is not withheld: it waits for the first concern letter (issue 12).
    assert any(n.startswith("Notice to improve comes after") for n in p["letter_notes"])


def test_flags_that_are_not_legal_measures_are_still_given_below_compulsory_school_age():
    # 10 absent of 40 possible = 25%: persistently absent whatever the age.
    p = pupil(run(register("10/02/2020", TEN_G)))
    assert "persistent_absence" in p["flags"]


def test_swindon_gives_its_early_years_stage_below_compulsory_school_age():
    p = pupil(run(register("10/02/2020", TEN_G), policy="swindon"))
    assert (p["stage"], p["stage_name"]) == ("EY", "Early years")
    assert p["reasons"][0] == ("Stage EY (Early years): below compulsory school age until 31 March 2025; "
                               "attendance 75.0% of 40 possible sessions.")
    assert p["letters"] == []


def test_a_child_who_reaches_compulsory_school_age_mid_year_is_counted_only_from_then():
    # Born 15 October 2019: five on 15 October 2024, of compulsory school age from 31 December 2024.
    # 10 G sessions in September (before that), then 2 weeks present from Monday 6 January 2025.
    autumn = long_rows({"A": TEN_G})
    spring = long_rows({"A": present(10)}, start=date(2025, 1, 6))
    data = to_csv(HEADER, [[r[0], "15/10/2019", *r[1:]] for r in autumn + spring])
    p = pupil(run(data))
    assert p["compulsory_school_age"] == {"status": "of", "from": "2024-12-31", "until": "2036-06-27"}
    assert "penalty_notice_threshold" not in p["flags"]
    assert "Legal measures count only sessions from 31 December 2024, when the pupil reached compulsory " \
           "school age." in p["reasons"]


def test_a_pupil_past_the_school_leaving_date_gets_no_penalty_flag():
    # Born 1 September 2008: 16 on 1 September 2024, so compulsory school age ends on the last Friday
    # in June 2025 (27 June). In September 2025 (year 12) legal measures no longer apply.
    p = pupil(run(register("2008-09-01", TEN_G, start=date(2025, 9, 1))))
    assert p["compulsory_school_age"]["status"] == "over" and p["compulsory_school_age"]["until"] == "2025-06-27"
    assert "penalty_notice_threshold" not in p["flags"]
    assert any("stopped being of compulsory school age after 27 June 2025" in r for r in p["reasons"])


def test_a_date_of_birth_that_is_not_a_date_is_reported_and_nothing_is_withheld():
    p = pupil(run(register("next June", TEN_G)))
    assert p["compulsory_school_age"] is None and "penalty_notice_threshold" in p["flags"]
    assert any("the date of birth 'next June' is not a date" in r for r in p["reasons"])


def test_the_start_is_the_first_prescribed_day_on_or_after_the_fifth_birthday():
    age = load_policy("dfe-national").compulsory_school_age
    assert age.starts(date(2019, 2, 10)) == date(2024, 3, 31)  # the IPSEA example: 10 February -> 31 March
    assert age.starts(date(2019, 12, 31)) == date(2024, 12, 31)  # a birthday on a prescribed day
    assert age.starts(date(2019, 9, 1)) == date(2024, 12, 31)
    assert age.starts(date(2019, 4, 1)) == date(2024, 8, 31)
    assert age.starts(date(2020, 2, 29)) == date(2025, 3, 31)  # 29 February counts as 1 March


def test_the_end_is_the_last_friday_in_june_of_the_school_year_the_pupil_turns_16():
    policy = load_policy("dfe-national")
    age, year = policy.compulsory_school_age, policy.school_year
    assert age.ends(date(2007, 9, 23), year) == date(2024, 6, 28)  # 16 on 23 September 2023
    assert age.ends(date(2008, 7, 15), year) == date(2024, 6, 28)  # 16 in the summer holiday: same June
    assert age.ends(date(2008, 6, 28), year) == date(2024, 6, 28)  # 16 on the leaving date itself
    assert age.ends(date(2008, 9, 1), year) == date(2025, 6, 27)  # 16 on the first day of the next year
