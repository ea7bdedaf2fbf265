"""A council's pupils made on several cores: the same results file, byte for byte, as one core makes."""

import io
import os

import pytest

from attendtoolkit import analyse
from attendtoolkit import in_parts
from attendtoolkit.results import contract, indented_json
from attendtoolkit.results.contract import json_text, write_json
from attendtoolkit.synthetic import generate, long_csv, wide_csv

pytestmark = pytest.mark.native  # os.fork: the command line, never Pyodide


def written(data: dict) -> str:
    out = io.StringIO()
    write_json(data, out)
    return out.getvalue()


@pytest.fixture
def parallel_from_one(monkeypatch):
    """Every register counts as a council's, so small ones are made in parts too."""
    from attendtoolkit import api
    monkeypatch.setattr(api, "PARALLEL_FROM", 1)


@pytest.mark.parametrize("policy", ["dfe-national", "knowsley"])
@pytest.mark.parametrize("workers", [2, 3, 7])
@pytest.mark.parametrize("engine", ["python", "pandas"])
def test_pupils_made_in_several_processes_give_the_json_text_byte_for_byte(parallel_from_one, policy, workers,
                                                                              engine):
    """The worklist's rows and the letter counts gathered in each process are added in the pupils'
    order, so the actions, worklist and letter log are those of one process too."""
    data = long_csv(generate(41, 70, seed=5)).encode("utf-8")
    log = b"pupil_id,letter,date\nP00001,concern-1,2024-10-01\nP00030,concern-1,2024-10-01\n"
    whole = analyse(data, "r.csv", policy, letters_sent=log)
    assert whole["actions"] and whole["letter_log"]["suggested"]
    parts = analyse(data, "r.csv", policy, letters_sent=log, stream=True, workers=workers, engine=engine)
    assert written(parts) == json_text(whole)


def test_fewer_pupils_than_processes_still_gives_every_pupil_once(parallel_from_one):
    data = long_csv(generate(2, 30, seed=2)).encode("utf-8")
    assert written(analyse(data, "r.csv", stream=True, workers=5)) == json_text(analyse(data, "r.csv"))


def test_the_other_processes_make_their_pupils_at_the_same_time_as_this_one(parallel_from_one, monkeypatch):
    """Each part after the first is made by another process: this one makes only the first part's pupils."""
    made_here = []
    real = contract.pupil_json
    pid = os.getpid()
    monkeypatch.setattr(contract, "pupil_json",
                        lambda p, *a: (os.getpid() == pid and made_here.append(p.pupil_id)) or real(p, *a))
    data = long_csv(generate(10, 30, seed=3)).encode("utf-8")
    text = written(analyse(data, "r.csv", stream=True, workers=2))
    assert made_here == [f"P{i:05d}" for i in range(1, 6)]
    assert text.count('"pupil_id": ') >= 10


def test_a_failure_in_another_process_is_raised_here(parallel_from_one, monkeypatch):
    """An error while making a part elsewhere is not lost: the same exception is raised in this process."""
    pid = os.getpid()
    real = contract.pupil_json

    def failing(p, *a):
        if os.getpid() != pid:
            raise ValueError(f"cannot make {p.pupil_id}")
        return real(p, *a)
    monkeypatch.setattr(contract, "pupil_json", failing)
    data = long_csv(generate(6, 30, seed=3)).encode("utf-8")
    with pytest.raises(ValueError, match="cannot make P00004"):
        written(analyse(data, "r.csv", stream=True, workers=2))


def test_without_fork_everything_is_made_in_this_process(parallel_from_one, monkeypatch):
    monkeypatch.setattr(in_parts, "can_fork", lambda: False)
    made_here = []
    real = contract.pupil_json
    monkeypatch.setattr(contract, "pupil_json", lambda p, *a: made_here.append(p.pupil_id) or real(p, *a))
    data = long_csv(generate(8, 30, seed=3)).encode("utf-8")
    assert written(analyse(data, "r.csv", stream=True, workers=4)) == json_text(analyse(data, "r.csv"))
    assert len(made_here) == 16  # 8 streamed here, 8 for the whole results


def test_a_school_register_is_made_in_one_process():
    """Below PARALLEL_FROM pupils the cost of starting processes is not worth it."""
    from attendtoolkit import api
    data = long_csv(generate(12, 30, seed=3)).encode("utf-8")
    result = analyse(data, "r.csv", stream=True, workers=4)
    assert len(data) and api.PARALLEL_FROM > 12
    assert not callable(result["pupils"].items)


@pytest.mark.parametrize("engine", ["python", "pandas"])
def test_pupils_classified_in_several_processes_give_the_same_results(parallel_from_one, monkeypatch, engine):
    from attendtoolkit.engine import classify as classify_module
    classified_here = []
    real = classify_module._classify_pupil
    pid = os.getpid()

    def counted(m, *a):
        if os.getpid() == pid:
            classified_here.append(m.pupil.pupil_id)
        return real(m, *a)
    data = long_csv(generate(30, 70, seed=6)).encode("utf-8")
    whole = analyse(data, "r.csv", "knowsley", engine=engine)
    monkeypatch.setattr(classify_module, "_classify_pupil", counted)
    parts = analyse(data, "r.csv", "knowsley", engine=engine, workers=3)
    assert json_text(parts) == json_text(whole)
    assert classified_here == [f"P{i:05d}" for i in range(1, 11)]


@pytest.mark.parametrize("policy", ["dfe-national", "knowsley"])
@pytest.mark.parametrize("engine", ["python", "pandas"])
@pytest.mark.parametrize("pupils, days, seed", [(23, 95, 8), (40, 60, 13)])
def test_one_two_or_three_processes_write_the_same_json_text(parallel_from_one, policy, engine, pupils, days, seed):
    """The numpy checks (rules met, each week's stage and flags, sessions by week for the trend) are
    made a part of the pupils at a time in the part's own process: the text is the one process's."""
    data = wide_csv(generate(pupils, days, seed=seed)).encode("utf-8") if seed % 2 else \
        long_csv(generate(pupils, days, seed=seed)).encode("utf-8")
    whole = json_text(analyse(data, "r.csv", policy))
    for workers in (1, 2, 3):
        assert written(analyse(data, "r.csv", policy, stream=True, workers=workers, engine=engine)) == whole, workers


def test_each_process_checks_the_rules_of_its_own_part_at_once(parallel_from_one, monkeypatch):
    """This process checks only the first part's pupils with numpy, now and at every past week; the
    other parts are checked where they are classified and written, so nothing per pupil is handed back."""
    from attendtoolkit.engine import batch
    pid, here = os.getpid(), {"checked": [], "past_weeks": []}

    def counted(name):
        real = getattr(batch, name)

        def checking(calendar, pupil_ids, *a):
            if os.getpid() == pid:
                here[name].extend(pupil_ids)
            return real(calendar, pupil_ids, *a)
        monkeypatch.setattr(batch, name, checking)
    counted("checked"), counted("past_weeks")
    data = long_csv(generate(12, 40, seed=4)).encode("utf-8")
    text = written(analyse(data, "r.csv", stream=True, workers=3, engine="pandas"))
    assert here == {"checked": [f"P{i:05d}" for i in range(1, 5)], "past_weeks": [f"P{i:05d}" for i in range(1, 5)]}
    assert text == json_text(analyse(data, "r.csv"))


def test_each_process_makes_its_own_parts_figures_and_this_one_makes_the_others_meanwhile(parallel_from_one,
                                                                                            monkeypatch):
    """A pupil's figures (PupilMetrics) are made where the pupil is classified; this process makes
    the other parts' figures, which it needs for the totals, while those processes finish."""
    from attendtoolkit.engine import classify as classify_module
    pid, made = os.getpid(), {}
    real = classify_module.PupilMetrics

    def noted(pupil, *a, **k):
        made.setdefault(os.getpid() == pid, []).append(pupil.pupil_id)
        return real(pupil, *a, **k)
    monkeypatch.setattr(classify_module, "PupilMetrics", noted)
    calls = []
    real_each_part = in_parts.each_part
    monkeypatch.setattr(classify_module, "each_part", lambda items, fn, parts, meanwhile=None: real_each_part(
        items, fn, parts, lambda: calls.append(list(made[True])) or meanwhile()))
    data = long_csv(generate(12, 40, seed=4)).encode("utf-8")
    text = written(analyse(data, "r.csv", stream=True, workers=3))
    assert calls == [[f"P{i:05d}" for i in range(1, 5)]]  # this process's part, before the others
    assert made[True] == [f"P{i:05d}" for i in range(1, 13)]  # and then the others, each once
    assert text == json_text(analyse(data, "r.csv"))


@pytest.mark.parametrize("engine", ["python", "pandas"])
def test_the_groups_and_trend_are_made_once_and_by_the_pandas_engine_while_the_other_processes_finish(
        parallel_from_one, monkeypatch, engine):
    """The pandas engine's weekly figures are numpy arrays, so the cohort groups and weekly trend are
    made after this process's pupils, while it waits for the others; the pure engine's come from
    each pupil's weekly counts, so they are made first, before those are forgotten."""
    pid, events = os.getpid(), []
    real_pupil_json, real_groups = contract.pupil_json, contract.cohorts_and_trend
    monkeypatch.setattr(contract, "pupil_json", lambda p, *a: (os.getpid() == pid and events.append("pupil"))
                        or real_pupil_json(p, *a))
    monkeypatch.setattr(contract, "cohorts_and_trend", lambda result: events.append("groups") or real_groups(result))
    data = long_csv(generate(12, 40, seed=6)).encode("utf-8")
    text = written(analyse(data, "r.csv", stream=True, workers=2, engine=engine))
    assert events.count("groups") == 1
    assert events.index("groups") == (6 if engine == "pandas" else 0)  # after this process's 6 pupils, or first
    assert text == json_text(analyse(data, "r.csv"))


@pytest.mark.parametrize("copy_file_range", ["works", "refused", "stops short"])
def test_pupils_written_by_other_processes_are_copied_into_a_file_as_they_are(parallel_from_one, monkeypatch,
                                                                              tmp_path, copy_file_range):
    """A UTF-8 file gets the other processes' text as its bytes (by the system's copy_file_range, or
    read and written where the system will not copy between the two); any other stream gets it as text."""
    real, copied = os.copy_file_range, []

    def copying(*args):
        if copy_file_range == "refused":
            raise OSError(22, "Invalid argument")
        if copy_file_range == "stops short":  # some file systems copy less, then say 0 before the end
            source, target, count = args
            copied.append(real(source, target, min(count, 10)) if not copied else 0)
            return copied[-1]
        copied.append(real(*args))
        return copied[-1]
    monkeypatch.setattr(os, "copy_file_range", copying)
    pupils = generate(9, 30, seed=7)
    for p in pupils[5:]:
        p["forename"] = "Zoë Ōtā 名"  # written by another process
    data = long_csv(pupils).encode("utf-8")
    expected = json_text(analyse(data, "r.csv"))
    path = tmp_path / "results.json"
    with path.open("w", encoding="utf-8", newline="") as f:
        write_json(analyse(data, "r.csv", stream=True, workers=2), f)
    assert path.read_text(encoding="utf-8") == expected
    assert "Zoë Ōtā 名" in expected
    assert (sum(copied) > 0) == (copy_file_range != "refused")
    with path.open("w", encoding="utf-16", newline="") as f:
        write_json(analyse(data, "r.csv", stream=True, workers=2), f)
    assert path.read_text(encoding="utf-16") == expected
