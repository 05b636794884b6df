"""Scores: what a unit claims and what its evidence supports, per claim, criterion and unit.

A claim supports its self score (the criterion's, when its cell is blank) only when no error
flag stands on its row; a criterion supports the best self score among its valid rows, capped
at max_points, and nothing when an error stands on the criterion itself (INSUFFICIENT_EVIDENCE,
unknown, not applicable). The self total is the best claimed score per known criterion, uncapped.
"""

from __future__ import annotations

from collections import defaultdict

from kiemchung.core.model import (
    Claim,
    ClaimResult,
    Flag,
    FlagCode,
    Framework,
    Severity,
    Summary,
    Unit,
)

_CRITERION_BLOCKERS = {FlagCode.INSUFFICIENT_EVIDENCE}
_ROW_BLOCKERS_OF_CLAIM = {FlagCode.UNKNOWN_CRITERION, FlagCode.CRITERION_NOT_APPLICABLE}


def rank_of(framework: Framework, points: float) -> str | None:
    for rank in sorted(framework.ranks, key=lambda r: r.min, reverse=True):
        if points >= rank.min:
            return rank.name
    return None


def _claim_status(claim: Claim, flags: list[Flag]) -> str:
    if any(f.code == FlagCode.MISSING_FILE for f in flags):
        return "missing"
    return "flagged" if flags else "ok"


def score_unit(unit: Unit, framework: Framework, claims: list[Claim], flags: list[Flag]) -> tuple[list[ClaimResult], Summary]:
    by_row: dict[int, list[Flag]] = defaultdict(list)
    criterion_errors: set[str] = set()
    for flag in flags:
        if flag.row is not None:
            by_row[flag.row].append(flag)
        elif flag.code in _CRITERION_BLOCKERS and flag.criterion:
            criterion_errors.add(flag.criterion)
    results: list[ClaimResult] = []
    claimed: dict[str, float] = {}
    supported: dict[str, float] = {}
    for claim in claims:
        if not any(f.code in _ROW_BLOCKERS_OF_CLAIM for f in by_row.get(claim.row, [])):
            claimed[claim.criterion] = max(claimed.get(claim.criterion, 0.0), claim.self_score or 0.0)
    for claim in claims:
        row_flags = by_row.get(claim.row, [])
        has_error = any(f.severity == Severity.ERROR for f in row_flags)
        known = not any(f.code in _ROW_BLOCKERS_OF_CLAIM for f in row_flags)
        # The score is the criterion's: a row that leaves it blank (written once, on the
        # criterion's first row) carries the criterion's score.
        score = claim.self_score if claim.self_score is not None else claimed.get(claim.criterion, 0.0)
        ok = known and not has_error and claim.criterion not in criterion_errors
        row_support = score if ok else 0.0
        criterion = framework.criterion(claim.criterion)
        if criterion is not None:
            row_support = min(row_support, criterion.max_points)
        if ok:
            supported[claim.criterion] = max(supported.get(claim.criterion, 0.0), row_support)
        results.append(
            ClaimResult(
                row=claim.row,
                criterion=claim.criterion,
                file=claim.file,
                status=_claim_status(claim, row_flags),
                self_score=claim.self_score,
                supported_score=row_support,
            )
        )
    self_total = round(sum(claimed.values()), 2)
    supported_total = round(sum(supported.values()), 2)
    summary = Summary(
        claims=len(claims),
        flagged=sum(1 for r in results if r.status != "ok"),
        errors=sum(1 for f in flags if f.severity == Severity.ERROR),
        warnings=sum(1 for f in flags if f.severity == Severity.WARNING),
        self_score=self_total,
        supported_score=supported_total,
        rank_self=rank_of(framework, self_total),
        rank_supported=rank_of(framework, supported_total),
        points_at_risk=round(max(0.0, self_total - supported_total), 2),
    )
    return results, summary
