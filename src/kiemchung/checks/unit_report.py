"""Assembling a unit's report from its claims, documents and flags (pure)."""

from __future__ import annotations

import datetime as dt

from kiemchung.checks.people import identify_issuer, symbol_issuer
from kiemchung.checks.review import ReviewState, apply_reviews, identify_flags
from kiemchung.checks.scoring import score_unit
from kiemchung.core.model import (
    Claim,
    Document,
    Flag,
    FlagCode,
    Framework,
    Processing,
    Unit,
    UnitRef,
    UnitReport,
)

_CODE_ORDER = {code: i for i, code in enumerate(FlagCode)}


def sort_flags(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: (f.row is None, f.row or 0, f.criterion or "", _CODE_ORDER[f.code]))


def annotate_issuers(documents: list[Document], units: list[Unit]) -> None:
    """Record which of our units issued each document (the `unit` of the issuer field)."""
    for doc in documents:
        issuer = doc.fields.get("issuer")
        symbol = doc.field_value("symbol")
        date = doc.field_value("date")
        when = dt.date.fromisoformat(date) if date else None
        code = identify_issuer(units, issuer.value if issuer else None, symbol_issuer(symbol), when)
        if issuer is not None and code:
            issuer.unit = code


def assemble_report(
    unit: Unit,
    framework: Framework,
    claims: list[Claim],
    documents: list[Document],
    flags: list[Flag],
    *,
    year: int,
    generated_at: str,
    processing: Processing | None = None,
    reviews: ReviewState | None = None,
    review_notes: list[str] | None = None,
) -> UnitReport:
    """The unit's report: flags with their ids and the team's current decisions, then scores."""
    identified = identify_flags(unit.code, year, claims, documents, flags)
    ordered = sort_flags(apply_reviews(identified, reviews))
    results, summary = score_unit(unit, framework, claims, ordered)
    return UnitReport(
        **_heading(unit, framework, year, generated_at),
        claims=results,
        flags=ordered,
        documents=sorted(documents, key=lambda d: d.file),
        summary=summary,
        processing=processing or Processing(),
        review_notes=review_notes or [],
    )


def _heading(unit: Unit, framework: Framework, year: int, generated_at: str) -> dict[str, object]:
    """Whose report, on what, when: the same in a checked unit's report and a failed one's."""
    return {
        "unit": UnitRef(code=unit.code, name=unit.name, group=unit.group),
        "year": year,
        "framework": framework.id,
        "generated_at": generated_at,
    }


def failed_report(unit: Unit, framework: Framework, *, year: int, generated_at: str, error: str) -> UnitReport:
    """A unit that could not be checked at all: never reported clean (docling's PARTIAL_SUCCESS)."""
    return UnitReport(
        **_heading(unit, framework, year, generated_at),
        error=error,
        processing=Processing(failed=[error]),
    )
