"""flags.xlsx, the inspection team's flag list: flags (with the review columns the team fills
and gives back), claims, and the unit's summary, one sheet each.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kiemchung.core.model import Flag, Severity, UnitReport

from .fmt import fmt_datetime, sorted_flags
from .labels import (
    DECISION_LABELS,
    NOT_RANKED,
    ROW_WHOLE_CRITERION,
    STALE_LABEL,
    decision_label,
    flag_label,
    group_label,
    severity_label,
    status_label,
)
from .safe_cells import write_cell
from .xlsx_sheets import BORDER, tone_cells, workbook_bytes, write_table

FLAG_SHEET = "Cảnh báo"
CLAIM_SHEET = "Kê khai"
INFO_SHEET = "Tổng hợp"

FLAG_HEADERS = (
    "STT",
    "Mã tiêu chí",
    "Dòng kê khai",
    "Tệp",
    "Trang",
    "Mã lỗi",
    "Mức độ",
    "Nội dung",
    "Kê khai",
    "Tìm thấy",
    # The review loop: the team fills the last three and gives the file back.
    "Mã cảnh báo",
    "Kết luận",
    "Ghi chú",
    "Người rà soát",
)
REVIEW_HEADERS = FLAG_HEADERS[-4:]
CLAIM_HEADERS = (
    "Dòng kê khai",
    "Mã tiêu chí",
    "Trạng thái",
    "Số lỗi, cảnh báo",
    "Điểm tự chấm",
    "Điểm có minh chứng",
    "Tệp",
)

_REVIEW_FILL = PatternFill("solid", fgColor="2E6B4F")  # the columns the team fills
_STATUS_TONE = {"ok": "ok", "flagged": "warning", "missing": "error"}


def _review_cells(flag: Flag) -> list[Any]:
    """Kết luận, Ghi chú, Người rà soát as carried over; a stale one keeps the old beside it."""
    review = flag.review
    if review is None:
        return [None, None, None]
    if not review.stale:
        return [decision_label(review.decision), review.note, review.by]
    old = f"Kết luận trước: {decision_label(review.decision)}"
    if review.stale_reason:
        old += f" ({review.stale_reason})"
    return [STALE_LABEL, f"{old}. {review.note}" if review.note else old, review.by]


def _flag_row(n: int, flag: Flag) -> list[Any]:
    return [
        n,
        flag.criterion,
        ROW_WHOLE_CRITERION if flag.row is None else flag.row,
        flag.file,
        flag.page,
        str(flag.code),
        severity_label(flag.severity),
        flag.message,
        flag.claimed,
        flag.found,
        flag.id,
        *_review_cells(flag),
    ]


def _decision_dropdown(ws: Worksheet, rows: int) -> None:
    """`Kết luận` offers the three decisions; anything else typed is refused by Excel."""
    col = get_column_letter(FLAG_HEADERS.index("Kết luận") + 1)
    choices = ",".join(DECISION_LABELS.values())
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showDropDown=False)
    dv.error, dv.errorTitle = f"Chọn một trong: {choices}", "Kết luận không hợp lệ"
    dv.prompt, dv.promptTitle = "Xác nhận: lỗi có thật; Bỏ qua: báo nhầm; Chờ bổ sung: đơn vị cần bổ sung", "Kết luận"
    dv.showErrorMessage = dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(f"{col}2:{col}{max(rows + 1, 2)}")


def _flags_sheet(ws: Worksheet, report: UnitReport) -> None:
    flags = sorted_flags(report.flags)
    write_table(
        ws, FLAG_HEADERS, (_flag_row(n, f) for n, f in enumerate(flags, 1)), wrap=("Nội dung", "Ghi chú")
    )
    tone_cols = (FLAG_HEADERS.index("Mã lỗi") + 1, FLAG_HEADERS.index("Mức độ") + 1)
    for r, flag in enumerate(flags, start=2):
        tone_cells(ws, r, tone_cols, "error" if flag.severity == Severity.ERROR else "warning")
    for name in REVIEW_HEADERS[1:]:
        ws.cell(row=1, column=FLAG_HEADERS.index(name) + 1).fill = _REVIEW_FILL
    ws.column_dimensions[get_column_letter(FLAG_HEADERS.index("Kết luận") + 1)].width = 16
    ws.column_dimensions[get_column_letter(FLAG_HEADERS.index("Người rà soát") + 1)].width = 20
    ws.column_dimensions[get_column_letter(FLAG_HEADERS.index("Ghi chú") + 1)].width = 40
    _decision_dropdown(ws, len(flags))


def _claims_sheet(ws: Worksheet, report: UnitReport) -> None:
    per_row = Counter(f.row for f in report.flags if f.row is not None)
    claims = sorted(report.claims, key=lambda c: c.row)
    rows = (
        [
            c.row,
            c.criterion,
            status_label(c.status),
            per_row.get(c.row, 0),
            c.self_score,
            c.supported_score,
            c.file,
        ]
        for c in claims
    )
    write_table(ws, CLAIM_HEADERS, rows)
    status_col = CLAIM_HEADERS.index("Trạng thái") + 1
    for r, claim in enumerate(claims, start=2):
        tone_cells(ws, r, (status_col,), _STATUS_TONE.get(claim.status, "warning"))


def _info_rows(report: UnitReport) -> list[tuple[str, Any]]:
    s, p = report.summary, report.processing
    rows: list[tuple[str, Any]] = [
        ("Đơn vị", report.unit.name),
        ("Mã đơn vị", report.unit.code),
        ("Nhóm", group_label(report.unit.group)),
        ("Năm đánh giá", report.year),
        ("Bộ chỉ số", report.framework),
        ("Số dòng kê khai", s.claims),
        ("Số dòng có cảnh báo", s.flagged),
        ("Số lỗi", s.errors),
        ("Số cảnh báo", s.warnings),
        ("Điểm tự chấm", s.self_score),
        ("Điểm có minh chứng", s.supported_score),
        ("Xếp loại tự chấm", s.rank_self or NOT_RANKED),
        ("Xếp loại theo minh chứng", s.rank_supported or NOT_RANKED),
        ("Điểm có nguy cơ bị trừ", s.points_at_risk),
        ("Điểm bị trừ đã xác nhận", s.points_confirmed_lost),
        ("Cảnh báo đã rà soát", s.reviewed),
        ("Cảnh báo chưa rà soát", s.unreviewed),
        ("Cảnh báo cần xem lại", s.stale),
        ("Thời điểm tạo báo cáo", fmt_datetime(report.generated_at)),
        ("Số tệp đã đọc", len(p.processed)),
        ("Số tệp dùng lại kết quả đã lưu", len(p.reused)),
        ("Số tệp xử lý lỗi", len(p.failed)),
    ]
    if p.failed:
        rows.append(("Tệp xử lý lỗi", "\n".join(p.failed)))
    if report.review_notes:
        rows.append(("Nhập kết luận rà soát", "\n".join(report.review_notes)))
    if report.error:  # last: it is toned red
        rows.append(("Không kiểm tra được đơn vị", report.error))
    return rows


def _info_sheet(ws: Worksheet, report: UnitReport) -> None:
    info = _info_rows(report)
    counts = Counter(f.code for f in report.flags)
    by_code = [(flag_label(code), n) for code, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    write_table(ws, ("Mục", "Giá trị"), info, wrap=("Giá trị",))
    start = len(info) + 3
    if by_code:
        title = write_cell(ws, start, 1, "Số lượng theo loại")
        title.font = Font(bold=True)
        for i, (label, n) in enumerate(by_code, start=start + 1):
            write_cell(ws, i, 1, label).border = BORDER
            write_cell(ws, i, 2, n).border = BORDER
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 36)
    for r in range(2, len(info) + 2):
        ws.cell(row=r, column=1).font = Font(bold=True)
    if report.error:
        tone_cells(ws, len(info) + 1, (1, 2), "error")


def render_flags_xlsx(report: UnitReport) -> bytes:
    """`OUT/<year>/<CODE>/flags.xlsx`: flags, claims, and the unit's summary, one sheet each."""
    wb = Workbook()
    flags_ws = wb.active
    flags_ws.title = FLAG_SHEET
    _flags_sheet(flags_ws, report)
    _claims_sheet(wb.create_sheet(CLAIM_SHEET), report)
    _info_sheet(wb.create_sheet(INFO_SHEET), report)
    wb.properties.title = f"Cảnh báo minh chứng - {report.unit.code} - {report.year}"
    wb.properties.creator = "kiemchung"
    return workbook_bytes(wb)
