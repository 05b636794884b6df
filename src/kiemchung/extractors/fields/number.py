"""Number and symbol (số, ký hiệu): `Số: 05/KH-SYT`, `Số: 2536 /QĐ-UBND`, `07/2025/QĐ-UBND`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemchung.core.text import clean, fold

# "Số" as OCR sees it: Sô, S6, So, Sồ ... The capital S keeps body mentions ("Quyết định số …") out.
_SO = r"(?<![^\W\d_])S\s?[ốoôóồổõớờơ06OöỐÔ]\s*[:;.,]?\s*"
_NUM = r"(?P<num>[0-9OoIl|]{0,7}(?:\s?-\s?[A-Z]{1,4})?)"
_YEAR = r"(?P<year>/\s*(?:19|20)\d\d\s*)?"
_SYM = r"/\s*(?P<sym>[A-ZĐa-zđ0-9][A-Za-zĐđ0-9&.()]*(?:\s?-\s?[A-Za-zĐđ0-9&.()]+)*)"
NUMBER_RE = re.compile(_SO + _NUM + r"\s*" + _YEAR + _SYM)

_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
# Tesseract reads Đ as 4 or D: "Q4-UBND" is "QĐ-UBND".
_QD_FIX = re.compile(r"(?<![A-Za-z])Q[4D](?=-)")


@dataclass(frozen=True)
class NumberMatch:
    value: str | None  # None when the number was left blank (an unissued draft)
    symbol: str
    start: int
    end: int
    digits: str | None = None  # the number before the symbol (and year), as read
    year: str = ""  # "/2025" in `19/2025/TT-BKHCN`


def tidy_symbol(sym: str, *, ocr: bool) -> str:
    sym = re.sub(r"\s*-\s*", "-", sym.strip().rstrip(".,;"))
    if not ocr:
        return sym  # a text layer says what is printed: `CCQLĐĐ` (Chi cục Quản lý đất đai) has two
    # Tesseract doubles the stroked Đ ("QĐĐ-UBND"); no symbol has three in a row, nor QĐĐ.
    sym = re.sub(r"ĐĐĐ+", "ĐĐ", re.sub(r"QĐĐ+", "QĐ", sym))
    return _QD_FIX.sub("QĐ", sym)


# The red incoming-mail stamp ("ĐẾN Số: 17026 Ngày: 23-10-2025") carries the recipient's
# register number: never the document's.
_INCOMING = re.compile(r"(?:^|\W)den\W*$")  # matched on folded text


def _number_match(text: str) -> re.Match[str] | None:
    for m in NUMBER_RE.finditer(text):
        if not _INCOMING.search(fold(text[max(0, m.start() - 8) : m.start()]) or "x"):
            return m
    return None


# The start of a number line whose digits no longer parse (`Số: 2 SØ /KH-SYT`, `số: 9% /TTr`):
# handwritten digits misread. Matched on folded text.
_NUMBER_LINE_START = re.compile(r"(?:^|[^a-z0-9])s\s?[o0-9]\s*[:;.,]")


# Digits (some misread) before a slash and a symbol's capitals: a number line whose `Số:` OCR
# lost (`7?08 /QĐ-SVHTT`, handwritten digits over the word).
UNREAD_NUMBER = re.compile(r"[\dOo?]{1,5}\s*/\s*[A-ZĐ]{1,8}\b")


def looks_like_number_line(text: str) -> bool:
    """A `Số:` line, parsed or not: it ends the issuer block and is where the number is."""
    if match_number(text) is not None or _NUMBER_LINE_START.search(fold(text)[:12]):
        return True
    start = UNREAD_NUMBER.search(text)
    return start is not None and not re.search(r"\w", text[: start.start()])


def match_number(text: str, *, ocr: bool = True) -> NumberMatch | None:
    """The number line in one line of text, or None. `ocr`: the text was read by OCR, whose
    look-alikes (Q4 for QĐ, a doubled Đ) are mended; a text layer's symbol is kept as printed."""
    text = text.replace("\u00d0", "Đ").replace("\u00f0", "đ")  # Tesseract's Đ; same length
    m = _number_match(text)
    if not m:
        return None
    num = re.sub(r"\s+", "", m.group("num")).translate(_DIGIT_FIX)
    sym = tidy_symbol(m.group("sym"), ocr=ocr)
    if not re.search(r"[A-Za-zĐđ]", sym):
        return None
    year = re.sub(r"\s+", "", m.group("year") or "")
    if not re.search(r"\d", num):
        return NumberMatch(None, sym, m.start(), m.end(), year=year)
    return NumberMatch(f"{num}{year}/{sym}", sym, m.start(), m.end(), num, year)


# Letters Tesseract swaps inside symbols (HQĐNg read HOĐNg, C04 read CO4): equal when read by OCR.
_OCR_SYMBOL = str.maketrans({"q": "o", "0": "o", "1": "l", "i": "l", "4": "d"})


def number_key(value: str | None, *, ocr: bool = False) -> str:
    """Comparison key: no `Số`, no spaces, no case or diacritics (QD = QĐ), no leading zeros.

    With `ocr`, look-alike letters in the symbol compare equal (the digits already do).
    """
    if not value:
        return ""
    text = clean(value).strip()
    text = re.sub(r"^\s*s[ốoô]\s*[:.]?\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+", "", fold(text))
    head, sep, rest = text.partition("/")
    head = head.translate(_DIGIT_FIX)
    if head.isdigit():
        head = head.lstrip("0") or "0"
    if ocr:
        rest = rest.translate(_OCR_SYMBOL)
    return head + sep + rest


def symbol_parts(symbol: str) -> tuple[str, str | None]:
    """`KH-SYT` -> ("KH", "SYT"); `SYT-VP` -> ("SYT", "VP"); `QĐ-UBND` -> ("QĐ", "UBND")."""
    first, _, rest = symbol.partition("-")
    return first, (rest.split("-")[0] if rest else None)
