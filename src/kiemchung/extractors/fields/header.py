"""Page-1 fields of a Decree-30 document: issuer, number, date, type, title, draft marker.

Pure functions over positioned lines. Text layers often merge the two header columns into one
line (`SỞ Y TẾ Độc lập - Tự do - Hạnh phúc`), so the motto is cut out rather than expected alone.
Other numbers and dates stand on a header too - stamps, copies, e-signature boxes, the preamble's
cited documents: the number is the first `Số:` that is not a copy's, the date the place-date
line above the body. Only a mark standing on its own (or number and date both left blank) makes
a draft. The trích yếu is found in `fields.title`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from kiemchung.core.model import Field
from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import Line
from kiemchung.extractors.fields.dates import has_blank_date, match_place_date
from kiemchung.extractors.fields.doctype import (
    type_from_line,
    type_from_misread_line,
    type_from_symbol,
)
from kiemchung.extractors.fields.lines import MOTTO, field_of, is_noise, segments, sure_words
from kiemchung.extractors.fields.marks import draft_mark, is_copy_symbol, is_stamp_line
from kiemchung.extractors.fields.number import (
    UNREAD_NUMBER,
    NumberMatch,
    looks_like_number_line,
    match_number,
)
from kiemchung.extractors.fields.title import RULE, title_field, vv_title_lines
from kiemchung.extractors.fields.title import title_lines as find_title_lines

_PLACE_DATE_START = re.compile(r"[^\W\d_][\w\s.]*,\s*ngay\b")
# Lines that open the body of any document: the header (number, date, draft mark) is above them.
_BODY_OPENS = re.compile(r"^(can cu|kinh gui|thuc hien|xet de nghi|theo de nghi|trong (thoi gian|nam) qua)|kinh gui\s*:")
_PARENT = re.compile(r"^(ubnd|uy ban nhan dan (thanh pho|tinh|tp)|bo |hdnd|tinh uy|thanh uy)")
_DRAFT_CHARS = re.compile(r"(?<![a-z])du\s+thao(?![a-z])")  # on fold_chars text: spans map back
# The place before `ngày` on a place-date line: one to five words and a comma (`Đà Nẵng,`,
# `TP. Hồ Chí Minh,`); OCR may read the comma as a full stop. On fold_chars text.
_PLACE_BEFORE = re.compile(r"[a-z][a-z.]*(?:\s+[a-z][a-z.]*){0,4}\s*[,.]\s*$")
_ONLY_PUNCT = re.compile(r"^[\W_]*$")
# At most this many words, each capitalised, name a place before `ngày` (`TP. Hồ Chí Minh`).
_PLACE_WORDS = 4
HEADER_LINES = 14
# A three- or four-line issuer, rules and a wrapped `V/v` push the right column's date line far
# down a text layer's line order: the date is looked for in this many lines, up to the body.
DATE_LINES = 22
DRAFT_MARKED = "DỰ THẢO"
DRAFT_BLANK = "CHƯA BAN HÀNH"  # the header never runs further down page 1 than this


@dataclass
class HeaderFields:
    number: Field | None = None
    number_blank: bool = False
    symbol: str | None = None
    date: Field | None = None
    date_blank: bool = False
    doc_type: Field | None = None
    issuer: Field | None = None
    parent: str | None = None
    title: Field | None = None
    draft: Field | None = None  # value "DỰ THẢO" (marked) or "CHƯA BAN HÀNH" (number and date blank)
    date_partial: Field | None = None  # "2025-10" or "2025" when the day (and month) is unreadable


def _strip_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return " ".join(text.split())


def _drop_echo(chunk: str) -> str:
    """OCR sometimes reads the underline under the issuer as a squeezed copy of its last words
    ("SỞ Y TẾ YTẾ"): drop a last word that repeats the words before it without spaces."""
    words = chunk.split()
    for k in (2, 3):
        if len(words) > k and "".join(words[-1 - k : -1]) == words[-1]:
            return " ".join(words[:-1])
    return chunk


def _issuer_chunk(line: Line) -> str:
    """What is left of a header line once the motto, number and place-date are cut out."""
    text = line.text
    folded = fold_chars(text)
    spans = [m.span() for m in MOTTO.finditer(folded)]
    spans += [m.span() for m in _DRAFT_CHARS.finditer(folded)]  # a draft's mark is not its issuer
    number = match_number(text)
    if number:
        spans.append((number.start, len(text)))
    place = _PLACE_DATE_START.search(folded)
    if place:
        spans.append((place.start(), len(text)))
    chunk = _drop_echo(_strip_spans(text, spans).strip(" -_"))
    letters = [ch for ch in chunk if ch.isalpha()]
    # The issuing body is set in capitals; mixed-case leftovers are body or place text.
    if len(letters) < 2 or sum(ch.isupper() for ch in letters) / len(letters) < 0.8:
        return ""
    return chunk


def _find_issuer(lines: list[Line], stop: int) -> tuple[Field | None, str | None]:
    lines = lines[:stop]
    for i, line in enumerate(lines):
        # A number line whose `Số:` OCR lost ends the issuer too: a stamp below it (`UBND TỈNH
        # … ĐẾN`) is not the issuer.
        if m := UNREAD_NUMBER.search(line.text):
            lines = [*lines[:i], replace(line, text=line.text[: m.start()])]
            break
    chunks = [(line, _issuer_chunk(line)) for line in lines]
    chunks = [(line, c) for line, c in chunks if c and not RULE.match(c)]
    if not chunks:
        return None, None
    parent = None
    if len(chunks) > 1 and _PARENT.match(fold(chunks[0][1])):
        parent = chunks[0][1]
        chunks = chunks[1:]
    value = " ".join(c for _, c in chunks[:3])
    return field_of(value, chunks[0][0]), parent


def _number(head: list[Line]) -> tuple[int, NumberMatch] | None:
    """The document's number line: the first `Số: …/…` that is not a copy stamp's (`12/SY-VP`)."""
    for i, line in enumerate(head):
        match = match_number(line.text, ocr=line.method == "ocr")
        if match and not is_copy_symbol(match.symbol):
            return i, match
    return None


def date_rank(text: str, start: int, end: int) -> int:
    """How surely a date found in a header line is the issue date: 2 on a place-date line
    (`Đà Nẵng, ngày …`), 1 on a line that holds nothing else or a place without its comma (OCR
    lost it), 0 for a date inside a sentence (`… Luật sư ngày 20 tháng 11 năm 2012;`, a cited
    document)."""
    folded = fold_chars(text)
    begin = 0
    number = match_number(text)
    if number is not None and number.end <= start:
        begin = number.end  # `Số: 45/SYT-VP Đà Nẵng, ngày …` merged into one line
    if _PLACE_BEFORE.search(folded[begin:start]):
        return 2
    words = text[begin:start].split()
    if 1 <= len(words) <= _PLACE_WORDS and all(w[:1].isupper() for w in words):
        return 1  # `Hà Nội ngày …`
    cut = MOTTO.sub(" ", folded[begin:start])
    return 1 if _ONLY_PUNCT.match(cut) and _ONLY_PUNCT.match(folded[end:]) else 0


def _after_copy_stamp(lines: list[Line], i: int) -> bool:
    """A date line right under `SAO Y BẢN CHÍNH` dates the copy, not the document."""
    return any("sao y" in fold(ln.text) or "sao luc" in fold(ln.text) for ln in lines[max(0, i - 2) : i])


_ENDS_WITH_NAM = re.compile(r"\bnam\s*$")
_WRAPPED_YEAR = re.compile(r"^\W*((?:19|20)\d\d)\b\W*$")


def _with_wrapped_year(text: str, following: str) -> str:
    """A place-date line wrapped in a narrow right column (`Đà Nẵng, ngày 05 tháng 3 năm` /
    `2024`, as LibreOffice lays out a converted .doc): the year joined back."""
    if _ENDS_WITH_NAM.search(fold(text)) and (year := _WRAPPED_YEAR.match(following)):
        return f"{text} {year.group(1)}"
    return text


def _issue_date(zone: list[Line]) -> tuple[Line, dt.date] | None:
    """The place-date line of the header zone, preferred over a bare date line; dates of cited
    documents, stamps and copies are never taken."""
    best: tuple[int, Line, dt.date] | None = None
    for i, line in enumerate(zone):
        text = _with_wrapped_year(line.text, zone[i + 1].text if i + 1 < len(zone) else "")
        found = match_place_date(text)
        if not found or _after_copy_stamp(zone, i):
            continue
        rank = date_rank(text, found[1], found[2])
        if rank and (best is None or rank > best[0]):
            best = (rank, line, found[0])
    return (best[1], best[2]) if best else None


def _blank_date(zone: list[Line]) -> bool:
    """A place-date line whose day was left blank (a draft): `Đà Nẵng, ngày    tháng    năm 2025`."""
    return any(has_blank_date(line.text) for line in zone if not is_stamp_line(line.text))


def _header_zone(lines: list[Line], type_at: int | None) -> list[Line]:
    """Lines above the type line, or for a công văn above `Kính gửi`/the body: where the
    issuer, number, date and draft mark are. Never the body's preamble."""
    zone = lines[:type_at] if type_at is not None else lines[:DATE_LINES]
    end = next((i for i, line in enumerate(zone) if _BODY_OPENS.search(fold(line.text))), len(zone))
    return zone[:end]


def _marked_draft(zone: list[Line], title_lines: list[Line]) -> Line | None:
    """The draft mark among the header lines, titles excluded (`V/v góp ý dự thảo …`)."""
    titles = {id(line) for line in title_lines}
    return next((ln for ln in zone if id(ln) not in titles and draft_mark(ln.text)), None)


def _type_of(line: Line, *, misread: bool) -> tuple[str, Line] | None:
    for part in segments(line):
        found = type_from_line(part.text) or type_from_line(sure_words(part))
        if not found and misread and line.method == "ocr":
            found = type_from_misread_line(sure_words(part))
        if found:
            return found, part
    return None


def _type_line(lines: list[Line]) -> tuple[int, str, Line] | None:
    """The type line (`KẾ HOẠCH`), possibly a part of an OCR line read together with a stamp,
    or a letter off (`UYÉT ĐỊNH`) in the header; further down only as printed (the body's own
    `QUYẾT ĐỊNH:` comes after the preamble)."""
    for i, line in enumerate(lines[: HEADER_LINES + 6]):
        found = _type_of(line, misread=i < HEADER_LINES)
        if found:
            return i, found[0], found[1]
    return None


def parse_header(lines: list[Line]) -> HeaderFields:
    found = HeaderFields()
    lines = [line for line in lines if not is_noise(line)]
    head = lines[:HEADER_LINES]
    number_at = None
    numbered = _number(head)
    if numbered is not None:
        number_at, match = numbered
        found.symbol = match.symbol
        if match.value:
            found.number = field_of(match.value, head[number_at])
        else:
            found.number_blank = True
    else:  # the digits were written by hand and misread: the line still ends the issuer
        number_at = next((i for i, line in enumerate(head) if looks_like_number_line(line.text)), None)
    typed = _type_line(lines)
    type_at = typed[0] if typed else None
    if typed is not None:
        found.doc_type = field_of(typed[1], typed[2])
    # The place-date line stands above the type line (and a công văn's `Kính gửi`); below it,
    # dates belong to the body.
    zone = _header_zone(lines, type_at)
    dated = _issue_date(zone)
    if dated is not None:
        found.date = field_of(dated[1].isoformat(), dated[0])
    found.date_blank = found.date is None and _blank_date(zone)
    if found.doc_type is None and found.symbol:
        anchor = head[number_at] if number_at is not None else lines[0]
        found.doc_type = field_of(type_from_symbol(found.symbol), anchor, confidence=0.9)
    vv_at, title_lines = None, []
    if typed is not None:
        title_lines = find_title_lines(lines, typed[0] + 1, typed[2])
    else:
        vv_at, title_lines = vv_title_lines(lines[:HEADER_LINES])
    found.title = title_field(title_lines, vv=vv_at is not None)
    if type_at is None and found.doc_type is None and found.title is not None:
        # Only a công văn carries `V/v …` under its number: the type even when OCR lost the symbol.
        found.doc_type = Field(**{**found.title.model_dump(), "value": "CV", "confidence": 0.8})
    # The issuing body stands above the number, the type line and a công văn's `V/v`: whichever
    # comes first ends it (a report without a number would otherwise read "SỞ Y TẾ BÁO CÁO").
    ends = [i for i in (number_at, type_at, vv_at) if i is not None]
    found.issuer, found.parent = _find_issuer(lines, min(ends, default=6))
    marked = _marked_draft(zone[:HEADER_LINES], title_lines)
    if marked is not None:
        found.draft = field_of(DRAFT_MARKED, marked)
    elif found.number_blank and found.date_blank:
        found.draft = Field(value=DRAFT_BLANK, page=1)
    return found
