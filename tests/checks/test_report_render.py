"""The report renderers, checked on their real outputs: JSON, XLSX and HTML."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from PIL import Image

from kiemchung.checks.report import (
    FLAG_LABELS,
    build_summary,
    render_flags_xlsx,
    render_index_html,
    render_report_html,
    render_report_json,
    render_summary_json,
    render_summary_xlsx,
)
from kiemchung.checks.report.xlsx_flags import CLAIM_HEADERS, FLAG_HEADERS
from kiemchung.core.model import (
    FLAG_SEVERITY,
    SUMMARY_SCHEMA,
    ClaimResult,
    Document,
    Field,
    Flag,
    FlagCode,
    Processing,
    Summary,
    UnitRef,
    UnitReport,
)

HOSTILE = ['=HYPERLINK("http://x")', "+1+2", "@SUM(A1)", "-2+3", " =1+1", "\t=2+2"]
INJECTED_TITLE = '<script>alert("x")</script> Kế hoạch chuyển đổi số năm 2024'


def _flag(code: FlagCode, row: int | None, message: str, **kw: object) -> Flag:
    return Flag(
        row=row,
        criterion=kw.pop("criterion", "1.1"),
        file=kw.pop("file", "files/kh-cds.pdf"),
        code=code,
        severity=FLAG_SEVERITY[code],
        message=message,
        **kw,
    )


def _png_data_uri() -> str:
    buf = io.BytesIO()
    Image.new("RGB", (4, 2), "white").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@pytest.fixture
def report() -> UnitReport:
    flags = [
        _flag(
            FlagCode.DATE_OUTSIDE_PERIOD,
            1,
            "Văn bản ban hành ngày 28/12/2023, ngoài năm đánh giá 2024 (trang 1)",
            claimed="28/12/2023",
            found="2023-12-28",
            page=1,
        ),
        _flag(
            FlagCode.NUMBER_MISMATCH,
            2,
            "Số, ký hiệu kê khai 131/KH-SYT nhưng văn bản ghi 132/KH-SYT (trang 1)",
            claimed=HOSTILE[0],
            found="132/KH-SYT",
            page=1,
            file="files/kh 2.pdf",
        ),
        _flag(
            FlagCode.SIGNER_MISMATCH,
            2,
            "Người ký kê khai khác người ký trên văn bản (trang 2)",
            claimed=HOSTILE[1],
            found=HOSTILE[4],
            page=2,
            file="files/kh 2.pdf",
        ),
        _flag(
            FlagCode.TITLE_MISMATCH,
            3,
            "Trích yếu không có từ khoá nào của tiêu chí: chuyển đổi số",
            claimed=HOSTILE[2],
            found=HOSTILE[5],
            page=1,
            criterion="2.3",
            file="javascript:alert(1)",
        ),
        _flag(
            FlagCode.DATE_MISMATCH,
            3,
            "Ngày kê khai 18/09/2024 nhưng văn bản ghi 19/09/2024 (trang 1)",
            claimed=HOSTILE[3],
            found="2024-09-19",
            page=1,
            criterion="2.3",
            file="javascript:alert(1)",
        ),
        _flag(
            FlagCode.INSUFFICIENT_EVIDENCE,
            None,
            "Tiêu chí 2.3 cần ít nhất 2 văn bản hợp lệ, chỉ có 0",
            criterion="2.3",
            file=None,
            claimed="2",
            found="0",
        ),
        _flag(
            FlagCode.MISSING_FILE,
            4,
            "Dòng 4 không đính kèm tệp minh chứng",
            criterion="1.10",
            file=None,
        ),
    ]
    claims = [
        ClaimResult(
            row=1,
            criterion="1.1",
            file="files/kh-cds.pdf",
            status="flagged",
            self_score=3,
            supported_score=0,
        ),
        ClaimResult(
            row=2,
            criterion="1.1",
            file="files/kh 2.pdf",
            status="flagged",
            self_score=3,
            supported_score=0,
        ),
        ClaimResult(
            row=3,
            criterion="2.3",
            file="javascript:alert(1)",
            status="flagged",
            self_score=2.5,
            supported_score=0,
        ),
        ClaimResult(
            row=4, criterion="1.10", file=None, status="missing", self_score=1, supported_score=0
        ),
        ClaimResult(
            row=5,
            criterion="3.1",
            file="files/qd.pdf",
            status="ok",
            self_score=4,
            supported_score=4,
        ),
    ]
    doc = Document(
        file="files/kh-cds.pdf",
        sha256="ab" * 32,
        pages=2,
        method="mixed",
        kind="pdf",
        fields={
            "number": Field(
                value="131/KH-SYT",
                page=1,
                bbox=[72.0, 140.2, 190.5, 154.0],
                method="text",
                confidence=1.0,
            ),
            "date": Field(value="2023-12-28", page=1, method="ocr", confidence=0.42),
            "type": Field(value="KH"),
            "issuer": Field(value="SỞ Y TẾ", unit="SYT"),
            "title": Field(value=INJECTED_TITLE, page=1, method="text", confidence=0.9),
            "signer": Field(value="Phan Văn Khải", page=2, method="ocr", confidence=0.8),
            "signer_role": Field(value="Giám đốc"),
            "signer_authority": Field(value="KT."),
        },
    )
    broken = Document(
        file="files/scan-mo.jpg",
        sha256="cd" * 32,
        kind="jpeg",
        error_code="UNREADABLE_FILE",
        error="Ảnh quá mờ, không nhận dạng được chữ",
    )
    return UnitReport(
        unit=UnitRef(code="SYT", name="Sở Y tế", group="so-nganh"),
        year=2024,
        framework="danang-2025",
        generated_at="2026-11-21T23:00:00+07:00",
        claims=claims,
        flags=flags,
        documents=[doc, broken],
        summary=Summary(
            claims=5,
            flagged=3,
            errors=6,
            warnings=1,
            self_score=13.5,
            supported_score=4,
            rank_self="Trung bình",
            rank_supported="Yếu",
            points_at_risk=9.5,
        ),
        processing=Processing(
            processed=["files/kh-cds.pdf"], reused=["files/qd.pdf"], failed=["files/scan-mo.jpg"]
        ),
    )


def _unit(code: str, name: str, group: str, supported: float, **kw: object) -> UnitReport:
    return UnitReport(
        unit=UnitRef(code=code, name=name, group=group),
        year=2024,
        framework="danang-2025",
        generated_at="2026-11-21T23:00:00+07:00",
        summary=Summary(claims=3, supported_score=supported, self_score=supported + 1),
        **kw,
    )


@pytest.fixture
def city(report: UnitReport) -> list[UnitReport]:
    return [
        _unit("UBND-HC", "UBND phường Hải Châu", "phuong-xa", 70),
        report,
        _unit("STC", "Sở Tài chính", "so-nganh", 88),
        _unit("SXD", "Sở Xây dựng <b>", "so-nganh", 0, error="Không đọc được dossier.xlsx"),
        _unit("UBND-TK", "UBND phường Thanh Khê", "phuong-xa", 91),
    ]


# ---------------------------------------------------------------- JSON


def test_report_json_round_trips(report: UnitReport) -> None:
    raw = render_report_json(report)
    text = raw.decode("utf-8")
    data = json.loads(raw)
    assert data == report.to_json_dict()
    assert UnitReport.model_validate(data) == report
    assert data["schema"] == "kiemchung.report/1"
    assert "Sở Y tế" in text  # ensure_ascii=False
    assert '"row": null' in text
    criterion_flag = next(f for f in data["flags"] if f["code"] == "INSUFFICIENT_EVIDENCE")
    assert criterion_flag["row"] is None
    assert "error" not in data


def test_summary_json_orders_units_and_marks_failures(city: list[UnitReport]) -> None:
    data = json.loads(render_summary_json(city, year=2024, framework="danang-2025"))
    assert data["schema"] == SUMMARY_SCHEMA
    assert (data["year"], data["framework"]) == (2024, "danang-2025")
    assert data["generated_at"].endswith("+07:00")
    codes = [u["code"] for u in data["units"]]
    assert codes == ["STC", "SYT", "SXD", "UBND-TK", "UBND-HC"]
    by_code = {u["code"]: u for u in data["units"]}
    assert by_code["SXD"]["error"] == "Không đọc được dossier.xlsx"
    assert "error" not in by_code["SYT"]
    assert by_code["SYT"]["report"] == "SYT/report.html"
    assert by_code["SYT"]["points_at_risk"] == 9.5
    expected = {
        "code", "name", "group", "claims", "flagged", "errors", "warnings", "self_score",
        "supported_score", "rank_self", "rank_supported", "points_at_risk", "report",
        "points_confirmed_lost", "reviewed", "unreviewed", "stale",
    }  # fmt: skip
    assert set(by_code["SYT"]) == expected


def test_build_summary_takes_a_fixed_time(city: list[UnitReport]) -> None:
    when = "2026-11-22T08:00:00+07:00"
    summary = build_summary(city, year=2024, framework="danang-2025", generated_at=when)
    assert summary["generated_at"] == when


# ---------------------------------------------------------------- XLSX


def _assert_no_formula(xlsx: bytes) -> None:
    wb = load_workbook(io.BytesIO(xlsx))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.lstrip().startswith(("=", "+", "-", "@")), cell.value
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", zf.read(name)), name


def test_flags_xlsx_sheets_headers_and_layout(report: UnitReport) -> None:
    wb = load_workbook(io.BytesIO(render_flags_xlsx(report)))
    assert wb.sheetnames == ["Cảnh báo", "Kê khai", "Tổng hợp"]
    flags_ws, claims_ws, info_ws = wb.worksheets
    header = [c.value for c in flags_ws[1]]
    assert header == [
        "STT", "Mã tiêu chí", "Dòng kê khai", "Tệp", "Trang", "Mã lỗi", "Mức độ",
        "Nội dung", "Kê khai", "Tìm thấy", "Mã cảnh báo", "Kết luận", "Ghi chú", "Người rà soát",
    ]  # fmt: skip
    assert tuple(header) == FLAG_HEADERS
    assert [c.value for c in claims_ws[1]] == list(CLAIM_HEADERS)
    for ws in (flags_ws, claims_ws):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert flags_ws.auto_filter.ref == f"A1:N{len(report.flags) + 1}"
    assert flags_ws.max_row == len(report.flags) + 1

    rows = list(flags_ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == list(range(1, len(report.flags) + 1))
    # natural criterion order: 1.1, 1.10, 2.3; the whole-criterion flag leads its criterion
    assert [r[1] for r in rows] == ["1.1", "1.1", "1.1", "1.10", "2.3", "2.3", "2.3"]
    whole = next(r for r in rows if r[5] == "INSUFFICIENT_EVIDENCE")
    assert whole[2] == "Cả tiêu chí"
    assert {r[6] for r in rows} == {"Lỗi", "Cảnh báo"}
    claimed = {r[8] for r in rows}
    assert "'" + HOSTILE[0] in claimed and "'+1+2" in claimed and "'@SUM(A1)" in claimed
    assert "'-2+3" in claimed

    severity_col = FLAG_HEADERS.index("Mức độ") + 1
    fills = {
        flags_ws.cell(row=r, column=severity_col).value: flags_ws.cell(
            row=r, column=severity_col
        ).fill.fgColor.rgb
        for r in range(2, flags_ws.max_row + 1)
    }
    assert fills["Lỗi"] != fills["Cảnh báo"]
    assert flags_ws.cell(row=2, column=FLAG_HEADERS.index("Nội dung") + 1).alignment.wrap_text
    assert 6 <= flags_ws.column_dimensions["H"].width <= 70

    statuses = [r[2] for r in claims_ws.iter_rows(min_row=2, values_only=True)]
    assert statuses == ["Có cảnh báo", "Có cảnh báo", "Có cảnh báo", "Thiếu tệp", "Hợp lệ"]

    info = {r[0]: r[1] for r in info_ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert info["Đơn vị"] == "Sở Y tế"
    assert info["Điểm tự chấm"] == 13.5 and info["Điểm có minh chứng"] == 4
    assert info["Xếp loại theo minh chứng"] == "Yếu"
    assert info["Số tệp dùng lại kết quả đã lưu"] == 1
    assert info["Tệp xử lý lỗi"] == "files/scan-mo.jpg"
    assert info[FLAG_LABELS[FlagCode.DATE_MISMATCH]] == 1


def test_flags_xlsx_never_holds_a_formula(report: UnitReport) -> None:
    report.unit.name = "=cmd|' /C calc'!A0"
    report.documents[0].fields["title"].value = "=1+1"
    report.processing.failed.append("@evil.pdf")
    _assert_no_formula(render_flags_xlsx(report))


def test_flags_xlsx_with_no_flags_still_has_headers(report: UnitReport) -> None:
    report.flags = []
    ws = load_workbook(io.BytesIO(render_flags_xlsx(report)))["Cảnh báo"]
    assert ws.max_row == 1 and ws.auto_filter.ref == "A1:N1"


def test_summary_xlsx_one_row_per_unit(city: list[UnitReport]) -> None:
    city[0].unit.name = '=HYPERLINK("http://x","bấm")'
    xlsx = render_summary_xlsx(city)
    _assert_no_formula(xlsx)
    ws = load_workbook(io.BytesIO(xlsx)).active
    assert ws.freeze_panes == "A2"
    codes = [r[1] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert codes == ["STC", "SYT", "SXD", "UBND-TK", "UBND-HC"]
    failed = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "SXD")
    assert "Không đọc được dossier.xlsx" in failed


# ---------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """Collects tags, attributes, text and inline script/style of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.raw: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"script", "style"}:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        (self.raw if self._in else self.text).append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]

    @property
    def body_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _assert_self_contained(page: _Page, html: str) -> None:
    assert page.all("html")[0].get("lang") == "vi"
    assert all("src" not in a for a in page.all("script"))
    assert not page.all("link") and not page.all("iframe") and not page.all("object")
    for img in page.all("img"):
        assert (img.get("src") or "").startswith("data:image/")
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert "fonts.googleapis" not in html


def test_report_html_is_self_contained_and_escaped(report: UnitReport) -> None:
    links = {"files/kh-cds.pdf": "https://minio.example/evidence/2024/SYT/files/kh-cds.pdf"}
    snippet = _png_data_uri()
    snippets = {
        ("files/kh-cds.pdf", "number"): snippet,
        ("files/kh-cds.pdf", "signer"): "https://evil.example/x.png",
    }
    html = render_report_html(report, file_links=links, snippets=snippets)
    page = _parse(html)
    _assert_self_contained(page, html)
    # One inline script: the flag filters by review state; nothing loaded from elsewhere.
    assert len(page.all("script")) == 1 and "data-filter" in "".join(page.raw)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    text = page.body_text
    assert INJECTED_TITLE in text
    for flag in report.flags:
        assert flag.message in text
        if flag.page is not None:
            assert f"trang {flag.page}" in text
        assert FLAG_LABELS[flag.code] in text
    hrefs = [a.get("href") or "" for a in page.all("a")]
    assert links["files/kh-cds.pdf"] in hrefs
    assert "files/kh%202.pdf" in hrefs  # fallback: the relative path, quoted
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    imgs = [i.get("src") for i in page.all("img")]
    assert imgs == [snippet]
    assert "42% · thấp" in text  # low-confidence date
    assert "Sở Y tế" in text and "danang-2025" in text and "2024" in text
    for label in ("Lỗi", "Cảnh báo", "Điểm tự chấm", "Điểm có minh chứng"):
        assert label in text
    assert "9,5" in text  # points at risk, Vietnamese decimal comma
    assert "files/scan-mo.jpg" in text and "Ảnh quá mờ" in text
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))


def test_report_html_does_not_call_a_failed_unit_clean(city: list[UnitReport]) -> None:
    failed = next(r for r in city if r.error)
    text = _parse(render_report_html(failed)).body_text
    assert "Không kiểm tra được đơn vị này" in text
    assert "Không có cảnh báo nào" not in text


def test_index_html_links_every_unit(city: list[UnitReport]) -> None:
    html = render_index_html(city, year=2024, framework="danang-2025")
    page = _parse(html)
    _assert_self_contained(page, html)
    hrefs = {a.get("href") for a in page.all("a")}
    for unit in city:
        assert f"{unit.unit.code}/report.html" in hrefs
    failed_rows = [a for a in page.all("tr") if a.get("class") == "failed"]
    assert len(failed_rows) == 1 and failed_rows[0].get("data-group") == "so-nganh"
    assert "Không đọc được dossier.xlsx" in page.body_text
    assert "Sở Xây dựng <b>" in page.body_text  # escaped, shown as text
    sortable = [a for a in page.all("th") if a.get("scope") == "col"]
    assert len(sortable) >= 8
    assert "addEventListener" in "".join(page.raw)
    groups = {a.get("value") for a in page.all("option")}
    assert groups == {"", "so-nganh", "phuong-xa"}
