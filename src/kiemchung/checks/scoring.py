"""Scores: what a unit claims and what its evidence supports, per claim, criterion and unit.

A claim supports its self score (the criterion's, when its cell is blank) only when no error
flag stands on its row; a criterion supports the best self score among its valid rows, capped
at max_points, and nothing when an error stands on the criterion itself (INSUFFICIENT_EVIDENCE,
unknown, not applicable). The self total is the best claimed score per known criterion, uncapped.

Inspectors' decisions (flag.review) change what stands: a dismissed flag no longer counts, a
confirmed one counts whatever its severity, a stale decision counts as none. The points the
unit claims but its evidence does not support split into points confirmed lost (confirmed
flags alone would take them) and points still at risk (the rest: errors nobody has decided).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from kiemchung.core.model import (
    Claim,
    ClaimResult,
    Flag,
    FlagCode,
    Framework,
    ReviewDecision,
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


def _live(flag: Flag) -> ReviewDecision | None:
    """The decision that counts: none when there is none or it is stale."""
    return flag.review.decision if flag.review and not flag.review.stale else None


def stands(flag: Flag) -> bool:
    """Whether a flag takes points away now: an error nobody dismissed, or anything confirmed."""
    decision = _live(flag)
    if decision is not None and decision != ReviewDecision.PENDING:
        return decision == ReviewDecision.CONFIRMED
    return flag.severity == Severity.ERROR


def confirmed(flag: Flag) -> bool:
    return _live(flag) == ReviewDecision.CONFIRMED


def _valid_rows(claims: list[Claim], criterion: str, bad_rows: set[int]) -> int:
    return sum(1 for c in claims if c.criterion == criterion and c.file and c.row not in bad_rows)


def _blocked_criteria(framework: Framework, claims: list[Claim], flags: list[Flag], blocks: Callable[[Flag], bool]) -> set[str]:
    """Criteria whose whole-criterion flag stands. An INSUFFICIENT_EVIDENCE that is not
    confirmed lapses when decisions leave enough valid rows (a dismissed row flag)."""
    bad_now = {f.row for f in flags if f.row is not None and blocks(f)}
    bad_before = {f.row for f in flags if f.row is not None and f.severity == Severity.ERROR}  # as the rules counted
    out = set()
    for flag in flags:
        if flag.row is not None or flag.code not in _CRITERION_BLOCKERS or not flag.criterion or not blocks(flag):
            continue
        criterion = framework.criterion(flag.criterion)
        need = criterion.evidence.min_documents if criterion else 0
        before, now = (_valid_rows(claims, flag.criterion, bad) for bad in (bad_before, bad_now))
        lapsed = not confirmed(flag) and before < need <= now
        if not lapsed:
            out.add(flag.criterion)
    return out


def _known_claims(claims: list[Claim], by_row: dict[int, list[Flag]]) -> dict[str, float]:
    """Criterion -> the best self score among rows of known, applicable criteria."""
    claimed: dict[str, float] = {}
    for claim in claims:
        if not any(f.code in _ROW_BLOCKERS_OF_CLAIM for f in by_row.get(claim.row, [])):
            claimed[claim.criterion] = max(claimed.get(claim.criterion, 0.0), claim.self_score or 0.0)
    return claimed


def _row_score(claim: Claim, claimed: dict[str, float]) -> float:
    """A row's score: its own, or the criterion's when the unit wrote it on another row only."""
    return claim.self_score if claim.self_score is not None else claimed.get(claim.criterion, 0.0)


def _confirmed_total(
    framework: Framework, claims: list[Claim], flags: list[Flag], by_row: dict[int, list[Flag]], claimed: dict[str, float]
) -> float:
    """The self total with only confirmed flags taking points away (uncapped, like the self total)."""
    blocked = _blocked_criteria(framework, claims, flags, confirmed)
    kept: dict[str, float] = {}
    for claim in claims:
        row_flags = by_row.get(claim.row, [])
        if claim.criterion in blocked or claim.criterion not in claimed or any(confirmed(f) for f in row_flags):
            continue
        if any(f.code in _ROW_BLOCKERS_OF_CLAIM for f in row_flags):
            continue
        kept[claim.criterion] = max(kept.get(claim.criterion, 0.0), _row_score(claim, claimed))
    return sum(kept.values())


def _review_counts(flags: list[Flag]) -> dict[str, int]:
    stale = sum(1 for f in flags if f.review and f.review.stale)
    reviewed = sum(1 for f in flags if f.review and not f.review.stale)
    return {"reviewed": reviewed, "stale": stale, "unreviewed": len(flags) - reviewed - stale}


def score_unit(unit: Unit, framework: Framework, claims: list[Claim], flags: list[Flag]) -> tuple[list[ClaimResult], Summary]:
    by_row: dict[int, list[Flag]] = defaultdict(list)
    for flag in flags:
        if flag.row is not None:
            by_row[flag.row].append(flag)
    criterion_errors = _blocked_criteria(framework, claims, flags, stands)
    results: list[ClaimResult] = []
    claimed = _known_claims(claims, by_row)
    supported: dict[str, float] = {}
    for claim in claims:
        row_flags = by_row.get(claim.row, [])
        has_error = any(stands(f) for f in row_flags)
        known = not any(f.code in _ROW_BLOCKERS_OF_CLAIM for f in row_flags)
        # The score is the criterion's: a row that leaves it blank (written once, on the
        # criterion's first row) carries the criterion's score.
        score = _row_score(claim, claimed)
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
    after_confirmed = round(_confirmed_total(framework, claims, flags, by_row, claimed), 2)
    summary = Summary(
        claims=len(claims),
        flagged=sum(1 for r in results if r.status != "ok"),
        errors=sum(1 for f in flags if f.severity == Severity.ERROR),
        warnings=sum(1 for f in flags if f.severity == Severity.WARNING),
        self_score=self_total,
        supported_score=supported_total,
        rank_self=rank_of(framework, self_total),
        rank_supported=rank_of(framework, supported_total),
        points_at_risk=round(max(0.0, after_confirmed - supported_total), 2),
        points_confirmed_lost=round(max(0.0, self_total - after_confirmed), 2),
        **_review_counts(flags),
    )
    return results, summary
