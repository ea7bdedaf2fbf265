"""The benchmarks' cached registers are never stale: each is named for the generator that wrote it."""

from benchmarks import generate as bench


def test_a_cached_register_is_rewritten_when_the_generator_changes(tmp_path, monkeypatch):
    """A register written before a change to the generator (such as N marks older than 5 school days
    becoming O) is not timed again: the new generator writes its own, and the old files go."""
    monkeypatch.setattr(bench, "DATA", tmp_path)
    monkeypatch.setattr(bench, "generator_version", lambda: "aaaaaaaa")
    old_long, old_wide = bench.write(3, 2)
    (tmp_path / "long-3x4.csv").write_text("from before names carried the version")
    (tmp_path / "wide-3x4.xlsx").write_text("a workbook of the unversioned register")
    monkeypatch.setattr(bench, "generator_version", lambda: "bbbbbbbb")
    new_long, new_wide = bench.write(3, 2)
    workbook = bench.write_workbook(new_wide)
    assert (new_long.name, new_wide.name, workbook.name) == ("long-3x4-bbbbbbbb.csv", "wide-3x4-bbbbbbbb.csv",
                                                            "wide-3x4-bbbbbbbb.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long-3x4-bbbbbbbb.csv", "wide-3x4-bbbbbbbb.csv",
                                                          "wide-3x4-bbbbbbbb.xlsx"]
    assert new_long.read_text().splitlines()[0].startswith("UPN,")


def test_the_generator_version_follows_the_generator_source():
    """Eight hex digits of the source's hash: the same source gives the same name each run."""
    version = bench.generator_version()
    assert len(version) == 8 and int(version, 16) >= 0 and version == bench.generator_version()
