"""Page-1 fields of a Decree-30 document: issuer, number, date, type, title, draft marker.

Pure functions over positioned lines. Text layers often merge the two header columns into one
line (`SỞ Y TẾ Độc lập - Tự do - Hạnh phúc`), so the motto is cut out rather than expected alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kiemchung.core.model import Field
from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import Line
from kiemchung.extractors.fields.dates import has_blank_date, match_place_date
from kiemchung.extractors.fields.doctype import (
    type_from_line,
    type_from_misread_line,
    type_from_symbol,
)
from kiemchung.extractors.fields.marks import draft_mark, is_copy_symbol, is_stamp_line
from kiemchung.extractors.fields.number import NumberMatch, looks_like_number_line, match_number

_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc|dang cong san viet nam")
_PLACE_DATE_START = re.compile(r"[^\W\d_][\w\s.]*,\s*ngay\b")
_RULE = re.compile(r"^[\s\-_=*.]+$")
# Lines that end the trích yếu and start the body.
_BODY_START = re.compile(
    r"^(can cu|kinh gui|thuc hien|theo\b|nham\b|tren co so|xet\b|de\b(?! (an|nghi|xuat|cuong|tai)\b)|dieu \d|"
    r"(chuong|phan|muc) ([ivxlc]+|\d+)\b|"
    r"i\.|ii\.|1\.|1\)|a\)|- |\+ )"
)
# The authority a decision speaks for (`CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …`) opens its body; set in
# capitals, unlike a title that names the same body (`… Chủ tịch Ủy ban nhân dân thành phố …`).
_AUTHORITY_LINE = re.compile(
    r"^(chu tich|giam doc|cuc truong|bo truong|thu tuong|hieu truong|truong ban|uy ban nhan dan (thanh pho|tinh|quan|huyen|phuong|xa))"
)
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
# A title line further below the one above it than this many line heights: the body has begun.
_TITLE_GAP = 1.2
# Tesseract's word confidence below which a word is taken for a stamp's or a seal's specks.
_SURE_WORD = 0.5
# Words further apart than this many word heights stand in different columns (or a stamp).
_SEGMENT_GAP = 2.5
# A title line is centred under the type line: its middle within this share of its width
# (plus a few points) of the type line's middle.
_CENTRED = 0.08
_CENTRED_SLACK = 8.0
# A one-word line continues the title only centred under it: within this share of its width.
_TITLE_CENTRED = 0.15
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


def _ends_title(line: Line) -> bool:
    """A line no title runs into: the body's opening, a number or date line, a stamp's text
    (`ĐẾN Số: … Ngày: …` beside the title), `Kính gửi` that OCR merged with a stamp."""
    folded = fold(line.text)
    return bool(
        _BODY_START.match(folded)
        or (_AUTHORITY_LINE.match(folded) and _is_caps(line.text))
        or _STAMP_FIELD.match(folded)
        or "kinh gui" in folded
        or is_stamp_line(line.text, folded=folded)
        or match_place_date(line.text)
        or match_number(line.text)
    )


def _under(line: Line, heading: Line) -> Line | None:
    """The part of an OCR line centred under the (centred) type line: a title line without the
    stamp's words that OCR read into it at either end (`BỀN Ngày.ÁbÍ401 … của Ủy ban …`). None
    when no run of words is centred there (a stamp's own line beside the title)."""
    if not line.boxes or not line.words or len(line.boxes) != len(line.words) or not heading.bbox:
        return line
    centre = (heading.bbox[0] + heading.bbox[2]) / 2
    best: tuple[int, int] | None = None
    n = len(line.boxes)
    for i in range(n):
        for j in range(n - 1, i - 1, -1):
            if best is not None and j - i <= best[1] - best[0]:
                break
            x0, x1 = line.boxes[i][0], line.boxes[j][2]
            if abs((x0 + x1) / 2 - centre) <= _CENTRED * (x1 - x0) + _CENTRED_SLACK:
                best = (i, j)
                break
    if best is None:
        return None
    i, j = best
    while i < j and not any(ch.isalnum() for ch in line.words[i][0]):
        i += 1  # a stamp's border or dash before the title's first word
    while j > i and not any(ch.isalnum() for ch in line.words[j][0]):
        j -= 1
    if (i, j) == (0, n - 1):
        return line
    words, boxes = line.words[i : j + 1], line.boxes[i : j + 1]
    box = (boxes[0][0], min(b[1] for b in boxes), boxes[-1][2], max(b[3] for b in boxes))
    return Line(" ".join(w for w, _ in words), line.page, line.method, box, sum(c for _, c in words) / len(words), words, boxes)


def _mid_x(line: Line) -> float:
    return (line.bbox[0] + line.bbox[2]) / 2 if line.bbox else 0.0


def _title_lines(lines: list[Line], start: int, heading: Line) -> list[Line]:
    """The trích yếu under a type line: up to three lines set close together."""
    taken: list[Line] = []
    for whole in lines[start : start + 6]:
        line = _under(whole, heading)
        if line is None:  # nothing centred: a stamp's line, not the title
            if taken:
                break
            continue
        folded = fold(line.text)
        if not folded or _RULE.match(line.text) or _noise(line):
            if taken:
                break
            continue
        if _ends_title(line):
            break
        if taken and _is_caps(line.text) and not _is_caps(taken[-1].text):
            break  # "CỤC TRƯỞNG CỤC HẢI QUAN …" under a sentence-case title opens the body
        if taken and not _continues_title(taken[-1], line):
            break
        taken.append(line)
        if len(taken) == 3:
            break
    return taken


_VV = re.compile(r"\b[Vv]\s*/\s*[vVwy]\b.*")  # OCR reads V/v as V/w, V/y
# A stamp's field read into a title line by OCR: `Số: 17026`, `Ngày: 23-10-2025`, `Giờ: …`.
_STAMP_FIELD = re.compile(r"^\W*(?:ngay|gio|chuyen|so|den)\s*[:;]\s*\S")
# Tokens a stamp leaves at either end of a title line: `sø:17026`, `23-10-2025`, `ĐẾN`.
_STAMP_TOKEN = r"(?:\S*[:;.]\S*\d\S*|\d{1,2}[\-.]\d{1,2}[\-.]\d{2,4}\S*|[ĐD][ẾE]N|[=|~_.,:;\-]+)"
_STAMP_EDGES = re.compile(rf"^(?:{_STAMP_TOKEN}\s+)+|(?:\s+{_STAMP_TOKEN})+$")


def _title_text(line: Line) -> str:
    """A title line as printed; from OCR without a stamp's field at either end and its border
    (`|`) that cuts a word."""
    text = line.text.strip()
    if line.method != "ocr":
        return text
    return _STAMP_EDGES.sub("", " ".join(text.replace("|", " ").split())).strip()


def _title_field(taken: list[Line], *, vv: bool) -> Field | None:
    if not taken:
        return None
    texts = [_title_text(line) for line in taken]
    if vv:
        match = _VV.search(taken[0].text)
        texts[0] = match.group(0) if match else texts[0]
    return _field(" ".join(" ".join(texts).split()), taken[0], confidence=min(line.confidence for line in taken))


def _number(head: list[Line]) -> tuple[int, NumberMatch] | None:
    """The document's number line: the first `Số: …/…` that is not a copy stamp's (`12/SY-VP`)."""
    for i, line in enumerate(head):
        match = match_number(line.text, ocr=line.method == "ocr")
        if match and not is_copy_symbol(match.symbol):
            return i, match
    return None


def _date_rank(text: str, start: int, end: int) -> int:
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
    cut = _MOTTO.sub(" ", folded[begin:start])
    return 1 if _ONLY_PUNCT.match(cut) and _ONLY_PUNCT.match(folded[end:]) else 0


def _after_copy_stamp(lines: list[Line], i: int) -> bool:
    """A date line right under `SAO Y BẢN CHÍNH` dates the copy, not the document."""
    return any("sao y" in fold(ln.text) or "sao luc" in fold(ln.text) for ln in lines[max(0, i - 2) : i])


def _issue_date(zone: list[Line]) -> tuple[Line, dt.date] | None:
    """The place-date line of the header zone, preferred over a bare date line; dates of cited
    documents, stamps and copies are never taken."""
    best: tuple[int, Line, dt.date] | None = None
    for i, line in enumerate(zone):
        found = match_place_date(line.text)
        if not found or _after_copy_stamp(zone, i):
            continue
        rank = _date_rank(line.text, found[1], found[2])
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


def _sure_words(line: Line) -> str:
    """An OCR line without the words Tesseract barely saw: stamp text and specks beside a type
    line (`Kết: 23-10.025 5 - KẾ HOẠCH : :`)."""
    if line.method != "ocr" or not line.words:
        return line.text
    kept = [w for w, conf in line.words if conf >= _SURE_WORD and (len(w) > 1 or w.isalnum())]
    return " ".join(kept)


def _noise(line: Line) -> bool:
    """An OCR line with no word read with any confidence (a seal, a stamp's border, the edge of
    the desk in a photo): it would only push the header's lines apart."""
    if line.method != "ocr" or not line.words:
        return False
    return not any(conf >= _SURE_WORD and sum(ch.isalpha() for ch in w) >= 2 for w, conf in line.words)


def _segments(line: Line) -> list[Line]:
    """An OCR line cut where its words stand far apart: Tesseract reads a stamp or a seal beside
    the type line into the same line (`UBND TỈNH LÂM ĐỒNG   KẾ HOẠCH`)."""
    if not line.boxes or not line.words or len(line.boxes) != len(line.words) or len(line.words) < 2:
        return [line]
    height = sorted(b[3] - b[1] for b in line.boxes)[len(line.boxes) // 2]
    cuts = [k for k in range(1, len(line.boxes)) if line.boxes[k][0] - line.boxes[k - 1][2] > _SEGMENT_GAP * height]
    if not cuts:
        return [line]
    parts = []
    for a, b in zip([0, *cuts], [*cuts, len(line.words)], strict=True):
        words, boxes = line.words[a:b], line.boxes[a:b]
        box = (min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes), max(x[3] for x in boxes))
        confidence = sum(c for _, c in words) / len(words)
        parts.append(Line(" ".join(w for w, _ in words), line.page, line.method, box, confidence, words, boxes))
    return parts


def _type_of(line: Line, *, misread: bool) -> tuple[str, Line] | None:
    for part in _segments(line):
        found = type_from_line(part.text) or type_from_line(_sure_words(part))
        if not found and misread and line.method == "ocr":
            found = type_from_misread_line(_sure_words(part))
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
    lines = [line for line in lines if not _noise(line)]
    head = lines[:HEADER_LINES]
    number_at = None
    numbered = _number(head)
    if numbered is not None:
        number_at, match = numbered
        found.symbol = match.symbol
        if match.value:
            found.number = _field(match.value, head[number_at])
        else:
            found.number_blank = True
    else:  # the digits were written by hand and misread: the line still ends the issuer
        number_at = next((i for i, line in enumerate(head) if looks_like_number_line(line.text)), None)
    typed = _type_line(lines)
    type_at = typed[0] if typed else None
    if typed is not None:
        found.doc_type = _field(typed[1], typed[2])
    # The place-date line stands above the type line (and a công văn's `Kính gửi`); below it,
    # dates belong to the body.
    zone = _header_zone(lines, type_at)
    dated = _issue_date(zone)
    if dated is not None:
        found.date = _field(dated[1].isoformat(), dated[0])
    found.date_blank = found.date is None and _blank_date(zone)
    if found.doc_type is None and found.symbol:
        anchor = head[number_at] if number_at is not None else lines[0]
        found.doc_type = _field(type_from_symbol(found.symbol), anchor, confidence=0.9)
    vv_at, title_lines = None, []
    if typed is not None:
        title_lines = _title_lines(lines, typed[0] + 1, typed[2])
    else:
        vv_at, title_lines = _find_vv_title(lines[:HEADER_LINES])
    found.title = _title_field(title_lines, vv=vv_at is not None)
    if type_at is None and found.doc_type is None and found.title is not None:
        # Only a công văn carries `V/v …` under its number: the type even when OCR lost the symbol.
        found.doc_type = Field(**{**found.title.model_dump(), "value": "CV", "confidence": 0.8})
    # The issuing body stands above the number, the type line and a công văn's `V/v`: whichever
    # comes first ends it (a report without a number would otherwise read "SỞ Y TẾ BÁO CÁO").
    ends = [i for i in (number_at, type_at, vv_at) if i is not None]
    found.issuer, found.parent = _find_issuer(lines, min(ends, default=6))
    marked = _marked_draft(zone[:HEADER_LINES], title_lines)
    if marked is not None:
        found.draft = _field(DRAFT_MARKED, marked)
    elif found.number_blank and found.date_blank:
        found.draft = Field(value=DRAFT_BLANK, page=1)
    return found


def _same_column(first: Line, line: Line) -> bool:
    """A wrapped `V/v` line stays under the first one (the left column), never in the motto's."""
    if not (first.bbox and line.bbox):
        return True
    overlap = min(first.bbox[2], line.bbox[2]) - max(first.bbox[0], line.bbox[0])
    return overlap > 0.5 * min(first.bbox[2] - first.bbox[0], line.bbox[2] - line.bbox[0])


def _find_vv_title(lines: list[Line]) -> tuple[int | None, list[Line]]:
    """A công văn's subject (`V/v …` under the number, wrapped over up to five lines) and the
    index of its first line."""
    for i, line in enumerate(lines):
        if not _VV.search(line.text):
            continue
        taken = [line]
        for nxt in lines[i + 1 : i + 6]:
            if _ends_title(nxt) or _MOTTO.search(fold(nxt.text)) or len(nxt.text) > 80:
                break
            if not _same_column(line, nxt) or not _continues_title(taken[-1], nxt):
                break
            taken.append(nxt)
        return i, taken
    return None, []
