"""The pandas engine gives exactly the pure-Python engine's results, mess included."""

import contextlib
import json
import subprocess
import sys
from datetime import date
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendtoolkit import RegisterError, analyse
from attendtoolkit.engine.grid import spread
from attendtoolkit.engine.metrics import PupilMetrics
from attendtoolkit.results.contract import json_text
from attendtoolkit.synthetic import generate, long_csv, wide_csv

from ..conftest import to_csv
from .test_batch_rules import from_runs

MESSY_LONG = (
    "\ufeffUPN,Forename,Year,Date,Session,Mark\n"
    "A,Amy,7,02/09/2024,AM,/\n"
    "A,,7,02/09/2024,PM,h\n"
    "\n"
    "A,Amy,7,02/09/2024,am,O\n"       # different mark for a session already seen
    "A,Amy,7,02/09/2024,AM,/\n"       # exact repeat
    ",Bo,8,03/09/2024,AM,/\n"         # no pupil ID
    ",,,,,\n"                         # blank row
    "B,Bo,8,09/30/2024,AM,/\n"        # US date
    "B,Bo,8,03/09/2024,noon,/\n"      # bad session
    "B,Bo,8,03/09/2024,PM,-\n"        # not a code
    "B,,8,03/09/2024,AM,j\n"          # legacy code
    "C,Cy,9,2024-09-03,PM\n"          # short row: mark missing
    "B,Bo,8,13/09/2024,AM,Y\n"       # day first (so the US date above is one bad row)
)
MESSY_WIDE = (
    "UPN;Forename;02/09/2024 AM;02/09/2024 PM;Mon 2024-09-09 AM;Notes\n"
    "A;Amy;/;;O;x\n"
    ";;;;;\n"
    "B;Bo;?;\\;H;\n"
    "A;Amy;/;I;N;\n"                  # pupil A again: a repeat, a new session, a clash
    ";Cy;/;/;/;\n"
)


def both(data: bytes, policy: str = "dfe-national") -> tuple[str, str]:
    results = []
    for engine in ("python", "pandas"):
        results.append(json.dumps(analyse(data, "test.csv", policy, engine=engine), indent=1))
    return results[0], results[1]


@pytest.mark.parametrize("text", [MESSY_LONG, MESSY_WIDE], ids=["long", "wide"])
def test_messy_files_give_identical_results(text):
    python, pandas = both(text.encode("utf-8"))
    assert python == pandas
    assert json.loads(python)["rejected"]  # the mess was seen, not skipped


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("form", [long_csv, wide_csv], ids=["long", "wide"])
@pytest.mark.parametrize("policy", ["dfe-national", "swindon", "knowsley"])
def test_generated_registers_give_identical_results(seed, form, policy):
    python, pandas = both(form(generate(60, 70, seed=seed)).encode("utf-8"), policy)
    assert python == pandas


def test_long_rows_with_more_cells_than_the_header_are_read_the_same_by_both_engines():
    data = b"UPN,Date,Session,Mark\nA,02/09/2024,AM,/\nA,02/09/2024,PM,\\,extra\n"
    python, pandas = both(data)
    assert python == pandas and json.loads(python)["pupils"][0]["possible"] == 2


@pytest.mark.parametrize("before", [b"\r", b"\r\n", b"\n\n"], ids=["bare CR", "CRLF", "two blank lines"])
def test_blank_lines_before_the_header_lose_no_row_in_either_engine(before):
    """Found by the reader's property test: with a bare carriage return before the header, pandas
    dropped the first data row and numbered the others one row too low."""
    data = before + b"UPN,Date,Session,Mark\nA,02/09/2024,AM,/\nA,02/09/2024,PM,N\nA,03/09/2024,AM,/\n"
    python, pandas = both(data)
    assert python == pandas
    assert json.loads(pandas)["pupils"][0]["possible"] == 3 and json.loads(pandas)["source"]["data_rows"] == 3


def test_the_core_works_without_pandas(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(MESSY_LONG, encoding="utf-8")
    code = ("import sys; sys.modules['pandas'] = None; sys.modules['numpy'] = None\n"
            "from attendtoolkit.cli import main\n"
            f"sys.exit(main(['classify', {str(path)!r}, '--format', 'csv']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("pupil_id,")


@pytest.mark.parametrize("seed", [1, 2])
def test_pandas_own_parser_reads_a_plain_long_register_as_the_column_reader_does(seed, monkeypatch):
    """The pandas engine reads a plain long file by columns; its own parser, used for every other
    long file, must give the same results on a plain one too."""
    from attendtoolkit.read import register as register_module
    data = long_csv(generate(60, 70, seed=seed)).encode("utf-8")
    by_columns = json.dumps(analyse(data, "test.csv", engine="pandas"))
    monkeypatch.setattr(register_module._LongReader, "fill_plain", lambda self, register, data=None: False)
    assert json.dumps(analyse(data, "test.csv", engine="pandas")) == by_columns


RUN_CODES = ["/", "\\", "L", "U", "N", "G", "O", "I", "M", "C2", "E", "Z", "#", "X", "Y1", "D", "B"]


@given(plans=st.lists(st.tuples(st.integers(0, 30), st.lists(st.tuples(st.sampled_from(RUN_CODES), st.integers(1, 25)),
                                                             min_size=1, max_size=6)), min_size=1, max_size=5),
       repeated=st.lists(st.integers(0, 10_000), max_size=4), details=st.booleans(),
       policy=st.sampled_from(["dfe-national", "swindon", "knowsley"]), rnd=st.randoms(use_true_random=False))
def test_both_engines_give_the_same_json_for_any_generated_register(plans, repeated, details, policy, rnd):
    """Runs of a code for up to 25 school days (long runs of N and G among them), joiners, codes
    that are not possible sessions (Z, X, Y1, D, #), a half term, rows given twice and any row
    order: the pandas engine's JSON is the pure engine's, byte for byte."""
    rows = [[f"P{i:02d}", *(["Amy", "9"] if details else []), day.strftime("%d/%m/%Y"), session, code]
            for i, (joins, runs) in enumerate(plans) for day, session, code in from_runs(joins, runs)]
    rows += [rows[k % len(rows)] for k in repeated if rows]
    rnd.shuffle(rows)
    header = ["UPN", *(["Forename", "Year"] if details else []), "Date", "Session", "Mark"]
    data = to_csv(header, rows)
    python, pandas = (json_text(analyse(data, "r.csv", policy, engine=engine)) for engine in ("python", "pandas"))
    assert python == pandas


@given(plans=st.lists(st.tuples(st.integers(0, 30), st.lists(st.tuples(st.sampled_from(RUN_CODES), st.integers(1, 25)),
                                                             min_size=1, max_size=6)), min_size=1, max_size=5),
       born=st.lists(st.sampled_from(["", "01/08/2020", "01/02/2020", "15/10/2019", "05/05/2014", "01/08/2009",
                                      "01/01/2009", "01/01/2008", "not a date"]), min_size=5, max_size=5))
def test_both_engines_give_the_same_json_for_pupils_of_any_age(plans, born):
    """Dates of birth below, reaching, of and past compulsory school age during the register (legal
    flags are decided at once only where the pupil's age leaves every session in), none or not a
    date: the pandas engine's JSON is the pure engine's, byte for byte."""
    rows = [[f"P{i:02d}", born[i], day.strftime("%d/%m/%Y"), session, code]
            for i, (joins, runs) in enumerate(plans) for day, session, code in from_runs(joins, runs)]
    data = to_csv(["UPN", "Date of birth", "Date", "Session", "Mark"], rows)
    python, pandas = (json_text(analyse(data, "r.csv", engine=engine)) for engine in ("python", "pandas"))
    assert python == pandas


def test_the_pandas_engine_writes_each_pupils_absence_pattern_from_its_parts_weekly_totals(monkeypatch):
    """The part's absence by weekday and next to a break is counted for all its pupils at once
    (engine/batch.py); no pupil's is counted again from its row when its results are made."""
    from attendtoolkit.engine.metrics import PupilMetrics
    from attendtoolkit.results import contract
    counted, making = [], []
    real_pattern, real_json = PupilMetrics.absence_pattern, contract._pattern

    def noted(self, weeks):
        if making and ("pattern", weeks) not in self._figures:
            counted.append(self.pupil.pupil_id)
        return real_pattern(self, weeks)
    monkeypatch.setattr(PupilMetrics, "absence_pattern", noted)
    monkeypatch.setattr(contract, "_pattern", lambda m: (making.append(1), real_json(m), making.pop())[1])
    data = long_csv(generate(40, 120, seed=3)).encode("utf-8")
    by_pandas = json_text(analyse(data, "r.csv", engine="pandas"))
    assert counted == []
    assert by_pandas == json_text(analyse(data, "r.csv"))
    assert counted  # the python engine counts them from each row (the spy sees it)


@settings(max_examples=40, deadline=None)
@given(plans=st.lists(st.tuples(st.integers(0, 60), st.lists(st.tuples(st.sampled_from(RUN_CODES + ["O", "O", "/"]),
                                                                       st.integers(1, 40)), min_size=1, max_size=6)),
                      min_size=1, max_size=5),
       born=st.lists(st.one_of(st.dates(date(2019, 8, 25), date(2020, 4, 5)), st.dates(date(2008, 8, 25), date(2009, 9, 5))),
                     min_size=5, max_size=5),
       as_of=st.one_of(st.none(), st.dates(date(2024, 12, 20), date(2025, 7, 20))),
       policy=st.sampled_from(["dfe-national", "swindon", "knowsley"]))
def test_both_engines_give_the_same_json_for_dates_of_birth_near_the_bounds_of_compulsory_school_age(
        plans, born, as_of, policy):
    """Pupils who reach compulsory school age (31 December, 31 March) or leave it (the last Friday of
    June) within days of their marks, of the as-of date or of the register's ends: legal flags
    decided for all pupils at once are kept only where the pupil's age leaves all their marks in,
    so the pandas engine's JSON is the pure engine's, byte for byte; and the pure engine's is the
    same when PupilMetrics.between makes every pupil's figures over their years of compulsory school
    age again, not itself where no mark is outside them."""
    rows = [[f"P{i:02d}", f"{born[i]:%d/%m/%Y}", day.strftime("%d/%m/%Y"), session, code]
            for i, (joins, runs) in enumerate(plans) for day, session, code in from_runs(joins, runs)]
    data = to_csv(["UPN", "Date of birth", "Date", "Session", "Mark"], rows)
    outcomes = []
    for engine, made_again in [("python", False), ("pandas", False), ("python", True)]:
        with mock.patch.object(PupilMetrics, "between", between_made_again) if made_again else contextlib.nullcontext():
            try:
                outcomes.append(json_text(analyse(data, "r.csv", policy, as_of=as_of, engine=engine)))
            except (RegisterError, ValueError) as exc:
                outcomes.append(f"error: {exc!r}")
    assert outcomes[0] == outcomes[1] == outcomes[2]


def between_made_again(m: PupilMetrics, first: date, last: date) -> PupilMetrics:
    """PupilMetrics.between without its short cut: new figures over the row cleared outside the days."""
    grid = m.calendar.grid
    return PupilMetrics(m.pupil, m.calendar, m.as_of,
                        spread(m.row, grid.day_column(first.toordinal()), grid.day_column(last.toordinal() + 1)))
