"""Counts and lists in words (words.py): GOV.UK style, numerals with thousands separated, no 'pupil(s)'."""

from attendtoolkit.words import agreeing, counted, listed


def test_one_is_singular_and_every_other_count_plural():
    assert counted(1, "pupil") == "1 pupil"
    assert [counted(n, "pupil") for n in (0, 2, 1500)] == ["0 pupils", "2 pupils", "1,500 pupils"]
    assert counted(2, "child", "children") == "2 children"
    assert (agreeing(1, "was", "were"), agreeing(3, "was", "were")) == ("was", "were")


def test_a_list_joins_its_last_item_with_and():
    assert [listed(["a"]), listed(["a", "b"]), listed(["a", "b", "c"])] == ["a", "a and b", "a, b and c"]
