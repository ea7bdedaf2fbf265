"""The letter log: a CSV of letters already sent, read row by row, each row used or rejected with
its row, column and what to do (issue 12)."""

import json

import pytest

from attendtoolkit.cli import main
from attendtoolkit.read.letter_log import LetterLogError, read_letter_log

from ..conftest import absent, long_register, present

KNOWN = {"concern-1", "concern-2"}


def test_each_row_is_used_or_rejected_with_a_reason():
    data = ("Pupil ID,Letter,Date sent\n"
            "A,concern-1,13/09/2024\n"
            "\n"
            ",concern-1,13/09/2024\n"
            "B,concern-3,13/09/2024\n"
            "C,concern-1,31/09/2024\n").encode()
    log = read_letter_log(data, "sent.csv", KNOWN)
    assert [(s.letter, s.day.isoformat(), s.row) for s in log.by_pupil["A"]] == [("concern-1", "2024-09-13", 2)]
    assert log.rows == 4
    assert [(r.row, r.column) for r in log.rejected] == [(4, "Pupil ID"), (5, "Letter"), (6, "Date sent")]
    assert log.rejected[1].reason == "'concern-3' is not a letter in this policy. Use one of: concern-1, concern-2."
    assert log.rejected[2].reason == ("'31/09/2024' is not a date: there is no 31 September 2024. Write the day the "
                                        "letter was sent like 14/03/2025 or 2025-03-14.")


def test_a_log_without_a_date_column_is_explained():
    with pytest.raises(LetterLogError, match="sent.csv: the letter log has no date column"):
        read_letter_log(b"pupil_id,letter\nA,concern-1\n", "sent.csv", KNOWN)


def test_the_cli_reads_the_letter_log_for_classify_and_letters(tmp_path, capsys):
    register = tmp_path / "register.csv"
    register.write_bytes(long_register({"A": present(18) + absent("O", 2)}))
    sent = tmp_path / "sent.csv"
    sent.write_text("pupil_id,letter,date\nA,concern-1,2024-09-13\nA,concern-9,2024-09-13\n", encoding="utf-8")
    assert main(["classify", str(register), "--letters-sent", str(sent)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pupils"][0]["letters"] == ["concern-2"]
    assert data["letter_log"]["file"] == "sent.csv" and len(data["letter_log"]["rejected"]) == 1
    assert "sent.csv: 1 row of the letter log was not used" in data["warnings"][-1]
    assert data["letter_log"]["note"] == ("Letters already sent are read from sent.csv. 1 row of it was not used: the "
                                          "warnings (on the calculator's page, Things to check) say which and why.")


def test_without_a_log_the_letters_command_says_why_only_first_letters_are_made(tmp_path, capsys):
    register = tmp_path / "register.csv"
    register.write_bytes(long_register({"A": present(18) + absent("O", 2)}).replace(b"UPN,", b"UPN,Forename,Parent Name,", 1)
                         .replace(b"\r\nA,", b"\r\nA,Amira,Ms Khan,"))
    school = tmp_path / "school.toml"
    school.write_text('name = "Oak"\naddress = "1 Lane"\nhead_teacher = "H"\nattendance_lead = "L"\n'
                      'phone = "1"\nemail = "e@x.invalid"\n', encoding="utf-8")
    out = tmp_path / "letters.html"
    assert main(["letters", str(register), "--school", str(school), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Wrote 1 letter for 1 pupil" in err and "No letter log was given" in err
    assert "We are writing because Amira has missed some school" in out.read_text()


def test_a_missing_log_file_is_an_error_for_people(tmp_path, capsys):
    register = tmp_path / "register.csv"
    register.write_bytes(long_register({"A": present(20)}))
    assert main(["classify", str(register), "--letters-sent", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv: cannot open the file" in capsys.readouterr().err
