"""report.json and summary.json, as section 5 of the contract lays them out."""

from __future__ import annotations

import json
from typing import Any

from kiemchung.core.model import SUMMARY_SCHEMA, UnitReport

from .fmt import now_iso, report_href, sorted_units


def _dump(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_report_json(report: UnitReport) -> bytes:
    """`OUT/<year>/<CODE>/report.json`: UTF-8, Vietnamese kept as is, keys as the contract."""
    return _dump(report.to_json_dict())


def summary_entry(report: UnitReport) -> dict[str, Any]:
    """One unit's line in summary.json."""
    s = report.summary
    entry: dict[str, Any] = {
        "code": report.unit.code,
        "name": report.unit.name,
        "group": report.unit.group,
        "claims": s.claims,
        "flagged": s.flagged,
        "errors": s.errors,
        "warnings": s.warnings,
        "self_score": s.self_score,
        "supported_score": s.supported_score,
        "rank_self": s.rank_self,
        "rank_supported": s.rank_supported,
        "points_at_risk": s.points_at_risk,
        "points_confirmed_lost": s.points_confirmed_lost,
        "reviewed": s.reviewed,
        "unreviewed": s.unreviewed,
        "stale": s.stale,
    }
    if report.error is not None:
        entry["error"] = report.error
    entry["report"] = report_href(report.unit.code)
    return entry


def build_summary(
    reports: list[UnitReport],
    *,
    year: int,
    framework: str,
    generated_at: str | None = None,
) -> dict[str, Any]:
    """`OUT/<year>/summary.json` as a dict: units by group, then supported score high to low."""
    return {
        "schema": SUMMARY_SCHEMA,
        "year": year,
        "framework": framework,
        "generated_at": generated_at or now_iso(),
        "units": [summary_entry(r) for r in sorted_units(reports)],
    }


def render_summary_json(
    reports: list[UnitReport],
    *,
    year: int,
    framework: str,
    generated_at: str | None = None,
) -> bytes:
    """`OUT/<year>/summary.json` as bytes."""
    return _dump(build_summary(reports, year=year, framework=framework, generated_at=generated_at))
