"""Letters: every template renders its examples, data is escaped, missing fields are named,
the policy decides which letters a pupil gets, and the figures are the engine's."""

from datetime import date
from html import unescape

import pytest

from attendtoolkit.render.letters import (MERGE_FIELDS, UPSTREAM_LETTERS, LetterError, LetterSet, check_fields, merge_csv, merge_fields,
                                   plan, render_html, school_from_toml, template_folders)

from ..conftest import ROOT, absent, long_register, present, run

LETTERS = LetterSet.from_folders(template_folders(ROOT))
# The example school, its letters dated 16 December 2024 (the example register ends on 13 December).
SCHOOL = {**school_from_toml((ROOT / "examples" / "school.toml").read_text()), "letter_date": "2024-12-16"}
EXPECTED = {"concern-1", "concern-2", "meeting-invitation", "notice-to-improve", "attendance-contract",
            "la-referral", "praise", "praise-improved"}


def register_with_parents(pupils: dict[str, list[str]], names: dict[str, str] | None = None) -> bytes:
    """A long register with forename and parent/carer name columns."""
    data = long_register(pupils).decode().splitlines()
    out = ["UPN,Forename,Parent/Carer Name,Date,Session,Mark"]
    for line in data[1:]:
        pupil_id, rest = line.split(",", 1)
        forename = (names or {}).get(pupil_id, f"Child {pupil_id}")
        out.append(f"{pupil_id},{forename},Parent of {pupil_id},{rest}")
    return ("\n".join(out) + "\n").encode()


def test_every_letter_the_source_documents_name_has_a_template():
    """Letters named in the Knowsley Attendance Handbook 2021-2024 (attendance letters 1 and 2, the
    Attendance Improvement Meeting, the parenting contract, praise for good attendance), the Swindon
    Attendance Strategy 2022-2025 (praise for pupils who step down a stage) and Working together to
    improve school attendance, August 2024 (the notice to improve, the attendance contract, telling the
    local authority)."""
    assert set(LETTERS.templates) == EXPECTED


@pytest.mark.parametrize("name,example", [(n, e) for n, t in sorted(LETTERS.templates.items()) for e in t.examples])
def test_every_template_renders_each_of_its_examples(name, example):
    letter = LETTERS.example(name, example)
    html = render_html([letter], LETTERS)
    assert html.count('class="atk-letter"') == 1
    assert "None" not in html and "{{" not in html
    assert letter.fields["parent_name"] in html


def test_every_template_describes_itself():
    for t in LETTERS.templates.values():
        assert t.title and t.purpose and t.when and t.requires and t.examples


def test_merge_fields_are_exactly_the_documented_ones():
    result = run(register_with_parents({"A": present(20)}))
    assert tuple(merge_fields(result["pupils"][0], result, SCHOOL)) == MERGE_FIELDS


def test_a_name_with_a_script_tag_is_escaped():
    data = register_with_parents({"A": present(15) + absent("O", 5)}, {"A": "<script>alert(1)</script>"})
    result = run(data)
    html = render_html(plan(result, LETTERS, SCHOOL), LETTERS)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_missing_field_fails_naming_the_field_and_the_pupils():
    result = run(long_register({"A": present(15) + absent("O", 5), "B": present(10) + absent("G", 10)}))
    with pytest.raises(LetterError) as err:
        render_html(plan(result, LETTERS, SCHOOL), LETTERS)
    assert "parent name is missing for 2 pupils: A, B" in str(err.value)


def test_missing_school_details_are_named():
    result = run(register_with_parents({"A": present(15) + absent("O", 5)}))
    school = dict(SCHOOL, phone="")
    with pytest.raises(LetterError, match="school phone is missing for 1 pupil"):
        check_fields(plan(result, LETTERS, school), LETTERS)


def test_the_policy_maps_stages_and_flags_to_one_letter_each_without_a_letter_log():
    result = run(register_with_parents({
        "S1": present(19) + absent("O", 1),   # 95%: stage 1, no letter
        "S2": present(47) + absent("O", 3),   # 94%: stage 2
        "S3": present(18) + absent("O", 2),   # 90%: stage 3: the second letter needs the first
        "S4": present(10) + absent("G", 10),  # 50%: stage 4: the referral needs no earlier letter
        "FULL": present(20),                  # 100%: praise
    }))
    letters = {p["pupil_id"]: (p["stage"], p["letters"]) for p in result["pupils"]}
    assert letters["S1"] == ("1", [])
    assert letters["S2"] == ("2", ["concern-1"])
    assert letters["S3"] == ("3", ["concern-1"])
    assert letters["S4"] == ("4", ["la-referral"])
    assert letters["FULL"] == ("1", ["praise"])


def test_no_letter_when_all_absence_is_illness_or_medical():
    result = run(register_with_parents({"A": present(14) + absent("I", 5) + ["M", "M"]}))
    pupil = result["pupils"][0]
    assert pupil["stage"] == "3" and pupil["letters"] == [] and pupil["review_first"]
    assert ("Review first: all 12 sessions of absence are illness or medical appointments (10 coded I, "
            "2 coded M), so no concern or legal letter is suggested until someone has looked at the case."
            ) in pupil["reasons"]


def test_the_time_missed_in_a_letter_matches_the_engine():
    result = run(register_with_parents({"A": present(16) + absent("O", 3) + ["I", "\\"]}))
    pupil = result["pupils"][0]
    html = render_html(plan(result, LETTERS, SCHOOL, only="concern-1"), LETTERS)
    assert pupil["days_missed"] == 3.5 and pupil["lessons_missed"] == 17.5
    assert "<strong>3½ days</strong>" in html and "<strong>18 lessons</strong>" in html
    assert "Between 2 September 2024 and 27 September 2024" in html


def test_a_council_copy_of_a_letter_takes_precedence(tmp_path):
    council = tmp_path / "council" / "letters"
    council.mkdir(parents=True)
    text = (UPSTREAM_LETTERS / "praise.html").read_text().replace("Well done", "Brilliant work")
    (council / "praise.html").write_text(text)
    letters = LetterSet.from_folders(template_folders(tmp_path))
    assert "Brilliant work" in render_html([letters.example("praise", "typical")], letters)


def test_the_merge_csv_has_a_row_per_letter_and_safe_cells():
    data = register_with_parents({"A": present(20)}, {"A": "=cmd"})
    rows = merge_csv(plan(run(data), LETTERS, SCHOOL)).splitlines()
    assert rows[0].startswith("letter,title,school_name") and len(rows) >= 2
    assert ",'=cmd," in rows[-1]


def test_an_unknown_letter_is_named():
    with pytest.raises(LetterError, match="no letter called 'thanks'"):
        plan(run(register_with_parents({"A": present(20)})), LETTERS, SCHOOL, only="thanks")


def test_school_details_with_an_unknown_key_are_refused():
    with pytest.raises(LetterError, match="unknown key"):
        school_from_toml('[school]\nname = "x"\nfax = "1"\n')


def test_letter_date_defaults_to_today():
    result = run(register_with_parents({"A": present(20)}))
    fields = merge_fields(result["pupils"][0], result, {"name": "x"}, today=date(2025, 1, 6))
    assert fields["letter_date"] == "6 January 2025"


def test_a_concern_letter_says_in_days_when_attendance_will_be_back_if_the_pupil_can_still_recover():
    # The 51-day case: 80 of 100 sessions by 8 November 2024, attendance above 90% (out of
    # persistent absence) after 51 full school days, on 20 January 2025.
    result = run(register_with_parents({"A": present(40) + absent("O", 10)}, {"A": "Nia"}))
    html = render_html(plan(result, LETTERS, SCHOOL, only="meeting-invitation"), LETTERS)
    assert ("<p>If Nia attends every day from now, their attendance will be above 90% on 20 January 2025 "
            "(51 school days).</p>") in html


def test_a_letter_has_no_way_back_sentence_when_the_pupil_cannot_recover_this_year():
    # 100 days present then 50 absent: 351 school days needed to leave persistent absence, 40 left.
    result = run(register_with_parents({"A": present(100) + absent("O", 50)}, {"A": "Nia"}))
    letter = plan(result, LETTERS, dict(SCHOOL, letter_date="2025-03-31"), only="concern-1")[0]
    assert letter.fields["way_back"] is None
    assert "every day from now" not in render_html([letter], LETTERS)


@pytest.mark.parametrize("example", sorted(LETTERS.templates["notice-to-improve"].examples))
def test_each_notice_to_improve_example_shows_a_pupil_above_its_own_trigger(example):
    """The notice to improve comes when the penalty notice threshold is reached: 10 sessions of
    unauthorised absence within 10 school weeks (DfE, Working together to improve school attendance,
    August 2024, national framework for penalty notices). An example below it would teach the wrong rule."""
    from attendtoolkit.policy.load import load_policy
    trigger = load_policy("dfe-national").thresholds["penalty_notice_sessions"].value
    fields = LETTERS.example("notice-to-improve", example).fields
    assert int(fields["unauthorised_sessions"]) >= trigger


THRESHOLD = present(10) + absent("O", 10)  # 20 unauthorised sessions in the first 4 weeks: past the threshold


def notice(school: dict, log: bytes | None = None) -> str:
    result = run(register_with_parents({"A": THRESHOLD}), letters_sent=log)
    return render_html(plan(result, LETTERS, school, only="notice-to-improve"), LETTERS)


def test_a_notice_to_improve_has_each_part_the_national_framework_asks_for():
    """Working together to improve school attendance (August 2024), national framework for penalty
    notices: a notice to improve gives the attendance record and offences, the benefits of attendance
    and the parent's duty (section 7, Education Act 1996), the support so far, further support, a
    warning of a penalty notice or prosecution, an improvement period of 3 to 6 weeks, what sufficient
    improvement is, and the grounds for a penalty notice before the period ends. The letter date is
    16 December 2024, so 4 weeks end on 13 January 2025."""
    html = notice(SCHOOL, b"pupil_id,letter,date\nA,concern-1,2024-09-16\n")
    for part in ("20 sessions of unauthorised absence</strong>",
                 "reached 10 sessions within 10 school weeks",
                 "section 7 of the Education Act 1996",
                 "Meetings with the attendance lead, a place at breakfast club, and a referral to early help.",
                 "We have also written to you: Attendance concern (first letter) on 16 September 2024.",
                 "to arrange a meeting at a time that suits you",
                 "<strong>4 weeks</strong>, from 16 December 2024 to <strong>13 January 2025</strong>",
                 "no further unauthorised absence, and attendance of 95% or more over the improvement period.",
                 "may issue a penalty notice, or consider prosecution",
                 "A penalty notice may be issued before 13 January 2025 if it becomes clear"):
        assert part in html


@pytest.mark.parametrize("weeks", [2, 7, "six"])
def test_an_improvement_period_outside_3_to_6_weeks_is_refused_naming_the_field(weeks):
    with pytest.raises(LetterError) as err:
        notice(dict(SCHOOL, improvement_weeks=weeks))
    assert (f"- improvement period (weeks) (school details) must be a whole number from 3 to 6, not '{weeks}': "
            "the national framework for penalty notices sets an improvement period of between 3 and 6 weeks."
            ) in str(err.value)


@pytest.mark.parametrize("weeks", [3, 6, "5"])
def test_an_improvement_period_of_3_to_6_weeks_is_used(weeks):
    assert f"<strong>{weeks} weeks</strong>" in notice(dict(SCHOOL, improvement_weeks=weeks))


def test_missing_notice_details_are_named_as_the_school_details_form_names_them():
    school = {k: v for k, v in SCHOOL.items() if k not in ("sufficient_improvement", "improvement_weeks")}
    with pytest.raises(LetterError) as err:
        notice(school)
    assert "- improvement period (weeks) (school details) is missing for 1 pupil: A" in str(err.value)
    assert "- what sufficient improvement means (school details) is missing for 1 pupil: A" in str(err.value)


def test_letters_dated_before_the_end_of_the_register_are_refused_saying_what_to_change():
    """A register to Friday 13 September 2024 and letters dated Thursday 12 September: each letter
    would report attendance up to a day after its own date. Dated 13 September, they are made."""
    result = run(register_with_parents({"A": present(4) + absent("O", 6)}))
    assert result["as_of"] == "2024-09-13"
    with pytest.raises(LetterError) as err:
        plan(result, LETTERS, dict(SCHOOL, letter_date="2024-09-12"))
    assert str(err.value) == (
        "The letter date, 12 September 2024, is before the last day of the register the letters report on "
        "(13 September 2024), so every letter would be dated before its own figures. Change letter_date in the "
        "school details to the day you will send the letters, or leave it out to use today's date.")
    assert plan(result, LETTERS, dict(SCHOOL, letter_date="2024-09-13"))


def test_a_letter_gives_the_recent_weeks_when_they_are_worse_than_the_whole_period():
    """Knowsley's level 2: attendance below 95% for the year and over the last 6 school weeks. Ill (I)
    one day in week 1, present to week 9, then absent one day in week 10 (I) and one in week 11 (O):
    weeks 6 to 11 (7 October to 15 November 2024) hold 60 possible sessions, 56 attended = 93.3%; the
    whole period 104 of 110 = 94.5%. A letter giving only 94.5% would not say why it was sent; it
    gives both figures."""
    marks = absent("I", 1) + present(44) + absent("I", 1) + present(4) + absent("O", 1) + present(4)
    result = run(register_with_parents({"A": marks}, {"A": "Isla"}), policy="knowsley")
    pupil = result["pupils"][0]
    assert (pupil["attendance_pct"], pupil["windows"]["6"]["attendance_pct"]) == (104 / 110 * 100, 56 / 60 * 100)
    assert pupil["stage"] == "2" and pupil["letters"] == ["concern-1"]
    html = unescape(render_html(plan(result, LETTERS, dict(SCHOOL, letter_date="2024-11-18")), LETTERS))
    assert ("Their attendance is 94.5%. In the last 6 school weeks, from 7 October 2024 to 15 November 2024, "
            "Isla's attendance was 93.3%.</p>") in html


def test_a_letter_has_no_recent_weeks_sentence_when_they_are_no_worse_than_the_whole_period():
    result = run(register_with_parents({"A": absent("O", 5) + present(45)}, {"A": "Isla"}))
    letter = plan(result, LETTERS, SCHOOL, only="concern-1")[0]
    assert letter.fields["recent_attendance"] is None


def test_the_second_concern_letter_gives_the_date_of_the_first_instead_of_recently():
    """'We wrote to you recently' is not true of a first letter sent in October and followed up in
    June; with the letter log, the second letter names the first and its date."""
    marks = present(18) + absent("O", 2)  # 36 of 40 sessions: 90.0%, persistently absent on 27 September
    result = run(register_with_parents({"A": marks}, {"A": "Nia"}), letters_sent=b"pupil_id,letter,date\nA,concern-1,2024-09-06\n")
    html = unescape(render_html(plan(result, LETTERS, dict(SCHOOL, letter_date="2024-09-30")), LETTERS))
    assert result["pupils"][0]["letters"] == ["concern-2"]
    assert ("<p>We have written to you about Nia's attendance before: Attendance concern (first letter) on "
            "6 September 2024. We are sorry to say it has not improved, and we are now concerned.</p>") in html


def test_the_improvement_period_counts_calendar_weeks_as_the_national_framework_writes_it():
    """The national framework for penalty notices (DfE, Working together to improve school attendance,
    August 2024) asks a notice to improve for "a clear timeframe for the improvement period of between
    3 and 6 weeks": weeks, where the threshold beside it says "10 school weeks". So 4 weeks from a
    letter dated Monday 14 October 2024 end on Monday 11 November 2024, half term (the week of
    28 October) included; the letter shows the dates, so the family knows the period either way."""
    html = notice(dict(SCHOOL, letter_date="2024-10-14", improvement_weeks=4))
    assert "<strong>4 weeks</strong>, from 14 October 2024 to <strong>11 November 2024</strong>" in html


def test_praise_for_improvement_gives_the_years_attendance_so_it_does_not_read_as_if_all_is_well():
    """Knowsley Attendance Handbook: pupils with improving attendance are rewarded and encouraged to
    maintain it, while it is made clear that improvement is expected. Unauthorised absence (O) 2 days
    a week for 10 weeks, 1 day in week 11, none in week 12: 70.0% over the last 6 weeks against
    60.0% before, and 78 of 120 (65.0%) for the year, which the letter states."""
    marks = (present(3) + absent("O", 2)) * 10 + present(4) + absent("O", 1) + present(5)
    result = run(register_with_parents({"A": marks}, {"A": "Isla"}), as_of=date(2024, 11, 22))
    html = unescape(render_html(plan(result, LETTERS, dict(SCHOOL, letter_date="2024-11-25"),
                                     only="praise-improved"), LETTERS))
    assert "Isla's attendance for the school year so far is 65.0%: each week like the last few raises it." in html


def test_a_letter_description_read_again_is_its_own_copy_and_a_changed_one_is_read_anew():
    files = {"praise.html": "<p>Well done</p>", "praise.toml": 'title = "Well done"\npurpose = "p"\nwhen = "w"\n'}
    first = LetterSet.from_files(files)
    first.templates["praise"].examples["changed"] = True
    again = LetterSet.from_files(files)
    assert again.templates["praise"].title == "Well done" and again.templates["praise"].examples == {}
    changed = LetterSet.from_files({**files, "praise.toml": files["praise.toml"].replace("Well done", "Bravo")})
    assert changed.templates["praise"].title == "Bravo"
