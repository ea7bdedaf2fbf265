"""Counts and lists in words (words.py): GOV.UK style, numerals with thousands separated, no 'pupil(s)'."""

import pytest

from attendtoolkit.words import agreeing, counted, duration, file_size, listed


def test_one_is_singular_and_every_other_count_plural():
    assert counted(1, "pupil") == "1 pupil"
    assert [counted(n, "pupil") for n in (0, 2, 1500)] == ["0 pupils", "2 pupils", "1,500 pupils"]
    assert counted(2, "child", "children") == "2 children"
    assert (agreeing(1, "was", "were"), agreeing(3, "was", "were")) == ("was", "were")


def test_a_list_joins_its_last_item_with_and():
    assert [listed(["a"]), listed(["a", "b"]), listed(["a", "b", "c"])] == ["a", "a and b", "a, b and c"]


@pytest.mark.parametrize("n, words", [(0, "0 bytes"), (1, "1 byte"), (999, "999 bytes"), (1000, "1.0 kB"),
                                      (13_300, "13 kB"), (999_499, "999 kB"), (999_500, "1.0 MB"),
                                      (529_500_000, "530 MB"), (7_697_753_170, "7.7 GB")])
def test_a_file_size_in_the_units_a_file_manager_shows(n, words):
    assert file_size(n) == words


@pytest.mark.parametrize("seconds, words", [(0.4, "less than a second"), (1, "1 second"), (12.4, "12 seconds"),
                                            (59.6, "1 minute"), (65, "1 minute 5 seconds"), (125, "2 minutes 5 seconds")])
def test_a_duration_in_minutes_and_seconds(seconds, words):
    assert duration(seconds) == words
