"""Page-1 fields of a Decree-30 document: issuer, number, date, type, title, draft marker.

Pure functions over positioned lines. Text layers often merge the two header columns into one
line (`SỞ Y TẾ Độc lập - Tự do - Hạnh phúc`), so the motto is cut out rather than expected alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemchung.core.model import Field
from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import Line
from kiemchung.extractors.fields.dates import has_blank_date, match_place_date
from kiemchung.extractors.fields.doctype import type_from_line, type_from_symbol
from kiemchung.extractors.fields.number import looks_like_number_line, match_number

_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc|dang cong san viet nam")
_PLACE_DATE_START = re.compile(r"[^\W\d_][\w\s.]*,\s*ngay\b")
_RULE = re.compile(r"^[\s\-_=*.]+$")
# Lines that end the trích yếu and start the body.
_BODY_START = re.compile(
    r"^(can cu|kinh gui|thuc hien|theo\b|nham\b|tren co so|xet\b|de\b|dieu \d|chuong |phan |muc |"
    r"i\.|ii\.|1\.|1\)|a\)|- |\+ |chu tich|giam doc|cuc truong|bo truong|thu tuong|hieu truong|truong ban|uy ban nhan dan (thanh pho|tinh|quan|huyen|phuong|xa))"
)
_PARENT = re.compile(r"^(ubnd|uy ban nhan dan (thanh pho|tinh|tp)|bo |hdnd|tinh uy|thanh uy)")
_DRAFT = re.compile(r"(^|\W)du thao(\W|$)")
_DRAFT_CHARS = re.compile(r"(?<![a-z])du\s+thao(?![a-z])")  # on fold_chars text: spans map back
# A title line further below the one above it than this many line heights: the body has begun.
_TITLE_GAP = 1.2
# A one-word line continues the title only centred under it: within this share of its width.
_TITLE_CENTRED = 0.15
HEADER_LINES = 14
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


def _field(value: str, line: Line, *, confidence: float | None = None) -> Field:
    return Field(
        value=value,
        page=line.page,
        bbox=list(line.bbox) if line.bbox else None,
        method=line.method,
        confidence=round(confidence if confidence is not None else line.confidence, 3),
    )


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
    spans = [m.span() for m in _MOTTO.finditer(folded)]
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
    chunks = [(line, _issuer_chunk(line)) for line in lines[:stop]]
    chunks = [(line, c) for line, c in chunks if c and not _RULE.match(c)]
    if not chunks:
        return None, None
    parent = None
    if len(chunks) > 1 and _PARENT.match(fold(chunks[0][1])):
        parent = chunks[0][1]
        chunks = chunks[1:]
    value = " ".join(c for _, c in chunks[:3])
    return _field(value, chunks[0][0]), parent


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _continues_title(prev: Line, line: Line) -> bool:
    """Whether `line` carries on the title whose last line so far is `prev`. Title lines are set
    close together and centred; the body starts after a gap (the rule under the title), at the
    margin. A one-word line is only a wrapped title's last word when it is centred under it,
    which Word paragraphs (no positions) never show."""
    if prev.bbox and line.bbox:
        height = prev.bbox[3] - prev.bbox[1]
        if height > 0 and line.bbox[1] - prev.bbox[3] > _TITLE_GAP * height:
            return False
    if len(line.text.split()) > 1:
        return True
    if not (prev.bbox and line.bbox):
        return False
    offset = abs((prev.bbox[0] + prev.bbox[2]) - (line.bbox[0] + line.bbox[2])) / 2
    return offset <= _TITLE_CENTRED * (prev.bbox[2] - prev.bbox[0])


def _find_title(lines: list[Line], start: int) -> Field | None:
    taken: list[Line] = []
    for line in lines[start : start + 6]:
        folded = fold(line.text)
        if not folded or _RULE.match(line.text):
            if taken:
                break
            continue
        if _BODY_START.match(folded) or match_place_date(line.text) or match_number(line.text):
            break
        if taken and _is_caps(line.text) and not _is_caps(taken[-1].text):
            break  # "CỤC TRƯỞNG CỤC HẢI QUAN …" under a sentence-case title opens the body
        if taken and not _continues_title(taken[-1], line):
            break
        taken.append(line)
        if len(taken) == 3:
            break
    if not taken:
        return None
    text = " ".join(line.text.strip() for line in taken)
    return _field(text, taken[0], confidence=min(line.confidence for line in taken))


def parse_header(lines: list[Line]) -> HeaderFields:
    found = HeaderFields()
    head = lines[:HEADER_LINES]
    number_at = None
    for i, line in enumerate(head):
        match = match_number(line.text)
        if match:
            number_at = i
            found.symbol = match.symbol
            if match.value:
                found.number = _field(match.value, line)
            else:
                found.number_blank = True
            break
    if number_at is None:  # the digits were written by hand and misread: the line still ends the issuer
        number_at = next((i for i, line in enumerate(head) if looks_like_number_line(line.text)), None)
    type_at = next((i for i, line in enumerate(lines[: HEADER_LINES + 6]) if type_from_line(line.text)), None)
    if type_at is not None:
        found.doc_type = _field(type_from_line(lines[type_at].text) or "", lines[type_at])
    # The place-date line stands above the type line; below it, dates belong to the body.
    zone = lines[:type_at] if type_at is not None else head
    for line in zone:
        date = match_place_date(line.text)
        if date:
            found.date = _field(date[0].isoformat(), line)
            break
        if has_blank_date(line.text):
            found.date_blank = True
    if found.doc_type is None and found.symbol:
        anchor = head[number_at] if number_at is not None else lines[0]
        found.doc_type = _field(type_from_symbol(found.symbol), anchor, confidence=0.9)
    vv_at = None
    if type_at is not None:
        found.title = _find_title(lines, type_at + 1)
    else:
        vv_at, found.title = _find_vv_title(lines[:HEADER_LINES])
        if found.doc_type is None and found.title is not None:
            # Only a công văn carries `V/v …` under its number: the type even when OCR lost the symbol.
            found.doc_type = Field(**{**found.title.model_dump(), "value": "CV", "confidence": 0.8})
    # The issuing body stands above the number, the type line and a công văn's `V/v`: whichever
    # comes first ends it (a report without a number would otherwise read "SỞ Y TẾ BÁO CÁO").
    ends = [i for i in (number_at, type_at, vv_at) if i is not None]
    found.issuer, found.parent = _find_issuer(lines, min(ends, default=6))
    marked = next((line for line in head if _DRAFT.search(fold(line.text))), None)
    if marked is not None:
        found.draft = _field(DRAFT_MARKED, marked)
    elif found.number_blank and found.date is None:
        found.draft = Field(value=DRAFT_BLANK, page=1)
    return found


def _find_vv_title(lines: list[Line]) -> tuple[int | None, Field | None]:
    """A công văn's subject (`V/v …` under the number, possibly over two lines) and its index."""
    for i, line in enumerate(lines):
        m = re.search(r"\b[Vv]\s*/\s*[vV]\b.*", line.text)
        if m:
            rest = [m.group(0)]
            for nxt in lines[i + 1 : i + 3]:
                folded = fold(nxt.text)
                if _BODY_START.match(folded) or match_place_date(nxt.text) or _MOTTO.search(folded):
                    break
                if len(nxt.text) > 80:
                    break
                rest.append(nxt.text.strip())
            return i, _field(" ".join(rest), line)
    return None, None
