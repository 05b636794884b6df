"""Document type: the type line in capitals (`KẾ HOẠCH`) or the symbol's abbreviation (Decree 30)."""

from __future__ import annotations

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
