"""Renderers for a unit's report and the year's summary: JSON, XLSX and HTML.

Pure functions returning bytes or text; the caller decides where they are written.
"""

from __future__ import annotations

from .html_out import render_index_html, render_report_html
from .json_out import build_summary, render_report_json, render_summary_json, summary_entry
from .labels import FLAG_LABELS, GROUP_LABELS, SEVERITY_LABELS, STATUS_LABELS, flag_label
from .safe_cells import neutralise
from .xlsx_flags import render_flags_xlsx
from .xlsx_summary import render_summary_xlsx

__all__ = [
    "FLAG_LABELS",
    "GROUP_LABELS",
    "SEVERITY_LABELS",
    "STATUS_LABELS",
    "build_summary",
    "flag_label",
    "neutralise",
    "render_flags_xlsx",
    "render_index_html",
    "render_report_html",
    "render_report_json",
    "render_summary_json",
    "render_summary_xlsx",
    "summary_entry",
]
