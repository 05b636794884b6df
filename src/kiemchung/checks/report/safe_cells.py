"""Spreadsheet cells that can never become formulas (CSV/formula injection).

Numbers, dates and titles in a flag list come from dossiers and documents the units wrote, so
`=HYPERLINK(...)`, `+1+2`, `@SUM(A1)` or `-2+3` must reach the inspector as text.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

# Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula or a DDE
# call; the full-width forms too, which some spreadsheet programs fold to ASCII.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"
# Excel's limit on the characters of a cell.
MAX_CELL_CHARS = 32_767


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could read the text as a formula."""
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip().startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """A cell value that stays data: dangerous strings get a leading `'`; numbers stay numbers.

    Control characters that the XLSX format cannot hold are dropped rather than crashing the
    writer, and over-long text is cut to Excel's limit.
    """
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if is_dangerous(text):
        text = QUOTE + text
    return text[:MAX_CELL_CHARS]


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write a neutralised value; text is stored as a string cell whatever it looks like."""
    cell = ws.cell(row=row, column=column)
    cell.value = neutralise(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
