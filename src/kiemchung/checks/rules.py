"""Document rules: one function per flag family, each returning the flags it raises (never raising).

Each takes a `RowContext` (`checks.row_context`): the claim, its criterion, the unit, the document
read off the cited file and the assessment period. Claimed values are normalised before comparison.
The number, date and signer families have their own modules; the issuer, the document type, the
title and the digital signatures are here, with the list the engine runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiemchung.checks.certainty import confidence_pct, is_ocr, is_trusted
from kiemchung.checks.date_rules import check_date
from kiemchung.checks.number_rules import check_number
from kiemchung.checks.people import issuer_matches, issuer_read_alike, symbol_issuer
from kiemchung.checks.row_context import RowContext, Rule
from kiemchung.checks.signer_rules import check_signer
from kiemchung.core.model import Flag, FlagCode
from kiemchung.core.text import fold
from kiemchung.extractors.fields.doctype import TYPE_NAMES, canonical_type


def check_issuer(ctx: RowContext) -> Iterable[Flag]:
    if ctx.criterion.evidence.issuer != "self":
        return
    issuer = ctx.field("issuer")
    symbol = ctx.field("symbol")
    by_symbol = symbol_issuer(symbol.value) if symbol else None
    verdict = issuer_matches(ctx.unit, issuer.value if issuer else None, by_symbol, ctx.doc_date)
    if verdict is not False:
        return
    if issuer and is_ocr(issuer) and issuer_read_alike(ctx.unit, issuer.value, ctx.doc_date):
        return  # our name under OCR's glued words and look-alike letters
    # Without a readable header name the symbol decided: say so, with its page.
    where, found = (issuer, issuer.value) if issuer else (symbol, by_symbol)
    symbol_says_ours = bool(by_symbol) and issuer_matches(ctx.unit, None, by_symbol, ctx.doc_date) is True
    if where is not None and is_ocr(where) and (symbol_says_ours or not is_trusted(where)):
        # OCR'd header (seal noise, lost diacritics) that the symbol or a low confidence contradicts.
        yield ctx.flag(FlagCode.ISSUER_UNCERTAIN, field=where, found=found, unit=ctx.unit.name, confidence=confidence_pct(where))
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
