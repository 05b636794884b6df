"""The dossier (self-assessment): dossier.xlsx (first sheet) or dossier.csv, one row per cited
document. Headers are matched without case or diacritics, in English or Vietnamese.

Every bad row is collected (not just the first) so a unit fixes its dossier in one go.
Formulas are never evaluated: openpyxl gives the cached value, CSV cells stay text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

import openpyxl

from kiemchung.core.errors import ConfigError
from kiemchung.core.model import Claim
from kiemchung.core.text import clean, fold
from kiemchung.extractors.fields.dates import parse_claimed_date

# Column key -> accepted headers (folded). The first two are the contract's; the rest are
# spellings units actually use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "row": ("row", "stt", "so thu tu", "tt"),
    "criterion": ("criterion", "ma tieu chi", "tieu chi", "ma chi so", "chi so"),
    "self_score": ("self_score", "diem tu cham", "tu cham", "diem tu danh gia", "diem"),
    "doc_number": ("doc_number", "so, ky hieu van ban", "so ky hieu van ban", "so, ky hieu", "so ky hieu", "so hieu van ban", "so van ban"),
    "doc_date": ("doc_date", "ngay ban hanh", "ngay van ban", "ngay ky"),
    "doc_title": ("doc_title", "trich yeu", "trich yeu noi dung", "ten van ban"),
    "signer": ("signer", "nguoi ky"),
    "file": ("file", "tep dinh kem", "tep", "tep minh chung", "duong dan tep", "file dinh kem"),
}
REQUIRED = ("criterion", "file")
_HEADER_SEARCH_ROWS = 10
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class DossierResult:
    claims: list[Claim] = field(default_factory=list)
    errors: list[ConfigError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header_key(value: Any) -> str | None:
    folded = re.sub(r"[\s_]+", " ", fold(str(value or ""))).strip(" :*")
    folded_compact = folded.replace(" ", "_")
    for key, names in COLUMNS.items():
        if folded in names or folded_compact in names:
            return key
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs (which UTF-8 and cp1258 text never has) sit on every
    other byte: the high bytes of ASCII letters, digits and separators."""
    head = data[:400]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if len(head) < 8 or odd + even < len(head) // 10:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def _decode_csv(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if encoding := _utf16_without_bom(data):  # Excel's "Unicode text" saved by other tools
        return data.decode(encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Vietnamese Windows saves "CSV" in Windows-1258.
        return data.decode("cp1258", errors="replace")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode_csv(data)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _formula_texts(data: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> formula text, for formula cells Excel never calculated (no cached value).

    A unit that types `=HYPERLINK(…)` or `=1+1` meant text or made a mistake: either way the cell
    is kept as the text typed, never evaluated, and neutralised again when written out.
    """
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    try:
        ws = wb.worksheets[0]
        return {
            (cell.row, cell.column): str(cell.value)
            for row in ws.iter_rows()
            for cell in row
            if cell.data_type == "f" and isinstance(cell.value, str)
        }
    finally:
        wb.close()


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    formulas = _formula_texts(data)
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    try:
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        for (r, c), text in formulas.items():
            if r - 1 < len(rows) and c - 1 < len(rows[r - 1]) and rows[r - 1][c - 1] is None:
                rows[r - 1][c - 1] = text
        # A value in a merged block (criterion spanning rows) belongs to every row of it.
        for merged in ws.merged_cells.ranges:
            value = ws.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                        rows[r - 1][c - 1] = value
        return rows
    finally:
        wb.close()


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, str], list[str]]:
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        mapping = {i: k for i, cell in enumerate(row) if (k := _header_key(cell))}
        if len(set(mapping.values())) >= 2:
            unknown = [str(c).strip() for i, c in enumerate(row) if i not in mapping and c not in (None, "")]
            return index, mapping, unknown
    return -1, {}, []


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean(str(value)).strip()
    return text or None


def _score(value: Any) -> float | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", ".")
    return float(text)  # ValueError is reported with row and column by the caller


def _date(value: Any) -> tuple[dt.date | None, str | None]:
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value.date().isoformat()
    if isinstance(value, dt.date):
        return value, value.isoformat()
    if isinstance(value, int | float) or re.fullmatch(r"\d{5}(\.0+)?", str(value).strip()):
        serial = int(float(value))
        if 20000 < serial < 80000:  # an Excel serial day number (1954..2119)
            return EXCEL_EPOCH + dt.timedelta(days=serial), str(value)
    raw = str(value).strip()
    return parse_claimed_date(raw), raw


def _claim(row_no: int, cells: dict[str, Any], file: str) -> Claim:
    fields: dict[str, Any] = {"row": row_no, "stt": _text(cells.get("row"))}
    fields["criterion"] = _text(cells.get("criterion")) or ""
    for key in ("doc_number", "doc_title", "signer", "file"):
        fields[key] = _text(cells.get(key))
    try:
        fields["self_score"] = _score(cells.get("self_score"))
    except ValueError as exc:
        raise ConfigError(f"điểm tự chấm '{cells.get('self_score')}' không phải là số", file=file, row=row_no, key="Điểm tự chấm") from exc
    try:
        fields["doc_date"], fields["doc_date_raw"] = _date(cells.get("doc_date"))
    except ValueError as exc:
        raise ConfigError(str(exc), file=file, row=row_no, key="Ngày ban hành") from exc
    if not fields["criterion"]:
        raise ConfigError("thiếu mã tiêu chí", file=file, row=row_no, key="Mã tiêu chí")
    return Claim(**fields)


def load_dossier(data: bytes, *, file: str) -> DossierResult:
    """Claims of one dossier; errors carry file, row (1-based data row) and column."""
    result = DossierResult()
    try:
        rows = _xlsx_rows(data) if file.lower().endswith((".xlsx", ".xlsm")) else _csv_rows(data)
    except Exception as exc:  # openpyxl and csv raise many types on broken files
        result.errors.append(ConfigError(f"không đọc được tệp kê khai ({type(exc).__name__}: {exc})", file=file))
        return result
    header_at, mapping, unknown = _find_header(rows)
    if header_at < 0:
        result.errors.append(ConfigError("không tìm thấy dòng tiêu đề cột (Mã tiêu chí, Tệp đính kèm, …)", file=file))
        return result
    missing = [k for k in REQUIRED if k not in mapping.values()]
    if missing:
        names = {"criterion": "Mã tiêu chí (criterion)", "file": "Tệp đính kèm (file)"}
        for key in missing:
            result.errors.append(ConfigError(f"thiếu cột bắt buộc {names[key]}", file=file, row=None, key=names[key]))
        return result
    if unknown:
        result.warnings.append(f"{file}: bỏ qua các cột không nhận ra: {', '.join(unknown)}")
    for offset, row in enumerate(rows[header_at + 1 :], start=1):
        cells = {key: row[i] for i, key in mapping.items() if i < len(row)}
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        try:
            result.claims.append(_claim(offset, cells, file))
        except ConfigError as exc:
            result.errors.append(exc)
    result.warnings.extend(_duplicate_warnings(result.claims, file))
    return result


def _duplicate_warnings(claims: list[Claim], file: str) -> list[str]:
    """Rows that repeat an earlier row exactly (apart from STT): kept, but worth a look."""
    seen: dict[tuple, int] = {}
    warnings = []
    for claim in claims:
        key = tuple(claim.model_dump(exclude={"row", "stt"}).values())
        if key in seen:
            warnings.append(f"{file}: dòng {claim.row} trùng hoàn toàn với dòng {seen[key]} (cùng tiêu chí, văn bản và tệp)")
        else:
            seen[key] = claim.row
    return warnings
