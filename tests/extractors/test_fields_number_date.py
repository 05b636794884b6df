"""Number/symbol and issue-date parsers on strings as text layers and Tesseract give them."""

from __future__ import annotations

import datetime as dt

import pytest

from kiemchung.extractors.fields.dates import has_blank_date, match_place_date, parse_claimed_date
from kiemchung.extractors.fields.number import looks_like_number_line, match_number, number_key


@pytest.mark.parametrize(
    ("line", "value", "symbol"),
    [
        ("Số: 05/KH-SYT", "05/KH-SYT", "KH-SYT"),
        ("Số: 2536 /QĐ-UBND", "2536/QĐ-UBND", "QĐ-UBND"),  # e-office stamps the number apart
        ("Số: 07/2025/QĐ-UBND", "07/2025/QĐ-UBND", "QĐ-UBND"),  # legal documents carry the year
        ("Số: 45/SYT-VP", "45/SYT-VP", "SYT-VP"),  # công văn: issuer first
        ("Số: 156 -CV/TĐTN-BCTĐ&TTN", "156-CV/TĐTN-BCTĐ&TTN", "TĐTN-BCTĐ&TTN"),  # party style
        ("Số: 511/TTr-CAT(PC04) Lâm Đồng, ngày 23", "511/TTr-CAT(PC04)", "TTr-CAT(PC04)"),
        ("Số: 12 / KH - SYT", "12/KH-SYT", "KH-SYT"),
        # OCR confusions: Đ read as 4 or Ð (U+00D0), l for 1, O for 0, S6 / Sô for Số
        ("Số: 12/Q4-UBND", "12/QĐ-UBND", "QĐ-UBND"),
        ("Số: 12/Q\u00d0-UBND", "12/QĐ-UBND", "QĐ-UBND"),
        ("Số: l2/QĐ-UBND", "12/QĐ-UBND", "QĐ-UBND"),
        ("S6: 1O5/KH-SYT", "105/KH-SYT", "KH-SYT"),
        ("Sô: 89/QĐ-SYT", "89/QĐ-SYT", "QĐ-SYT"),
        ("SỐ: 12/QĐ-UBND", "12/QĐ-UBND", "QĐ-UBND"),  # a TCVN3 .VnTimeH line upper-cased
        ("Số: 45/QĐĐ-SYT", "45/QĐ-SYT", "QĐ-SYT"),  # Tesseract doubles the stroked Đ
        ("Số:1906 /SGDĐT-CTrTT Đà Nẵng, ngày 26tháng 7 năm 2020", "1906/SGDĐT-CTrTT", "SGDĐT-CTrTT"),
    ],
)
def test_number_lines(line: str, value: str, symbol: str) -> None:
    found = match_number(line)
    assert found is not None
    assert (found.value, found.symbol) == (value, symbol)


def test_blank_number_of_a_draft_keeps_its_symbol() -> None:
    found = match_number("Số:        /TTr-SNV")
    assert found is not None
    assert found.value is None
    assert found.symbol == "TTr-SNV"


@pytest.mark.parametrize(
    "line",
    [
        "ĐẾN Số: 17026/VP Ngày: 23-10-2025",  # the red incoming-mail stamp
        "Đến Số: 17026/VP",
        "căn cứ Quyết định số 2901/QĐ-UBND",  # lower-case `số` in the body
        "Số: 17026",  # no symbol
    ],
)
def test_not_the_document_number(line: str) -> None:
    assert match_number(line) is None


def test_incoming_stamp_before_the_real_number_is_skipped() -> None:
    found = match_number("ĐẾN Số: 1/VP Số: 45/SYT-VP")
    assert found is not None and found.value == "45/SYT-VP"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Số 131/KH-SYT", "131/KH-SYT"), ("45/QD-SYT", "45/QĐ-SYT"), ("5/KH-UBND", "05/KH-UBND"), ("1523 / SYT-VP", "1523/SYT-VP")],
)
def test_number_key_equal_as_units_type_them(a: str, b: str) -> None:
    assert number_key(a) == number_key(b)


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Đà Nẵng, ngày 05 tháng 3 năm 2024", dt.date(2024, 3, 5)),
        ("Đà Nẵng, ngày 1 tháng12 năm 2024", dt.date(2024, 12, 1)),
        ("Đà Nẵng, ngày 26tháng 7 năm 2020", dt.date(2020, 7, 26)),
        ("Hà Nội, ngày O5 tháng l2 năm 2024", dt.date(2024, 12, 5)),  # OCR O/l in digits
        ("Số: 45/SYT-VP Đà Nẵng, ngày 18 tháng 09 năm 2024", dt.date(2024, 9, 18)),
    ],
)
def test_place_date(line: str, date: dt.date) -> None:
    found = match_place_date(line)
    assert found is not None and found[0] == date


@pytest.mark.parametrize(
    "line",
    [
        "Đà Nẵng, ngày 31 tháng 02 năm 2024",  # impossible: not guessed into March
        "Thời gian ký: 15.03.2024 10:22:31 +07:00",  # the e-signature stamp is no issue date
        "Lâm Đồng, ngày99 tháng 10 năm 2025",  # a handwritten day OCR could not read
    ],
)
def test_no_place_date(line: str) -> None:
    assert match_place_date(line) is None


def test_blank_date_of_a_draft() -> None:
    assert has_blank_date("Đà Nẵng, ngày      tháng      năm 2025")


@pytest.mark.parametrize("typed", ["18/09/2024", "18/9/2024", "2024-09-18", "18-09-2024", "ngày 18 tháng 9 năm 2024"])
def test_claimed_dates_are_day_first(typed: str) -> None:
    assert parse_claimed_date(typed) == dt.date(2024, 9, 18)


@pytest.mark.parametrize(
    ("text", "number_line"),
    [
        ("Số: 45/KH-SYT", True),
        ("Số: 2 SØ /KH-SYT", True),  # handwritten digits misread, `Số:` kept
        ("7?08 /QĐ-SVHTT Đà Nẵng, ngày 23 tháng 8 năm 2024", True),  # `Số:` lost under the ink
        ("1108/QĐ-SVHTT", True),
        ("Căn cứ Nghị định 30/NĐ-CP", False),  # cited in a sentence
        ("SỞ Y TẾ", False),
    ],
)
def test_number_lines_with_and_without_their_so(text: str, number_line: bool) -> None:
    assert looks_like_number_line(text) is number_line
