"""Loaders: units.yaml and framework YAML with located errors, built-in frameworks chosen by year,
and the dossier (CSV and XLSX, English or Vietnamese headers)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from kiemchung.checks.dossier import load_dossier
from kiemchung.checks.engine import assessment_period
from kiemchung.checks.loaders import (
    builtin_frameworks,
    load_framework,
    load_units,
    resolve_framework,
)
from kiemchung.core.errors import ConfigError

UNITS_OK = """\
units:
  - code: SYT
    name: Sở Y tế
    group: so-nganh
    symbol: SYT
    leaders:
      - {name: Ngô Quang Hòa, role: Giám đốc, head: true}
      - {name: Đoàn Thị Thu Hương, role: Phó Giám đốc}
  - code: SKHCN
    name: Sở Khoa học và Công nghệ
    group: so-nganh
    symbol: SKHCN
    aliases:
      - {name: Sở Thông tin và Truyền thông, symbol: STTTT, until: 2025-02-28}
"""

FRAMEWORK_OK = """\
id: test-fw
name: Bộ chỉ số thử
valid_years: [2024]
period: calendar_year
ranks:
  - {name: Tốt, min: 80}
  - {name: Yếu, min: 0}
criteria:
  - code: "1.1"
    title: Kế hoạch chuyển đổi số
    max_points: 6
    evidence: {doc_types: [KH], issuer: self, signer: leader, in_period: true, min_documents: 1}
  - code: "1.2"
    title: Ban Chỉ đạo
    max_points: 4
"""


def _line(text: str, needle: str) -> int:
    """1-based number of the first line of `text` containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _error(call, *args, **kwargs) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        call(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------- units.yaml


def test_units_load_with_leaders_and_dated_aliases() -> None:
    units = load_units(UNITS_OK)
    assert [u.code for u in units] == ["SYT", "SKHCN"]
    assert units[0].leaders[0].head and not units[0].leaders[1].head
    alias = units[1].aliases[0]
    assert (alias.name, alias.symbol, alias.until) == ("Sở Thông tin và Truyền thông", "STTTT", dt.date(2025, 2, 28))


def test_units_bad_group_names_line_and_key() -> None:
    text = UNITS_OK.replace("group: so-nganh\n    symbol: SKHCN", "group: so-ban-nganh\n    symbol: SKHCN")
    err = _error(load_units, text, file="root/units.yaml")
    line = _line(text, "so-ban-nganh")
    assert (err.file, err.row, err.key) == ("root/units.yaml", line, "units[1].group")
    assert "so-nganh" in err.message  # says what is accepted
    assert f"root/units.yaml, dòng {line}" in str(err)


def test_units_duplicate_code_names_the_second_one() -> None:
    text = UNITS_OK.replace("code: SKHCN", "code: SYT")
    err = _error(load_units, text)
    second = _line(text, "Khoa học") - 1
    assert (err.file, err.row, err.key) == ("units.yaml", second, "units[1].code")
    assert "SYT" in err.message and "trùng" in err.message


def test_units_yaml_syntax_error_names_the_line() -> None:
    text = UNITS_OK.replace("name: Sở Y tế", "name: [Sở Y tế")
    err = _error(load_units, text)
    assert err.file == "units.yaml"
    assert err.row == _line(text, "[Sở Y tế") + 1  # where the parser noticed
    assert "YAML không hợp lệ" in err.message


def test_units_missing_key_names_the_unit_and_key() -> None:
    text = UNITS_OK.replace("    name: Sở Y tế\n", "")
    err = _error(load_units, text)
    assert (err.row, err.key) == (2, "units[0].name")


def test_units_missing_units_list() -> None:
    for text in ("", "unit: []\n"):
        err = _error(load_units, text)
        assert err.key == "units"


def test_units_impossible_date_is_a_located_error_not_a_crash() -> None:
    text = UNITS_OK.replace("until: 2025-02-28", "until: 2025-02-30")
    err = _error(load_units, text)
    assert err.row == _line(text, "2025-02-30")
    assert "2025-02-30" in err.message


def test_units_code_unusable_as_folder_name() -> None:
    err = _error(load_units, UNITS_OK.replace("code: SKHCN", "code: ../x"))
    assert (err.row, err.key) == (_line(UNITS_OK, "code: SKHCN"), "units[1].code")


# ---------------------------------------------------------------- framework YAML


def test_framework_loads() -> None:
    fw = load_framework(FRAMEWORK_OK, file="framework.yaml")
    assert fw.id == "test-fw"
    assert fw.criterion("1.1").evidence.signer == "leader"
    assert fw.criterion("1.2").evidence.min_documents == 0  # absent key: no requirement
    assert fw.criterion("9.9") is None


def test_framework_duplicate_criterion_code_is_located() -> None:
    text = FRAMEWORK_OK.replace('code: "1.2"', 'code: "1.1"')
    err = _error(load_framework, text, file="framework.yaml")
    assert (err.file, err.row, err.key) == ("framework.yaml", _line(FRAMEWORK_OK, '"1.2"'), "criteria[1].code")
    assert "1.1" in err.message


def test_framework_bad_value_and_missing_key_are_located() -> None:
    err = _error(load_framework, FRAMEWORK_OK.replace("max_points: 4", "max_points: bốn"), file="f.yaml")
    assert (err.row, err.key) == (_line(FRAMEWORK_OK, "max_points: 4"), "criteria[1].max_points")
    err = _error(load_framework, FRAMEWORK_OK.replace("    title: Ban Chỉ đạo\n", ""), file="f.yaml")
    assert (err.row, err.key) == (_line(FRAMEWORK_OK, '"1.2"'), "criteria[1].title")  # the item
    err = _error(load_framework, FRAMEWORK_OK.replace("evidence: {doc_types", "evidence: {kinds"), file="f.yaml")
    assert err.key == "criteria[0].evidence.kinds"
    err = _error(load_framework, FRAMEWORK_OK.replace("signer: leader", "signer: boss"), file="f.yaml")
    assert (err.row, err.key) == (_line(FRAMEWORK_OK, "signer: leader"), "criteria[0].evidence.signer")


def test_framework_bad_group_in_applies_to() -> None:
    text = FRAMEWORK_OK.replace("    max_points: 4\n", "    max_points: 4\n    applies_to: [so-nganh, xa]\n")
    err = _error(load_framework, text, file="f.yaml")
    assert (err.row, err.key) == (_line(text, "applies_to"), "criteria[1].applies_to[1]")


def test_framework_period_errors_are_located() -> None:
    err = _error(load_framework, FRAMEWORK_OK.replace("period: calendar_year", "period: yearly"), file="f.yaml")
    assert (err.row, err.key) == (_line(FRAMEWORK_OK, "period"), "period")  # no pydantic union tag
    text = FRAMEWORK_OK.replace("period: calendar_year", 'period: {start: "13-01", end: "11-30"}')
    err = _error(load_framework, text, file="f.yaml")
    assert (err.row, err.key) == (_line(FRAMEWORK_OK, "period"), "period.start")
    assert "13-01" in err.message
    text = FRAMEWORK_OK.replace("period: calendar_year", 'period: {start: "03-01", end: "02-29"}')
    err = _error(load_framework, text, file="f.yaml")  # would fail in three years out of four
    assert err.key == "period.end"


def test_framework_yaml_syntax_error() -> None:
    err = _error(load_framework, FRAMEWORK_OK.replace("title: Ban Chỉ đạo", "title: 'Ban Chỉ đạo"), file="f.yaml")
    assert err.file == "f.yaml" and err.row is not None


def test_custom_period_window() -> None:
    text = FRAMEWORK_OK.replace("period: calendar_year", 'period: {start: "12-01", end: "11-30"}')
    fw = load_framework(text, file="f.yaml")
    assert assessment_period(fw, 2024) == (dt.date(2023, 12, 1), dt.date(2024, 11, 30))
    calendar = load_framework(FRAMEWORK_OK, file="f.yaml")
    assert assessment_period(calendar, 2024) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_builtin_frameworks_load_and_are_chosen_by_year() -> None:
    builtins = builtin_frameworks()
    assert {"danang-2023", "danang-2025"} <= set(builtins)
    for fw in builtins.values():
        assert fw.criteria and fw.ranks
    assert resolve_framework(None, year=2023).id == "danang-2023"
    assert resolve_framework(None, year=2024).id == "danang-2023"
    assert resolve_framework(None, year=2025).id == "danang-2025"
    assert resolve_framework(None, year=2026).id == "danang-2025"
    # An explicit id wins over the year.
    assert resolve_framework("danang-2025", year=2024).id == "danang-2025"


def test_framework_from_path_and_from_root(tmp_path: Path) -> None:
    path = tmp_path / "khung.yaml"
    path.write_text(FRAMEWORK_OK, encoding="utf-8")
    assert resolve_framework(str(path), year=1999).id == "test-fw"
    assert resolve_framework("danang-2023", year=2024, root_framework=FRAMEWORK_OK).id == "test-fw"


def test_unknown_framework_and_uncovered_year_are_errors() -> None:
    err = _error(resolve_framework, "danang-1999", year=2024)
    assert "danang-1999" in err.message and "danang-2023" in err.message
    err = _error(resolve_framework, None, year=2019)
    assert "2019" in err.message


def test_root_framework_error_names_framework_yaml() -> None:
    err = _error(resolve_framework, None, year=2024, root_framework="id: x\nname: [\n")
    assert err.file == "framework.yaml"


# ---------------------------------------------------------------- the dossier

VN_HEADER = ["STT", "Mã tiêu chí", "Điểm tự chấm", "Số, ký hiệu văn bản", "Ngày ban hành", "Trích yếu", "Người ký", "Tệp đính kèm"]
EN_HEADER = ["row", "criterion", "self_score", "doc_number", "doc_date", "doc_title", "signer", "file"]


def _csv(header: list[str], rows: list[list[str]], *, bom: bool = True, sep: str = ",") -> bytes:
    def cell(v: str) -> str:
        return f'"{v}"' if sep in v else v

    lines = [sep.join(cell(h) for h in header)] + [sep.join(cell(v) for v in r) for r in rows]
    return ("\ufeff" if bom else "").encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_dossier_csv_with_bom_and_vietnamese_headers() -> None:
    data = _csv(
        VN_HEADER,
        [
            ["1", "1.1", "6", "Số 131 / KH-SYT", "18/9/2024", "Kế hoạch chuyển đổi số", "Ngô Quang Hoà", "van-ban/kh-131.pdf"],
            ["2", "1.2", "4,5", "12/QD-SYT", "2024-06-12", "Quyết định kiện toàn", "Ngô Quang Hòa", ""],
        ],
    )
    result = load_dossier(data, file="dossier.csv")
    assert result.ok, result.errors
    first, second = result.claims
    assert (first.row, first.stt, first.criterion, first.self_score) == (1, "1", "1.1", 6.0)
    assert first.doc_number == "Số 131 / KH-SYT"
    assert (first.doc_date, first.doc_date_raw) == (dt.date(2024, 9, 18), "18/9/2024")
    assert (first.signer, first.file) == ("Ngô Quang Hoà", "van-ban/kh-131.pdf")
    assert second.self_score == 4.5  # decimal comma
    assert second.doc_date == dt.date(2024, 6, 12)
    assert second.file is None  # empty cell = no file


def test_dossier_headers_match_without_case_or_diacritics() -> None:
    header = ["ma tieu chi", "DIEM TU CHAM", "so, ky hieu van ban", "Ngay Ban Hanh", "trich yeu", "NGUOI KY", "Tep dinh kem"]
    data = _csv(header, [["1.1", "6", "131/KH-SYT", "18/09/2024", "Kế hoạch", "Ngô Quang Hòa", "kh.pdf"]], bom=False, sep=";")
    result = load_dossier(data, file="dossier.csv")
    assert result.ok, result.errors
    claim = result.claims[0]
    assert (claim.criterion, claim.self_score, claim.doc_number, claim.file) == ("1.1", 6.0, "131/KH-SYT", "kh.pdf")


def test_dossier_english_keys() -> None:
    data = _csv(EN_HEADER, [["7", "2.1", "3", "05/KH-PTTH", "2024-03-05", "Kế hoạch", "Phan Văn Hiếu", "ho-so/kh.pdf"]])
    claim = load_dossier(data, file="dossier.csv").claims[0]
    assert (claim.row, claim.stt, claim.criterion, claim.file) == (1, "7", "2.1", "ho-so/kh.pdf")


def test_dossier_row_is_position_under_header_not_stt() -> None:
    rows = [
        ["1", "1.1", "6", "1/KH-SYT", "18/09/2024", "a", "x", "a.pdf"],
        ["", "", "", "", "", "", "", ""],  # a blank line still takes a position
        ["5", "1.2", "4", "2/QĐ-SYT", "19/09/2024", "b", "x", "b.pdf"],
    ]
    claims = load_dossier(_csv(VN_HEADER, rows), file="dossier.csv").claims
    assert [(c.row, c.stt) for c in claims] == [(1, "1"), (3, "5")]


def test_dossier_bad_date_is_an_error_with_row_and_column() -> None:
    rows = [
        ["1", "1.1", "6", "1/KH-SYT", "18/09/2024", "a", "x", "a.pdf"],
        ["2", "1.2", "4", "2/QĐ-SYT", "31/02/2024", "b", "x", "b.pdf"],
        ["3", "1.3", "2", "3/BC-SYT", "hôm qua", "c", "x", "c.pdf"],
    ]
    result = load_dossier(_csv(VN_HEADER, rows), file="SYT/dossier.csv")
    assert not result.ok
    assert [(e.file, e.row, e.key) for e in result.errors] == [
        ("SYT/dossier.csv", 2, "Ngày ban hành"),
        ("SYT/dossier.csv", 3, "Ngày ban hành"),
    ]
    assert "31/02/2024" in result.errors[0].message
    assert [c.row for c in result.claims] == [1]  # every bad row collected, good rows kept


def test_dossier_bad_score_is_an_error_with_row_and_column() -> None:
    rows = [["1", "1.1", "sáu", "1/KH-SYT", "18/09/2024", "a", "x", "a.pdf"]]
    result = load_dossier(_csv(VN_HEADER, rows), file="dossier.csv")
    assert [(e.row, e.key) for e in result.errors] == [(1, "Điểm tự chấm")]


def test_dossier_missing_required_column() -> None:
    header = [h for h in VN_HEADER if h != "Tệp đính kèm"]
    result = load_dossier(_csv(header, [["1", "1.1", "6", "1/KH-SYT", "18/09/2024", "a", "x"]]), file="dossier.csv")
    assert not result.ok and not result.claims
    assert "Tệp đính kèm" in result.errors[0].message
    assert result.errors[0].file == "dossier.csv"


def test_dossier_without_header_row() -> None:
    result = load_dossier(b"1.1,6,a.pdf\n1.2,4,b.pdf\n", file="dossier.csv")
    assert not result.ok


def test_dossier_xlsx_written_with_openpyxl() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Bảng tự đánh giá chuyển đổi số năm 2024"])  # a title above the header
    ws.append(VN_HEADER)
    ws.append([1, 1.1, 6, "131/KH-SYT", dt.datetime(2024, 9, 18), "Kế hoạch chuyển đổi số", "Ngô Quang Hòa", "van-ban/kh.pdf"])
    ws.append([2, "1.2", 4, "12/QĐ-SYT", "05/03/2024", "Quyết định", "Ngô Quang Hòa", None])
    buf = io.BytesIO()
    wb.save(buf)
    result = load_dossier(buf.getvalue(), file="dossier.xlsx")
    assert result.ok, result.errors
    first, second = result.claims
    assert (first.row, first.criterion, first.self_score, first.doc_date) == (1, "1.1", 6.0, dt.date(2024, 9, 18))
    assert (second.row, second.criterion, second.doc_date, second.file) == (2, "1.2", dt.date(2024, 3, 5), None)


def test_dossier_xlsx_bad_date_located() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(EN_HEADER)
    ws.append([1, "1.1", 6, "131/KH-SYT", "18/13/2024", "x", "y", "a.pdf"])
    buf = io.BytesIO()
    wb.save(buf)
    result = load_dossier(buf.getvalue(), file="dossier.xlsx")
    assert [(e.row, e.key) for e in result.errors] == [(1, "Ngày ban hành")]


def test_dossier_broken_xlsx_is_an_error_not_a_crash() -> None:
    result = load_dossier(b"PK\x03\x04 not really a workbook", file="dossier.xlsx")
    assert not result.ok and result.errors[0].file == "dossier.xlsx"
