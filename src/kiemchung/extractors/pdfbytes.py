"""Small facts read straight from a PDF's bytes where pdfium has no API for them: a signature
field's name, which revision a signature belongs to, and PDF date strings.

A signature dictionary always sits uncompressed in the file (its /Contents hole is addressed by
byte offsets), so what surrounds the hole can be read with a regular expression. Field
dictionaries usually do too; when one sits in a compressed object stream its name is None.
"""

from __future__ import annotations

import bisect
import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

# Bounded and anchored after a non-digit: signature holes end in long runs of zero padding,
# where an open-ended (\d+)\s+ would backtrack quadratically.
_OBJ_NUMBERS = re.compile(rb"(?<!\d)(\d{1,10})\s+(\d{1,5})\s+")
_NEAR = 65536
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[([\d\s]{1,80})\]")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_FIRST = re.compile(rb"/First\s+(\d+)")
_COUNT = re.compile(rb"/N\s+(\d+)")
_NAME = re.compile(rb"/T\s*(\(|<(?!<))")
_DATE_YEAR = re.compile(r"^(?:D:)?(\d{4})")
_TWO_DIGITS = re.compile(r"^(\d\d)")
_UTC_OFFSET = re.compile(r"(\d\d)(?:'(\d\d))?'?")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _enclosing_object(data: bytes, at: int) -> tuple[int, int, bytes | None]:
    """(start, end, b'num gen') of the indirect object around offset `at`."""
    pos = data.rfind(b"obj", 0, at)
    while pos >= 0:
        header = _OBJ_NUMBERS.search(data, max(0, pos - 24), pos)
        if header is not None and header.end() == pos:
            end = data.find(b"endobj", at)
            return header.start(), (len(data) if end < 0 else end), header.group(1) + b" " + header.group(2)
        pos = data.rfind(b"obj", 0, pos)
    return 0, len(data), None


def _literal_string(data: bytes, at: int) -> bytes:
    out, depth, i = bytearray(), 1, at
    while i < len(data):
        ch = data[i : i + 1]
        if ch == b"\\":
            nxt = data[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            if nxt not in (b"\n", b"\r"):
                out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        depth += (ch == b"(") - (ch == b")")
        if depth == 0:
            break
        out += ch
        i += 1
    return bytes(out)


def _decode_text(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    return raw.decode("latin-1")  # PDFDocEncoding agrees with Latin-1 on what field names use


def _name_in(data: bytes, start: int, end: int) -> str | None:
    found = _NAME.search(data, start, end)
    if found is None:
        return None
    if found.group(1) == b"(":
        return _decode_text(_literal_string(data, found.end()))
    close = data.find(b">", found.end(), end)
    hexdigits = re.sub(rb"\s", b"", data[found.end() : close])
    return _decode_text(bytes.fromhex((hexdigits + b"0" * (len(hexdigits) % 2)).decode("ascii")))


def _positions(data: bytes, needle: bytes) -> Iterator[int]:
    """Offsets of `needle`: find() skips through the file far faster than a regular expression
    whose first character ('/') is everywhere in a PDF."""
    at = data.find(needle)
    while at >= 0:
        yield at
        at = data.find(needle, at + 1)


class SignatureFields:
    """One pass over a signed file's bytes: where each /ByteRange is written, which field points
    at each object, where each revision ends. Names are then found per signature without
    scanning the file again."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        ranges = (_BYTE_RANGE.match(data, at) for at in _positions(data, b"/ByteRange"))
        self._ranges = {tuple(int(n) for n in m.group(1).split()): m.start() for m in ranges if m}
        self._revision_ends = list(_positions(data, b"startxref"))
        self._compressed: list[tuple[bytes, bytes]] | None = None

    def revision_of(self, offset: int) -> int:
        """How many revisions end before `offset`: an incremental update ends each with startxref."""
        return bisect.bisect_left(self._revision_ends, offset)

    def compressed(self) -> list[tuple[bytes, bytes]]:
        if self._compressed is None:
            self._compressed = list(_compressed_objects(self.data))
        return self._compressed

    def _pointer_to(self, pointer: re.Pattern, near: int | None) -> int | None:
        """Offset of the last `/V num gen R`: first in the 64 KiB around the signature (its
        field is written in the same update), else anywhere (a scan of the whole file)."""
        spans = [(max(0, near - _NEAR), near + _NEAR)] if near is not None else []
        for lo, hi in [*spans, (0, len(self.data))]:
            starts = [m.start() for m in pointer.finditer(self.data, lo, hi)]
            if starts:
                return starts[-1]
        return None

    def name_of(self, byte_range: tuple[int, ...]) -> str | None:
        """/T of the field whose /V is the signature dictionary with this /ByteRange, found by its
        text (a file rewritten after signing keeps the values but moves the dictionary, sometimes
        into an object stream). None when the field cannot be found this way."""
        data = self.data
        at = self._ranges.get(tuple(byte_range))
        if at is not None:
            start, end, ref = _enclosing_object(data, at)
        else:
            written = re.compile(rb"/ByteRange\s*\[\s*" + rb"\s+".join(b"%d" % n for n in byte_range) + rb"\s*\]")
            ref = next((ref for ref, body in self.compressed() if written.search(body)), None)
        if ref is None:
            return None
        num, gen = ref.split()
        pointer = re.compile(rb"/V\s*" + num + rb"\s+" + gen + rb"\s+R\b")
        field = self._pointer_to(pointer, near=at)
        if field is not None:
            field_start, field_end, _ = _enclosing_object(data, field)
            return _name_in(data, field_start, field_end)
        for _, body in self.compressed():
            if pointer.search(body):
                return _name_in(body, 0, len(body))
        return _name_in(data, start, end) if at is not None else None  # /V inside the field


def _compressed_objects(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(b'num 0', the object's bytes) of every Flate-compressed object stream."""
    for marker in _OBJSTM.finditer(data):
        start, _, _ = _enclosing_object(data, marker.start())
        head_end = data.find(b"stream", marker.end())
        if head_end < 0:
            continue
        head = bytes(data[start:head_end])
        first, count = _FIRST.search(head), _COUNT.search(head)
        if b"/FlateDecode" not in head or not first or not count:
            continue
        body_start = head_end + 6 + (2 if data[head_end + 6 : head_end + 8] == b"\r\n" else 1)
        body_end = data.find(b"endstream", body_start)
        try:
            plain = zlib.decompressobj().decompress(data[body_start:body_end])
        except zlib.error:
            continue
        base = int(first.group(1))
        pairs = plain[:base].split()[: 2 * int(count.group(1))]
        numbers, offsets = pairs[0::2], [int(n) for n in pairs[1::2]]
        for number, here, after in zip(numbers, offsets, [*offsets[1:], len(plain) - base], strict=False):
            yield number + b" 0", plain[base + here : base + after]


def parse_pdf_date(text: str) -> datetime | None:
    """A PDF date (D:YYYYMMDDHHmmSS+07'00'), parsed the way pyHanko does, lenient on the prefix."""
    text = text.rstrip()
    year = _DATE_YEAR.match(text)
    if not year:
        return None
    rest, parts = text[year.end() :], [1, 1, 0, 0, 0]
    for i in range(5):
        two = _TWO_DIGITS.match(rest)
        if not two:
            break
        parts[i], rest = int(two.group(1)), rest[2:]
    tz = None
    if rest:
        if rest == "Z":
            tz = UTC
        elif rest[0] in "+-" and (offset := _UTC_OFFSET.fullmatch(rest[1:])):
            delta = timedelta(hours=int(offset.group(1)), minutes=int(offset.group(2) or 0))
            tz = timezone(-delta if rest[0] == "-" else delta)
        else:
            return None
    try:
        return datetime(int(year.group(1)), *parts, tzinfo=tz)
    except ValueError:
        return None
