"""The JSON and CSV contract shared by the CLI, the browser and the tests."""

import csv
import io
import json

import pytest

from attendtoolkit.results.csv_writer import result_csv

from ..conftest import absent, long_register, present, run, to_csv

PUPIL_KEYS = {"pupil_id", "possible", "present", "aea", "authorised", "unauthorised", "late_before_close",
              "late_after_close", "attendance_pct", "stage", "flags", "reasons"}
TOTAL_KEYS = {"possible", "present", "aea", "authorised", "unauthorised", "attendance_pct", "absence_pct",
              "authorised_pct", "unauthorised_pct", "pupils", "persistent_absence_pct", "severe_absence_pct"}


def test_json_has_the_contract_fields():
    result = run(long_register({"A": present(20)}))
    assert {"as_of", "policy", "totals", "pupils", "rejected", "warnings"} <= result.keys()
    assert "name" in result["policy"]
    assert TOTAL_KEYS <= result["totals"].keys()
    assert PUPIL_KEYS <= result["pupils"][0].keys()
    json.dumps(result)  # serialisable as it is


def test_each_pupil_has_sessions_possible_and_attended_in_each_school_week_of_the_trend():
    """Hand-worked: A is present all of the week of 2 September 2024 (10 of 10 sessions), absent
    (O) on Monday and Tuesday of the next week and present on the other three days (6 of 10); B joins
    on 9 September, so has no possible sessions in the first week. A summary file has no weeks."""
    data = long_register({"A": present(5) + absent("O", 2) + present(3)})
    data += b"".join(f"B,2024-09-{d:02d},{s},/\r\n".encode() for d in range(9, 14) for s in ("AM", "PM"))
    result = run(data)
    weekly = {p["pupil_id"]: p["weekly"] for p in result["pupils"]}
    assert result["trend"]["weeks"] == ["2024-09-02", "2024-09-09"]
    assert weekly["A"] == {"possible": [10, 10], "attended": [10, 6]}
    assert weekly["B"] == {"possible": [0, 10], "attended": [0, 10]}
    summary = run(to_csv(["UPN", "Possible", "Present", "Authorised", "Unauthorised"], [["S", "10", "9", "1", "0"]]))
    assert summary["pupils"][0]["weekly"] is None


def test_percentages_are_not_rounded():
    result = run(long_register({"A": present(29) + ["/", "O"]}))
    assert result["pupils"][0]["attendance_pct"] == 59 / 60 * 100


def test_rejected_rows_carry_row_column_and_reason():
    data = to_csv(["UPN", "Date", "Session", "Mark"], [["A", "02/09/2024", "AM", "?"]])
    assert run(data)["rejected"] == [{"row": 2, "column": "Mark",
                                      "reason": "'?' is not a register code. Use a code from the 2024 code "
                                                "table (for example / \\ L M I O N U)."}]


def test_csv_has_one_row_per_pupil_with_pupil_columns():
    data = to_csv(["UPN", "Forename", "Year", "Date", "Session", "Mark"],
                  [["A", "Amy", "7", "02/09/2024", "AM", "O"], ["B", "Ben", "8", "02/09/2024", "AM", "/"]])
    rows = list(csv.DictReader(io.StringIO(result_csv(run(data)))))
    assert [(r["pupil_id"], r["forename"], r["year_group"]) for r in rows] == [("A", "Amy", "7"), ("B", "Ben", "8")]
    assert rows[0]["flags"] == "persistent_absence; severe_absence"


def test_csv_neutralises_spreadsheet_formulas():
    names = ["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "Amy"]
    rows = [[f"P{i}", name, "02/09/2024", "AM", "/"] for i, name in enumerate(names)]
    data = to_csv(["UPN", "Forename", "Date", "Session", "Mark"], rows)
    out = list(csv.DictReader(io.StringIO(result_csv(run(data)))))
    # Leading tab/CR are trimmed when read; the rest must start with a quote mark.
    assert [r["forename"] for r in out[:4]] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-1", "'@SUM(A1)"]
    assert out[6]["forename"] == "Amy"


def test_identical_input_gives_identical_json():
    data = long_register({"A": present(10) + absent("O", 3), "B": present(13)})
    assert json.dumps(run(data)) == json.dumps(run(data))


def test_csv_percentages_are_rounded_to_one_decimal_place_and_the_json_keeps_full_precision():
    result = run(long_register({"A": present(29) + ["/", "O"]}))  # 59 of 60 sessions
    assert result["pupils"][0]["attendance_pct"] == 59 / 60 * 100
    row = next(csv.DictReader(io.StringIO(result_csv(result))))
    assert (row["attendance_pct"], row["absence_pct"], row["authorised_pct"]) == ("98.3", "1.7", "0.0")


def test_csv_files_written_by_the_cli_start_with_a_byte_order_mark_for_excel(tmp_path):
    from attendtoolkit.cli import main
    register = tmp_path / "r.csv"
    register.write_bytes(to_csv(["UPN", "Forename", "Date", "Session", "Mark"], [["A", "Zoë", "02/09/2024", "AM", "/"]]))
    assert main(["classify", str(register), "--format", "csv", "-o", str(tmp_path / "out.csv")]) == 0
    assert main(["classify", str(register), "-o", str(tmp_path / "out.json")]) == 0
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbfpupil_id,")
    assert "Zoë" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "out.json").read_bytes().startswith(b"{")


def test_the_csv_gives_the_way_back_from_persistent_absence_after_the_existing_columns():
    # The 51-day case (test_recovery): 80 of 100 sessions as of 8 November 2024, out of persistent
    # absence after 51 full days, on 20 January 2025; 140 school days left. Attending all of them:
    # (80 + 280) / (100 + 280) = 94.7%. The last 6 weeks: 20 present and 10 absent days, 40 of 60
    # sessions; at that rate (80 + 280 * 2/3) / 380 = 270.2 / 380 = 70.2%.
    result = run(long_register({"A": present(40) + absent("O", 10)}))
    text = result_csv(result)
    header = text.splitlines()[0].split(",")
    assert header[header.index("reasons") + 1:header.index("best_year_end_pct") + 1] == [
        "days_to_leave_persistent_absence", "date_out_of_persistent_absence", "out_of_persistent_absence_this_year",
        "projected_year_end_pct", "best_year_end_pct"]
    row = next(csv.DictReader(io.StringIO(text)))
    assert [row[c] for c in header[header.index("reasons") + 1:header.index("best_year_end_pct") + 1]] == ["51", "2025-01-20", "yes", "70.2", "94.7"]


def test_a_pupil_who_cannot_leave_persistent_absence_this_year_shows_no_in_the_csv():
    # 100 days present then 50 absent (test_recovery): 351 days needed, 40 left.
    row = next(csv.DictReader(io.StringIO(result_csv(run(long_register({"A": present(100) + absent("O", 50)}))))))
    assert (row["days_to_leave_persistent_absence"], row["date_out_of_persistent_absence"],
            row["out_of_persistent_absence_this_year"]) == ("351", "", "no")


def test_the_json_written_a_piece_at_a_time_is_the_json_text_byte_for_byte():
    """A council's results (over a gigabyte for 230,000 pupils) are written to the file as they are
    encoded; the file must be exactly what the calculator downloads."""
    import io

    from attendtoolkit import analyse
    from attendtoolkit.results.contract import json_text, write_json
    from attendtoolkit.synthetic import generate, long_csv
    result = analyse(long_csv(generate(40, 30)).encode("utf-8"), "r.csv")
    written = io.StringIO()
    write_json(result, written)
    assert written.getvalue() == json_text(result)


@pytest.mark.parametrize("policy", ["dfe-national", "swindon", "knowsley"])
@pytest.mark.parametrize("with_log", [False, True], ids=["no letter log", "letter log"])
def test_results_streamed_a_pupil_at_a_time_are_the_json_text_byte_for_byte(policy, with_log):
    """classify -o makes each pupil's results as they are written, and the worklist and letter
    counts after them; the file must still be exactly the results the calculator downloads."""
    from attendtoolkit import analyse
    from attendtoolkit.results.contract import json_text, write_json
    from attendtoolkit.synthetic import generate, long_csv
    data = long_csv(generate(60, 70, seed=4)).encode("utf-8")
    log = b"pupil_id,letter,date\nP00001,concern-1,2024-10-01\nP00002,concern-1,2024-10-01\n" if with_log else None
    whole = analyse(data, "r.csv", policy, letters_sent=log)
    assert whole["actions"] and whole["letter_log"]["suggested"]  # the parts made after the pupils are not empty
    streamed = analyse(data, "r.csv", policy, letters_sent=log, stream=True)
    written = io.StringIO()
    write_json(streamed, written)
    assert written.getvalue() == json_text(whole)


def test_streamed_results_hold_one_pupils_json_at_a_time(monkeypatch):
    """Memory for a council: the second pupil's results are not made until the first is written."""
    from attendtoolkit import analyse
    from attendtoolkit.results import contract, indented_json
    from attendtoolkit.synthetic import generate, long_csv
    made = []
    real = contract.pupil_json
    monkeypatch.setattr(contract, "pupil_json", lambda p, *a: made.append(p.pupil_id) or real(p, *a))
    streamed = analyse(long_csv(generate(20, 30)).encode("utf-8"), "r.csv", stream=True)
    assert made == []
    text = ""
    for piece in indented_json.pieces(streamed):
        text += piece
        if '"pupils": [' in text and '"P00001"' in text:
            break
    assert made == ["P00001"]


def test_streamed_pupils_are_made_with_the_cycle_collector_paused(monkeypatch):
    """A council's pupils are made while write_json writes them; a cycle collection then scans every
    object held so far (a quarter of the writing time at 64,000 pupils), so it is paused, and on again after."""
    import gc
    from attendtoolkit import analyse
    from attendtoolkit.results import contract
    from attendtoolkit.synthetic import generate, long_csv
    collecting = []
    real = contract.pupil_json
    monkeypatch.setattr(contract, "pupil_json", lambda p, *a: collecting.append(gc.isenabled()) or real(p, *a))
    streamed = analyse(long_csv(generate(5, 30)).encode("utf-8"), "r.csv", stream=True)
    assert gc.isenabled() and collecting == []
    contract.write_json(streamed, io.StringIO())
    assert collecting == [False] * 5
    assert gc.isenabled()


def test_classify_to_a_file_writes_what_classify_prints(tmp_path, capsys):
    from attendtoolkit.cli import main
    from attendtoolkit.synthetic import generate, long_csv
    register = tmp_path / "register.csv"
    register.write_text(long_csv(generate(30, 40)), encoding="utf-8")
    assert main(["classify", str(register), "--format", "json"]) == 0
    printed = capsys.readouterr().out
    assert main(["classify", str(register), "-o", str(tmp_path / "out.json")]) == 0
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == printed
    assert "30 pupils" in capsys.readouterr().err  # the summary, read from the streamed results
