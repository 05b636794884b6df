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
