"""Handwritten fill-ins on paper-signed scans: the number and the day (often the month) that the
clerk writes into the blanks the typist left (`Số: 753/KH-DCT`, `ngày 23 tháng 11 năm 2025`).

Tesseract reads the printed words and misreads the ink (`fØ0`, `2†?2`, `ngày99`). The second
reader (PP-OCRv4, `extractors.handwriting`) reads the same band; the two are combined per field:
agreement is trusted, disagreement or a lone reading is kept with a lower confidence and every
reader's own reading, so the checks can say "not sure, look here" instead of a false error. A
digit string impossible for its place (a day of 45, a month of 13) is not a reading.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kiemchung.core.model import Field, Reading
from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import BBox, Line, Page, RawDocument
from kiemchung.extractors.fields.dates import DateParts, match_date_parts
from kiemchung.extractors.fields.header import date_rank
from kiemchung.extractors.fields.number import looks_like_number_line, match_number, tidy_symbol

TESSERACT = "tesseract"
DIGITS = "0123456789"
SECOND = "ppocr"
# Confidences of a combined reading. The checks trust a reading at or above TRUSTED
# (checks/rules.py); how these were chosen is in the README ("Handwritten fill-ins").
AGREED = 0.98  # both readers read the same digits
DISAGREED = 0.4  # both read digits, different ones: a person must look
# A lone reading of the second reader keeps this share of its score: its correct readings of
# handwritten numbers on real scans scored 0.91-0.99, and so did a few wrong ones; alone it is
# never above the trust threshold.
SECOND_ALONE = 0.85
LOOKALIKE_PENALTY = 0.8  # a letter read where a digit must be (handwritten 4 read as A)

# The second reader's look-alikes of handwritten digits.
_HW_DIGITS = str.maketrans({"A": "4", "O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "Z": "2", "z": "2", "S": "5", "B": "8", "g": "9", "q": "9"})
_HW_NUMBER = re.compile(
    r"(?P<num>[0-9A-Za-z|]{1,6})\s*(?:/\s*(?P<year>(?:19|20)\d\d)\s*)?/\s*(?P<sym>[A-ZĐa-z][A-Za-zĐđ0-9\-()&.]*)"
)
# The printed symbol after a slash, when the digits before it no longer parse (`Số: 9% /TTr-CAT`).
_LOOSE_SYMBOL = re.compile(r"/\s*([A-ZĐ][A-Za-zĐđ0-9&.()]*(?:\s?-\s?[A-Za-zĐđ0-9&.()]+)+)")
_BAND_PAD = 0.6  # of a line's height, above and below: handwriting overflows the printed line
_SAME_BAND = 3.0  # number and date lines closer than this many line heights share one band
_SYMBOL_SIMILAR = 0.6
_NUMBER_PREFIX = re.compile(r"^\s*s\s?[o0]\s*[:;.,]?")  # `Số:` as the reader spells it (`S0:`)
_PRINTED_YEAR = re.compile(r"/\s*((?:19|20)\d\d)\s*/")  # `…/2025/TT-BKHCN`
_COLUMN_GAP = 5.0  # of a line's height: a wider gap between two pieces of a row is a column gap
_PLACE_DATE_START = re.compile(r"[a-z][a-z .]*,\s*ngay")


@dataclass(frozen=True)
class Digits:
    """One reader's digits for a field, their confidence and where they were read."""

    reader: str
    value: str
    confidence: float
    bbox: BBox | None = None
    symbol: str | None = None  # the second reader's symbol, used when Tesseract lost the printed one


def _word_confidence(line: Line, digits: str) -> float:
    """Tesseract's confidence in the words that carry `digits` (the line's mean without words)."""
    if not line.words:
        return line.confidence
    confs = [conf for word, conf in line.words if digits and digits in re.sub(r"\D", "", word)]
    return min(confs) if confs else line.confidence


def number_line(lines: list[Line]) -> int | None:
    for i, line in enumerate(lines):
        if looks_like_number_line(line.text):
            return i
    return None


_DATE_SPAN = re.compile(r"ngay.*?nam\s*(?:19|20)\d\d")


def date_line(lines: list[Line]) -> int | None:
    """The place-date line, its day or month perhaps unread; never a date inside a sentence
    (`… báo cáo trước ngày 15 tháng 12 năm 2024.`, a cited decree's), which two readers would
    read alike and so be trusted."""
    for i, line in enumerate(lines):
        span = _DATE_SPAN.search(fold_chars(line.text)) if match_date_parts(line.text) else None
        if span and date_rank(line.text, span.start(), span.end()) > 0:
            return i
    return None


def _padded(line: Line, width: float) -> BBox:
    x0, top, x1, bottom = line.bbox or (0, 0, width, 0)
    pad = (bottom - top) * _BAND_PAD
    return (0.0, max(0.0, top - pad), width, bottom + pad)


def bands(lines: list[Line], page: Page, at: list[int]) -> list[BBox]:
    """Full-width bands around the number and date lines: one when they are close (same line,
    or the date just above the number), else one each."""
    found = [lines[i] for i in dict.fromkeys(at) if lines[i].bbox]
    if not found or not page.width:
        return []
    boxes = [_padded(line, page.width) for line in found]
    if len(boxes) == 2:
        height = max(line.bbox[3] - line.bbox[1] for line in found)  # type: ignore[index]
        if abs(boxes[0][1] - boxes[1][1]) <= _SAME_BAND * height:
            return [(0.0, min(b[1] for b in boxes), page.width, max(b[3] for b in boxes))]
    return boxes


def _symbol_like(read: str, printed: str | None) -> bool:
    if not printed:
        return True
    a, b = fold(read).replace(" ", ""), fold(printed).replace(" ", "")
    return difflib.SequenceMatcher(None, a, b).ratio() >= _SYMBOL_SIMILAR


Box = tuple[str, float, BBox]


def rows(boxes: list[Box]) -> list[Box]:
    """The reader's boxes joined into printed lines, left to right: it often splits a line at the
    handwriting (`Số: 2388` | `/KH-SYT`, `ngày` | `23` | `tháng 11 năm 2025`). A row's score is
    its weakest box's; its box is the union."""
    joined = []
    for row in row_pieces(boxes):
        text = " ".join(b[0].strip() for b in row)
        union = (min(b[2][0] for b in row), min(b[2][1] for b in row), max(b[2][2] for b in row), max(b[2][3] for b in row))
        joined.append((text, min(b[1] for b in row), union))
    return joined


def row_pieces(boxes: list[Box]) -> list[list[Box]]:
    """The reader's boxes grouped into rows (one header column each), left to right."""
    out: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b[2][1] + b[2][3]) / 2):
        mid = (box[2][1] + box[2][3]) / 2
        row = next((r for r in out if abs(mid - _mid(r)) <= _row_height(r) * 0.5), None)
        if row is None:
            out.append([box])
        else:
            row.append(box)
    return [segment for r in out for segment in _segments(r)]


# The printed words on either side of a blank the clerk fills in (folded reader text).
_BLANKS = {
    "number": (re.compile(r"s\s?[o0]\s*[:;.]?$"), re.compile(r"^/")),
    "day": (re.compile(r"ngay$"), re.compile(r"^thang")),
    "month": (re.compile(r"thang$"), re.compile(r"^nam")),
}
_BLANK_MIN_WIDTH = 0.4  # of the line's height: narrower is a space between words, not a blank
_BLANK_PAD = 0.35  # of the line's height, above and below: ink overflows the printed line


def blank_between(boxes: list[Box], which: str) -> BBox | None:
    """The empty stretch between the printed words around a fill-in, when the reader's detector
    found no ink there (a thin single digit) and so read nothing."""
    before, after = _BLANKS[which]
    for row in row_pieces(boxes):
        for i, (left, _, lbox) in enumerate(row):
            if not before.search(fold(left).strip()):
                continue
            # Between the words, at most ink the reader made no digits of (`了` for a 3).
            rest = iter(row[i + 1 :])
            right, rbox = next(((t, b) for t, _, b in rest if after.search(fold(t).strip()) or re.search(r"\d", t)), ("", None))
            if rbox is not None and after.search(fold(right).strip()):
                height = max(lbox[3] - lbox[1], rbox[3] - rbox[1])
                if rbox[0] - lbox[2] < _BLANK_MIN_WIDTH * height:
                    return None
                pad = _BLANK_PAD * height
                return (lbox[2], min(lbox[1], rbox[1]) - pad, rbox[0], max(lbox[3], rbox[3]) + pad)
    return None


def read_blank(raw: RawDocument, page: int, boxes: list[Box], which: str, high: int) -> Digits | None:
    """The digits in a fill-in's blank, read as one line of digits only (1..high)."""
    box = blank_between(boxes, which)
    if box is None or raw.band_reader is None:
        return None
    found = raw.band_reader(page, box, alphabet=DIGITS)
    if not found:
        return None
    text, score, _ = found[0]
    if not text.isdigit() or not 1 <= int(text) <= high:
        return None  # a day of 45 is no reading
    return Digits(SECOND, str(int(text)), round(score, 3), box)


def reread_number(raw: RawDocument, page: int, boxes: list[Box], symbol: str | None, year: str) -> Digits | None:
    """A piece that holds the symbol but whose digits came out as letters (`93V/QD-TTg`), read
    again with only digits and the symbol's own characters allowed."""
    if not symbol or raw.band_reader is None:
        return None
    alphabet = DIGITS + "/-" + fold(symbol).upper() + fold(symbol) + symbol
    for text, _, box in boxes:
        head, _, tail = text.rpartition("/")
        # Only where the model already saw a digit before the symbol (`93V`): a scrawl read as
        # letters would come out as digits too when only digits are allowed.
        if re.search(r"\d", _NUMBER_PREFIX.sub("", fold(head))) and _symbol_like(tail, symbol) and not second_number([(text, 1.0, box)], symbol, year):
            again = raw.band_reader(page, box, alphabet=alphabet)
            found = second_number(again, symbol, year) if again else None
            if found is not None:
                return found
    return None


def _segments(row: list[Box]) -> list[list[Box]]:
    """A row cut between the header's two columns: where the place-date begins (`Đà Nẵng,
    ngày`), or at a gap too wide for a blank (a blank left for the day is wide too)."""
    row = sorted(row, key=lambda b: b[2][0])
    heights = sorted(b[2][3] - b[2][1] for b in row)
    gap = _COLUMN_GAP * heights[len(heights) // 2]  # the print's height: ink pieces stand taller
    out = [[row[0]]]
    for box in row[1:]:
        if _PLACE_DATE_START.match(fold(box[0]).strip()) or box[2][0] - out[-1][-1][2][2] > gap:
            out.append([box])
        else:
            out[-1].append(box)
    return out


def _mid(row: list[Box]) -> float:
    return sum((b[2][1] + b[2][3]) / 2 for b in row) / len(row)


def _row_height(row: list[Box]) -> float:
    return max(b[2][3] - b[2][1] for b in row)


def _digits_box(text: str, start: int, end: int, boxes: list[Box], row_box: BBox) -> BBox:
    """The box of the reader's piece that holds text[start:end] (the digits), else the row's."""
    for piece, _, box in boxes:
        if piece and text[start:end] and text[start:end] in piece:
            return box
    return row_box


def second_number(boxes: list[Box], symbol: str | None, year: str = "") -> Digits | None:
    """The second reader's number: digits before a slash and a symbol like the printed one.
    `year` is the printed year part of the number (`/2025` of `19/2025/TT-BKHCN`), if any."""
    for text, score, box in [*boxes, *rows(boxes)]:
        for m in _HW_NUMBER.finditer(text):
            if not _symbol_like(m.group("sym"), symbol):
                continue
            raw = m.group("num")
            digits = raw.translate(_HW_DIGITS)
            if not digits.isdigit() or not re.search(r"\d", raw) or _is_year_part(text, m, year):
                continue
            penalty = 1.0 if raw.isdigit() else LOOKALIKE_PENALTY
            where = _digits_box(text, m.start("num"), m.end("num"), boxes, box)
            return Digits(SECOND, digits.lstrip("0") or "0", round(score * penalty, 3), where, tidy_symbol(m.group("sym"), ocr=True))
    return None


def _is_year_part(text: str, m: re.Match[str], printed_year: str) -> bool:
    """`/2025/TT-BKHCN` with the handwritten `19` unread: the year of the number, not its digits."""
    if not re.fullmatch(r"(?:19|20)\d\d", m.group("num")) or m.group("year"):
        return False
    return bool(printed_year) or text[: m.start("num")].rstrip().endswith("/")


def second_date(boxes: list[Box]) -> tuple[DateParts, float, BBox] | None:
    """Day, month and year from the reader's place-date row; the score is the weakest piece's."""
    found = None
    for text, score, box in [*boxes, *rows(boxes)]:
        parts = match_date_parts(text, glued=True)
        if parts and (found is None or _known(parts) > _known(found[0])):
            found = (parts, score, box)
    return found


def _known(parts: DateParts) -> int:
    return sum(v is not None for v in (parts.day, parts.month, parts.year))


def _pick(first: Digits | None, second: Digits | None) -> Digits | None:
    """Combine two readings of the same digits. In disagreement the second reader wins (it reads
    handwriting; Tesseract does not), with a confidence that sends the claim to a person."""
    if first and second:
        if first.value == second.value:
            return Digits(f"{TESSERACT}+{SECOND}", first.value, AGREED, second.bbox or first.bbox)
        return Digits(SECOND, second.value, DISAGREED, second.bbox)
    if second:
        return Digits(SECOND, second.value, round(second.confidence * SECOND_ALONE, 3), second.bbox)
    return first


def _method(reader: str) -> str:
    return {TESSERACT: "ocr", SECOND: SECOND, f"{TESSERACT}+{SECOND}": f"ocr+{SECOND}"}[reader]


def _loose_symbol(text: str) -> str | None:
    m = _LOOSE_SYMBOL.search(text)
    return tidy_symbol(m.group(1), ocr=True) if m else None


def combine_number(line: Line, second: Digits | None) -> Field | None:
    """The number of a scanned page from Tesseract's line and the second reader's digits."""
    match = match_number(line.text)
    symbol = match.symbol if match else _loose_symbol(line.text)
    first = None
    if match and match.digits:
        digits = match.digits.lstrip("0") or "0"
        first = Digits(TESSERACT, digits, _word_confidence(line, match.digits), line.bbox)
    chosen = _pick(first, second)
    symbol = symbol or (second.symbol if second else None)
    if chosen is None or symbol is None:
        return None
    year = match.year if match else ""
    readings = [Reading(reader=d.reader, value=f"{d.value}{year}/{symbol}", confidence=d.confidence) for d in (first, second) if d]
    return Field(
        value=f"{chosen.value}{year}/{symbol}",
        page=line.page,
        bbox=list(chosen.bbox or line.bbox or ()) or None,
        method=_method(chosen.reader),
        confidence=round(chosen.confidence, 3),
        readings=readings or None,
    )


def _date_digits(line: Line | None, parts: DateParts | None) -> dict[str, Digits | None]:
    """Tesseract's day and month, each with the confidence of the word that carries it."""
    out: dict[str, Digits | None] = {"day": None, "month": None}
    if line is None or parts is None:
        return out
    for name in out:
        value = getattr(parts, name)
        if value is not None:
            conf = min(_word_confidence(line, f"{value:02d}"), _word_confidence(line, str(value)))
            out[name] = Digits(TESSERACT, str(value), conf, line.bbox)
    return out


def _iso(parts: DateParts) -> str:
    return "-".join(["????" if parts.year is None else f"{parts.year:04d}", "??" if parts.month is None else f"{parts.month:02d}", "??" if parts.day is None else f"{parts.day:02d}"])


def combine_date(
    line: Line | None, second: tuple[DateParts, float, BBox] | None, page: int
) -> tuple[Field | None, Field | None]:
    """(date, partial): the issue date when day, month and year are read; else the month and
    year alone (`2025-10`) or the year, for the checks that need no day."""
    first_parts = match_date_parts(line.text) if line else None
    if first_parts is None and second is None:
        return None, None
    tess = _date_digits(line, first_parts)
    hw_parts, hw_score, hw_box = second if second else (None, 0.0, None)
    chosen: dict[str, Digits | None] = {}
    for name in ("day", "month"):
        hw_value = getattr(hw_parts, name) if hw_parts else None
        hw = Digits(SECOND, str(hw_value), hw_score, hw_box) if hw_value is not None else None
        chosen[name] = _pick(tess[name], hw)
    year = (first_parts.year if first_parts and first_parts.year else None) or (hw_parts.year if hw_parts else None)
    day, month = chosen["day"], chosen["month"]
    parts = DateParts(int(day.value) if day else None, int(month.value) if month else None, year)
    readers = [d for d in (day, month) if d]
    confidence = round(min([d.confidence for d in readers] or [0.0]), 3)
    bbox = list(hw_box or (line.bbox if line else ()) or ()) or None
    method = _method(SECOND) if any(d.reader == SECOND for d in readers) else "ocr"
    if all(d.reader == f"{TESSERACT}+{SECOND}" for d in readers) and len(readers) == 2:
        method = _method(f"{TESSERACT}+{SECOND}")
    readings = [
        Reading(reader=name, value=_iso(p), confidence=c)
        for name, p, c in ((TESSERACT, first_parts, min([d.confidence for d in tess.values() if d] or [0.0])), (SECOND, hw_parts, hw_score))
        if p is not None
    ]
    full = parts.as_date()
    if full is not None:
        return Field(value=full.isoformat(), page=page, bbox=bbox, method=method, confidence=confidence, readings=readings), None
    if year is None:
        return None, None
    partial = f"{year:04d}-{parts.month:02d}" if parts.month else f"{year:04d}"
    return None, Field(value=partial, page=page, bbox=bbox, method=method, confidence=confidence, readings=readings)


@dataclass(frozen=True)
class FillIns:
    """What both readers made of page 1's blanks. `symbol` is the printed symbol with the number
    line's box, kept when the digits stay unread so the checks can verify the symbol alone."""

    number: Field | None = None
    date: Field | None = None
    partial: Field | None = None
    symbol: Field | None = None


def _symbol_field(line: Line, number: Field | None, boxes: list[Box]) -> Field | None:
    printed = match_number(line.text)
    symbol = printed.symbol if printed else _loose_symbol(line.text)
    if symbol is None and number is None:
        second = second_number(boxes, None)
        symbol = second.symbol if second else None
    if symbol is None:
        return None
    return Field(value=symbol, page=line.page, bbox=list(line.bbox) if line.bbox else None, method="ocr", confidence=round(line.confidence, 3))


def read_fill_ins(raw: RawDocument, page: Page) -> FillIns | None:
    """Number and date of an OCR'd page 1 read by both readers; None when the page is not OCR'd
    or has neither line."""
    if page.method != "ocr" or raw.band_reader is None:
        return None
    lines = page.lines
    at_number, at_date = number_line(lines), date_line(lines)
    located = [i for i in (at_number, at_date) if i is not None]
    if not located:
        return None
    boxes = [box for band in bands(lines, page, located) for box in raw.band_reader(page.number, band)]
    number = symbol = None
    if at_number is not None:
        line = lines[at_number]
        printed = match_number(line.text)
        printed_symbol = printed.symbol if printed else _loose_symbol(line.text)
        year = printed.year if printed else ("/" + y.group(1) if (y := _PRINTED_YEAR.search(line.text)) else "")
        second = (
            second_number(boxes, printed_symbol, year)
            or reread_number(raw, page.number, boxes, printed_symbol, year)
            or read_blank(raw, page.number, boxes, "number", 99999)
        )
        number = combine_number(line, second)
        symbol = _symbol_field(line, number, boxes)
    elif at_date is not None:
        # `Số:` lost under the ink and the slash misread (`279? mC-SVHTT Đà Nẵng, ngày …`): the
        # number shares the date's row, and only the second reader may read it (never trusted alone).
        number = combine_number(lines[at_date], second_number(boxes, None))
    hw_date = with_blanks(second_date(boxes), raw, page.number, boxes)
    date, partial = combine_date(lines[at_date] if at_date is not None else None, hw_date, page.number)
    return FillIns(number, date, partial, symbol)


def with_blanks(
    second: tuple[DateParts, float, BBox] | None, raw: RawDocument, page: int, boxes: list[Box]
) -> tuple[DateParts, float, BBox] | None:
    """The second reader's date with an unread day or month read again from its blank."""
    if second is None:
        return None
    parts, score, box = second
    values = {"day": parts.day, "month": parts.month}
    for name, high in (("day", 31), ("month", 12)):
        if values[name] is None and (found := read_blank(raw, page, boxes, name, high)) is not None:
            values[name], score = int(found.value), min(score, found.confidence)
    return DateParts(values["day"], values["month"], parts.year), score, box
