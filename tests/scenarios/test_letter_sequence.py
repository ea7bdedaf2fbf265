"""Letters a school could send as they stand: one per pupil, in the policy's sequence, read
against the letter log, and none that warns a family about absence the school approved (issue 12).

Every pupil's register starts on Monday 2 September 2024; a pupil with 20 school days ends on
Friday 27 September 2024, the as-of date.
"""

from datetime import date

import pytest

from ..conftest import absent, long_register, present, pupil, run

PERSISTENT = present(18) + absent("O", 2)  # 36 of 40 sessions: 90.0%, persistently absent (stage 3)


def log(*rows: tuple[str, str, str]) -> bytes:
    return ("pupil_id,letter,date\n" + "".join(f"{p},{n},{d}\n" for p, n, d in rows)).encode()


def test_without_a_letter_log_a_persistently_absent_pupil_gets_the_first_concern_letter_not_the_second():
    """The second concern letter opens 'We wrote to you recently': it can only follow a first letter
    (the Knowsley Attendance Handbook 2021-2024 gives "Attendance letter 1" and "Attendance letter 2"
    as a pair, in that order, among the resources for its universal level)."""
    result = run(long_register({"A": PERSISTENT}))
    p = pupil(result)
    assert p["stage"] == "3" and p["letters"] == ["concern-1"]
    assert ("Attendance concern (second letter) comes after Attendance concern (first letter), which the "
            "letter log does not show as sent, so that letter comes first.") in p["letter_notes"]
    assert result["letter_log"]["file"] is None
    assert result["letter_log"]["note"].startswith("No letter log was given, so only letters that need no "
                                                   "earlier letter are suggested ('Praise for full attendance'")


def test_without_a_letter_log_the_note_counts_the_letters_and_says_which_concerns_are_not_new():
    """A school using the toolkit for the first time has no letter log, so a first concern letter is
    suggested for every pupil with a concern: right for a family never written to, but the note must
    say that older concerns may have had letters already. A: absent (O) the first 2 days, 16 of 20
    (80%) after week 2, persistently absent since the week of 9 September. B: absent the last 2 days,
    persistently absent from the week of 23 September. Compared with Friday 20 September, only A's
    concern began by then."""
    result = run(long_register({"A": absent("O", 2) + present(18), "B": PERSISTENT}))
    assert [p["letters"] for p in result["pupils"]] == [["concern-1"], ["concern-1"]]
    assert result["letter_log"]["suggested"] == {"concern-1": 2}
    assert result["letter_log"]["note"].endswith(
        "Suggested now: 2 'Attendance concern (first letter)'. For 1 of these pupils the concern began by "
        "20 September 2024, so your school may have written to them already. The toolkit knows only the letters "
        "in a log: if you have written to families before, list those letters in a letter log (pupil_id, letter, "
        "date) and add it, so that no family gets a first letter twice and the next letter in each sequence is "
        "suggested.")


def test_a_first_letter_sent_two_weeks_ago_gives_the_second_letter():
    """Policy data: concern-2 comes after concern-1, at least 2 weeks later (min_weeks_after = 2).
    Sent on Friday 13 September, the first letter is 14 days old on 27 September."""
    result = run(long_register({"A": PERSISTENT}), letters_sent=log(("A", "concern-1", "13/09/2024")))
    p = pupil(result)
    assert p["letters"] == ["concern-2"]
    assert p["letters_sent"] == [{"letter": "concern-1", "date": "2024-09-13"}]
    assert "One letter at a time: 'Invitation to an attendance improvement meeting' can follow." in p["letter_notes"]
    assert result["letter_log"]["file"] == "letters-sent.csv" and result["letter_log"]["letters"] == 1


def test_a_first_letter_sent_eleven_days_ago_means_no_letter_yet_and_says_when():
    result = run(long_register({"A": PERSISTENT}), letters_sent=log(("A", "concern-1", "2024-09-16")))
    p = pupil(result)
    assert p["letters"] == []
    assert ("Attendance concern (second letter) can follow from 30 September 2024: Attendance concern "
            "(first letter) was sent on 16 September 2024.") in p["letter_notes"]


def test_a_letter_sent_after_the_as_of_date_is_not_counted_as_sent():
    p = pupil(run(long_register({"A": PERSISTENT}), letters_sent=log(("A", "concern-1", "30/09/2024"))))
    assert p["letters"] == ["concern-1"] and p["letters_sent"] == []


def test_a_letter_without_repeat_weeks_is_not_sent_twice():
    """A stage 2 pupil (94%) who was sent the first concern letter gets nothing new while at stage 2."""
    marks = present(47) + absent("O", 3)  # 94 of 100 sessions; ends Friday 8 November 2024
    p = pupil(run(long_register({"A": marks}), letters_sent=log(("A", "concern-1", "04/10/2024"))))
    assert p["stage"] == "2" and p["letters"] == []
    assert "Attendance concern (first letter) was sent on 4 October 2024." in p["letter_notes"]


def test_one_letter_per_pupil_the_highest_step_that_applies():
    """A severely absent pupil at the penalty threshold: the policy names the attendance contract,
    the referral and the notice to improve; only the referral (step 8) is suggested."""
    p = pupil(run(long_register({"A": present(10) + absent("G", 10)})))
    assert "penalty_notice_threshold" in p["flags"] and p["stage"] == "4"
    assert p["letters"] == ["la-referral"]


def test_praise_never_goes_with_a_concern_letter():
    """Improved attendance at stage 3: the thank-you letter is held back, the concern letter goes."""
    # Weeks 1-6 at 80% (one day O each week): 48 of 60 sessions; weeks 7-12 at 100%: 60 of 60.
    # 108 of 120 is 90.0% overall: stage 3, and up 20 points in the last 6 weeks.
    marks = (present(4) + absent("O", 1)) * 6 + present(30)
    p = pupil(run(long_register({"A": marks})))
    assert "improved_attendance" in p["flags"] and p["stage"] == "3"
    assert p["letters"] == ["concern-1"]
    assert "Not sent with a concern letter: 'Praise for improved attendance'." in p["letter_notes"]


APPROVED = ["C", "C1", "C2", "E", "J1", "R", "S", "T", "H", "F"]


@pytest.mark.parametrize("code", APPROVED)
def test_no_concern_letter_when_all_absence_is_approved_by_the_school(code):
    """Knowsley Attendance Handbook, top tips: 'Ensure that warning letters aren't sent to parents of
    pupils with approved authorised absences or with known medical conditions that have prevented
    them from coming to school.' 4 sessions of 40 (90.0%) coded with the approved code: stage 3,
    review first, no letter."""
    p = pupil(run(long_register({"A": present(18) + absent(code, 2)})))
    assert p["stage"] == "3" and p["review_first"] and p["letters"] == []
    assert (f"Review first: all 4 sessions of absence are authorised by the school (4 coded {code}), so no "
            "concern or legal letter is suggested until someone has looked at the case.") in p["reasons"]
    assert "Held back until the case is reviewed: 'Attendance concern (second letter)', " \
           "'Invitation to an attendance improvement meeting'." in p["letter_notes"]


@pytest.mark.parametrize("code", ["I", "M"])
def test_no_concern_letter_when_all_absence_is_medical(code):
    p = pupil(run(long_register({"A": present(18) + absent(code, 2)})))
    assert p["review_first"] and p["letters"] == []


def test_one_unauthorised_session_among_approved_absence_means_no_review_first():
    """3 sessions coded C2 and 1 coded O: not all absence is approved, so the usual letter applies."""
    p = pupil(run(long_register({"A": present(18) + ["C2", "C2", "C2", "O"]})))
    assert not p["review_first"] and p["letters"] == ["concern-1"]


def test_the_approved_codes_are_policy_data_with_a_source(national):
    rules = national.letter_rules
    assert rules.approved_absence_codes == frozenset(APPROVED)
    assert rules.medical_codes == frozenset({"I", "M"})
    assert "Knowsley Attendance Handbook" in rules.source and "regulation 10" in rules.source


def test_the_letter_sequence_is_policy_data(national):
    concern_2 = national.letter_rules.letters["concern-2"]
    assert (concern_2.after, concern_2.min_weeks_after, concern_2.kind) == ("concern-1", 2, "concern")
    assert national.letter_rules.letters["praise-improved"].repeat_after_weeks == 6


def test_praise_can_be_sent_again_after_its_repeat_weeks():
    """Praise for full attendance repeats after 12 weeks (policy data): sent 6 September, again from
    29 November. The register runs to Friday 13 December 2024 (15 weeks with half term)."""
    marks = present(70)
    register = long_register({"A": marks}, closed_weeks=(date(2024, 10, 28),))
    p = pupil(run(register, letters_sent=log(("A", "praise", "06/09/2024"))))
    assert p["letters"] == ["praise"]
    p = pupil(run(register, as_of=date(2024, 11, 28), letters_sent=log(("A", "praise", "06/09/2024"))))
    assert p["letters"] == []
    assert ("Praise for full attendance was sent on 6 September 2024; it can be sent again from "
            "29 November 2024.") in p["letter_notes"]


# Ill (I) one day a week for 6 weeks (80%), then present every day. Attendance over the last 6 school
# weeks against the weeks before rises by 5 points or more from week 8 (the week of 21 October 2024:
# 52 of 60, 86.7%, against 16 of 20, 80.0%) and is still 5 or more in week 14 (the week of 2 December:
# 60 of 60 against 58 of 70, 82.9%). All absence is illness, so no concern letter goes with the praise.
IMPROVED = (present(4) + absent("I", 1)) * 6 + present(40)


def test_praise_for_improvement_is_not_sent_again_for_the_same_improvement():
    """Policy data: praise-improved has repeat_after_weeks = 6 and once_per_spell = true. Knowsley
    Attendance Handbook 2021-2024, top tips: 'Consider rewarding improved attendance, not just 100%'
    — one improvement, one thank-you. Sent on Friday 25 October 2024 for the improvement that began
    in the week of 21 October and still holds on Friday 6 December, 6 weeks later: not sent again."""
    register = long_register({"A": IMPROVED})
    p = pupil(run(register, letters_sent=log(("A", "praise-improved", "25/10/2024"))))
    assert "improved_attendance" in p["flags"] and p["letters"] == []
    assert ("Praise for improved attendance was sent on 25 October 2024, and what it was sent for has held "
            "since the week of 21 October 2024: it is sent again only when that has ended and begun again."
            ) in p["letter_notes"]


def test_praise_for_a_new_improvement_can_be_sent_after_the_repeat_weeks():
    """Sent on 6 September 2024, before this improvement began (the week of 21 October)."""
    p = pupil(run(long_register({"A": IMPROVED}), letters_sent=log(("A", "praise-improved", "06/09/2024"))))
    assert p["letters"] == ["praise-improved"]


def test_once_per_spell_is_policy_data(national):
    rules = national.letter_rules.letters
    assert rules["praise-improved"].once_per_spell and not rules["praise"].once_per_spell


def test_after_a_referral_to_the_local_authority_the_first_concern_letter_is_not_suggested_again():
    """A severely absent pupil whose referral (step 8) was sent on 20 September: the notice to
    improve still needs a first concern letter, but going back to the first letter after the case
    went to the local authority is not a letter a school would send. Nothing is suggested, and the
    notes say why."""
    p = pupil(run(long_register({"A": present(10) + absent("G", 10)}),
                  letters_sent=log(("A", "la-referral", "20/09/2024"))))
    assert p["stage"] == "4" and p["letters"] == []
    assert ("Attendance concern (first letter) is not suggested: Referral to the local authority, a later "
            "step, was sent on 20 September 2024.") in p["letter_notes"]


def test_a_first_concern_letter_is_still_suggested_when_only_praise_was_sent_before():
    """Praise is not part of the concern sequence: a pupil praised in September who is now
    persistently absent gets the first concern letter."""
    p = pupil(run(long_register({"A": PERSISTENT}), letters_sent=log(("A", "praise", "06/09/2024"))))
    assert p["letters"] == ["concern-1"]


AT_THRESHOLD = present(15) + absent("O", 5)  # 10 unauthorised sessions in 4 weeks: 30 of 40, 75.0%, stage 3


def test_after_a_notice_to_improve_no_concern_letter_goes_back_to_we_wrote_to_you_recently():
    """The notice to improve (step 6) is the last chance before a penalty notice. A second concern
    letter ('We wrote to you recently ... we are now concerned', step 5) or a meeting invitation
    (step 4) after it would step back in the sequence: neither is suggested, and the notes say why."""
    sent = log(("A", "concern-1", "06/09/2024"), ("A", "notice-to-improve", "20/09/2024"))
    p = pupil(run(long_register({"A": AT_THRESHOLD}), letters_sent=sent))
    assert p["stage"] == "3" and "penalty_notice_threshold" in p["flags"]
    assert p["letters"] == []
    assert p["letter_notes"] == [
        "Attendance concern (second letter) is not suggested: Notice to improve, a later step, was sent on "
        "20 September 2024.",
        "Invitation to an attendance improvement meeting is not suggested: Notice to improve, a later step, was "
        "sent on 20 September 2024.",
        "Notice to improve was sent on 20 September 2024."]




def test_a_meeting_invitation_can_still_follow_a_second_concern_letter():
    """The second concern letter says the school would like to meet; the invitation (a lower step,
    but a concern letter after a concern letter) still follows it."""
    sent = log(("A", "concern-1", "13/09/2024"), ("A", "concern-2", "20/09/2024"))
    p = pupil(run(long_register({"A": PERSISTENT}), letters_sent=sent))
    assert p["letters"] == ["meeting-invitation"]


# Support first (issue 12). One day (2 sessions) of unauthorised absence (O) every Friday for 12
# weeks, to Friday 22 November 2024: 96 of 120 sessions, 80.0% (stage 3), and 10 sessions of
# unauthorised absence within 5 school weeks (the penalty notice threshold from Friday 4 October).
EVERY_FRIDAY = (present(4) + absent("O", 1)) * 12
# The same for 5 weeks, then present every day for 5 weeks: no unauthorised absence after 4 October,
# and the last 10 school weeks (to 8 November) still hold the 10 sessions.
FIVE_FRIDAYS = (present(4) + absent("O", 1)) * 5 + present(25)


def test_a_notice_to_improve_follows_support_offered_that_has_not_worked():
    """DfE, Working together to improve school attendance (August 2024), national framework for
    penalty notices: a notice to improve is for where the national threshold has been met and
    support has been offered but not engaged with or has not worked. The log shows a concern letter
    (13 September) and an invitation to a meeting (4 October, 7 weeks before); the pupil has missed
    14 more sessions without authorisation since: the notice to improve is suggested."""
    sent = log(("A", "concern-1", "13/09/2024"), ("A", "meeting-invitation", "04/10/2024"))
    p = pupil(run(long_register({"A": EVERY_FRIDAY}), letters_sent=sent))
    assert p["stage"] == "3" and "penalty_notice_threshold" in p["flags"]
    assert p["letters"] == ["notice-to-improve"]


def test_no_notice_to_improve_when_there_has_been_no_unauthorised_absence_since_support_was_offered():
    """Support first: the threshold was met on 4 October, the day the meeting invitation went; since
    then the pupil has been present every day, so the support may be working: no notice to improve."""
    sent = log(("A", "concern-1", "13/09/2024"), ("A", "meeting-invitation", "04/10/2024"))
    p = pupil(run(long_register({"A": FIVE_FRIDAYS}), letters_sent=sent))
    assert "penalty_notice_threshold" in p["flags"] and "notice-to-improve" not in p["letters"]
    assert ("Notice to improve is not suggested: there has been no unauthorised absence since Invitation to an "
            "attendance improvement meeting was sent on 4 October 2024, so the support offered may be "
            "working.") in p["letter_notes"]


def test_no_notice_to_improve_before_support_has_been_offered_at_a_meeting():
    """Only a first concern letter in the log: the notice to improve needs the meeting invitation
    (support offered) first, and the second concern letter is the highest step that can go now."""
    p = pupil(run(long_register({"A": EVERY_FRIDAY}), letters_sent=log(("A", "concern-1", "13/09/2024"))))
    assert p["letters"] == ["concern-2"]
    assert ("Notice to improve comes after Invitation to an attendance improvement meeting, which the letter log "
            "does not show as sent, so that letter comes first.") in p["letter_notes"]


def test_a_notice_to_improve_waits_the_policys_weeks_after_the_meeting_invitation():
    """Policy data: [letters.notice-to-improve] min_weeks_after = 4 (local choice: time for the
    support agreed at the meeting to be tried). Invitation on 8 November: not before 6 December."""
    sent = log(("A", "concern-1", "13/09/2024"), ("A", "concern-2", "27/09/2024"),
               ("A", "meeting-invitation", "08/11/2024"))
    p = pupil(run(long_register({"A": EVERY_FRIDAY}), letters_sent=sent))
    assert p["letters"] == []
    assert ("Notice to improve can follow from 6 December 2024: Invitation to an attendance improvement meeting "
            "was sent on 8 November 2024.") in p["letter_notes"]


def test_support_first_is_policy_data_with_its_source(national):
    rule = national.letter_rules.rule("notice-to-improve")
    assert (rule.after, rule.min_weeks_after, rule.unauthorised_after) == ("meeting-invitation", 4, 1)


def test_the_notice_to_improve_does_not_say_the_concern_letters_it_outranks_can_follow():
    sent = log(("A", "concern-1", "13/09/2024"), ("A", "meeting-invitation", "04/10/2024"))
    p = pupil(run(long_register({"A": EVERY_FRIDAY}), letters_sent=sent))
    assert p["letters"] == ["notice-to-improve"]
    assert p["letter_notes"] == [
        "Invitation to an attendance improvement meeting was sent on 4 October 2024.",
        "Left out: 'Attendance concern (second letter)', which would not follow Notice to improve, a later step."]
