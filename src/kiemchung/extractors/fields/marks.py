"""What else is printed or stamped in a header besides the document's own fields: the draft
mark, incoming-mail stamps (`ĐẾN Số: 17026 Ngày: 23-10-2025`), copy stamps (`SAO Y`, `SAO LỤC`),
e-signature boxes (`Người ký: … Thời gian ký: …`), urgency marks (`HỎA TỐC`).

Pure functions over one line's text. None of these carries the document's number or date, and
only a mark standing on its own makes a draft: `V/v góp ý dự thảo Kế hoạch…` is a title.
"""

from __future__ import annotations

import re

from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.fields.lines import MOTTO

# Stamps and boxes whose numbers and dates are not the document's. Matched on folded text.
_STAMP = re.compile(
    r"thoi gian ky|nguoi ky\s*:|ky boi\s*:|\bemail\s*:|co quan\s*:.*(?:thoi gian|\d{2}[./]\d{2}[./]\d{4})"
    r"|sao y\b|sao luc\b|trich sao\b|cong van den\b|luu ho so|chuyen\s*:"
    r"|^\W*den\W*$|(?:^|\W)den\W*(?:so|gio|ngay)\s*:"
)
# Copy stamps number their copies with their own symbol: 12/SY-UBND (sao y), 3/SL-VP (sao lục).
COPY_SYMBOLS = ("SY", "SL", "TrS", "BS")

# The draft mark: `DỰ THẢO`, `Dự thảo lần 2`, `DỰ THẢO 2`, `(Dự thảo 3)`, on fold_chars text.
_MARK = re.compile(r"(?<![a-z])du\s*thao(?:\s*(?:lan)?\s*(?:thu\s*)?(?:\d{1,2}|[ivx]{1,4}\b))?(?![a-z])")
_MARK_REST = re.compile(r"^[\W_]*$")
_MOTTO_TEXT = re.compile(r"Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc", re.IGNORECASE)  # the motto's sentence-case half


def is_stamp_line(text: str, *, folded: str | None = None) -> bool:
    """A line of an incoming-mail or copy stamp or of an e-signature box (`folded`: the
    line's fold(), when the caller has it)."""
    return bool(_STAMP.search(folded if folded is not None else fold(text)))


def is_copy_symbol(symbol: str) -> bool:
    return symbol.split("-", 1)[0] in COPY_SYMBOLS


def draft_mark(text: str) -> bool:
    """Whether a header line carries the draft mark: the words `dự thảo` (with a round number)
    standing alone, or beside the other header text a text layer merged into the same line -
    in capitals (`DỰ THẢO CỘNG HÒA XÃ HỘI …`) or capitalised beside capitals (`SỞ NỘI VỤ Dự thảo
    2`). The caller keeps titles and body lines out."""
    folded = fold_chars(text)
    for found in _MARK.finditer(folded):
        start, end = found.span()
        rest = MOTTO.sub(" ", folded[:start] + " " + folded[end:])
        if _MARK_REST.match(rest):
            return True
        mark = text[start:end]
        if all(ch.isupper() for ch in mark if ch.isalpha()):
            return True
        others = [ch for ch in _MOTTO_TEXT.sub(" ", text[:start] + " " + text[end:]) if ch.isalpha()]
        if mark[:1].isupper() and others and all(ch.isupper() for ch in others):
            return True
    return False
