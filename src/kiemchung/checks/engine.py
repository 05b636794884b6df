"""Checking one unit: its claims against the framework and the documents read off its files.

Pure: no I/O. Every rule runs; flags say expected, found and where. A row whose file is
missing or unreadable gets that one flag, not a cascade of NOT_FOUND flags.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict

from kiemchung.checks.flags import make_flag
from kiemchung.checks.row_context import RowContext
from kiemchung.checks.rules import DOCUMENT_RULES
from kiemchung.core.model import (
    Claim,
    Criterion,
    CustomPeriod,
    Document,
    Flag,
    FlagCode,
    Framework,
    Severity,
    Unit,
)
from kiemchung.extractors.fields.dates import format_vn
from kiemchung.extractors.fields.header import DRAFT_MARKED


def assessment_period(framework: Framework, year: int) -> tuple[dt.date, dt.date]:
    if not isinstance(framework.period, CustomPeriod):
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    sm, sd = (int(x) for x in framework.period.start.split("-"))
    em, ed = (int(x) for x in framework.period.end.split("-"))
    start_year = year - 1 if (sm, sd) > (em, ed) else year
    return dt.date(start_year, sm, sd), dt.date(year, em, ed)


def resolve_cited_file(cited: str | None, available: set[str]) -> str | None:
    """The unit-folder path a dossier cell means: exact, then NFC, slashes and case forgiven."""
    if not cited:
        return None
    candidates = {cited, unicodedata.normalize("NFC", cited)}
    candidates |= {c.replace("\\", "/").lstrip("./") for c in list(candidates)}
    for c in candidates:
        if c in available:
            return c
    lowered = {a.casefold(): a for a in available}
    for c in candidates:
        if c.casefold() in lowered:
            return lowered[c.casefold()]
    return None


def _row_flags(
    claim: Claim,
    criterion: Criterion,
    unit: Unit,
    doc: Document | None,
    framework: Framework,
    period: tuple[dt.date, dt.date],
) -> list[Flag]:
    here = {"row": claim.row, "criterion": claim.criterion, "file": claim.file}
    if not claim.file:
        return [make_flag(FlagCode.MISSING_FILE, variant="no_file", **here)]
    if doc is None:
        return [make_flag(FlagCode.MISSING_FILE, variant="not_found", **here)]
    if not doc.readable:
        code = FlagCode(doc.error_code)
        return [make_flag(code, reason=doc.error, found=doc.kind, **here)]
    if doc.draft:
        marked = doc.field_value("draft") == DRAFT_MARKED
        return [make_flag(FlagCode.DRAFT_DOCUMENT, variant="marked" if marked else "blank", page=1, **here)]
    ctx = RowContext(claim, criterion, unit, doc, framework, period)
    return [flag for rule in DOCUMENT_RULES for flag in rule(ctx)]


def check_claims(
    unit: Unit,
    framework: Framework,
    claims: list[Claim],
    documents: dict[str, Document],
    *,
    year: int,
) -> list[Flag]:
    """All flags of a unit except the cross-unit duplicates (see `duplicates`).

    `documents` maps the resolved file path (as `claim.file` after resolution) to its Document.
    """
    period = assessment_period(framework, year)
    flags: list[Flag] = []
    score_flagged: set[str] = set()
    for claim in claims:
        here = {"row": claim.row, "criterion": claim.criterion, "file": claim.file}
        criterion = framework.criterion(claim.criterion)
        if criterion is None:
            flags.append(make_flag(FlagCode.UNKNOWN_CRITERION, claimed=claim.criterion, framework=framework.id, **here))
            continue
        if criterion.applies_to and unit.group not in criterion.applies_to:
            flags.append(make_flag(FlagCode.CRITERION_NOT_APPLICABLE, group=unit.group, **here))
            continue
        if claim.self_score is not None and claim.self_score > criterion.max_points and claim.criterion not in score_flagged:
            score_flagged.add(claim.criterion)
            flags.append(
                make_flag(
                    FlagCode.SCORE_EXCEEDS_MAX,
                    claimed=_num(claim.self_score),
                    expected=_num(criterion.max_points),
                    **here,
                )
            )
        doc = documents.get(claim.file) if claim.file else None
        flags.extend(_row_flags(claim, criterion, unit, doc, framework, period))
    flags.extend(_insufficient_evidence(unit, framework, claims, flags))
    return flags


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def valid_rows(claims: list[Claim], flags: list[Flag]) -> set[int]:
    """Rows with a readable document and no error-severity flag."""
    bad = {f.row for f in flags if f.row is not None and f.severity == Severity.ERROR}
    return {c.row for c in claims if c.file and c.row not in bad}


def _insufficient_evidence(unit: Unit, framework: Framework, claims: list[Claim], flags: list[Flag]) -> list[Flag]:
    ok_rows = valid_rows(claims, flags)
    by_criterion: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_criterion[claim.criterion].append(claim)
    out = []
    for code, rows in by_criterion.items():
        criterion = framework.criterion(code)
        if criterion is None or (criterion.applies_to and unit.group not in criterion.applies_to):
            continue
        need = criterion.evidence.min_documents
        have = sum(1 for c in rows if c.row in ok_rows)
        if have < need:
            out.append(make_flag(FlagCode.INSUFFICIENT_EVIDENCE, row=None, criterion=code, file=None, expected=need, found=have))
    return out


__all__ = ["assessment_period", "check_claims", "format_vn", "resolve_cited_file", "valid_rows"]
