"""`json.dumps(data, indent=2, ensure_ascii=False)`, the same text about three times as fast.

The standard library's C encoder cannot indent, so with `indent=2` every value goes through its
pure-Python generator: a council's results (1.3 GB of JSON for 230,000 pupils) spent longer being
written than classified. Here each value at depth 2 and below is made as one string by a recursive
function, which makes far fewer calls; `pieces` yields the text in parts a pupil long, so it can be
written as it is made. Values are turned into text exactly as `json` does (strings by its C
`encode_basestring`, floats by `float.__repr__`, NaN and infinity as it writes them); an array or
object of 4 or more plain values (a pupil's weekly sessions, a window's counts) is written by
json's own C encoder, with the line start of its depth as the separator (an array of small whole
numbers, from a table of their text).

Where orjson is installed (the pandas extra, for the command line) a Stream whose items are known
to hold no NaN or infinity has each item written by orjson, several times faster, unless the text
holds a float that orjson writes another way (1e-6 for 1e-06, 0.00001 for 1e-05).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import shutil
from collections.abc import Iterator
from json.encoder import c_make_encoder as _C_ENCODER, encode_basestring  # the C encoder: None without _json

try:
    import orjson
except ImportError:  # as in the browser: every value is written below
    orjson = None

_STEP = "  "
_BLOCK = 1 << 20  # bytes of a Text read or copied at a time
_INFINITY = float("inf")


class Stream:
    """An array whose items are made as `pieces` writes them (each is then dropped), for results
    too large to hold whole; it can be written once. `items` is an iterable, or a function that is
    given the array's ItemText and returns one: then items may be Text, written elsewhere (in
    another process) by that ItemText and copied as they are. `finite`: no item holds NaN or
    infinity (which JSON has no words for), so orjson may write them."""

    def __init__(self, items, finite: bool = False):
        self.items, self.finite = items, finite


class ItemText:
    """How the items of one array are written: each value's text, and what goes between two."""

    def __init__(self, nl: str, depth: int, finite: bool = False):
        self.nl, self.depth, self.separator = nl, depth, "," + nl
        self.fast = finite and depth < 0 and orjson is not None  # each item made whole, by orjson if it can

    def of(self, value) -> str:
        return _by_orjson(value, self.nl) if self.fast else "".join(_stream(value, self.nl, self.depth))


class Text:
    """One or more items of a Stream already written by its ItemText (joined by its separator), as
    UTF-8 in a binary file (from its start)."""

    def __init__(self, file):
        self.file = file

    def blocks(self) -> Iterator[str]:
        """The text a block at a time."""
        self.file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        while block := self.file.read(_BLOCK):
            yield decoder.decode(block)
        decoder.decode(b"", final=True)  # raises if the file ends inside a character

    def copy_to(self, stream) -> None:
        """Write the text to a text stream; to a UTF-8 file, as its bytes (copied by the system, so
        with no line ends translated: open it with newline="", as the command line does)."""
        if not (isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name == "utf-8"):
            for block in self.blocks():
                stream.write(block)
            return
        stream.flush()
        copied = 0
        try:
            source, target = self.file.fileno(), stream.buffer.fileno()
            size = os.fstat(source).st_size
            self.file.seek(0)
            while copied < size and (n := os.copy_file_range(source, target, size - copied)):
                copied += n
        except (OSError, AttributeError):  # not two files the system copies between
            pass
        self.file.seek(copied)  # the rest, where the system stopped short or would not copy
        shutil.copyfileobj(self.file, stream.buffer, _BLOCK)
        stream.buffer.flush()


class Later:
    """A value worked out when `pieces` reaches it: after the Streams before it are written."""

    def __init__(self, make):
        self._make, self._made = make, None

    def value(self):
        if self._make is not None:
            self._made, self._make = self._make(), None
        return self._made


def settled(data: dict) -> dict:
    """`data` with each Later replaced by its value (and each Stream, already written, left out)."""
    return {k: v.value() if isinstance(v, Later) else v for k, v in data.items() if not isinstance(v, Stream)}


def text(data) -> str:
    """The JSON text, as `json.dumps(data, indent=2, ensure_ascii=False)`."""
    return "".join(pieces(data))


def pieces(data, texts: bool = False) -> Iterator:
    """The JSON text in order, a value of the top two levels (one pupil, one group) at a time. With
    `texts`, a Text (items written by another process) is given as it is, for its `copy_to`."""
    found = _stream(data, "\n", 1)
    return found if texts else _blocks_of_texts(found)


def _blocks_of_texts(found: Iterator) -> Iterator[str]:
    for piece in found:
        if piece.__class__ is Text:
            yield from piece.blocks()
        else:
            yield piece


def _stream(o, nl: str, depth: int) -> Iterator[str]:
    """The text of `o` written at the line start `nl`, in parts: containers `depth` levels below
    here are made as one string each."""
    if isinstance(o, Later):
        o = o.value()
    if isinstance(o, Stream):
        writer = ItemText(nl + _STEP, depth - 1, o.finite)
        items = o.items(writer) if callable(o.items) else o.items
        yield from _stream_items(iter(items), nl, writer)
        return
    if depth < 0 or not isinstance(o, (dict, list, tuple)) or not o:
        yield _value(o, nl)
        return
    inner = nl + _STEP
    if isinstance(o, dict):
        yield "{"
        first = True
        for key, value in o.items():
            yield (inner if first else "," + inner) + _key(key) + ": "
            first = False
            yield from _stream(value, inner, depth - 1)
        yield nl + "}"
    else:
        yield "["
        first = True
        for value in o:
            yield inner if first else "," + inner
            first = False
            yield from _stream(value, inner, depth - 1)
        yield nl + "]"


def _stream_items(items, nl: str, writer: ItemText) -> Iterator[str]:
    """A Stream's array, each item written as it is made."""
    first = next(items, _END)
    if first is _END:
        yield "[]"
        return
    yield "[" + writer.nl
    yield from _item(first, writer)
    for value in items:
        yield writer.separator
        yield from _item(value, writer)
    yield nl + "]"


def _item(value, writer: ItemText) -> Iterator[str]:
    if isinstance(value, Text):
        return iter((value,))
    return iter((writer.of(value),)) if writer.fast else _stream(value, writer.nl, writer.depth)


_ORJSON_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
                   if orjson else 0)  # a date or dataclass is refused, as json refuses it
_EXPONENT = re.compile(r"\de-")  # orjson's 1e-6 is json's 1e-06; its 0.00001, json's 1e-05


def _by_orjson(value, nl: str) -> str:
    """_value(value, nl) by orjson, for a value with no NaN or infinity (orjson writes them as null)."""
    if value.__class__ is dict or value.__class__ is list:
        depth, before, after = _ORJSON_WRAPS.get(nl) or _orjson_wrap(nl)
        try:
            text = orjson.dumps(_nested(value, depth), option=_ORJSON_OPTIONS).decode()
        except TypeError:  # a type orjson does not take as json does (a subclass, a key that is not text)
            return _value(value, nl)
        if "0.0000" not in text and not ("e-" in text and _EXPONENT.search(text)):  # text is searched quickest
            text = text[before:len(text) - after]
            return text if depth >= 0 else text.replace("\n", nl)  # a line break in JSON text is always between values
    return _value(value, nl)


_ORJSON_WRAPS: dict[str, tuple[int, int, int]] = {}


def _orjson_wrap(nl: str) -> tuple[int, int, int]:
    """(depth, before, after): inside `depth` arrays orjson indents a value as deep as the line start
    `nl` (-1 when `nl` is not a line break and whole steps: the value is written alone, then indented),
    and the value's text is all but the first `before` and the last `after` characters. Once per `nl`."""
    steps = (len(nl) - 1) // len(_STEP)
    depth = steps if nl == "\n" + _STEP * steps else -1
    text = orjson.dumps(_nested(0, depth), option=_ORJSON_OPTIONS).decode()
    found = _ORJSON_WRAPS[nl] = depth, text.index("0"), len(text) - text.index("0") - 1
    return found


def _nested(value, depth: int):
    """`value` inside `depth` arrays."""
    for _ in range(depth):
        value = [value]
    return value


_END = object()


def _value(o, nl: str) -> str:
    """The text of one value written at the line start `nl` (a newline and its indent)."""
    kind = o.__class__
    if kind is str:
        return encode_basestring(o)
    if kind is dict:
        if not o:
            return "{}"
        inner = nl + _STEP
        if len(o) >= _FLAT_FROM and set(map(type, o.values())) <= _SCALAR_TYPES:
            return "{" + inner + _flat(o, inner)[1:-1] + nl + "}"
        return ("{" + inner + ("," + inner).join([
            (_KEY_TEXT.get(k) or _key_text(k))
            + (f(v) if (f := _SCALAR.get(v.__class__)) else _value(v, inner)) for k, v in o.items()])
            + nl + "}")
    if kind is list or kind is tuple:
        if not o:
            return "[]"
        inner = nl + _STEP
        if len(o) >= _FLAT_FROM and (kinds := set(map(type, o))) <= _SCALAR_TYPES:
            if kinds == _INTS:  # a pupil's sessions by week: small whole numbers, their text looked up
                try:
                    return "[" + inner + ("," + inner).join(map(_INT_TEXT.__getitem__, o)) + nl + "]"
                except KeyError:  # one not in the table
                    pass
            return "[" + inner + _flat(o, inner)[1:-1] + nl + "]"
        return "[" + inner + ("," + inner).join([
            f(v) if (f := _SCALAR.get(v.__class__)) else _value(v, inner) for v in o]) + nl + "]"
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if kind is int:
        return int.__repr__(o)
    if kind is float:
        return _float(o)
    return _subclass(o, nl)


def _flat(o, inner: str) -> str:
    """A container holding only scalars of the types json writes itself, by json's C encoder (about twice
    as fast as a value at a time here), each item after a line start `inner`: its text
    between the brackets is then what `_value` writes there."""
    encoder = _FLAT_ENCODERS.get(inner)
    if encoder is None:  # one per indent: a handful
        encoder = _FLAT_ENCODERS[inner] = _C_ENCODER(None, None, encode_basestring, None, ": ", "," + inner,
                                                     False, False, True)
    return "".join(encoder(o, 0))


def _subclass(o, nl: str) -> str:
    """A value whose type only derives from a JSON type, tested in the order `json` tests them."""
    if isinstance(o, str):
        return encode_basestring(o)
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        return _float(o)
    if isinstance(o, (list, tuple)):
        return _value(list(o), nl)
    if isinstance(o, dict):
        return _value(dict(o), nl)
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _float(o: float) -> str:
    text = _FLOAT_TEXT.get(o)
    if text is None:
        if o != o:
            text = "NaN"
        elif o == _INFINITY:
            text = "Infinity"
        elif o == -_INFINITY:
            text = "-Infinity"
        else:
            text = float.__repr__(o)
        # not 0.0 (-0.0 equals it, and is written otherwise), nor NaN (each is a key of its own)
        if o and o == o and len(_FLOAT_TEXT) < _FLOATS_KEPT:
            _FLOAT_TEXT[o] = text
    return text


# a float's text, kept: shares of a pupil's sessions repeat across pupils, and repr takes ten times a look-up
_FLOAT_TEXT: dict[float, str] = {}
_FLOATS_KEPT = 1 << 16


# each scalar type -> how json writes it, looked up once per value instead of a call to _value
_SCALAR = {str: encode_basestring, int: int.__repr__, float: _float,
           bool: {True: "true", False: "false"}.__getitem__, type(None): {None: "null"}.__getitem__}


_SCALAR_TYPES = frozenset(_SCALAR) if _C_ENCODER is not None else frozenset()  # what _flat writes
_FLAT_ENCODERS: dict = {}
_FLAT_FROM = 4  # items: a shorter container is written quicker here than by a call to the C encoder
_INTS = {int}
_INT_TEXT = {n: int.__repr__(n) for n in range(1000)}  # the text of small whole numbers, made once


_KEY_TEXT: dict[str, str] = {}  # a key's text and ": ", made once: every pupil has the same keys
_KEYS_KEPT = 4096  # keys whose text is kept (the contract has a few hundred; data may add more)


def _key_text(key) -> str:
    """A dict key's text and ": " (kept for text keys while there are fewer than _KEYS_KEPT)."""
    text = _key(key) + ": "
    if key.__class__ is str and len(_KEY_TEXT) < _KEYS_KEPT:
        _KEY_TEXT[key] = text
    return text


def _key(key) -> str:
    """A dict key as `json` writes it: strings as they are, numbers, true, false and null as text."""
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, float):
        return encode_basestring(_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return encode_basestring(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")
