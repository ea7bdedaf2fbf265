"""Result components rendered once in Python (render/components.py): rows, index and pupil page."""

from __future__ import annotations

from attendtoolkit.render.components import (calculator_view, day, number, pct, pupil_index, pupil_rows, pupil_view,
                                            stage_label, stage_rank, summary)

from ..conftest import ROOT, absent, long_register, present, run, to_csv


def wide_register() -> bytes:
    header = ["UPN", "Forename", "Surname", "Year", "Mon 02/09/2024 AM", "Mon 02/09/2024 PM"]
    rows = [
        ["A", "Ann", "<script>alert(1)</script>", "7", "/", "\\"],
        ["B", "Ben", "Bell", "10", "O", "O"],
        ["C", "Cat", "Cole", "8", "/", "O"],
    ]
    return to_csv(header, rows)


def test_there_is_one_row_per_pupil_in_the_order_of_the_result():
    result = run(wide_register())
    rows = pupil_rows(result)
    assert len(rows) == len(result["pupils"]) == 3
    for i, (row, p) in enumerate(zip(rows, result["pupils"])):
        assert row.startswith(f'<tr data-i="{i}">') and row.endswith("</tr>")
        assert f">{p['pupil_id']}</button>" in row


def test_names_are_escaped_in_rows_and_in_the_pupil_page():
    result = run(wide_register())
    row = pupil_rows(result)[0]
    page = pupil_view(result["pupils"][0], result)
    for html in (row, page):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_index_holds_what_search_filters_and_sorting_need():
    result = run(wide_register())
    index = {row["id"]: row for row in pupil_index(result)}
    assert index["B"] == {"id": "B", "name": "Ben Bell", "stage": index["B"]["stage"], "rank": stage_rank(result["policy"], index["B"]["stage"]),
                          "attendance": 0.0, "recent": 0.0, "possible": 2, "flags": index["B"]["flags"],
                          "groups": {"year_group": "10"}}
    assert index["A"]["attendance"] == 100.0


def test_stage_rank_counts_from_the_first_stage_and_reserved_stages_rank_zero():
    policy = {"stages": [{"id": "1"}, {"id": "2"}, {"id": "3"}, {"id": "4"}]}
    assert [stage_rank(policy, s) for s in ("1", "4", "not_enough_data", "not_assessable")] == [1, 4, 0, 0]


def test_numbers_on_screen_have_thousands_separators_and_percentages_one_decimal_place():
    assert number(1500) == "1,500"
    assert number(142.5) == "142.5"
    assert number(380.0) == "380"
    assert number(None) == "–"
    assert pct(97.85714) == "97.9%"
    assert pct(None) == "–"


def test_the_pupil_page_gives_figures_reasons_codes_and_letters_by_title():
    data = run(to_csv(["UPN", "Date", "Session", "Mark"],
                      [["A", f"2024-09-{d:02d}", s, m] for d, s, m in
                       [(2, "AM", "/"), (2, "PM", "O"), (3, "AM", "O"), (3, "PM", "I")]]))
    pupil = data["pupils"][0]
    html = pupil_view(pupil, {"policy": data["policy"], "as_of": data["as_of"], "source": data["source"],
                              "letter_titles": {name: f"Title of {name}" for name in pupil["letters"]}})
    assert "Absent in other or unknown circumstances (unauthorised absence)" in html
    assert "Illness (not medical or dental appointment) (authorised absence)" in html
    for reason in pupil["reasons"]:
        assert reason.split(":")[0] in html
    for name in pupil["letters"]:
        assert f"Title of {name}" in html
    assert "Notes of the meeting" in html


def test_the_calculator_view_has_rows_index_and_the_group_columns_of_the_file():
    result = run((ROOT / "examples" / "register-wide.csv").read_bytes())
    view = calculator_view(result)
    assert len(view["rows"]) == len(view["index"]) == len(result["pupils"])
    years = next(g for g in view["groups"] if g["field"] == "year_group")
    assert years["values"] == sorted(years["values"], key=int)  # numeric order: 7 before 10


def test_the_summary_cards_give_the_figures_beside_the_published_figures():
    result = run((ROOT / "examples" / "register-wide.csv").read_bytes())
    html = summary(result)
    t = result["totals"]
    assert f'<span class="atk-card-figure">{t["pupils"]}</span>' in html
    assert f'<span class="atk-card-figure">{pct(t["attendance_pct"])}</span>' in html
    assert f'{t["by_flag"]["persistent_absence"]} pupils' in html
    national = next(c for c in result["comparisons"] if c.get("attendance_pct") is not None)
    assert f'{national["label"]}, {national["year"]}: {pct(national["attendance_pct"])}' in html
    assert f'<span class="atk-card-figure">{result["worklist"]["pupils"]}</span>' in html
    for group in result["worklist"]["groups"]:
        assert f'{group["label"]}: {group["count"]}' in html


def _sections(html: str) -> dict[str, str]:
    """Each results section by name (atk-section-NAME), headings as h2 (the calculator's are h3 under "Results")."""
    import re
    html = re.sub(r"<(/?)h3\b", r"<\1h2", html)
    sections = re.finditer(r'<section class="atk-section" id="atk-section-(\w+)".*?</section>', html, re.S)
    found = {m.group(1): m.group(0) for m in sections}
    summary = re.search(r'<section class="atk-summary".*?</section>', html, re.S)
    return {**found, "summary": summary.group(0)} if summary else found


def test_the_report_and_the_calculator_show_the_same_components_for_the_same_result():
    """One presentation path: summary, things to check, worklist and groups are the same HTML in both; the
    published figures differ only in their sources (links in the calculator, addresses as text in the report),
    and the worklist's continuing concerns only in where they are listed (the pupil table, or the CSV)."""
    import re
    from attendtoolkit.render.report import report_html
    data = run((ROOT / "examples" / "register-long.csv").read_bytes())
    data["warnings"] = data["warnings"] + ["A <b>warning</b> to check."]
    data["rejected"] = data["rejected"] + [{"row": 7, "column": "Mark", "reason": "Not a register code: 'Q'."}]
    calculator, report = _sections(calculator_view(data)["results"]), _sections(report_html(data))
    for name in ("summary", "checks", "cohorts"):
        assert calculator[name] == report[name], name
    continuing = re.compile(r'<p id="atk-worklist-continuing">.*?</p>', re.S)
    assert continuing.sub("", calculator["actions"]) == continuing.sub("", report["actions"])
    sources = re.compile(r'<ul class="atk-sources">.*?</ul>', re.S)
    assert sources.sub("", calculator["national"]) == sources.sub("", report["national"])
    assert set(calculator) == set(report) | {"pupils"}
    assert "&lt;b&gt;warning&lt;/b&gt;" in report["checks"]


def test_each_results_section_is_a_details_with_its_heading_in_the_summary():
    result = run((ROOT / "examples" / "register-long.csv").read_bytes())
    html = calculator_view(result)["results"]
    for name, section in _sections(html).items():
        if name == "summary":
            continue
        assert f'<details class="atk-collapse" open>\n<summary><h2 id="atk-{name}-heading">' in section, name
        assert f'<a href="#atk-{name}-heading">' in html, name


def test_a_long_worklist_starts_with_its_groups_closed_and_a_short_one_open():
    from attendtoolkit.render.components import OPEN_ROWS, worklist
    result = run((ROOT / "examples" / "register-long.csv").read_bytes())
    assert 0 < len(result["actions"]) <= OPEN_ROWS
    assert worklist(result).count('<details class="atk-group"') == len(result["worklist"]["groups"]) > 0
    def groups_open(data):
        return [" open>" in line for line in worklist(data).splitlines() if line.startswith('<details class="atk-group"')]
    assert all(groups_open(result))
    assert not any(groups_open({**result, "actions": result["actions"] * (OPEN_ROWS // len(result["actions"]) + 1)}))


def test_the_pupil_page_gives_the_stage_history_and_when_each_flag_began():
    # 2 weeks present, then 3 weeks absent: the pupil steps up as absence grows.
    data = run(long_register({"A": present(10) + absent("O", 15)}))
    pupil = data["pupils"][0]
    html = pupil_view(pupil, data)
    assert len(pupil["stage_history"]) >= 2
    for step in pupil["stage_history"]:
        assert f"{stage_label(data['policy'], step['stage'])} from the week of {day(step['week'])}" in html
    for name, week in pupil["since"]["flags"].items():
        assert f"(since the week of {day(week)})" in html


def test_the_report_and_the_calculator_draw_the_same_trend_chart():
    from attendtoolkit.render.components import trend_svg
    from attendtoolkit.render.report import report_html
    result = run((ROOT / "examples" / "register-wide.csv").read_bytes())
    t = result["trend"]
    chart = trend_svg(t["weeks"], t["all"], "Attendance week by week: All pupils")
    assert chart in calculator_view(result)["results"]
    assert chart in report_html(result)
    assert '<title id="atk-trend-title">Attendance week by week: All pupils</title>' in chart
    assert f"{len(t['weeks'])} school weeks." in chart


def test_the_trend_table_has_a_row_for_every_school_week_with_long_dates():
    from attendtoolkit.render.components import trend
    html = trend(["2024-09-02", "2024-09-09"], [{"possible": 2000, "attendance_pct": 95.0},
                                                {"possible": 0, "attendance_pct": None}], "Year group: 7")
    assert '<th scope="row">2 September 2024</th><td>2,000</td><td>95.0%</td>' in html
    assert '<th scope="row">9 September 2024</th><td>0</td><td>–</td>' in html
    assert "<caption>Attendance week by week: Year group: 7</caption>" in html


def test_the_sparkline_draws_each_school_week_with_sessions_and_says_its_figures_in_words():
    """Hand-worked: 10 of 10 sessions (100%), 6 of 10 (60%), a week without sessions (left out, so the
    line breaks there) and 5 of 10 (50%), the latest."""
    from attendtoolkit.render.components import sparkline
    weeks = ["2024-09-02", "2024-09-09", "2024-09-16", "2024-09-23"]
    svg, text = sparkline(weeks, {"possible": [10, 10, 0, 10], "attended": [10, 6, 0, 5]})
    assert text == ("3 school weeks with sessions, from the week of 2 September 2024. Lowest 50.0% (week of "
                    "23 September 2024), highest 100.0%, latest 50.0% (week of 23 September 2024).")
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3  # the lone last week is a dot
    assert 'role="img"' in svg and '<title id="atk-spark-title">Attendance week by week</title>' in svg
    assert sparkline(weeks, {"possible": [0, 0, 0, 0], "attended": [0, 0, 0, 0]}) is None


def test_the_pupil_page_has_the_sparkline_with_its_text_and_a_summary_file_has_none():
    result = run(long_register({"A": present(5) + absent("O", 5)}))
    html = pupil_view(result["pupils"][0], result)
    assert '<svg class="atk-spark"' in html and 'aria-describedby="atk-spark-text"' in html
    assert "Lowest 0.0% (week of 9 September 2024), highest 100.0%, latest 0.0%" in html
    summary = run(to_csv(["UPN", "Possible", "Present", "Authorised", "Unauthorised"], [["S", "10", "9", "1", "0"]]))
    assert "atk-spark" not in pupil_view(summary["pupils"][0], summary)


def test_the_worklist_heading_and_card_count_pupils_and_the_heading_gives_rows_when_a_pupil_is_in_two_groups():
    """A pupil can be newly flagged and have an unexplained absence to resolve in the same week: the
    card and the heading then say how many pupils, and the heading how many rows as well."""
    from attendtoolkit.render.components import summary, worklist
    # A: an N mark on Monday of week 7, 9 school days old, and absent (O) all of week 8: persistently
    # absent this week. B: absent all of week 8 too.
    result = run(long_register({"A": present(30) + ["N", "\\"] + present(4) + absent("O", 5),
                                "B": present(35) + absent("O", 5)}))
    pupils, rows = result["worklist"]["pupils"], result["worklist"]["rows"]
    assert (pupils, rows) == (2, 3)
    assert f"This week&#39;s worklist ({pupils} pupils in {rows} rows)</h3>" in worklist(result)
    assert "A pupil can be in more than one group." in worklist(result)
    once = {**result, "worklist": {**result["worklist"], "rows": pupils}}
    assert f"This week&#39;s worklist ({pupils} pupils)</h3>" in worklist(once)
    assert "more than one group" not in worklist(once)
    assert f'<span class="atk-card-figure">{pupils}</span> <span class="atk-card-note">pupils; ' in summary(result)
