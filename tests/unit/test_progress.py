"""analyse's progress steps (api.py): what is heard, in order, and first figures that are the final ones."""

from attendtoolkit import analyse
from attendtoolkit.render.components import first_figures
from attendtoolkit.synthetic import generate, long_csv, wide_csv


def heard(data: bytes, policy: str = "dfe-national"):
    steps = []
    result = analyse(data, "school.csv", policy, progress=lambda step, info: steps.append((step, info)))
    return steps, result


def test_progress_is_heard_in_order_and_the_result_is_the_same_as_without_it():
    data = wide_csv(generate(250, 40, seed=5)).encode()
    steps, result = heard(data)
    names = [s for s, _ in steps]
    assert names[:2] == ["read", "headline"] and names[-1] == "preparing"
    assert [info["done"] for s, info in steps if s == "classified"] == [100, 200, 250]
    assert steps[0][1] == {"pupils": 250, "rows": 250}
    assert result == analyse(data, "school.csv", "dfe-national")


def test_the_first_figures_are_the_results_own_for_each_shipped_policy():
    """The summary cards shown early (pupils, sessions, attendance, persistent and severe absence)
    must not change when the full results arrive."""
    data = long_csv(generate(120, 50, seed=9)).encode()
    for policy in ("dfe-national", "knowsley", "swindon"):
        steps, result = heard(data, policy)
        first = dict(steps)["headline"]
        assert first["worklist"] is None
        for key in ("pupils", "pupils_with_sessions", "possible", "attendance_pct", "persistent_absence_pct",
                    "severe_absence_pct"):
            assert first["totals"][key] == result["totals"][key], (policy, key)
        for name, count in first["totals"]["by_flag"].items():
            assert count == result["totals"]["by_flag"][name], (policy, name)
        assert first["comparisons"] == result["comparisons"] and first["school_phase"] == result["school_phase"]


def test_the_first_figures_are_the_results_heading_and_summary_with_the_worklist_still_to_come():
    steps, result = heard(wide_csv(generate(60, 30, seed=2)).encode())
    html = first_figures(dict(steps)["headline"])
    assert html.startswith('<h2 id="atk-results-heading" tabindex="-1">Results</h2>')
    assert html.count('<li class="atk-card') == 5 and "Being worked out" in html
    assert "atk-section-links" not in html and "atk-download-csv" not in html
