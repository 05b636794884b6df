"""Reading an inspection team's flags.xlsx back: the decisions it carries, row by row.

The file went out as our flag list and comes back through Excel, so anything may have happened
to it. Nothing is evaluated (a formula is refused, never computed), every refused row is named
by spreadsheet row and column, and good rows are kept when others are refused. Pure: bytes in,
decisions and problems out; the flows write the record.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from kiemchung.core.model import Flag, ReviewDecision
from kiemchung.core.text import clean, fold

from ..report.labels import DECISION_LABELS, STALE_LABEL
from ..report.safe_cells import FORMULA_TRIGGERS, QUOTE
from .history import IssuedFlag, RecordedDecision, ReviewState, issued_from
from .ids import parse_flag_id

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_NOTE_CHARS = 2_000
MAX_NAME_CHARS = 200
_HEADER_SEARCH_ROWS = 10

# Column key -> headers accepted (folded): the flags.xlsx names first, then English keys.
REVIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("ma canh bao", "id"),
    "decision": ("ket luan", "decision"),
    "note": ("ghi chu", "note"),
    "by": ("nguoi ra soat", "reviewer", "by"),
}
HEADER_NAMES = {"id": "Mã cảnh báo", "decision": "Kết luận", "note": "Ghi chú", "by": "Người rà soát"}
_DECISIONS: dict[str, ReviewDecision] = {fold(label): d for d, label in DECISION_LABELS.items()}
_DECISIONS.update({d.value: d for d in ReviewDecision})
_STALE = fold(STALE_LABEL)
_TOOL_AUTHORS = {"openpyxl", "kiemchung"}  # writers that are programs, not reviewers
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ImportProblem:
    """A refused row (or the whole file when `row` is None), located as a person finds it."""

    message: str
    row: int | None = None
    column: int | None = None
    header: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column is not None:
            where.append(f"cột {get_column_letter(self.column)} ({self.header})" if self.header else f"cột {get_column_letter(self.column)}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportOutcome:
    decisions: list[RecordedDecision] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    unchanged: int = 0  # rows repeating the decision already recorded: nothing to add
    outdated: int = 0  # decisions on flags whose evidence changed since the list was made

    @property
    def rejected_file(self) -> bool:
        return not self.decisions and any(p.row is None for p in self.problems)


@dataclass
class _Context:
    unit: str
    year: int
    known: dict[str, IssuedFlag]  # every id issued for the unit, the latest report's included
    latest: set[str]  # ids of the latest report
    current: ReviewState | None
    default_by: str | None
    columns: dict[str, int]  # key -> 1-based column
    seen: dict[str, int] = field(default_factory=dict)  # id -> first row


def _key(value: Any) -> str | None:
    folded = re.sub(r"\s+", " ", fold(str(value or ""))).strip(" :*")
    return next((k for k, names in REVIEW_COLUMNS.items() if folded in names), None)


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _CONTROL.sub("", clean(str(value))).strip()
    # flags.xlsx wrote text that looks like a formula with a leading quote: take it off again.
    if text.startswith(QUOTE) and text[1:].lstrip().startswith(FORMULA_TRIGGERS):
        text = text[1:]
    return text[:limit] or None


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f" or isinstance(cell.value, ArrayFormula | DataTableFormula)


def _open(data: bytes) -> tuple[Any, ImportProblem | None]:
    if len(data) > MAX_WORKBOOK_BYTES:
        return None, ImportProblem(f"tệp {len(data) / 2**20:.1f} MB, vượt giới hạn {MAX_WORKBOOK_BYTES // 2**20} MB")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return None, ImportProblem("tệp Excel 97-2003 (.xls): hãy lưu lại dưới dạng .xlsx rồi nhập lại")
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False), None
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        return None, ImportProblem(f"không mở được tệp .xlsx (tệp hỏng hoặc không phải Excel: {type(exc).__name__})")


def _find_table(wb: Any) -> tuple[Any, int, dict[str, int]] | None:
    """(sheet, header row, columns) of the sheet that holds `Mã cảnh báo`, `Cảnh báo` first."""
    sheets = sorted(wb.worksheets, key=lambda ws: fold(ws.title) != fold("Cảnh báo"))
    for ws in sheets:
        for r, row in enumerate(ws.iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True), start=1):
            columns: dict[str, int] = {}
            for c, value in enumerate(row, start=1):
                key = _key(value)
                if key and key not in columns:
                    columns[key] = c
            if "id" in columns:
                return ws, r, columns
    return None


def _file_author(wb: Any) -> str | None:
    """Who last saved the workbook in Excel: the reviewer when neither the column nor --by says."""
    name = _text(getattr(wb.properties, "lastModifiedBy", None), MAX_NAME_CHARS)
    return None if name is None or fold(name) in _TOOL_AUTHORS else name


def _reviewer(cells: dict[str, Any], ctx: _Context) -> str | None:
    return _text(cells.get("by"), MAX_NAME_CHARS) or ctx.default_by


def _problem(ctx: _Context, row: int, key: str, message: str) -> ImportProblem:
    return ImportProblem(message, row=row, column=ctx.columns.get(key), header=HEADER_NAMES[key])


def _id_problem(text: str, ctx: _Context) -> str | None:
    parsed = parse_flag_id(text)
    if parsed is None:
        return f"'{text[:60]}' không phải mã cảnh báo do kiemchung tạo"
    unit, year = parsed
    if unit != ctx.unit:
        return f"mã cảnh báo '{text}' thuộc đơn vị {unit}, không phải {ctx.unit}: không nhập kết luận của đơn vị khác"
    if year != ctx.year:
        return f"mã cảnh báo '{text}' thuộc năm đánh giá {year}, không phải {ctx.year}"
    if text not in ctx.known:
        return f"mã cảnh báo '{text}' không có trong báo cáo nào đã lập cho đơn vị {ctx.unit} năm {ctx.year}"
    return None


def _unchanged(decision: RecordedDecision, ctx: _Context) -> bool:
    current = ctx.current.by_id.get(decision.id) if ctx.current else None
    if current is None:
        return False
    old = current.decision
    return (old.decision, old.note, old.by, old.basis) == (decision.decision, decision.note, decision.by, decision.basis)


def _read_row(row_no: int, cells: dict[str, Any], ctx: _Context) -> RecordedDecision | ImportProblem | None:
    """One row's decision, a problem naming row and column, or None (nothing decided)."""
    # A leading quote is how people force text in a spreadsheet; ids never start with one.
    flag_id = (_text(cells.get("id"), 200) or "").lstrip(QUOTE).strip() or None
    raw = _text(cells.get("decision"), 100)
    note = _text(cells.get("note"), MAX_NOTE_CHARS)
    if raw is None:
        if note and flag_id:
            return _problem(ctx, row_no, "decision", "có ghi chú nhưng chưa chọn Kết luận: dòng này chưa được ghi nhận")
        return None
    if fold(raw) == _STALE:
        return None  # our own marker on a decision whose evidence changed: nothing new
    decision = _DECISIONS.get(fold(raw))
    if decision is None:
        choices = ", ".join(DECISION_LABELS.values())
        return _problem(ctx, row_no, "decision", f"'{raw}' không phải kết luận hợp lệ (chọn một trong: {choices})")
    if flag_id is None:
        return _problem(ctx, row_no, "id", "thiếu mã cảnh báo: không biết kết luận này thuộc cảnh báo nào")
    if message := _id_problem(flag_id, ctx):
        return _problem(ctx, row_no, "id", message)
    if flag_id in ctx.seen:
        return _problem(ctx, row_no, "id", f"mã cảnh báo '{flag_id}' đã có ở dòng {ctx.seen[flag_id]}: chỉ ghi nhận dòng đầu")
    ctx.seen[flag_id] = row_no
    by = _reviewer(cells, ctx)
    if by is None:
        return _problem(ctx, row_no, "by", "chưa ghi người rà soát (điền cột Người rà soát, hoặc dùng --by khi nhập bằng lệnh)")
    flag = ctx.known[flag_id]
    return RecordedDecision(
        id=flag_id,
        decision=decision,
        note=note,
        by=by,
        slot=flag.slot,
        basis=flag.basis,
        row=row_no,
        criterion=flag.criterion,
        code=flag.code,
    )


def read_review_workbook(
    data: bytes,
    *,
    unit: str,
    year: int,
    flags: list[Flag],
    current: ReviewState | None = None,
    default_by: str | None = None,
    issued: dict[str, IssuedFlag] | None = None,
) -> ImportOutcome:
    """The decisions a returned flags.xlsx carries for `unit`'s latest `flags` (with ids).

    An id issued earlier (`issued`) whose flag is no longer in the latest report, because the
    file or the row changed since the list was made, is recorded all the same: the next run
    shows that decision as "Cần xem lại" beside the flag that took its place.
    """
    outcome = ImportOutcome()
    wb, problem = _open(data)
    if problem:
        outcome.problems.append(problem)
        return outcome
    try:
        found = _find_table(wb)
        if found is None:
            outcome.problems.append(ImportProblem("không tìm thấy cột 'Mã cảnh báo': đây không phải flags.xlsx do kiemchung tạo"))
            return outcome
        ws, header_row, columns = found
        if "decision" not in columns:
            outcome.problems.append(ImportProblem("không tìm thấy cột 'Kết luận'", row=header_row))
            return outcome
        ctx = _Context(
            unit=unit,
            year=year,
            known={**(issued or {}), **issued_from(flags)},
            latest={f.id for f in flags if f.id},
            current=current,
            default_by=_text(default_by, MAX_NAME_CHARS) or _file_author(wb),
            columns=columns,
        )
        _read_rows(ws, header_row, ctx, outcome)
    except Exception as exc:  # a sheet that breaks half-way: the rows read stand, the rest is named
        outcome.problems.append(ImportProblem(f"tệp hỏng, đọc dở thì dừng ({type(exc).__name__})"))
    finally:
        wb.close()
    return outcome


def _formula_problem(row_no: int, cell: Any, ctx: _Context) -> ImportProblem:
    header = next((HEADER_NAMES[k] for k, col in ctx.columns.items() if col == cell.column), None)
    message = "ô chứa công thức, không được tính hay ghi nhận: hãy nhập giá trị"
    return ImportProblem(message, row=row_no, column=cell.column, header=header)


def _read_rows(ws: Any, header_row: int, ctx: _Context, outcome: ImportOutcome) -> None:
    wanted = {c: k for k, c in ctx.columns.items()}
    for offset, row in enumerate(ws.iter_rows(min_row=header_row + 1)):
        row_no = header_row + 1 + offset
        if offset >= MAX_ROWS:
            outcome.problems.append(ImportProblem(f"tệp có hơn {MAX_ROWS} dòng: phần sau dòng {row_no - 1} không được đọc"))
            return
        formula = next((c for c in row if _is_formula(c)), None)
        if formula is not None:  # refused whatever the column: nothing in the row is trusted
            outcome.problems.append(_formula_problem(row_no, formula, ctx))
            continue
        cells = {wanted[c.column]: c.value for c in row if getattr(c, "column", None) in wanted}
        if all(v in (None, "") for v in cells.values()):
            continue
        result = _read_row(row_no, cells, ctx)
        if isinstance(result, ImportProblem):
            outcome.problems.append(result)
        elif result is not None and _unchanged(result, ctx):
            outcome.unchanged += 1
        elif result is not None:
            outcome.decisions.append(result)
            outcome.outdated += result.id not in ctx.latest
