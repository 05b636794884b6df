"""Handwritten fill-ins on paper-signed scans: the number and the day (often the month) that the
clerk writes into the blanks the typist left (`Số: 753/KH-DCT`, `ngày 23 tháng 11 năm 2025`).

Tesseract reads the printed words and misreads the ink (`fØ0`, `2†?2`, `ngày99`). The second
reader (PP-OCRv4, `extractors.handwriting`) reads the same band; the two are combined per field:
agreement is trusted, disagreement or a lone reading is kept with a lower confidence and every
reader's own reading, so the checks can say "not sure, look here" instead of a false error. A
digit string impossible for its place (a day of 45, a month of 13) is not a reading.

Where the blanks are: `fillin_bands`; what the second reader read: `fillin_second_reader`; this
module combines the two readers' digits into fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kiemchung.core.model import Field, Reading
from kiemchung.extractors.base import DIGITS, BBox, Line, Page, RawDocument
from kiemchung.extractors.fields.dates import DateParts, match_date_parts
from kiemchung.extractors.fields.fillin_bands import Box, bands, date_line, number_line, word_blank
from kiemchung.extractors.fields.fillin_second_reader import (
    SECOND,
    Digits,
    read_blank,
    reread_number,
    second_date,
    second_number,
    second_symbol,
    with_blanks,
    with_crops,
)
from kiemchung.extractors.fields.number import match_number, tidy_symbol

TESSERACT = "tesseract"
# Confidences of a combined reading. The checks trust a reading at or above TRUSTED_OCR
# (checks/certainty.py); how these were chosen is in the README ("Handwritten fill-ins").
AGREED = 0.98  # both readers read the same digits
DISAGREED = 0.4  # both read digits, different ones: a person must look
# A lone reading of the second reader keeps this share of its score: its correct readings of
# handwritten numbers on real scans scored 0.91-0.99, and so did a few wrong ones; alone it is
# never above the trust threshold.
SECOND_ALONE = 0.85

# The printed symbol after a slash, when the digits before it no longer parse (`Số: 9% /TTr-CAT`).
_LOOSE_SYMBOL = re.compile(r"/\s*([A-ZĐ][A-Za-zĐđ0-9&.()]*(?:\s?-\s?[A-Za-zĐđ0-9&.()]+)+)")
_PRINTED_YEAR = re.compile(r"/\s*((?:19|20)\d\d)\s*/")  # `…/2025/TT-BKHCN`


def _word_confidence(line: Line, digits: str) -> float:
    """Tesseract's confidence in the words that carry `digits` (the line's mean without words)."""
    if not line.words:
        return line.confidence
    confs = [conf for word, conf in line.words if digits and digits in re.sub(r"\D", "", word)]
    return min(confs) if confs else line.confidence


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
    year = (match.year if match else "") or (second.year if second else "")
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


def _crops(raw: RawDocument, page: Page, line: Line, which: str) -> list[Box]:
    """The second reader's votes on the ink of one blank that Tesseract's words place. A
    number's blank may end on the printed slash: the reader reads it, and the digits stop there."""
    box = word_blank(line, which)
    if box is None or raw.band_reader is None:
        return []
    return raw.band_reader(page.number, box, alphabet=DIGITS + "/" if which == "number" else DIGITS)


def _voted_number(band: Digits | None, raw: RawDocument, page: Page, line: Line, boxes: list[Box]) -> Digits | None:
    """The band's number voted with crops of the number's blank; digits only the crops read take
    the symbol the second reader read after the slash (`So: 5AM /TTr-CAT(PC04)`)."""
    voted = with_crops(band, _crops(raw, page, line, "number"), 99999)
    if voted is not None and voted.symbol is None:
        voted = replace(voted, symbol=second_symbol(boxes))
    return voted


def _date_with_crops(
    second: tuple[DateParts, float, BBox] | None, raw: RawDocument, page: Page, line: Line
) -> tuple[DateParts, float, BBox] | None:
    """The second reader's day and month voted with crops of their blanks' ink."""
    parts, score, box = second if second else (DateParts(None, None, None), 1.0, line.bbox)
    values: dict[str, int | None] = {}
    for name, high in (("day", 31), ("month", 12)):
        value = getattr(parts, name)
        band = Digits(SECOND, str(value), score, box) if value is not None else None
        voted = with_crops(band, _crops(raw, page, line, name), high)
        values[name] = int(voted.value) if voted else None
        if voted is not None and voted is not band:
            score = min(score, voted.confidence)
    if second is None and values["day"] is None and values["month"] is None:
        return None
    return DateParts(values["day"], values["month"], parts.year), score, box or line.bbox


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
        number = combine_number(line, _voted_number(second, raw, page, line, boxes))
        symbol = _symbol_field(line, number, boxes)
    elif at_date is not None:
        # `Số:` lost under the ink and the slash misread (`279? mC-SVHTT Đà Nẵng, ngày …`): the
        # number shares the date's row, and only the second reader may read it (never trusted alone).
        row = lines[at_date]
        number = combine_number(row, _voted_number(second_number(boxes, None), raw, page, row, boxes))
    hw_date = with_blanks(second_date(boxes), raw, page.number, boxes)
    if at_date is not None:
        hw_date = _date_with_crops(hw_date, raw, page, lines[at_date])
    date, partial = combine_date(lines[at_date] if at_date is not None else None, hw_date, page.number)
    return FillIns(number, date, partial, symbol)
