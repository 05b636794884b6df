"""Dates, always day-first and never filled from today.

The issue date is the place-date line (`Đà Nẵng, ngày 05 tháng 3 năm 2024`, `tháng12`); dates
quoted in the body and signing-stamp times are not issue dates.
"""

from __future__ import annotations

import datetime as dt
import re

from kiemchung.core.text import fold_chars

_D = r"([0-9OoIl]{1,2})"
# Matched on fold_chars(text): same length as the text, lower case, no diacritics.
PLACE_DATE_RE = re.compile(r"ngay\s*" + _D + r"\s*thang\s*" + _D + r"\s*nam\s*((?:19|20)\d\d)")
BLANK_DATE_RE = re.compile(r"ngay[\s.…_]*thang[\s.…_]*nam\b")
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
