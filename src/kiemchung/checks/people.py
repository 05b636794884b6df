"""Who may sign for a unit, and which body issued a document (names, symbols, dated aliases)."""

from __future__ import annotations

import datetime as dt
import re

from kiemchung.core.model import Leader, Unit
from kiemchung.core.text import fold, same_name
from kiemchung.extractors.fields.doctype import canonical_type
from kiemchung.extractors.fields.number import symbol_parts

BY_ORDER = {"TL.", "TUQ."}  # signing by order / by authorisation: never a leader's signature


def find_leader(unit: Unit, name: str | None) -> Leader | None:
    return next((leader for leader in unit.leaders if same_name(leader.name, name)), None)


def name_key(text: str) -> str:
    """Folded name with the usual abbreviations expanded: UBND, BCH, TP., TT&TT; a youth union's
    full name shortened as its headers print it (`BCH Đoàn tỉnh …` = `Ban Chấp hành Đoàn TNCS Hồ
    Chí Minh tỉnh …`)."""
    key = fold(text)
    key = re.sub(r"\bubnd\b", "uy ban nhan dan", key)
    key = re.sub(r"\bbch\b", "ban chap hanh", key)
    key = re.sub(r"\bdoan (?:tncs|thanh nien cong san) ho chi minh\b", "doan", key)
    key = re.sub(r"\btp\.?\s", "thanh pho ", key)
    key = key.replace("&", " va ")
    return " ".join(re.sub(r"[^\w\s]", " ", key).split())


def _names_valid_on(unit: Unit, date: dt.date | None) -> list[tuple[str, str | None]]:
    names = [(unit.name, unit.symbol)]
    for alias in unit.aliases:
        if date is None or ((alias.since is None or alias.since <= date) and (alias.until is None or date <= alias.until)):
            names.append((alias.name, alias.symbol))
    return names


# The city whose units are ranked: a header may add it to the name the registry gives
# (`BAN QUẢN LÝ AN TOÀN THỰC PHẨM` / `THÀNH PHỐ ĐÀ NẴNG` for `Ban Quản lý An toàn thực phẩm`).
HOME_PLACES = ("da nang",)
_PLACE_SUFFIX = re.compile(r"^(?:thanh pho|tp|tinh)? ?(?P<place>[a-z ]+)$")


def _home_places(unit: Unit) -> set[str]:
    """Da Nang, and the place a unit's own name ends with (`… tỉnh Lâm Đồng`)."""
    places = set(HOME_PLACES)
    for name in [unit.name, *(a.name for a in unit.aliases)]:
        if m := re.search(r"\b(?:thanh pho|tinh) ([a-z ]+)$", name_key(name)):
            places.add(m.group(1))
    return places


def _same_body(key: str, header: str, home: set[str]) -> bool:
    if key == header or header.endswith(key) or key.endswith(header):
        return True
    # The registry's name with the home city after it; another province's namesake is not ours.
    rest = header[len(key) :].strip() if header.startswith(key + " ") else ""
    m = _PLACE_SUFFIX.match(rest)
    return bool(m) and m.group("place").strip() in home


def issuer_matches(unit: Unit, issuer: str | None, symbol_issuer: str | None, date: dt.date | None) -> bool | None:
    """True/False when the header or symbol says who issued; None when nothing says."""
    names = _names_valid_on(unit, date)
    if issuer:
        header = name_key(issuer)
        home = _home_places(unit)
        for name, _ in names:
            key = name_key(name)
            if key and _same_body(key, header, home):
                return True
        if header:
            return False
    if symbol_issuer:
        return any(sym and fold(sym) == fold(symbol_issuer) for _, sym in names)
    return None


# Letters OCR confuses in a header (folded): `QUẢN LÝ` read `QUẢNIÝ`, `0` for `O`.
_OCR_ALIKE = str.maketrans({"l": "i", "1": "i", "|": "i", "0": "o"})
_READ_ALIKE_MIN = 12  # letters: a shorter name sits inside other bodies' names too easily
_NOISE = 3  # letters of seal or scan noise a header may end with (`… THỰC PHẨM I0 : :`)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", name_key(text).translate(_OCR_ALIKE))


def issuer_read_alike(unit: Unit, issuer: str, date: dt.date | None) -> bool:
    """An OCR'd header that holds the unit's (long) name once spaces, punctuation and letters OCR
    confuses are set aside, with one letter lost or misread per 12 (`BAN QUẢNIÝ „ AN TOÀN THỤC
    PHẨM`, `SỞ VĂN HÓA VÀ TH THAO`), followed by at most a little noise or the home city; another
    province's namesake stays another body."""
    header = _letters(issuer)
    tails = {""} | {_letters(f"{kind} {place}") for place in _home_places(unit) for kind in ("thanh pho", "tinh", "")}
    for name, _ in _names_valid_on(unit, date):
        key = _letters(name)
        if len(key) < _READ_ALIKE_MIN:
            continue
        for end in _ends_within(key, header, len(key) // _READ_ALIKE_MIN):
            rest = header[end:]
            if any(rest.startswith(tail) and len(rest) - len(tail) <= _NOISE for tail in tails):
                return True
    return False


def _ends_within(key: str, text: str, edits: int) -> list[int]:
    """Where in `text` a copy of `key` with at most `edits` letters changed, lost or added ends
    (edit distance with a free start in `text`)."""
    previous = [0] * (len(text) + 1)
    for i, letter in enumerate(key, 1):
        current = [i] + [0] * len(text)
        for j, other in enumerate(text, 1):
            current[j] = min(previous[j - 1] + (letter != other), previous[j] + 1, current[j - 1] + 1)
        previous = current
    return [j for j, cost in enumerate(previous) if cost <= edits]


def identify_issuer(units: list[Unit], issuer: str | None, symbol_issuer: str | None, date: dt.date | None) -> str | None:
    """The code of the unit that issued a document, when it is one of ours."""
    if not issuer and not symbol_issuer:
        return None
    matches = [u.code for u in units if issuer_matches(u, issuer, None if issuer else symbol_issuer, date)]
    return matches[0] if len(matches) == 1 else None


def symbol_issuer(symbol: str | None) -> str | None:
    """The issuer part of a symbol: KH-SYT -> SYT (after the type); SYT-VP (công văn) -> SYT."""
    if not symbol:
        return None
    first, second = symbol_parts(symbol)
    kind = canonical_type(first)
    return second if kind and kind != "CV" else first
