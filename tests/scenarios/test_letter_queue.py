"""The letter queue (issue 12): every suggested letter with its title, the pupil and why; letters
to one family or address together; only the ticked letters made; the ticked letters saved as a
letter log that the next run reads, so the next letter in the sequence is suggested.

Every pupil's register starts on Monday 2 September 2024; 20 school days end on Friday
27 September 2024.
"""

import csv
import io
import json

from attendtoolkit.browser import classify_file, letter_log_file, render_letters
from attendtoolkit.read.letter_log import read_letter_log
from attendtoolkit.render.letters import LetterSet, template_folders
from attendtoolkit.resources import read_text
from attendtoolkit.synthetic import school_days

from ..conftest import MONDAY, ROOT, absent, present, to_csv

PERSISTENT = present(18) + absent("O", 2)  # 90.0%: stage 3, first concern letter without a log
SEVERE = present(8) + absent("O", 12)  # 40.0%: severely absent, referral to the local authority
WELL = present(20)
EARLY = absent("O", 2) + present(18)  # 2 of the first 10 days absent: 80.0% on 13 September, 90.0% on 27 September
SCHOOL = json.dumps({"name": "Oak Tree School", "address": "1 School Lane", "head_teacher": "Mrs J Patel",
                     "attendance_lead": "Mr S Evans", "phone": "01234 567890", "email": "office@oak.example",
                     "letter_date": "2024-09-30"})


def register(pupils: dict[str, tuple[list[str], str, str]]) -> bytes:
    """A wide register: pupil id -> (marks, address, family); no address given is an address of their own."""
    width = max(len(m) for m, _a, _f in pupils.values())
    days = school_days(MONDAY, width // 2)
    header = ["UPN", "Forename", "Surname", "Parent name", "Address", "Family"] + [
        f"{d:%d/%m/%Y} {s}" for d in days for s in ("AM", "PM")]
    rows = [[pid, f"Pupil{pid}", "Test", "Ms Test", address or f"{pid} Oak Road", family] + marks for pid, (marks, address, family) in pupils.items()]
    return to_csv(header, rows)


def classify(data: bytes, as_of: str, log: bytes | None = None) -> dict:
    out = json.loads(classify_file(data, "register.csv", read_text("policy", "shipped", "dfe-national.toml"),
                                   "dfe-national.toml", as_of, log, "letters-sent.csv" if log else None,
                                   letters_json()))
    assert out["ok"], out.get("error")
    return out


def letters_json() -> str:
    return json.dumps(LetterSet.from_folders(template_folders(ROOT)).as_json())


def queue_rows(out: dict) -> list[tuple[str | None, str, str]]:
    return [(g["together"], row["pupil_id"], row["letter"]) for g in out["queue"] for row in g["letters"]]


def test_each_suggested_letter_has_its_title_the_pupil_and_why():
    out = classify(register({"A": (PERSISTENT, "1 Elm Road", ""), "B": (WELL, "2 Elm Road", "")}), "2024-09-27")
    assert queue_rows(out) == [(None, "A", "concern-1"), (None, "B", "praise")]
    row = out["queue"][0]["letters"][0]
    assert (row["pupil_id"], row["name"], row["letter"], row["title"]) == (
        "A", "PupilA Test", "concern-1", "Attendance concern (first letter)")
    assert row["why"].startswith("Stage 3 (Intensive support: persistently absent): absence 10.0% of 40 possible")


def test_letters_to_one_address_are_together_most_serious_letter_first():
    """A and C live at 4 Mill Close (written differently); B's referral comes between them in order of seriousness."""
    out = classify(register({"A": (PERSISTENT, "4 Mill Close", ""), "B": (SEVERE, "9 Church Lane", ""),
                             "C": (PERSISTENT, "4, Mill  close", "")}), "2024-09-27")
    assert queue_rows(out) == [(None, "B", "la-referral"), ("4 Mill Close", "A", "concern-1"),
                               ("4 Mill Close", "C", "concern-1")]


def test_a_family_column_groups_letters_whatever_the_addresses():
    out = classify(register({"A": (PERSISTENT, "4 Mill Close", "F7"), "B": (PERSISTENT, "8 Park Avenue", "F7"),
                             "C": (PERSISTENT, "4 Mill Close", "F9")}), "2024-09-27")
    assert queue_rows(out) == [("Family F7", "A", "concern-1"), ("Family F7", "B", "concern-1"),
                               (None, "C", "concern-1")]


def test_only_the_ticked_letters_are_made():
    out = classify(register({"A": (PERSISTENT, "", ""), "B": (PERSISTENT, "", ""), "C": (SEVERE, "", "")}),
                   "2024-09-27")
    made = json.loads(render_letters(None, SCHOOL, letters_json(), None,
                                     json.dumps([["A", "concern-1"], ["C", "la-referral"]])))
    rows = list(csv.DictReader(io.StringIO(made["merge_csv"])))
    assert made["count"] == 2 and [(r["pupil_id"], r["letter"]) for r in rows] == [("A", "concern-1"),
                                                                                  ("C", "la-referral")]


def test_nothing_ticked_is_a_message_not_every_letter():
    out = classify(register({"A": (PERSISTENT, "", "")}), "2024-09-27")
    made = json.loads(render_letters(None, SCHOOL, letters_json(), None, "[]"))
    assert not made["ok"] and made["error"].startswith("No letters are ticked.")


def test_the_saved_log_gives_the_second_letter_two_weeks_later():
    """Policy data: concern-2 comes after concern-1, at least 2 weeks later (min_weeks_after = 2).
    Ticked and recorded on Friday 13 September, the first letter is 14 days old on 27 September;
    a letter already in the log loaded with the file stays in the saved log."""
    data = register({"A": (EARLY, "", ""), "B": (EARLY, "", "")})
    earlier = b"pupil_id,letter,date\nZ,concern-1,2024-09-02\n"
    first = classify(data, "2024-09-13", earlier)
    assert [(r[1], r[2]) for r in queue_rows(first)] == [("A", "concern-1"), ("B", "concern-1")]
    saved = letter_log_file(json.dumps([["A", "concern-1"]]), "2024-09-13")
    assert saved == "pupil_id,letter,date\r\nZ,concern-1,2024-09-02\r\nA,concern-1,2024-09-13\r\n"
    assert read_letter_log(saved.encode(), "saved.csv").rejected == []
    later = classify(data, "2024-09-27", saved.encode())
    assert [(r[1], r[2]) for r in queue_rows(later)] == [("A", "concern-2"), ("B", "concern-1")]
    assert "Attendance concern (first letter) was sent" not in " ".join(r["why"] for g in later["queue"] for r in g["letters"])
