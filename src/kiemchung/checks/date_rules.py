"""The issue date rules: the claimed date against the one read (or the month and year alone when
the day stays unread), and the date against the assessment period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kiemchung.checks.certainty import confidence_pct, is_trusted, reader_name
from kiemchung.checks.row_context import RowContext
from kiemchung.core.model import Field, Flag, FlagCode
from kiemchung.extractors.fields.dates import format_vn


def _dates_read(field: Field) -> list[dt.date]:
    """Every full date a reader read (a partial reading `2025-10-??` is none)."""
    return [d for value in field.values_read if (d := _iso_date(value))]


def _date_readings(field: Field) -> str:
    """`21/09/2024 (Tesseract: 18/09/2024)`: each reader's full date where they differ."""
    main = dt.date.fromisoformat(field.value or "")
    others = [
        f"{reader_name(r.reader)}: {format_vn(d)}"
        for r in field.readings or []
        if (d := _iso_date(r.value)) and d != main
    ]
    return f"{format_vn(main)} ({'; '.join(others)})" if others else format_vn(main)


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _month_range(partial: str) -> tuple[dt.date, dt.date]:
    """`2025-10` -> first and last day of October 2025; `2025` -> the year."""
    year, _, month = partial.partition("-")
    if not month:
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    first = dt.date(int(year), int(month), 1)
    return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _outside(ctx: RowContext, first: dt.date, last: dt.date) -> bool:
    start, end = ctx.period
    return last < start or first > end


def _period_text(ctx: RowContext) -> str:
    start, end = ctx.period
    return f"{format_vn(start)} - {format_vn(end)}"


def _partial_text(partial: str) -> str:
    year, _, month = partial.partition("-")
    return f"tháng {int(month):02d}/{year}" if month else f"năm {year}"


def check_partial_date(ctx: RowContext, partial: Field) -> Iterable[Flag]:
    """Only month and year (or the year) could be read: compare those, name what is left."""
    first, last = _month_range(partial.value or "")
    claimed = ctx.claim.doc_date
    shown = _partial_text(partial.value or "")
    claimed_text = ctx.claim.doc_date_raw or (format_vn(claimed) if claimed else None)
    if claimed and not first <= claimed <= last:
        yield ctx.flag(FlagCode.DATE_UNCERTAIN, field=partial, variant="partial_differs", claimed=claimed_text, found=shown)
    elif claimed:
        yield ctx.flag(FlagCode.DATE_UNCERTAIN, field=partial, variant="day_unread", claimed=claimed_text, found=shown)
    if ctx.criterion.evidence.in_period and _outside(ctx, first, last):
        yield ctx.flag(FlagCode.DATE_OUTSIDE_PERIOD, field=partial, claimed=claimed_text, found=shown, period=_period_text(ctx))


def check_date(ctx: RowContext) -> Iterable[Flag]:
    found = ctx.field("date")
    if found is None:
        partial = ctx.field("date_partial")
        if partial is not None:
            yield from check_partial_date(ctx, partial)
        else:
            yield ctx.flag(FlagCode.DATE_NOT_FOUND)
        return
    date = ctx.doc_date
    claimed = ctx.claim.doc_date
    claimed_text = ctx.claim.doc_date_raw or (format_vn(claimed) if claimed else None)
    if claimed and claimed != date and claimed in _dates_read(found):
        yield ctx.flag(FlagCode.DATE_UNCERTAIN, field=found, variant="readers_disagree", claimed=claimed_text, found=_date_readings(found))
    elif claimed and claimed != date:
        code = FlagCode.DATE_MISMATCH if is_trusted(found) else FlagCode.DATE_UNCERTAIN
        yield ctx.flag(code, field=found, claimed=claimed_text, found=format_vn(date), confidence=confidence_pct(found))
    if not (ctx.criterion.evidence.in_period and date):
        return
    # An uncertain day decides nothing: the month (printed, or read by both) must be outside.
    first, last = (date, date) if is_trusted(found) else _month_range(date.isoformat()[:7])
    if _outside(ctx, first, last):
        yield ctx.flag(FlagCode.DATE_OUTSIDE_PERIOD, field=found, claimed=ctx.claim.doc_date_raw, found=format_vn(date), period=_period_text(ctx))
