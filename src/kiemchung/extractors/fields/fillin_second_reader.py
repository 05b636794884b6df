"""The second reader's (PP-OCRv4, `extractors.handwriting`) digits for the fill-ins: the number
before a slash and a symbol like the printed one, the place-date's parts, and a blank read again
with digits only when the first pass read nothing or letters.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kiemchung.core.text import fold
from kiemchung.extractors.base import DIGITS, BBox, RawDocument
from kiemchung.extractors.fields.dates import DateParts, match_date_parts
from kiemchung.extractors.fields.fillin_bands import Box, blank_between, rows
from kiemchung.extractors.fields.number import tidy_symbol

SECOND = "ppocr"
LOOKALIKE_PENALTY = 0.8  # a letter read where a digit must be (handwritten 4 read as A)

# The second reader's look-alikes of handwritten digits.
_HW_DIGITS = str.maketrans({"A": "4", "O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "Z": "2", "z": "2", "S": "5", "B": "8", "g": "9", "q": "9"})
_HW_NUMBER = re.compile(
    r"(?P<num>[0-9A-Za-z|]{1,6})\s*(?:/\s*(?P<year>(?:19|20)\d\d)\s*)?/\s*(?P<sym>[A-ZĐa-z][A-Za-zĐđ0-9\-()&.]*)"
)
# A number row the second reader read with `Số` in front and a symbol after the slash, whatever
# it made of the digits (`So: 5AM /TTr-CAT(PC04)`).
_HW_SYMBOL = re.compile(r"\b[Ss]\s?[oO06]\s*[:;.,]?\s*[^/\s]{0,8}\s*/\s*(?P<sym>[A-ZĐ][A-Za-zĐđ0-9()&.]*(?:\s?-\s?[A-Za-zĐđ0-9()&.]+)+)")
_SYMBOL_SIMILAR = 0.6
_NUMBER_PREFIX = re.compile(r"^\s*s\s?[o06]\s*[:;.,]?")  # `Số:` as the reader spells it (`S0:`, `S6:`)
_GLUED_PREFIX = re.compile(r"^[sS][o06ó]")  # `S698`: `Số` read into the digits
# The weight of the band's reading beside the crops' votes (which sum to at most 1): the band
# sees the digits in their line, the crops see the ink closely.
BAND_WEIGHT = 0.4
# Without the band's reading, the crops' best value stands when at least this share of the crops
# read it surely: the printed slash of an empty number (`Số: /2025/TT-BGDĐT`) read as `1` by a
# few crops is no number.
CROPS_ALONE = 0.3


@dataclass(frozen=True)
class Digits:
    """One reader's digits for a field, their confidence and where they were read."""

    reader: str
    value: str
    confidence: float
    bbox: BBox | None = None
    symbol: str | None = None  # the second reader's symbol, used when Tesseract lost the printed one
    year: str = ""  # the year part of the number the second reader read (`/2025` of `19/2025/TT-BKHCN`)


def _symbol_like(read: str, printed: str | None) -> bool:
    if not printed:
        return True
    a, b = fold(read).replace(" ", ""), fold(printed).replace(" ", "")
    return difflib.SequenceMatcher(None, a, b).ratio() >= _SYMBOL_SIMILAR


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
            if _GLUED_PREFIX.match(raw) and re.search(r"\d", raw[2:]) and not _NUMBER_PREFIX.search(fold(text[: m.start()])):
                raw = raw[2:]
            digits = raw.translate(_HW_DIGITS)
            if not digits.isdigit() or not re.search(r"\d", raw) or _is_year_part(text, m, year):
                continue
            penalty = 1.0 if raw.isdigit() else LOOKALIKE_PENALTY
            where = _digits_box(text, m.start("num"), m.end("num"), boxes, box)
            year_part = f"/{m.group('year')}" if m.group("year") else ""
            return Digits(SECOND, digits.lstrip("0") or "0", round(score * penalty, 3), where, tidy_symbol(m.group("sym"), ocr=True), year_part)
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


def with_crops(band: Digits | None, crops: list[Box], high: int) -> Digits | None:
    """The band's reading of a fill-in voted with the readings of crops of its blank's ink
    (`extractors.handwriting.read_digits`): the value with the most weight wins, its confidence
    is its share of the weight. The band reads `289` as `29` where the crops read `289`; the
    crops read a `4` that looks like an `A` as nothing where the band reads `A16` as 416."""
    pool: dict[str, float] = {}
    where: dict[str, BBox] = {}
    for text, share, box in crops:
        if text.isdigit() and 1 <= int(text) <= high:
            pool[text] = pool.get(text, 0.0) + share
            where.setdefault(text, box)
    if not pool or (band is None and max(pool.values()) < CROPS_ALONE):
        return band
    if band is not None:
        pool[band.value] = pool.get(band.value, 0.0) + BAND_WEIGHT * band.confidence
    best = max(pool, key=lambda value: pool[value])
    confidence = pool[best] / (1.0 + (BAND_WEIGHT if band else 0.0))
    box = where.get(best) or (band.bbox if band else None)
    symbol, year = (band.symbol, band.year) if band else (None, "")
    return Digits(SECOND, best, round(confidence, 3), box, symbol, year)


def second_symbol(boxes: list[Box]) -> str | None:
    """The printed symbol of the number row as the second reader read it, for digits that only
    the crops of the blank read (neither reader parsed the row)."""
    for text, _, _ in [*boxes, *rows(boxes)]:
        if m := _HW_SYMBOL.search(text):
            return tidy_symbol(m.group("sym"), ocr=True)
    return None
