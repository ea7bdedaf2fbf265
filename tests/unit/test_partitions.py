"""A folder of registers, one partition per file: local worker processes and a Dask cluster give
exactly the results of classifying the files one after another."""

import pytest

from attendtoolkit.cli import main
from attendtoolkit.synthetic import generate, long_csv, wide_csv

pytestmark = pytest.mark.native  # worker processes and Dask: the command line, never Pyodide


@pytest.fixture
def schools(tmp_path):
    """Three schools' registers of different sizes and shapes, and a file that is not a register."""
    folder = tmp_path / "schools"
    folder.mkdir()
    (folder / "a-long.csv").write_text(long_csv(generate(40, 30, seed=1)), encoding="utf-8")
    (folder / "b-wide.csv").write_text(wide_csv(generate(60, 40, seed=2)), encoding="utf-8")
    (folder / "c-wide.csv").write_text(wide_csv(generate(25, 20, seed=3)), encoding="utf-8")
    return folder


def classified(capsys, *args) -> str:
    assert main(["classify", *map(str, args)]) == 0
    return capsys.readouterr().out


def test_two_worker_processes_give_the_same_json_as_one_after_another(schools, capsys):
    one = classified(capsys, schools, "--workers", "1")
    assert '"schools"' in one and '"combined"' in one
    assert classified(capsys, schools, "--workers", "2") == one


def test_a_file_that_cannot_be_read_stops_the_run_with_its_own_message_from_a_worker(schools, capsys):
    (schools / "d-broken.csv").write_text("UPN,Date,Session,Mark\n", encoding="utf-8")
    assert main(["classify", str(schools), "--workers", "2"]) == 2
    assert "d-broken.csv: the file has a header row but no rows of pupils" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["0", "two"])
def test_workers_must_be_a_whole_number_of_one_or_more(schools, capsys, text):
    with pytest.raises(SystemExit):
        main(["classify", str(schools), "--workers", text])
    assert f"'{text}' is not a whole number of 1 or more" in capsys.readouterr().err


def test_a_dask_cluster_gives_the_same_json_as_one_after_another(schools, capsys):
    distributed = pytest.importorskip("distributed")
    one = classified(capsys, schools, "--workers", "1")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        assert classified(capsys, schools, "--scheduler", cluster.scheduler_address) == one
