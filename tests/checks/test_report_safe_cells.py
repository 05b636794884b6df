"""Spreadsheet cells from dossiers and documents can never become formulas."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from kiemchung.checks.report.labels import FLAG_LABELS, flag_label
from kiemchung.checks.report.safe_cells import neutralise, write_cell
from kiemchung.core.model import FlagCode


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x")',
        "+1+2",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "  =1+1",
        "\n@x",
        "＝1+1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_dangerous_text_gets_a_quote(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["131/KH-SYT", "Sở Y tế", "", "a=b", "'=already"])
def test_plain_text_is_unchanged(value: str) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [3, 2.5, -1, None, True, dt.date(2024, 9, 18)])
def test_non_text_is_unchanged(value: object) -> None:
    assert neutralise(value) == value


def test_illegal_control_characters_are_dropped() -> None:
    assert neutralise("Kế\x00 hoạch\x0b") == "Kế hoạch"


def test_written_cells_round_trip_as_strings() -> None:
    wb = Workbook()
    ws = wb.active
    for r, value in enumerate(["=1+1", "-2+3", "@SUM(A1)", " +1", 7, -4.5], start=1):
        write_cell(ws, r, 1, value)
    buf = io.BytesIO()
    wb.save(buf)
    cells = [row[0] for row in load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows()]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "n", "n"]
    assert [c.value for c in cells] == ["'=1+1", "'-2+3", "'@SUM(A1)", "' +1", 7, -4.5]


def test_every_flag_code_has_a_vietnamese_label() -> None:
    assert set(FLAG_LABELS) == set(FlagCode)
    assert FLAG_LABELS[FlagCode.MISSING_FILE] == "Thiếu tệp minh chứng"
    assert flag_label("NOT_A_CODE") == "NOT_A_CODE"
