"""The secretariat's summary workbook: every unit of the year on one sheet."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from kiemchung.core.model import UnitReport

from .fmt import sorted_units
from .labels import NOT_RANKED, group_label
from .xlsx_sheets import tone_cells, workbook_bytes, write_table

UNITS_SHEET = "Tổng hợp đơn vị"

UNIT_HEADERS = (
    "STT",
    "Mã đơn vị",
    "Tên đơn vị",
    "Nhóm",
    "Số dòng kê khai",
    "Dòng có cảnh báo",
    "Lỗi",
    "Cảnh báo",
    "Điểm tự chấm",
    "Điểm có minh chứng",
    "Xếp loại tự chấm",
    "Xếp loại theo minh chứng",
    "Điểm có nguy cơ bị trừ",
    "Cảnh báo đã rà soát",
    "Cảnh báo chưa rà soát",
    "Cần xem lại",
    "Điểm bị trừ đã xác nhận",
    "Lỗi xử lý",
    "Báo cáo",
)


def _unit_row(n: int, report: UnitReport) -> list[Any]:
    s = report.summary
    return [
        n,
        report.unit.code,
        report.unit.name,
        group_label(report.unit.group),
        s.claims,
        s.flagged,
        s.errors,
        s.warnings,
        s.self_score,
        s.supported_score,
        s.rank_self or NOT_RANKED,
        s.rank_supported or NOT_RANKED,
        s.points_at_risk,
        s.reviewed,
        s.unreviewed,
        s.stale,
        s.points_confirmed_lost,
        report.error,
        f"{report.unit.code}/report.html",
    ]


def render_summary_xlsx(reports: list[UnitReport]) -> bytes:
    """Every unit on one sheet, by group then supported score; units that failed in red."""
    wb = Workbook()
    ws = wb.active
    ws.title = UNITS_SHEET
    units = sorted_units(reports)
    write_table(
        ws, UNIT_HEADERS, (_unit_row(n, r) for n, r in enumerate(units, 1)), wrap=("Lỗi xử lý",)
    )
    for r, report in enumerate(units, start=2):
        if report.error:
            tone_cells(ws, r, range(1, len(UNIT_HEADERS) + 1), "error")
        elif report.summary.errors:
            tone_cells(ws, r, (UNIT_HEADERS.index("Lỗi") + 1,), "error")
    wb.properties.creator = "kiemchung"
    return workbook_bytes(wb)
