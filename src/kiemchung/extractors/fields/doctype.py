"""Document type: the type line in capitals (`KẾ HOẠCH`) or the symbol's abbreviation (Decree 30)."""

from __future__ import annotations

import difflib
import re

from kiemchung.core.text import fold

# Decree 30/2020 appendix: abbreviation -> type name. Mixed case (QyĐ, CTr, TTr) is kept.
TYPE_NAMES: dict[str, str] = {
    "NQ": "NGHỊ QUYẾT",
    "QĐ": "QUYẾT ĐỊNH",
    "CT": "CHỈ THỊ",
    "QC": "QUY CHẾ",
    "QyĐ": "QUY ĐỊNH",
    "TC": "THÔNG CÁO",
    "TB": "THÔNG BÁO",
    "HD": "HƯỚNG DẪN",
    "CTr": "CHƯƠNG TRÌNH",
    "KH": "KẾ HOẠCH",
    "PA": "PHƯƠNG ÁN",
    "ĐA": "ĐỀ ÁN",
    "DA": "DỰ ÁN",
    "BC": "BÁO CÁO",
    "BB": "BIÊN BẢN",
    "TTr": "TỜ TRÌNH",
    "HĐ": "HỢP ĐỒNG",
    "CĐ": "CÔNG ĐIỆN",
    "BGN": "BẢN GHI NHỚ",
    "BTT": "BẢN THỎA THUẬN",
    "GUQ": "GIẤY ỦY QUYỀN",
    "GM": "GIẤY MỜI",
    "GGT": "GIẤY GIỚI THIỆU",
    "GNP": "GIẤY NGHỈ PHÉP",
    "PG": "PHIẾU GỬI",
    "PC": "PHIẾU CHUYỂN",
    "PB": "PHIẾU BÁO",
    "CV": "CÔNG VĂN",
    # Legal normative documents carry the same header (Law 80/2015 on legal documents).
    "NĐ": "NGHỊ ĐỊNH",
    "TT": "THÔNG TƯ",
    "TTLT": "THÔNG TƯ LIÊN TỊCH",
}
_BY_FOLDED_NAME = {fold(name): abbr for abbr, name in TYPE_NAMES.items()}
_BY_EXACT = {abbr: abbr for abbr in TYPE_NAMES}
# Upper-cased lookups for symbols typed without Vietnamese input or mis-cased (QD, TTR, QYD).
_BY_UPPER: dict[str, str] = {}
for _abbr in TYPE_NAMES:
    _BY_UPPER.setdefault(_abbr.upper(), _abbr)
    _BY_UPPER.setdefault(fold(_abbr).upper(), _abbr)


def type_from_line(text: str) -> str | None:
    """`KẾ HOẠCH` -> KH when the line is just a type name (case and diacritics aside)."""
    folded = fold(text).strip(" .:")
    return _BY_FOLDED_NAME.get(folded)


# OCR drops or swaps a letter of a type line under a stamp (`UYÉT ĐỊNH`): names this long are
# still told apart at this similarity, and no two of them are this close to each other.
_FUZZY_MIN_LENGTH = 7
_FUZZY_RATIO = 0.89


def type_from_misread_line(text: str) -> str | None:
    """A type line one OCR slip away from a type name (`UYÉT ĐỊNH` -> QĐ); None when unsure."""
    folded = re.sub(r"^[^a-z]+|[^a-z]+$", "", fold(text))
    if len(folded) < _FUZZY_MIN_LENGTH:
        return None
    best, ratio = None, 0.0
    for name, abbr in _BY_FOLDED_NAME.items():
        if len(name) >= _FUZZY_MIN_LENGTH and abs(len(name) - len(folded)) <= 2:
            score = difflib.SequenceMatcher(None, folded, name).ratio()
            if score > ratio:
                best, ratio = abbr, score
    return best if ratio >= _FUZZY_RATIO else None


def type_from_abbreviation(abbr: str) -> str | None:
    abbr = abbr.strip()
    return _BY_EXACT.get(abbr) or _BY_UPPER.get(abbr.upper())


def type_from_symbol(symbol: str) -> str | None:
    """`KH-SYT` -> KH; `SYT-VP` (a công văn: issuer first) -> CV; `CV/…` party style -> CV."""
    first = symbol.split("-")[0]
    found = type_from_abbreviation(first)
    if found and found != "CV":
        return found
    return "CV"


def canonical_type(value: str | None) -> str | None:
    """A claimed or configured type (KH, QD, Kế hoạch, công văn) as its Decree-30 abbreviation."""
    if not value:
        return None
    return type_from_abbreviation(value) or type_from_line(value)
