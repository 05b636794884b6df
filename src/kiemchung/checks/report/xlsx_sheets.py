"""Sheet plumbing shared by the workbooks: a styled table (header, borders, frozen header,
autofilter, fitted widths, A4 landscape print), tones for error, warning and ok cells, and the
workbook's bytes. Every value goes through `safe_cells.write_cell`, so nothing a unit typed
becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .safe_cells import write_cell

_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "ok": PatternFill("solid", fgColor="C6EFCE"),
}
_FONTS = {
    "error": Font(color="9C0006", bold=True),
    "warning": Font(color="7A4A00", bold=True),
    "ok": Font(color="006100"),
}
_THIN = Side(style="thin", color="D0D7DE")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_MIN_WIDTH, _MAX_WIDTH, _MAX_WRAP_WIDTH = 6, 40, 70


def write_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    wrap: Sequence[str] = (),
) -> int:
    """Header plus rows with borders, frozen header, autofilter and fitted widths; returns rows."""
    for col, name in enumerate(headers, start=1):
        cell = write_cell(ws, 1, col, name)
        cell.fill, cell.font, cell.alignment = _HEADER_FILL, _HEADER_FONT, _WRAP
        cell.border = BORDER
    wrap_cols = {headers.index(name) + 1 for name in wrap}
    count = 0
    for r, values in enumerate(rows, start=2):
        count += 1
        for col, value in enumerate(values, start=1):
            cell = write_cell(ws, r, col, value)
            cell.border = BORDER
            cell.alignment = _WRAP if col in wrap_cols else _TOP
    last = get_column_letter(len(headers))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    _fit_widths(ws, headers, wrap_cols)
    _print_setup(ws)
    return count


def _fit_widths(ws: Worksheet, headers: Sequence[str], wrap_cols: set[int]) -> None:
    for col, name in enumerate(headers, start=1):
        longest = len(name)
        for (value,) in ws.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True):
            if value is not None:
                longest = max(longest, max(len(line) for line in str(value).splitlines() or [""]))
        cap = _MAX_WRAP_WIDTH if col in wrap_cols else _MAX_WIDTH
        ws.column_dimensions[get_column_letter(col)].width = max(_MIN_WIDTH, min(cap, longest + 2))


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def tone_cells(ws: Worksheet, row: int, columns: Iterable[int], tone: str) -> None:
    """Colour the cells of `row` in `columns` as an error, a warning or ok."""
    for col in columns:
        cell = ws.cell(row=row, column=col)
        cell.fill, cell.font = _FILLS[tone], _FONTS[tone]


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
