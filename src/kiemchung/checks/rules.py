"""Document rules: one function per flag family, each returning the flags it raises (never raising).

Each takes a `RowContext`: the claim, its criterion, the unit, the document read off the cited
file and the assessment period. Claimed values are normalised before comparison.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kiemchung.checks.certainty import is_ocr, is_trusted, names_close, seal_hid_family_name
from kiemchung.checks.flags import make_flag
from kiemchung.checks.people import BY_ORDER, find_leader, issuer_matches, symbol_issuer
from kiemchung.core.model import Claim, Criterion, Document, Field, Flag, FlagCode, Framework, Unit
from kiemchung.core.text import fold, same_name
from kiemchung.extractors.fields.dates import format_vn
from kiemchung.extractors.fields.doctype import TYPE_NAMES, canonical_type
from kiemchung.extractors.fields.number import number_key


@dataclass(frozen=True)
class RowContext:
    claim: Claim
    criterion: Criterion
    unit: Unit
    doc: Document
    framework: Framework
    period: tuple[dt.date, dt.date]

    def flag(self, code: FlagCode, *, field: Field | None = None, **values) -> Flag:
        return make_flag(
            code,
            row=self.claim.row,
            criterion=self.claim.criterion,
            file=self.claim.file,
            page=field.page if field else None,
            **values,
        )

    def field(self, name: str) -> Field | None:
        f = self.doc.fields.get(name)
        return f if f and f.value else None

    @property
    def doc_date(self) -> dt.date | None:
        f = self.field("date")
        return dt.date.fromisoformat(f.value) if f else None


Rule = Callable[[RowContext], Iterable[Flag]]


def _same_number(claimed: str, found: Field, value: str) -> bool:
    ocr = is_ocr(found)
    return number_key(claimed, ocr=ocr) == number_key(value, ocr=ocr)


def _claimed_symbol(claimed: str) -> str:
    return number_key(claimed, ocr=True).partition("/")[2]


def check_number(ctx: RowContext) -> Iterable[Flag]:
    found = ctx.field("number")
    claimed = ctx.claim.doc_number
    if found is None:
        symbol = ctx.field("symbol")
        if claimed and symbol and is_ocr(symbol) and "/" in claimed:
            # The digits were written by hand and stay unread: verify what is printed.
            same = number_key("0/" + symbol.value, ocr=True).partition("/")[2] == _claimed_symbol(claimed)
            variant = "symbol_matches" if same else "symbol_differs"
            yield ctx.flag(FlagCode.NUMBER_UNCERTAIN, field=symbol, variant=variant, claimed=claimed, found=symbol.value)
        else:
            yield ctx.flag(FlagCode.NUMBER_NOT_FOUND)
        return
    if not claimed or _same_number(claimed, found, found.value or ""):
        return
    if any(_same_number(claimed, found, v) for v in found.values_read):
        # One reader read the claim, the combination chose another reading: not wrong, not sure.
        yield ctx.flag(FlagCode.NUMBER_UNCERTAIN, field=found, variant="readers_disagree", claimed=claimed, found=_readings(found))
        return
    if is_trusted(found):
        yield ctx.flag(FlagCode.NUMBER_MISMATCH, field=found, claimed=claimed, found=found.value)
    else:
        yield ctx.flag(FlagCode.NUMBER_UNCERTAIN, field=found, claimed=claimed, found=_readings(found), confidence=_pct(found))


def _pct(field: Field) -> str:
    return f"{round((field.confidence or 0) * 100)}%"


def _readings(field: Field) -> str:
    """The value read, and what each reader read when they differ: `190/CĐ-TTg (Tesseract: 19/CĐ-TTg)`."""
    others = [f"{_READER_NAMES.get(r.reader, r.reader)}: {r.value}" for r in field.readings or [] if r.value and r.value != field.value]
    return f"{field.value} ({'; '.join(others)})" if others else str(field.value)


_READER_NAMES = {"tesseract": "Tesseract", "ppocr": "bộ đọc chữ viết tay"}


def _dates_read(field: Field) -> list[dt.date]:
    """Every full date a reader read (a partial reading `2025-10-??` is none)."""
    return [d for value in field.values_read if (d := _iso_date(value))]


def _date_readings(field: Field) -> str:
    """`21/09/2024 (Tesseract: 18/09/2024)`: each reader's full date where they differ."""
    main = dt.date.fromisoformat(field.value or "")
    others = [
        f"{_READER_NAMES.get(r.reader, r.reader)}: {format_vn(d)}"
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
        yield ctx.flag(code, field=found, claimed=claimed_text, found=format_vn(date), confidence=_pct(found))
    if not (ctx.criterion.evidence.in_period and date):
        return
    # An uncertain day decides nothing: the month (printed, or read by both) must be outside.
    first, last = (date, date) if is_trusted(found) else _month_range(date.isoformat()[:7])
    if _outside(ctx, first, last):
        yield ctx.flag(FlagCode.DATE_OUTSIDE_PERIOD, field=found, claimed=ctx.claim.doc_date_raw, found=format_vn(date), period=_period_text(ctx))


def _units_signer(ctx: RowContext, signer: Field) -> Field:
    """A joint document carries several blocks (`co_signers`, joined with `; `, beside the main
    `signer`): the unit's own is the one it claims, else the one of its leaders."""
    co = ctx.field("co_signers")
    names = [name.strip() for name in co.value.split(";") if name.strip()] if co and co.value else []
    claimed = ctx.claim.signer
    if not names or (claimed and same_name(claimed, signer.value)):
        return signer
    own = next((n for n in names if claimed and same_name(claimed, n)), None)
    if own is None and find_leader(ctx.unit, signer.value) is None:
        own = next((n for n in names if find_leader(ctx.unit, n) is not None), None)
    return signer.model_copy(update={"value": own}) if own else signer


def check_signer(ctx: RowContext) -> Iterable[Flag]:
    signer = ctx.field("signer")
    if signer is None:
        block = ctx.field("signature_block")
        if block is not None and is_ocr(block) and block.page:
            # A scan's block located, its name under the seal or a script font: look, not a verdict.
            yield ctx.flag(FlagCode.SIGNER_UNCERTAIN, field=block, variant="unread")
        else:
            yield ctx.flag(FlagCode.SIGNER_NOT_FOUND)
        return
    claimed = ctx.claim.signer
    signer = _units_signer(ctx, signer)
    if claimed and is_ocr(signer) and seal_hid_family_name(claimed, signer.value):
        signer = signer.model_copy(update={"value": claimed})  # read as far as the seal lets
    if claimed and not same_name(claimed, signer.value):
        close = is_ocr(signer) and names_close(claimed, signer.value)
        # Another of the unit's leaders, read whole, is no misreading of the claimed name: a
        # signature block under a seal reads at low confidence even when it is right.
        sure = is_trusted(signer) or find_leader(ctx.unit, signer.value) is not None
        code = FlagCode.SIGNER_MISMATCH if sure and not close else FlagCode.SIGNER_UNCERTAIN
        yield ctx.flag(code, field=signer, claimed=claimed, found=signer.value, confidence=_pct(signer))
    if ctx.criterion.evidence.signer != "leader":
        return
    authority = ctx.field("signer_authority")
    role = ctx.field("signer_role")
    if authority and authority.value in BY_ORDER:
        yield ctx.flag(
            FlagCode.SIGNER_NOT_AUTHORIZED,
            field=signer,
            variant="by_order",
            found=signer.value,
            authority=authority.value,
        )
    elif ctx.unit.leaders and find_leader(ctx.unit, signer.value) is None:  # no list of leaders: cannot tell
        if is_ocr(signer) and any(seal_hid_family_name(leader.name, signer.value) for leader in ctx.unit.leaders):
            return  # a leader's name, its family name under the seal
        if is_ocr(signer) and any(names_close(leader.name, signer.value) for leader in ctx.unit.leaders):
            # A leader's name misread (the seal over the family name): not a verdict on authority.
            if not (claimed and not same_name(claimed, signer.value)):  # already named above
                yield ctx.flag(FlagCode.SIGNER_UNCERTAIN, field=signer, variant="leader_close", found=signer.value, confidence=_pct(signer))
            return
        yield ctx.flag(
            FlagCode.SIGNER_NOT_AUTHORIZED,
            field=signer,
            variant="not_leader",
            found=signer.value,
            role=role.value if role else "không rõ chức vụ",
            unit=ctx.unit.name,
        )


def check_issuer(ctx: RowContext) -> Iterable[Flag]:
    if ctx.criterion.evidence.issuer != "self":
        return
    issuer = ctx.field("issuer")
    symbol = ctx.field("symbol")
    by_symbol = symbol_issuer(symbol.value) if symbol else None
    verdict = issuer_matches(ctx.unit, issuer.value if issuer else None, by_symbol, ctx.doc_date)
    if verdict is not False:
        return
    # Without a readable header name the symbol decided: say so, with its page.
    where, found = (issuer, issuer.value) if issuer else (symbol, by_symbol)
    symbol_says_ours = bool(by_symbol) and issuer_matches(ctx.unit, None, by_symbol, ctx.doc_date) is True
    if where is not None and is_ocr(where) and (symbol_says_ours or not is_trusted(where)):
        # OCR'd header (seal noise, lost diacritics) that the symbol or a low confidence contradicts.
        yield ctx.flag(FlagCode.ISSUER_UNCERTAIN, field=where, found=found, unit=ctx.unit.name, confidence=_pct(where))
    else:
        yield ctx.flag(FlagCode.ISSUER_MISMATCH, field=where, found=found, unit=ctx.unit.name)


def _type_label(abbr: str) -> str:
    return f"{TYPE_NAMES.get(abbr, abbr).capitalize()} ({abbr})"


def check_doc_type(ctx: RowContext) -> Iterable[Flag]:
    accepted = ctx.criterion.evidence.doc_types
    found = ctx.field("type")
    if not accepted or found is None:
        return
    wanted = {canonical_type(t) or t for t in accepted}
    if found.value not in wanted:
        yield ctx.flag(
            FlagCode.DOC_TYPE_MISMATCH,
            field=found,
            found=_type_label(found.value),
            expected=", ".join(_type_label(t) for t in sorted(wanted)),
        )


def check_title(ctx: RowContext) -> Iterable[Flag]:
    keywords = ctx.criterion.evidence.title_keywords
    if not keywords:
        return
    title = ctx.field("title")
    expected = ", ".join(f"\"{k}\"" for k in keywords)
    if title is None:
        yield ctx.flag(FlagCode.TITLE_MISMATCH, variant="no_title", expected=expected)
    elif not any(fold(k) in fold(title.value) for k in keywords):
        yield ctx.flag(FlagCode.TITLE_MISMATCH, field=title, found=title.value, expected=expected)


def check_digital_signatures(ctx: RowContext) -> Iterable[Flag]:
    broken = [s for s in ctx.doc.signatures if s.intact is False]
    if broken:
        names = ", ".join(s.signer or "không rõ" for s in broken)
        yield ctx.flag(FlagCode.DIGITAL_SIGNATURE_BROKEN, signer=names, found=names)


DOCUMENT_RULES: tuple[Rule, ...] = (
    check_number,
    check_date,
    check_signer,
    check_issuer,
    check_doc_type,
    check_title,
    check_digital_signatures,
)
