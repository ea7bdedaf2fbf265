"""The fast indented JSON writer gives the standard library's text byte for byte."""

import io
import json
from collections import OrderedDict
from enum import IntEnum

import pytest
from hypothesis import given, settings, strategies as st

from attendtoolkit.results import indented_json
from attendtoolkit.results.contract import json_text, write_json


def _standard(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text())
keys = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                      | st.dictionaries(keys, inner, max_size=5), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(values)
def test_any_json_value_is_written_as_json_dumps_writes_it_with_indent_2(value):
    assert indented_json.text(value) == _standard(value)
    assert "".join(indented_json.pieces(value)) == _standard(value)


flat = st.lists(scalars, min_size=8, max_size=30) | st.dictionaries(keys, scalars, min_size=8, max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(flat | st.dictionaries(st.text(), flat, max_size=3), max_size=3))
def test_a_long_array_or_object_of_plain_values_is_written_as_json_dumps_writes_it(value):
    """Such a container is written by json's C encoder, at any depth."""
    assert indented_json.text(value) == _standard(value)
    assert indented_json.text({"pupils": value}) == _standard({"pupils": value})


class Stage(IntEnum):
    EARLY_HELP = 2


def test_subclasses_of_json_types_are_written_as_their_base_type():
    value = {"stage": Stage.EARLY_HELP, "notes": OrderedDict(a=[1.5, "two", None]), "ok": True}
    assert indented_json.text(value) == _standard(value)


def test_text_with_quotes_line_breaks_and_accents_is_escaped_as_json_escapes_it():
    value = {"name": 'Zoë "Z" O\'Neill\n\t\u2028', "empty": {}, "none": [], "nested": [[], {}]}
    assert indented_json.text(value) == _standard(value)


def test_a_value_json_cannot_write_is_refused_as_json_refuses_it():
    with pytest.raises(TypeError, match="not JSON serializable"):
        indented_json.text({"when": object()})
    with pytest.raises(TypeError, match="keys must be"):
        indented_json.text({(1, 2): "a tuple key"})


def test_a_large_list_is_written_in_pieces_no_larger_than_one_item():
    """A council's results are over a gigabyte: each pupil is its own piece, not the whole list."""
    pupils = [{"upn": f"A{i}", "sessions": list(range(20))} for i in range(1000)]
    parts = list(indented_json.pieces({"pupils": pupils}))
    assert max(map(len, parts)) < 300
    written = io.StringIO()
    write_json({"pupils": pupils}, written)
    assert written.getvalue() == json_text({"pupils": pupils}) == _standard({"pupils": pupils}) + "\n"


finite = st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | st.text()
                      | st.floats(allow_nan=False, allow_infinity=False),
                      lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(), inner, max_size=5), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(st.lists(finite, max_size=4))
def test_items_of_a_finite_stream_are_written_as_json_dumps_writes_them_with_or_without_orjson(items):
    """With orjson installed (the pandas extra) a pupil is written by it unless json would write
    the text another way; the text is the same either way."""
    assert indented_json.orjson is not None  # installed with the tests
    expected = _standard({"pupils": items})
    assert indented_json.text({"pupils": indented_json.Stream(items, finite=True)}) == expected
    for nl in ("\n", "\n  ", "\n    ", "\n      ", "\n   "):  # orjson indents inside arrays; the last, by hand
        writer = indented_json.ItemText(nl, -1, finite=True)
        assert [writer.of(item) for item in items] == [indented_json._value(item, nl) for item in items]


@pytest.mark.parametrize("value", [
    {"rate": 1e-06}, {"rate": 0.00001}, [2.5e-300, -1e-07], {"rate": 1e16, "big": 1.7976931348623157e308},
    {"stage": Stage.EARLY_HELP}, OrderedDict(a=1), {1: "a number as a key"}, {"deep": [[[[1.5]]]]},
], ids=["1e-06", "1e-05", "tiny", "large", "IntEnum", "OrderedDict", "number key", "nested"])
def test_what_orjson_writes_another_way_is_written_as_json_writes_it(value):
    assert indented_json.text({"pupils": indented_json.Stream([value], finite=True)}) == _standard({"pupils": [value]})


def test_a_value_json_cannot_write_is_refused_in_a_finite_stream_too():
    from datetime import date
    with pytest.raises(TypeError, match="not JSON serializable"):
        indented_json.text({"pupils": indented_json.Stream([{"when": date(2024, 9, 2)}], finite=True)})


def test_a_float_written_before_is_written_the_same_again_and_minus_zero_is_not_zero():
    floats = [0.0, -0.0, 0.1, 83.68421052631578, -0.0, 0.0, 1e-06, 1e16, float("nan"), float("inf"), -float("inf")]
    value = {"few": floats[:3], "mixed": [{"a": 1}] + floats, "in": {"a": {"b": 1}, **{str(i): f for i, f in enumerate(floats)}}}
    for _ in range(2):  # the second time, from the floats' kept text
        assert indented_json.text(value) == _standard(value)
        assert indented_json.text({"pupils": indented_json.Stream([value, value])}) == _standard({"pupils": [value, value]})
