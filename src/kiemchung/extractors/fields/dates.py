"""Dates, always day-first and never filled from today.

The issue date is the place-date line (`Đà Nẵng, ngày 05 tháng 3 năm 2024`, `tháng12`); dates
quoted in the body and signing-stamp times are not issue dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kiemchung.core.text import fold_chars

# A day or month: one or two digits, or the letters OCR reads for them (O, o, I, l).
_DAY_OR_MONTH = r"([0-9OoIl]{1,2})"
# Matched on fold_chars(text): same length as the text, lower case, no diacritics.
PLACE_DATE_RE = re.compile(r"ngay\s*" + _DAY_OR_MONTH + r"\s*thang\s*" + _DAY_OR_MONTH + r"\s*nam\s*((?:19|20)\d\d)")
# The day left blank for the clerk (a draft); the month may be typed already (`ngày   tháng 12`).
BLANK_DATE_RE = re.compile(r"ngay[\s.…_]*thang[\s.…_]*(?:\d{1,2}[\s.…_]*)?nam\b")
_DIGIT_FIX = str.maketrans({"o": "0", "i": "1", "l": "1"})

_CLAIMED_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y")


def _to_date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month.translate(_DIGIT_FIX)), int(day.translate(_DIGIT_FIX)))
    except ValueError:
        return None


def match_place_date(text: str) -> tuple[dt.date, int, int] | None:
    """(date, start, end) of `ngày … tháng … năm …` in one line, or None."""
    m = PLACE_DATE_RE.search(fold_chars(text))
    if not m:
        return None
    found = _to_date(m.group(1), m.group(2), m.group(3))
    return (found, m.start(), m.end()) if found else None


# Looser: what is left of a place-date line whose day or month was handwritten and misread
# (`ngày99 tháng 10 năm 2025`, `ngày ở tháng/2năm 2025`): each part may be missing.
# The day's ink may come out as two scraps (`ngày ˆ Ï( tháng`): an unread day, still a date line.
_LOOSE_DATE_RE = re.compile(r"ngay\s*(\S{0,3}?(?:\s\S{1,2})?)\s*thang\s*(\S{0,3}?)\s*nam\s*((?:19|20)\d\d)")


@dataclass(frozen=True)
class DateParts:
    """Day, month and year of a place-date line as far as they could be read (None: unreadable)."""

    day: int | None
    month: int | None
    year: int | None

    def as_date(self) -> dt.date | None:
        if self.day is None or self.month is None or self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:  # 31 February: not a reading
            return None


def _part(text: str, low: int, high: int, glued: bool = False) -> int | None:
    if glued:
        # A letter of the next or previous printed word stuck to the ink (`23t` of `23 tháng`).
        text = re.sub(r"^[a-z](?=\d)|(?<=\d)[a-z]$", "", text)
    digits = text.translate(_DIGIT_FIX)
    if not re.fullmatch(r"\d{1,2}", digits):
        return None
    value = int(digits)
    return value if low <= value <= high else None  # a day of 45 or a month of 13 is no reading


def match_date_parts(text: str, *, glued: bool = False) -> DateParts | None:
    """The parts of a (possibly damaged) `ngày … tháng … năm YYYY` in one line, or None.
    `glued`: a reader that splits words at the ink may stick a printed letter to the digits."""
    m = _LOOSE_DATE_RE.search(fold_chars(text))
    if not m:
        return None
    return DateParts(_part(m.group(1), 1, 31, glued), _part(m.group(2), 1, 12, glued), int(m.group(3)))


def has_blank_date(text: str) -> bool:
    return bool(BLANK_DATE_RE.search(fold_chars(text)))


def parse_claimed_date(value: str) -> dt.date:
    """A date as units type it: 18/09/2024, 18/9/2024, 2024-09-18, `ngày 18 tháng 9 năm 2024`.

    Raises ValueError with the accepted forms when it is none of them.
    """
    text = value.strip()
    found = match_place_date(text)
    if found:
        return found[0]
    text = re.sub(r"\s+", "", text)
    # A time part from spreadsheets ("2024-09-18 00:00:00") is dropped.
    text = re.sub(r"(\d)[T ]?\d{1,2}:\d{2}(:\d{2})?$", r"\1", text)
    for fmt in _CLAIMED_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"ngày '{value}' không đúng dạng ngày/tháng/năm (ví dụ 18/09/2024 hoặc 2024-09-18)")


def format_vn(date: dt.date | None) -> str:
    return date.strftime("%d/%m/%Y") if date else ""
