"""Comparing a run's reports with sample_evidence/expected_flags.csv (unit,row,criterion,codes)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path


def load_expected(path: Path) -> dict[tuple[str, str, str], str]:
    with path.open(encoding="utf-8") as fh:
        return {(r["unit"], r["row"], r["criterion"]): r["codes"] for r in csv.DictReader(fh)}


def actual_from_reports(year_dir: Path) -> dict[tuple[str, str, str], str]:
    """The same table from the report.json files of a local output folder."""
    reports = (json.loads(p.read_text(encoding="utf-8")) for p in sorted(year_dir.glob("*/report.json")))
    return table_of(reports)


def table_of(reports: Iterable[dict]) -> dict[tuple[str, str, str], str]:
    """One entry per dossier row and per row-less flag: (unit, row, criterion) -> codes."""
    found: dict[tuple[str, str, str], set[str]] = {}
    for report in reports:
        unit = report["unit"]["code"]
        for claim in report["claims"]:
            found.setdefault((unit, str(claim["row"]), claim["criterion"]), set())
        for flag in report["flags"]:
            row = "-" if flag["row"] is None else str(flag["row"])
            found.setdefault((unit, row, flag["criterion"] or ""), set()).add(flag["code"])
    return {k: ";".join(sorted(v)) for k, v in found.items()}


def differences(expected: dict, actual: dict) -> list[str]:
    out = []
    for key in sorted(set(expected) | set(actual)):
        if expected.get(key) != actual.get(key):
            out.append(f"{'/'.join(key)}: expected {expected.get(key)!r}, got {actual.get(key)!r}")
    return out
