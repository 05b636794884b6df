"""Formatting and ordering shared by the renderers: scores, dates, criterion codes, units."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from kiemchung.core.clock import now_iso  # noqa: F401 - the renderers take it from here
from kiemchung.core.model import UNIT_GROUPS, Flag, Severity, UnitReport

_DIGITS = re.compile(r"(\d+)")


def fmt_score(value: float | None) -> str:
    """Scores as people write them: 3, 2,5 (Vietnamese decimal comma); empty when unknown."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text.replace(".", ",")


def _rewrite_iso(value: str | None, parse: Callable[[str], dt.date], pattern: str) -> str:
    if not value:
        return ""
    try:
        return parse(value).strftime(pattern)
    except ValueError:
        return value


def fmt_date(value: str | None) -> str:
    """ISO dates as dd/mm/yyyy; anything else unchanged."""
    return _rewrite_iso(value, dt.date.fromisoformat, "%d/%m/%Y")


def fmt_datetime(value: str | None) -> str:
    """An ISO timestamp as dd/mm/yyyy HH:MM; anything else unchanged."""
    return _rewrite_iso(value, dt.datetime.fromisoformat, "%d/%m/%Y %H:%M")


def criterion_key(code: str | None) -> tuple[object, ...]:
    """Natural order for criterion codes, so that 1.2 comes before 1.10; no code last."""
    if not code:
        return ((1,),)
    parts = _DIGITS.split(code)
    return ((0,), *((0, int(p)) if p.isdigit() else (1, p) for p in parts if p))


def flag_key(flag: Flag) -> tuple[object, ...]:
    """Criterion, then whole-criterion flags before row flags, row, errors first, code."""
    return (
        criterion_key(flag.criterion),
        -1 if flag.row is None else flag.row,
        0 if flag.severity == Severity.ERROR else 1,
        str(flag.code),
    )


def sorted_flags(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=flag_key)


def group_order(group: str) -> int:
    return UNIT_GROUPS.index(group) if group in UNIT_GROUPS else len(UNIT_GROUPS)


def unit_key(report: UnitReport) -> tuple[object, ...]:
    """By group (the city's order), supported score high to low, units that failed last."""
    return (
        group_order(report.unit.group),
        report.unit.group,
        report.error is not None,
        -report.summary.supported_score,
        report.unit.code,
    )


def sorted_units(reports: list[UnitReport]) -> list[UnitReport]:
    return sorted(reports, key=unit_key)


def report_href(code: str) -> str:
    """Where a unit's report sits relative to the year's index.html and summary.json."""
    return f"{code}/report.html"
