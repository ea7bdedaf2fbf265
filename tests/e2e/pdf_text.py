"""The text on each page of a PDF printed by Chromium (Skia), enough to check what a printed page holds.

Skia writes each page's text as glyph numbers (<0055> Tj) in fonts with a ToUnicode map; this reads those maps
and those pages, and nothing else of PDF (no other producer, no form XObjects)."""

from __future__ import annotations

import re
import zlib

OBJECT = re.compile(rb"(?m)^(\d+) 0 obj\b")


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Each object's text: its dictionary, and its stream cut at the length the dictionary gives."""
    objects = {}
    for m in OBJECT.finditer(pdf):
        start = m.end()
        stream = pdf.find(b"stream", start)
        end = pdf.find(b"endobj", start)
        if 0 <= stream < end and (length := re.search(rb"/Length (\d+)\b", pdf[start:stream])):
            end = stream + len(b"stream") + int(length.group(1)) + 2
        objects[int(m.group(1))] = pdf[start:end]
    return objects


def _stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    data = rest.lstrip(b"\r\n")[:int(re.search(rb"/Length (\d+)", head).group(1))]
    return zlib.decompress(data) if b"/FlateDecode" in head else data


def _unicode_map(cmap: bytes) -> dict[int, str]:
    chars: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            chars[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for k in range(int(last, 16) - int(first, 16) + 1):
                chars[int(first, 16) + k] = chr(int(start, 16) + k)
    return chars


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text in drawing order, a space where a line starts again."""
    objects = _objects(pdf)
    ref = lambda body, key: int(re.search(rb"/" + key + rb" (\d+) 0 R", body).group(1))  # noqa: E731
    pages = []
    for page in _leaves(objects, _root_pages(objects)):
        body = objects[page]
        fonts = {}
        if m := re.search(rb"/Font <<(.*?)>>", body, re.S):
            for name, n in re.findall(rb"/(\w+) (\d+) 0 R", m.group(1)):
                fonts[name] = _unicode_map(_stream(objects[ref(objects[int(n)], b"ToUnicode")]))
        text, chars = [], {}
        for op in re.finditer(rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj|\bTm\b|\bBT\b", _stream(objects[ref(body, b"Contents")])):
            if op.group(1):
                chars = fonts.get(op.group(1), {})
            elif op.group(2):
                hexes = op.group(2).decode()
                text += [chars.get(int(hexes[i:i + 4], 16), "") for i in range(0, len(hexes), 4)]
            else:
                text.append(" ")
        pages.append(re.sub(r"\s+", " ", "".join(text)).strip())
    return pages


def _leaves(objects: dict[int, bytes], node: int) -> list[int]:
    """The pages under a node of the page tree, in order."""
    kids = re.search(rb"/Kids \[(.*?)\]", objects[node], re.S)
    if not kids:
        return [node]
    return [page for n in re.findall(rb"(\d+) 0 R", kids.group(1)) for page in _leaves(objects, int(n))]


def _root_pages(objects: dict[int, bytes]) -> int:
    return next(n for n, body in objects.items() if re.search(rb"/Type /Pages\b", body) and b"/Parent" not in body)
