"""index.html: every unit of the year at a glance, for the secretariat.

Filterable by group and sortable by any column with a few lines of inline JS (`static/index.js`);
the markup is `templates/index.html.j2`, this module orders the units and adds up the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from kiemchung.core.model import UnitReport

from .fmt import fmt_datetime, now_iso, report_href, sorted_units
from .html_base import render_page

_COLUMNS = (
    # header, numeric
    ("Đơn vị", False),
    ("Nhóm", False),
    ("Kê khai", True),
    ("Lỗi", True),
    ("Cảnh báo", True),
    ("Điểm tự chấm", True),
    ("Điểm có minh chứng", True),
    ("Xếp loại", True),
    ("Điểm bị trừ đã xác nhận", True),
    ("Điểm có nguy cơ bị trừ", True),
    ("Rà soát", True),
)


@dataclass(frozen=True)
class YearTotals:
    """The summary cards above the table."""

    units: int
    units_with_errors: int
    units_failed: int
    errors: int
    warnings: int
    points_at_risk: float
    reviewed: int
    flags: int
    stale: bool


def _totals(reports: list[UnitReport]) -> YearTotals:
    return YearTotals(
        units=len(reports),
        units_with_errors=sum(r.summary.errors > 0 for r in reports),
        units_failed=sum(r.error is not None for r in reports),
        errors=sum(r.summary.errors for r in reports),
        warnings=sum(r.summary.warnings for r in reports),
        points_at_risk=sum(r.summary.points_at_risk for r in reports),
        reviewed=sum(r.summary.reviewed for r in reports),
        flags=sum(len(r.flags) for r in reports),
        stale=any(r.summary.stale for r in reports),
    )


def _review_done(report: UnitReport) -> float:
    """The share of a unit's flags with a current decision (all done when there are none)."""
    total = len(report.flags)
    return report.summary.reviewed / total if total else 1.0


def _unit_href(code: str) -> str:
    return quote(report_href(code), safe="/")


def render_index_html(
    reports: list[UnitReport],
    *,
    year: int,
    framework: str,
    generated_at: str | None = None,
) -> str:
    """`OUT/<year>/index.html`: one row per unit linking to `<CODE>/report.html`."""
    units = sorted_units(reports)
    return render_page(
        "index.html.j2",
        script="index.js",
        year=year,
        framework=framework,
        generated_at=fmt_datetime(generated_at or now_iso()),
        units=units,
        totals=_totals(units),
        groups=list(dict.fromkeys(r.unit.group for r in units)),
        columns=_COLUMNS,
        review_done=_review_done,
        unit_href=_unit_href,
    )
