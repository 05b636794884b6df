"""Document rules: one function per flag family, each returning the flags it raises (never raising).

Each takes a `RowContext`: the claim, its criterion, the unit, the document read off the cited
file and the assessment period. Claimed values are normalised before comparison.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


def _same_number(claimed: str, found: Field) -> bool:
    ocr = found.method == "ocr"
    return number_key(claimed, ocr=ocr) == number_key(found.value, ocr=ocr)


def check_number(ctx: RowContext) -> Iterable[Flag]:
    found = ctx.field("number")
    if found is None:
        yield ctx.flag(FlagCode.NUMBER_NOT_FOUND)
    elif ctx.claim.doc_number and not _same_number(ctx.claim.doc_number, found):
        yield ctx.flag(FlagCode.NUMBER_MISMATCH, field=found, claimed=ctx.claim.doc_number, found=found.value)


def check_date(ctx: RowContext) -> Iterable[Flag]:
    found = ctx.field("date")
    if found is None:
        yield ctx.flag(FlagCode.DATE_NOT_FOUND)
        return
    date = ctx.doc_date
    if ctx.claim.doc_date and ctx.claim.doc_date != date:
        yield ctx.flag(
            FlagCode.DATE_MISMATCH,
            field=found,
            claimed=ctx.claim.doc_date_raw or format_vn(ctx.claim.doc_date),
            found=format_vn(date),
        )
    start, end = ctx.period
    if ctx.criterion.evidence.in_period and date and not start <= date <= end:
        yield ctx.flag(
            FlagCode.DATE_OUTSIDE_PERIOD,
            field=found,
            claimed=ctx.claim.doc_date_raw,
            found=format_vn(date),
            period=f"{format_vn(start)} - {format_vn(end)}",
        )


def check_signer(ctx: RowContext) -> Iterable[Flag]:
    signer = ctx.field("signer")
    if signer is None:
        yield ctx.flag(FlagCode.SIGNER_NOT_FOUND)
        return
    if ctx.claim.signer and not same_name(ctx.claim.signer, signer.value):
        yield ctx.flag(FlagCode.SIGNER_MISMATCH, field=signer, claimed=ctx.claim.signer, found=signer.value)
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
    elif find_leader(ctx.unit, signer.value) is None:
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
    if verdict is False:
        # Without a readable header name the symbol decided: say so, with its page.
        where, found = (issuer, issuer.value) if issuer else (symbol, by_symbol)
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
