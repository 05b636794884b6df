"""Bad dossiers: what units really upload as their self-assessment, read or refused clearly."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

import openpyxl
import pytest

from kiemchung.checks.dossier import load_dossier
from kiemchung.checks.report import render_flags_xlsx
from kiemchung.checks.unit_report import assemble_report
from kiemchung.core.model import Flag, FlagCode, Framework, Severity, Unit

pytestmark = pytest.mark.hostile

HEADER = ["STT", "Mã tiêu chí", "Điểm tự chấm", "Số, ký hiệu văn bản", "Ngày ban hành", "Trích yếu", "Người ký", "Tệp đính kèm"]
ROW = ["1", "1.1", "3", "131/KH-SYT", "18/09/2024", "Kế hoạch chuyển đổi số năm 2024", "Phan Văn Khải", "tep/kh-131.pdf"]


def csv_text(rows: list[list[str]], sep: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: precomposed letters where the code page has them,
    else the letter and a combining tone mark (ế = ê + U+0301)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next(m for m in parts if m in TONES)
            out += unicodedata.normalize("NFC", parts.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def xlsx_bytes(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for merged in merges:
        ws.merge_cells(merged)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_missing_required_column_is_an_error_naming_it() -> None:
    rows = [HEADER[:-1], ROW[:-1]]
    result = load_dossier(csv_text(rows).encode(), file="dossier.csv")
    assert not result.ok
    assert [str(e) for e in result.errors] == ["dossier.csv, cột/khóa 'Tệp đính kèm (file)': thiếu cột bắt buộc Tệp đính kèm (file)"]


def test_no_header_row_at_all_is_an_error() -> None:
    result = load_dossier(b"a,b,c\n1,2,3\n", file="dossier.csv")
    assert "không tìm thấy dòng tiêu đề cột" in str(result.errors[0])


def test_unknown_headers_are_ignored_with_a_warning() -> None:
    rows = [[*HEADER, "Ghi chú", "Người nhập"], [*ROW, "xem lại", "An"]]
    result = load_dossier(csv_text(rows).encode(), file="dossier.csv")
    assert result.ok and len(result.claims) == 1
    assert result.warnings == ["dossier.csv: bỏ qua các cột không nhận ra: Ghi chú, Người nhập"]


def test_empty_rows_are_skipped_but_keep_row_numbers() -> None:
    rows = [HEADER, ROW, [""] * 8, ["", " ", "", "", "", "", "", ""], [*ROW[:1], "1.2", *ROW[2:]]]
    result = load_dossier(csv_text(rows).encode(), file="dossier.csv")
    assert [(c.row, c.criterion) for c in result.claims] == [(1, "1.1"), (4, "1.2")]


def test_merged_criterion_and_score_cells_belong_to_every_row() -> None:
    second = [None, None, None, "45/QĐ-SYT", "2024-03-05", "Quyết định", "Phan Văn Khải", "tep/qd-45.pdf"]
    data = xlsx_bytes([HEADER, ROW, second], merges=("B2:B3", "C2:C3"))
    result = load_dossier(data, file="dossier.xlsx")
    assert result.ok
    assert [(c.criterion, c.self_score, c.file) for c in result.claims] == [
        ("1.1", 3.0, "tep/kh-131.pdf"),
        ("1.1", 3.0, "tep/qd-45.pdf"),
    ]


@pytest.mark.parametrize(
    "cell",
    [45553, 45553.0, "45553", dt.datetime(2024, 9, 18), "18/09/2024", "18/9/2024", "2024-09-18", "18-09-2024",
     "18.09.2024", "ngày 18 tháng 9 năm 2024", "2024-09-18 00:00:00", " 18 / 09 / 2024 "],
)
def test_dates_as_serial_numbers_and_text_in_several_formats(cell: object) -> None:
    row = [*ROW[:4], cell, *ROW[5:]]
    result = load_dossier(xlsx_bytes([HEADER, row]), file="dossier.xlsx")
    assert result.ok, result.errors
    assert result.claims[0].doc_date == dt.date(2024, 9, 18)


def test_an_impossible_date_is_an_error_with_row_and_column() -> None:
    row = [*ROW[:4], "31/02/2024", *ROW[5:]]
    result = load_dossier(csv_text([HEADER, row]).encode(), file="dossier.csv")
    assert str(result.errors[0]).startswith("dossier.csv, dòng 1, cột/khóa 'Ngày ban hành': ngày '31/02/2024' không đúng dạng")


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [("utf-8-sig", ","), ("utf-8", ";"), ("utf-16", "\t"), ("utf-16-le", "\t"), ("cp1258", ","), ("cp1258", ";")],
)
def test_csv_encodings_and_separators(encoding: str, sep: str) -> None:
    rows = [HEADER, ROW, [*ROW[:1], "2.1", *ROW[2:6], "Đoàn Thị Thu Hương", "tệp/Báo cáo.pdf"]]
    text = csv_text(rows, sep)
    data = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    if encoding == "cp1258":
        assert b"\xec" in data  # a combining acute: the decomposed form real files have
    result = load_dossier(data, file="dossier.csv")
    assert result.ok, result.errors
    claims = result.claims
    assert [c.criterion for c in claims] == ["1.1", "2.1"]
    assert claims[0].doc_title == "Kế hoạch chuyển đổi số năm 2024"  # NFC, whatever the source form
    assert claims[1].signer == "Đoàn Thị Thu Hương" and claims[1].file == "tệp/Báo cáo.pdf"
    assert claims[0].doc_date == dt.date(2024, 9, 18)


def test_duplicated_rows_are_kept_with_a_warning() -> None:
    rows = [HEADER, ROW, ROW, [*ROW[:1], "1.2", *ROW[2:]]]
    result = load_dossier(csv_text(rows).encode(), file="dossier.csv")
    assert result.ok and len(result.claims) == 3
    assert result.warnings == ["dossier.csv: dòng 2 trùng hoàn toàn với dòng 1 (cùng tiêu chí, văn bản và tệp)"]


@pytest.mark.parametrize("code", ["1.1 ", " 1.1", "1.1\u00a0", "\t1.1", 1.1])
def test_criterion_codes_lose_stray_spaces(code: object) -> None:
    row = [ROW[0], code, *ROW[2:]]
    result = load_dossier(xlsx_bytes([HEADER, row]), file="dossier.xlsx")
    assert result.claims[0].criterion == "1.1"


FORMULAS = ['=HYPERLINK("http://evil.example/x","Bấm vào")', "+1+2", "-2+3", "@SUM(A1:A9)", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_formula_looking_cells_stay_text_and_are_neutralised_in_flags_xlsx(kind: str) -> None:
    rows = [HEADER] + [[str(i + 1), "1.1", "3", f, "18/09/2024", f, f, "tep/kh.pdf"] for i, f in enumerate(FORMULAS)]
    data = csv_text(rows).encode() if kind == "csv" else xlsx_bytes(rows)  # openpyxl stores "=…" as a formula
    result = load_dossier(data, file=f"dossier.{kind}")
    assert result.ok, result.errors
    assert [c.doc_number for c in result.claims] == FORMULAS  # kept as typed, never evaluated
    assert [c.signer for c in result.claims] == FORMULAS

    unit = Unit(code="SYT", name="Sở Y tế", group="so-nganh")
    framework = Framework(id="f", name="f", ranks=[{"name": "Yếu", "min": 0}], criteria=[{"code": "1.1", "title": "t", "max_points": 3}])
    flags = [
        Flag(row=c.row, criterion="1.1", file=c.file, code=FlagCode.NUMBER_MISMATCH, severity=Severity.ERROR,
             message=f"Số văn bản kê khai {c.doc_number}", claimed=c.doc_number, found=c.signer)
        for c in result.claims
    ]
    report = assemble_report(unit, framework, result.claims, [], flags, year=2024, generated_at="2024-12-01T00:00:00+07:00")
    wb = openpyxl.load_workbook(io.BytesIO(render_flags_xlsx(report)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (ws.title, cell.coordinate, cell.value)
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "'" + FORMULAS[0] in texts and "'@SUM(A1:A9)" in texts
