"""Assembling the year: cross-unit duplicates, each unit's review decisions, scores."""

from __future__ import annotations

from kiemchung.checks.duplicates import duplicate_flags
from kiemchung.checks.unit_report import assemble_report, failed_report
from kiemchung.core.model import UnitReport
from kiemchung.flows.night import Night
from kiemchung.flows.reviews import UnitReviews
from kiemchung.flows.unit_check import UnitCheck


def finish_reports(night: Night, checks: list[UnitCheck], reviews: dict[str, UnitReviews] | None = None) -> list[UnitReport]:
    """Add cross-unit duplicate flags, apply each unit's review decisions and score every unit."""
    reviews = reviews or {}
    framework, year, generated_at = night.framework, night.year, night.generated_at
    preliminary = [
        assemble_report(c.unit, framework, c.claims, c.documents, c.flags, year=year, generated_at=generated_at)
        for c in checks
        if c.error is None
    ]
    extra = duplicate_flags(preliminary)
    unchecked = [c.unit.code for c in checks if c.error is not None]
    reports = []
    for c in checks:
        if c.error is not None:
            reports.append(failed_report(c.unit, framework, year=year, generated_at=generated_at, error=c.error))
            continue
        flags = c.flags + extra.get(c.unit.code, [])
        processing = c.processing.model_copy(deep=True)
        if unchecked:  # never let a partial cross-unit pass look complete
            processing.failed.append(
                f"Đối chiếu trùng lặp giữa các đơn vị chưa đầy đủ: chưa kiểm tra được {', '.join(unchecked)}"
            )
        unit_reviews = reviews.get(c.unit.code, UnitReviews())
        reports.append(
            assemble_report(
                c.unit,
                framework,
                c.claims,
                c.documents,
                flags,
                year=year,
                generated_at=generated_at,
                processing=processing,
                reviews=unit_reviews.state,
                review_notes=unit_reviews.notes,
            )
        )
    return reports
