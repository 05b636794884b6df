"""Writing the outputs: each unit's files (report.json last), then the year's (summary, index)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kiemchung.checks.report import (
    render_flags_xlsx,
    render_index_html,
    render_report_html,
    render_report_json,
    render_summary_json,
    render_summary_xlsx,
)
from kiemchung.core.model import UnitReport
from kiemchung.flows.documents import DocumentSource
from kiemchung.flows.night import Night
from kiemchung.flows.reviews import remember_issued
from kiemchung.storage import LocalStore, ObjectStore, safe_key

log = logging.getLogger(__name__)


def _file_links(report: UnitReport, root: ObjectStore, out: ObjectStore, out_dir_key: str) -> dict[str, str]:
    links = {}
    base_dir = None
    if isinstance(out, LocalStore) and isinstance(root, LocalStore):
        base_dir = str(Path(out.root) / out_dir_key)
    for doc in report.documents:
        key = safe_key(str(report.year), report.unit.code, doc.file)
        try:
            if base_dir:
                links[doc.file] = os.path.relpath(str(Path(root.root) / key), base_dir)
            else:
                links[doc.file] = root.url_for(key)
        except Exception:  # a link is a convenience: the report stands without it
            log.exception("Không tạo được liên kết tới tệp %s của đơn vị %s", doc.file, report.unit.code)
    return links


def report_snippets(report: UnitReport, source: DocumentSource) -> dict[tuple[str, str], str]:
    return {(d.file, name): uri for d in report.documents for name, uri in source.snippets(d).items()}


def _folder(night: Night, *parts: str) -> str:
    prefix = night.settings.reports_prefix.strip("/")
    return safe_key(*(p for p in (prefix, str(night.year), *parts) if p))


def write_unit_outputs(night: Night, report: UnitReport, *, summary_href: str | None = "../index.html") -> str:
    """Write one unit's files; report.json last, so its presence means the set is complete.
    `summary_href`: the year's summary page the report links back to (None: none is written)."""
    folder = _folder(night, report.unit.code)
    links = _file_links(report, night.root, night.out, folder)
    snippets = report_snippets(report, night.source)
    out = night.out
    out.write_bytes(f"{folder}/flags.xlsx", render_flags_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    out.write_bytes(f"{folder}/report.html", render_report_html(report, file_links=links, snippets=snippets, summary_href=summary_href).encode("utf-8"), content_type="text/html; charset=utf-8")
    out.write_bytes(f"{folder}/report.json", render_report_json(report), content_type="application/json")
    remember_issued(out, folder, report.flags)
    return folder


def write_year_outputs(night: Night, reports: list[UnitReport]) -> str:
    """summary.xlsx, index.html and summary.json of the year, after every unit's files."""
    folder = _folder(night)
    framework, year, generated_at = night.framework.id, night.year, night.generated_at
    night.out.write_bytes(f"{folder}/summary.xlsx", render_summary_xlsx(reports))
    night.out.write_bytes(
        f"{folder}/index.html",
        render_index_html(reports, year=year, framework=framework, generated_at=generated_at).encode("utf-8"),
        content_type="text/html; charset=utf-8",
    )
    night.out.write_bytes(
        f"{folder}/summary.json",
        render_summary_json(reports, year=year, framework=framework, generated_at=generated_at),
        content_type="application/json",
    )
    return folder
