"""Scores: each claim's supported score, per-criterion caps, unit totals, ranks, points at risk."""

from __future__ import annotations

import pytest

from kiemchung.checks.flags import make_flag
from kiemchung.checks.scoring import rank_of, score_unit
from kiemchung.core.model import (
    Claim,
    Criterion,
    EvidenceRule,
    Flag,
    FlagCode,
    Framework,
    Rank,
    Unit,
)

UNIT = Unit(code="SYT", name="Sở Y tế", group="so-nganh")
RANKS = [
    Rank(name="Xuất sắc", min=90),
    Rank(name="Tốt", min=80),
    Rank(name="Khá", min=70),
    Rank(name="Trung bình khá", min=60),
    Rank(name="Trung bình", min=50),
    Rank(name="Yếu", min=0),
]


def _fw(*criteria: tuple[str, float], ranks: list[Rank] = RANKS) -> Framework:
    return Framework(
        id="test-fw",
        name="Bộ chỉ số thử",
        ranks=ranks,
        criteria=[Criterion(code=c, title=f"Tiêu chí {c}", max_points=m, evidence=EvidenceRule()) for c, m in criteria],
    )


def _claim(row: int, criterion: str, score: float | None, file: str | None = "f.pdf") -> Claim:
    return Claim(row=row, criterion=criterion, self_score=score, file=file)


def _flag(code: FlagCode, row: int | None, criterion: str = "1.1") -> Flag:
    return make_flag(code, row=row, criterion=criterion, file=None if row is None else "f.pdf")


def _by_row(results) -> dict[int, float]:
    return {r.row: r.supported_score for r in results}


def test_clean_claim_supports_its_self_score() -> None:
    results, summary = score_unit(UNIT, _fw(("1.1", 6)), [_claim(1, "1.1", 5)], [])
    assert results[0].status == "ok"
    assert (results[0].self_score, results[0].supported_score) == (5, 5)
    assert (summary.self_score, summary.supported_score, summary.points_at_risk) == (5, 5, 0)


def test_warning_keeps_the_score_error_zeroes_it() -> None:
    claims = [_claim(1, "1.1", 3), _claim(2, "1.2", 4)]
    flags = [_flag(FlagCode.TITLE_MISMATCH, 1, "1.1"), _flag(FlagCode.DATE_MISMATCH, 2, "1.2")]
    results, summary = score_unit(UNIT, _fw(("1.1", 6), ("1.2", 4)), claims, flags)
    assert _by_row(results) == {1: 3, 2: 0}
    assert [r.status for r in results] == ["flagged", "flagged"]
    assert (summary.errors, summary.warnings, summary.flagged) == (1, 1, 2)
    assert (summary.self_score, summary.supported_score, summary.points_at_risk) == (7, 3, 4)


def test_missing_file_status() -> None:
    results, _ = score_unit(UNIT, _fw(("1.1", 6)), [_claim(1, "1.1", 6, file=None)], [_flag(FlagCode.MISSING_FILE, 1)])
    assert (results[0].status, results[0].supported_score) == ("missing", 0)


def test_supported_score_capped_at_max_points_self_score_is_not() -> None:
    claims = [_claim(1, "5.1", 10), _claim(2, "5.1", 10)]
    flags = [_flag(FlagCode.SCORE_EXCEEDS_MAX, 1, "5.1")]
    results, summary = score_unit(UNIT, _fw(("5.1", 8)), claims, flags)
    assert _by_row(results) == {1: 0, 2: 8}
    assert (summary.self_score, summary.supported_score, summary.points_at_risk) == (10, 8, 2)


def test_criterion_counts_once_not_per_row() -> None:
    claims = [_claim(1, "7.2", 4), _claim(2, "7.2", 4), _claim(3, "7.2", 4)]
    _, summary = score_unit(UNIT, _fw(("7.2", 4)), claims, [])
    assert (summary.self_score, summary.supported_score) == (4, 4)


def test_criterion_supports_its_best_valid_row() -> None:
    claims = [_claim(1, "2.1", 4), _claim(2, "2.1", 2)]
    results, summary = score_unit(UNIT, _fw(("2.1", 4)), claims, [_flag(FlagCode.NUMBER_MISMATCH, 1, "2.1")])
    assert _by_row(results) == {1: 0, 2: 2}
    assert (summary.self_score, summary.supported_score, summary.points_at_risk) == (4, 2, 2)


def test_score_written_only_on_the_criterions_first_row() -> None:
    # The unit typed 4 once for 2.1 and left the second row's cell blank; the first row fails,
    # the second is clean: the criterion is still evidenced, at the unit's 4 points.
    claims = [_claim(1, "2.1", 4), _claim(2, "2.1", None)]
    results, summary = score_unit(UNIT, _fw(("2.1", 4)), claims, [_flag(FlagCode.SIGNER_NOT_AUTHORIZED, 1, "2.1")])
    assert _by_row(results) == {1: 0, 2: 4}
    assert results[1].self_score is None  # what the unit wrote stays as written
    assert (summary.self_score, summary.supported_score) == (4, 4)


def test_insufficient_evidence_zeroes_the_whole_criterion() -> None:
    claims = [_claim(1, "7.2", 4), _claim(2, "1.1", 6)]
    flags = [_flag(FlagCode.INSUFFICIENT_EVIDENCE, None, "7.2")]
    results, summary = score_unit(UNIT, _fw(("7.2", 4), ("1.1", 6)), claims, flags)
    assert _by_row(results) == {1: 0, 2: 6}
    assert results[0].status == "ok"  # the row itself is clean; the criterion is short of documents
    assert (summary.self_score, summary.supported_score, summary.points_at_risk) == (10, 6, 4)


@pytest.mark.parametrize("code", [FlagCode.UNKNOWN_CRITERION, FlagCode.CRITERION_NOT_APPLICABLE])
def test_unknown_or_inapplicable_criterion_is_out_of_both_totals(code: FlagCode) -> None:
    claims = [_claim(1, "4.3", 5), _claim(2, "1.1", 6)]
    results, summary = score_unit(UNIT, _fw(("1.1", 6)), claims, [_flag(code, 1, "4.3")])
    assert _by_row(results) == {1: 0, 2: 6}
    assert (summary.self_score, summary.supported_score, summary.points_at_risk) == (6, 6, 0)


def test_claim_without_score_counts_zero() -> None:
    results, summary = score_unit(UNIT, _fw(("1.1", 6)), [_claim(1, "1.1", None)], [])
    assert results[0].supported_score == 0
    assert summary.self_score == 0


def test_unit_totals_and_rank_bands_of_self_and_supported() -> None:
    criteria = [("1", 30), ("2", 30), ("3", 30), ("4", 10)]
    claims = [_claim(1, "1", 30), _claim(2, "2", 30), _claim(3, "3", 25.5), _claim(4, "4", 0.5)]
    flags = [_flag(FlagCode.ISSUER_MISMATCH, 3, "3")]
    _, summary = score_unit(UNIT, _fw(*criteria), claims, flags)
    assert summary.self_score == 86
    assert summary.supported_score == 60.5
    assert (summary.rank_self, summary.rank_supported) == ("Tốt", "Trung bình khá")
    assert summary.points_at_risk == 25.5
    assert summary.claims == 4 and summary.flagged == 1


@pytest.mark.parametrize(
    ("points", "rank"),
    [(100, "Xuất sắc"), (90, "Xuất sắc"), (89.99, "Tốt"), (80, "Tốt"), (79.5, "Khá"), (70, "Khá"),
     (69, "Trung bình khá"), (60, "Trung bình khá"), (59.99, "Trung bình"), (50, "Trung bình"),
     (49.99, "Yếu"), (0, "Yếu")],
)
def test_rank_bands(points: float, rank: str) -> None:
    assert rank_of(_fw(), points) == rank


def test_rank_order_in_file_does_not_matter_and_no_band_is_none() -> None:
    shuffled = _fw(ranks=[Rank(name="Yếu", min=0), Rank(name="Tốt", min=80), Rank(name="Khá", min=70)])
    assert rank_of(shuffled, 85) == "Tốt"
    assert rank_of(shuffled, 75) == "Khá"
    no_floor = _fw(ranks=[Rank(name="Đạt", min=50)])
    assert rank_of(no_floor, 49) is None


def test_points_at_risk_never_negative() -> None:
    _, summary = score_unit(UNIT, _fw(("1.1", 6)), [], [])
    assert (summary.self_score, summary.supported_score, summary.points_at_risk) == (0, 0, 0)
    assert summary.rank_self == summary.rank_supported == "Yếu"


def test_points_never_negative_whatever_the_claims_flags_and_decisions() -> None:
    """Seeded random units: scores over the cap, blank, negative or fractional; row errors and
    warnings; criterion-level flags; confirmed, dismissed, pending and stale decisions."""
    import random

    from kiemchung.core.model import Review, ReviewDecision

    rng = random.Random(14)
    framework = _fw(("1.1", 6), ("1.2", 4), ("2.3", 2.5), ("5.1", 8))
    row_codes = [FlagCode.DATE_MISMATCH, FlagCode.TITLE_MISMATCH, FlagCode.SCORE_EXCEEDS_MAX, FlagCode.MISSING_FILE]
    at_risk = lost = 0
    for _ in range(300):
        claims = [
            _claim(row, rng.choice(["1.1", "1.2", "2.3", "5.1"]), rng.choice([None, -2, 0, 1.5, 4, 6, 12]))
            for row in range(1, rng.randint(1, 8) + 1)
        ]
        flags = [_flag(rng.choice(row_codes), c.row, c.criterion) for c in claims if rng.random() < 0.5]
        if rng.random() < 0.3:
            flags.append(_flag(FlagCode.INSUFFICIENT_EVIDENCE, None, rng.choice(["1.1", "2.3"])))
        for flag in flags:
            decision = rng.choice([None, *ReviewDecision])
            if decision is not None:
                flag.review = Review(decision=decision, stale=rng.random() < 0.2)
        _, summary = score_unit(UNIT, framework, claims, flags)
        assert summary.points_at_risk >= 0 and summary.points_confirmed_lost >= 0, (claims, flags, summary)
        assert summary.supported_score >= 0
        at_risk += summary.points_at_risk > 0
        lost += summary.points_confirmed_lost > 0
    assert at_risk > 30 and lost > 30  # the cases really had points at risk and points lost
