"""Headers as real documents bring them (issue 11), each phenomenon on documents made here with
it: the words "dự thảo" in an issued document's title and body versus a draft's own mark; stamps
and boxes with a number or a date of their own (ĐẾN, SAO Y, e-signature, HỎA TỐC) and dates cited
in the preamble; three- and four-line issuers; scanner OCR layers too garbled to use; titles on
photos and PNG pages. OCR costs seconds a page: each scan or photo is made once per module."""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from docgen import DocSpec, garble, make_docx, make_pdf, make_photo_jpeg, make_scan_pdf  # noqa: E402

from kiemchung.core.model import Document  # noqa: E402
from kiemchung.extractors.base import ExtractContext, Line  # noqa: E402
from kiemchung.extractors.fields.header import DRAFT_BLANK, DRAFT_MARKED, parse_header  # noqa: E402
from kiemchung.extractors.fields.marks import draft_mark, is_stamp_line  # noqa: E402
from kiemchung.extractors.image import page_image  # noqa: E402
from kiemchung.extractors.reading import read_document  # noqa: E402
from kiemchung.extractors.textlayer import judge_text_layer  # noqa: E402

CTX = ExtractContext()
D = dt.date

# An issued, signed công văn about a draft: "dự thảo" in its title and twice in its body.
GOPY = DocSpec(
    issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    title="góp ý dự thảo Kế hoạch kiểm tra cải cách hành chính năm 2025 trên địa bàn thành phố",
    number="171/SKHCN-CĐS",
    date=D(2025, 1, 16),
    addressees=["Sở Nội vụ"],
    body=[
        "Căn cứ Công văn số 215/SNV-CCHC ngày 14 tháng 01 năm 2025 của Sở Nội vụ về việc lấy ý kiến "
        "dự thảo Kế hoạch kiểm tra cải cách hành chính năm 2025;",
        "Qua nghiên cứu, Sở Khoa học và Công nghệ cơ bản thống nhất với dự thảo Kế hoạch nêu trên.",
    ],
    authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
    signer="Lê Thanh Liêm",
    recipients=["Như trên;", "Lưu: VT, CĐS."],
)
GOPY_TITLE = "V/v góp ý dự thảo Kế hoạch kiểm tra cải cách hành chính năm 2025 trên địa bàn thành phố"

# A plan whose preamble cites other documents' dates (never the issue date).
PLAN = DocSpec(
    issuer="SỞ NỘI VỤ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    title="Kiểm tra công tác cải cách hành chính năm 2025",
    number="25/KH-SNV",
    date=D(2025, 2, 12),
    type_name="KẾ HOẠCH",
    body=[
        "Căn cứ Nghị định số 42/2022/NĐ-CP ngày 24 tháng 6 năm 2022 của Chính phủ;",
        "Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của UBND thành phố;",
        "Sở Nội vụ xây dựng Kế hoạch kiểm tra như sau.",
    ],
    authority=["GIÁM ĐỐC"],
    signer="Nguyễn Văn Hùng",
    recipients=["UBND thành phố;", "Lưu: VT."],
)
# Every kind of other number and date over one header: the recipient's ĐẾN stamp (purple ink,
# which red removal keeps), an e-copy line, an e-signature box with its signing time, HỎA TỐC.
STAMPED = replace(
    PLAN,
    incoming_stamp=("17026", "23-10-2025"),
    stamp_ink=(110, 40, 150),
    copy_stamp="SAO Y; Sở Nội vụ; 07/03/2025 17:22:02",
    esign_box=("Sở Nội vụ", "13.02.2025 08:57:44 +07:00"),
    urgency="HỎA TỐC",
)


def read(path: Path) -> Document:
    doc = read_document(path, path.name, CTX)
    assert doc.error is None, doc.error
    return doc


def values(doc: Document) -> dict[str, object]:
    return {name: f.value for name, f in doc.fields.items()}


def lines(*texts: str, method: str = "text") -> list[Line]:
    return [Line(t, 1, method, (0.0, 20.0 * i, 500.0, 20.0 * i + 12)) for i, t in enumerate(texts)]


# ---------------------------------------------------------------------------- 1. drafts


@pytest.mark.parametrize("make", [make_pdf, make_docx], ids=["pdf", "docx"])
def test_du_thao_in_an_issued_documents_title_and_body_is_no_draft(tmp_path: Path, make) -> None:
    doc = read(make(GOPY, tmp_path / "cv171.x"))
    assert doc.draft is False
    assert "draft" not in doc.fields
    assert values(doc)["title"] == GOPY_TITLE
    assert values(doc)["number"] == "171/SKHCN-CĐS"


# A youth union's dispatch: its committee left, `ĐOÀN TNCS HỒ CHÍ MINH` where the national motto
# would stand (a party document's `ĐẢNG CỘNG SẢN VIỆT NAM` likewise), neither part of the issuer.
@pytest.mark.parametrize(
    ("motto", "issuer"),
    [(("ĐOÀN TNCS HỒ CHÍ MINH",), "BCH ĐOÀN TỈNH LÂM ĐỒNG"), (("ĐẢNG CỘNG SẢN VIỆT NAM",), "ĐẢNG ỦY SỞ Y TẾ")],
)
@pytest.mark.parametrize("make", [make_pdf, make_docx], ids=["pdf", "docx"])
def test_a_union_or_party_heading_is_not_the_issuer(tmp_path: Path, make, motto: tuple[str, ...], issuer: str) -> None:
    spec = replace(GOPY, issuer=issuer, parent=None, number="156-CV/TĐTN", motto=motto)
    got = values(read(make(spec, tmp_path / "cv156.x")))
    assert (got["issuer"], got["number"], got["date"]) == (issuer, "156-CV/TĐTN", "2025-01-16")



@pytest.mark.parametrize("method", ["text", "ocr"])
def test_a_union_heading_on_the_issuers_own_line_is_cut(method: str) -> None:
    # The text layer (or OCR) sets both columns' first line as one: `BCH … ĐOÀN TNCS HỒ CHÍ MINH`.
    h = parse_header(lines("BCH ĐOÀN TỈNH LÂM ĐỒNG ĐOÀN TNCS HỒ CHÍ MINH", "***",
                           "Số: 156-CV/TĐTN Lâm Đồng, ngày 04 tháng 9 năm 2025", method=method))  # fmt: skip
    assert h.issuer is not None and h.issuer.value == "BCH ĐOÀN TỈNH LÂM ĐỒNG"
    # A union body's own name that opens with the same words keeps them.
    h = parse_header(lines("ĐOÀN TNCS HỒ CHÍ MINH THÀNH PHỐ ĐÀ NẴNG", "Số: 12-KH/TĐTN", method=method))
    assert h.issuer is not None and h.issuer.value == "ĐOÀN TNCS HỒ CHÍ MINH THÀNH PHỐ ĐÀ NẴNG"
    h = parse_header(lines("BAN CHẤP HÀNH ĐOÀN TNCS HỒ CHÍ MINH", "TỈNH LÂM ĐỒNG", "Số: 12-KH/TĐTN", method=method))
    assert h.issuer is not None and h.issuer.value == "BAN CHẤP HÀNH ĐOÀN TNCS HỒ CHÍ MINH TỈNH LÂM ĐỒNG"



def test_a_place_date_line_wrapped_before_its_year() -> None:
    # A narrow right column (a .doc laid out by LibreOffice): the year on a line of its own.
    h = parse_header(lines("UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA", "SỞ Y TẾ VIỆT NAM",
                           "Độc lập - Tự do - Hạnh phúc", "Số: 45/QĐ-SYT", "Đà Nẵng, ngày 05 tháng 3 năm", "2024",
                           "QUYẾT ĐỊNH"))  # fmt: skip
    assert h.date is not None and h.date.value == "2024-03-05"


def test_a_stamp_under_a_number_line_whose_so_was_lost_is_not_the_issuer() -> None:
    # OCR lost `Số:` before the handwritten number; the ĐẾN stamp below starts with capitals.
    h = parse_header(lines("UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                           "SỞ VĂN HÓA VÀ THỂ THAO Độc lập - Tự do - Hạnh phúc",
                           "7?08 /QĐ-SVHTT Đà Nẵng, ngày 23 tháng 8 năm 2024",
                           "UBND TỈNH LÂM ĐỒNG QUYẾT ĐỊNH", "ĐẾN", method="ocr"))  # fmt: skip
    assert h.issuer is not None and (h.issuer.value, h.parent) == ("SỞ VĂN HÓA VÀ THỂ THAO", "UBND THÀNH PHỐ ĐÀ NẴNG")


@pytest.fixture(scope="module")
def gopy_scan(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read(make_scan_pdf(GOPY, tmp_path_factory.mktemp("gopy") / "cv171.pdf", seed=4))


def test_scan_of_an_issued_dispatch_about_a_draft_is_no_draft(gopy_scan: Document) -> None:
    assert gopy_scan.draft is False
    assert values(gopy_scan)["title"] == GOPY_TITLE


@pytest.mark.parametrize("mark", ["DỰ THẢO", "Dự thảo lần 2", "DỰ THẢO 2"])
@pytest.mark.parametrize("make", [make_pdf, make_docx], ids=["pdf", "docx"])
def test_a_draft_mark_makes_a_draft_even_with_number_and_date(tmp_path: Path, make, mark: str) -> None:
    doc = read(make(replace(PLAN, draft=True, draft_mark=mark), tmp_path / "kh.x"))
    assert doc.draft is True
    assert values(doc)["draft"] == DRAFT_MARKED
    assert values(doc)["title"] == PLAN.title  # the mark is neither title nor issuer
    assert values(doc)["issuer"] == "SỞ NỘI VỤ"


@pytest.fixture(scope="module")
def draft_scan(tmp_path_factory: pytest.TempPathFactory) -> Document:
    spec = replace(PLAN, draft=True, draft_mark="DỰ THẢO 1", number=None, symbol_hint="KH-SNV", date=None, year_hint=2025)
    return read(make_scan_pdf(spec, tmp_path_factory.mktemp("draft") / "kh-du-thao.pdf", seed=5))


def test_scanned_draft_with_its_boxed_mark(draft_scan: Document) -> None:
    assert draft_scan.draft is True
    assert values(draft_scan)["draft"] == DRAFT_MARKED
    assert "number" not in draft_scan.fields and "date" not in draft_scan.fields


@pytest.mark.parametrize("make", [make_pdf, make_docx], ids=["pdf", "docx"])
def test_number_and_date_left_blank_make_a_draft(tmp_path: Path, make) -> None:
    spec = replace(PLAN, number=None, symbol_hint="KH-SNV", date=None, year_hint=2025)
    doc = read(make(spec, tmp_path / "kh.x"))
    assert doc.draft is True
    assert values(doc)["draft"] == DRAFT_BLANK


def test_a_blank_day_under_a_typed_month_is_a_blank_date() -> None:
    h = parse_header(lines("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số:             /UBND-NC",
                           "Lâm Đồng, ngày         tháng 12 năm 2025", "V/v triển khai Công văn số 5689/BCA-C04"))  # fmt: skip
    assert h.draft is not None and h.draft.value == DRAFT_BLANK


def test_only_one_of_number_and_date_blank_is_no_draft(tmp_path: Path) -> None:
    doc = read(make_pdf(replace(PLAN, number=None, symbol_hint="KH-SNV"), tmp_path / "kh.pdf"))
    assert doc.draft is False


def test_a_draft_attached_after_a_signed_dispatch_does_not_make_it_a_draft(tmp_path: Path) -> None:
    dispatch = make_pdf(GOPY, tmp_path / "cv.pdf")
    draft = make_pdf(replace(PLAN, draft=True, number=None, symbol_hint="KH-SNV", date=None, year_hint=2025, pages=2), tmp_path / "kh.pdf")
    merged = pdfium.PdfDocument(str(dispatch))
    attached = pdfium.PdfDocument(str(draft))
    try:
        merged.import_pages(attached)
        merged.save(str(tmp_path / "cv-kem-du-thao.pdf"))
    finally:
        attached.close()
        merged.close()
    doc = read(tmp_path / "cv-kem-du-thao.pdf")
    assert doc.pages == 3
    assert doc.draft is False
    assert values(doc)["number"] == "171/SKHCN-CĐS"


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("DỰ THẢO", True),
        ("Dự thảo lần 2", True),
        ("(DỰ THẢO 3)", True),
        ("DỰ THẢO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),  # a text layer merged the mark and the motto
        ("SỞ NỘI VỤ Dự thảo 2", True),  # … or the issuer and a mark set in sentence case
        ("V/v góp ý dự thảo Kế hoạch kiểm", False),
        ("dự thảo Báo cáo sơ kết giai đoạn 2021 - 2025", False),
        ("Công an tỉnh đã dự thảo Báo cáo tháng 10/2025", False),
    ],
)
def test_draft_mark_only_stands_alone(text: str, mark: bool) -> None:
    assert draft_mark(text) is mark


def test_du_thao_in_the_body_under_a_short_header_is_no_mark() -> None:
    """OCR of a one-page scan: the body's "đã dự thảo" falls within the first lines read."""
    h = parse_header(lines("BỘ CÔNG AN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CÔNG AN TỈNH LÂM ĐỒNG Độc lập - Tự do - Hạnh phúc",
                           "Số: 289/TTr-CAT-PC06 Lâm Đồng, ngày 22 tháng 10 năm 2025", "Kính gửi: Lãnh đạo UBND tỉnh.",
                           "Công an tỉnh đã dự thảo Báo cáo tháng 10/2025 kết quả thực hiện Đề án", method="ocr"))  # fmt: skip
    assert h.draft is None


# ---------------------------------------------------------------------------- 5. other numbers and dates


@pytest.mark.parametrize("make", [make_pdf, make_docx], ids=["pdf", "docx"])
def test_stamps_and_boxes_in_a_text_layer_are_not_the_documents(tmp_path: Path, make) -> None:
    doc = read(make(STAMPED, tmp_path / "kh.x"))
    got = values(doc)
    assert (got["number"], got["date"], got["type"], got["title"]) == ("25/KH-SNV", "2025-02-12", "KH", PLAN.title)
    assert doc.draft is False


@pytest.fixture(scope="module")
def stamped_scan(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read(make_scan_pdf(STAMPED, tmp_path_factory.mktemp("stamped") / "kh-den.pdf", seed=4))


def test_stamped_scan_keeps_the_documents_number_date_and_title(stamped_scan: Document) -> None:
    got = values(stamped_scan)
    assert (got["number"], got["date"], got["type"]) == ("25/KH-SNV", "2025-02-12", "KH")
    assert got["title"] == PLAN.title  # the stamp's `Số: 17026` and `Ngày: 23-10-2025` stripped


def test_a_paper_signed_copy_with_blank_day_never_takes_a_cited_date(tmp_path: Path) -> None:
    """The born-digital copy of a paper-signed plan: number and day left for the clerk. The
    preamble's dates (2022, 2023) are not the issue date."""
    doc = read(make_pdf(replace(PLAN, handwritten=True), tmp_path / "kh.pdf"))
    assert "date" not in doc.fields


@pytest.mark.parametrize(
    "text",
    ["ĐẾN Số: 17026 Ngày: 23-10-2025", "Thời gian ký: 13.02.2025 08:57:44 +07:00", "SAO Y; Sở Nội vụ; 07/03/2025 17:22:02",
     "Người ký: Cổng Thông tin điện tử Chính phủ", "ĐẾN", "CÔNG VĂN ĐẾN"],
)  # fmt: skip
def test_stamp_lines(text: str) -> None:
    assert is_stamp_line(text)


@pytest.mark.parametrize("text", ["đến năm 2030 của thành phố", "Kính gửi: Sở Nội vụ", "Đà Nẵng, ngày 12 tháng 02 năm 2025"])
def test_not_stamp_lines(text: str) -> None:
    assert not is_stamp_line(text)


def test_header_date_is_the_place_date_line_never_a_preamble_date() -> None:
    """A QĐ whose type line OCR lost and whose handwritten day is unreadable: the cited decree's
    date (March 2025 for an October document) must not be taken."""
    h = parse_header(lines("BỘ KHOA HỌC VÀ CÔNG NGHỆ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                           "Số: 19/2025/TT-BKHCN Hà Nội, ngày ?? tháng 10 năm 2025", "QUYÉT ĐJNH",
                           "Căn cứ Nghị định số 55/2025/NĐ-CP ngày 02 tháng 3 năm 2025 của Chính phủ;",
                           "phủ quy định chức năng, nhiệm vụ; Luật sư ngày 20 tháng 11 năm 2012;", method="ocr"))  # fmt: skip
    assert h.date is None


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Hà Nội ngày 05 tháng 3 năm 2024", "2024-03-05"),  # OCR lost the comma
        ("Số: 45/SYT-VP Đà Nẵng ngày 18 tháng 9 năm 2024", "2024-09-18"),
        ("ngày 18 tháng 9 năm 2024", "2024-09-18"),  # OCR lost the place
        ("của Luật Luật sư ngày 20 tháng 11 năm 2012;", None),
        ("Quốc hội ngày 12 tháng 6 năm 2025", None),
        ("ngày 16 tháng 12 năm 2025 của Bộ Công an", None),  # a wrapped title citing a document
    ],
)
def test_which_header_dates_are_issue_dates(line: str, date: str | None) -> None:
    h = parse_header(lines("SỞ Y TẾ", line, "KẾ HOẠCH", "Chuyển đổi số năm 2024", method="ocr"))
    assert (h.date.value if h.date else None) == date


def test_a_copy_stamps_number_and_date_are_not_the_documents() -> None:
    h = parse_header(lines("VĂN PHÒNG UBND THÀNH PHỐ SAO Y BẢN CHÍNH", "Số: 12/SY-VP Đà Nẵng, ngày 07 tháng 10 năm 2025"))
    assert h.number is None and h.date is None


# ---------------------------------------------------------------------------- issuers over three or four lines


@pytest.mark.parametrize(
    ("issuer", "parent", "number"),
    [
        ("BAN QUẢN LÝ CÁC KHU CÔNG NGHỆ CAO\nVÀ CÁC KHU CÔNG NGHIỆP\nĐÀ NẴNG", "UBND THÀNH PHỐ ĐÀ NẴNG", "190/BC-BQL"),
        ("BẢO HIỂM XÃ HỘI\nTHÀNH PHỐ ĐÀ NẴNG", "BẢO HIỂM XÃ HỘI VIỆT NAM", "1290/BC-BHXH"),
        ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nCHI CỤC QUẢN LÝ ĐẤT ĐAI\nTHÀNH PHỐ ĐÀ NẴNG\nPHÒNG ĐĂNG KÝ", "UBND THÀNH PHỐ ĐÀ NẴNG", "7/BC-CCQLĐĐ"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("make", [make_pdf, make_docx], ids=["pdf", "docx"])
def test_number_and_date_under_a_tall_issuer(tmp_path: Path, make, issuer: str, parent: str, number: str) -> None:
    spec = replace(PLAN, issuer=issuer, parent=parent, number=number, type_name="BÁO CÁO", date_under_motto=True)
    got = values(read(make(spec, tmp_path / "bc.x")))
    assert (got["number"], got["date"], got["type"], got["title"]) == (number, "2025-02-12", "BC", PLAN.title)


# ---------------------------------------------------------------------------- 4. garbled OCR layers


@pytest.fixture(scope="module")
def garbled_scan(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read(make_scan_pdf(GOPY, tmp_path_factory.mktemp("garbled") / "cv171.pdf", seed=6, ocr_layer="garbled"))


def test_a_garbled_scanner_layer_is_ocrd_instead(garbled_scan: Document) -> None:
    assert garbled_scan.page_methods == ["ocr"]
    got = values(garbled_scan)
    assert (got["number"], got["date"], got["title"]) == ("171/SKHCN-CĐS", "2025-01-16", GOPY_TITLE)


def _page_text(spec: DocSpec) -> str:
    return "\n".join([spec.parent or "", spec.issuer, spec.number_text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      spec.date_text, spec.title, *spec.body] * 2)  # fmt: skip


@pytest.mark.parametrize("seed", range(5))
def test_layer_verdicts(seed: int) -> None:
    clean = _page_text(GOPY)
    assert judge_text_layer(clean, first_page=True).reason == "ok"
    assert judge_text_layer(garble(clean, random.Random(seed)), first_page=True).reason == "garbled"
    assert judge_text_layer(garble(clean, random.Random(seed), how="unmarked")).reason == "no-diacritics"


def test_a_layer_that_reads_so_so_without_any_header_mark_is_ocrd_on_page_one() -> None:
    """Words mostly fine, yet neither motto, nor `Số:`, nor a place-date line reads."""
    rng = random.Random(1)
    body = " ".join(GOPY.body * 4)
    words = [w if rng.random() > 0.17 else w + "?q" for w in body.split()]
    text = "CONG H0A XA HQI CilU NGHIA\nS& 5?AD /SKHCN\nDa Nang, nga? 1? thang\n" + " ".join(words)
    assert judge_text_layer(text, first_page=True).reason == "garbled"
    assert judge_text_layer(text, first_page=False).usable  # a later page needs no header


# ---------------------------------------------------------------------------- 7. titles on images


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Document:
    spec = replace(STAMPED, stamp_ink=(70, 70, 70), copy_stamp=None, esign_box=None, urgency=None)
    return read(make_photo_jpeg(spec, tmp_path_factory.mktemp("photo") / "kh.jpg", seed=7, dpi=140, tilt_deg=-4.0))


def test_photo_with_a_grey_stamp_beside_the_title_reads_the_title(photo: Document) -> None:
    got = values(photo)
    assert got["title"] == PLAN.title
    assert (got["number"], got["date"], got["type"]) == ("25/KH-SNV", "2025-02-12", "KH")


@pytest.fixture(scope="module")
def png_page(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """Page 1 of a công văn saved as a PNG, as units screenshot e-office pages (96 dpi)."""
    folder = tmp_path_factory.mktemp("png")
    pdf = pdfium.PdfDocument(str(make_pdf(GOPY, folder / "cv.pdf")))
    try:
        image = pdf[0].render(scale=96 / 72).to_pil()
    finally:
        pdf.close()
    image.save(folder / "cv171.png")
    return read(folder / "cv171.png")


def test_png_page_reads_the_vv_title(png_page: Document) -> None:
    got = values(png_page)
    assert got["title"] == GOPY_TITLE
    assert (got["number"], got["date"], got["type"]) == ("171/SKHCN-CĐS", "2025-01-16", "CV")


def ocr_line(y: float, *words: tuple[str, float, float, float]) -> Line:
    """An OCR line from (word, confidence, x0, x1) at height y, 14 points tall."""
    boxes = [(x0, y, x1, y + 14) for _, _, x0, x1 in words]
    return Line(" ".join(w for w, *_ in words), 1, "ocr", (boxes[0][0], y, boxes[-1][2], y + 14), 0.9,
                [(w, c) for w, c, *_ in words], boxes)  # fmt: skip


def test_type_line_read_together_with_a_stamp_and_a_letter_off() -> None:
    """QĐ 2239/QĐ-TTg as Tesseract reads it: the portal's ĐẾN stamp left of the type line, the
    Q lost, the stamp's own lines beside the title."""
    h = parse_header([
        ocr_line(50, ("THỦ", 0.96, 98, 120), ("TƯỚNG", 0.96, 124, 170), ("CHÍNH", 0.96, 174, 210), ("PHỦ", 0.96, 214, 240)),
        ocr_line(96, ("Số:2239", 0.9, 111, 160), ("/QĐ-TTg", 0.9, 163, 210), ("Hà", 0.96, 320, 336), ("Nội,", 0.96, 339, 362),
                 ("ngày", 0.96, 367, 395), ("11", 0.9, 401, 414), ("tháng", 0.96, 417, 449), ("10", 0.9, 454, 468),
                 ("năm", 0.96, 471, 494), ("2025", 0.9, 498, 526)),
        ocr_line(131, ("ĐẾN", 0.96, 18, 46), ("Giồ:....Ể.......-.cce", 0.0, 49, 143), ("9", 0.81, 271, 281),
                 ("UYÉT", 0.92, 280, 321), ("ĐỊNH", 0.96, 324, 360)),
        ocr_line(147, ("Mauiangbisonoi", 0.3, 45, 130), ("Phê", 0.96, 181, 205), ("chuẩn", 0.96, 209, 245), ("việc", 0.96, 249, 275),
                 ("miễn", 0.96, 279, 310), ("nhiệm", 0.96, 314, 350), ("chức", 0.96, 354, 382), ("vụ", 0.96, 386, 400),
                 ("Chủ", 0.96, 404, 425), ("tịch", 0.96, 429, 450)),
        ocr_line(169, ("Ủy", 0.96, 137, 152), ("ban", 0.96, 156, 178), ("nhân", 0.96, 182, 210), ("dân", 0.96, 214, 236),
                 ("thành", 0.96, 240, 272), ("phố", 0.96, 276, 296), ("Cần", 0.96, 300, 322), ("Thơ", 0.96, 326, 350),
                 ("nhiệm", 0.96, 354, 390), ("kỳ", 0.96, 394, 408), ("2021", 0.96, 412, 440), ("-", 0.96, 444, 448),
                 ("2026", 0.96, 452, 493)),
        ocr_line(209, ("THỦ", 0.96, 230, 260), ("TƯỚNG", 0.96, 264, 320), ("CHÍNH", 0.96, 324, 370), ("PHỦ", 0.96, 374, 400)),
        ocr_line(238, ("Căn", 0.96, 114, 140), ("cứ", 0.96, 144, 160), ("Luật", 0.96, 164, 190), ("ngày", 0.96, 194, 220),
                 ("18", 0.96, 224, 238), ("tháng", 0.96, 242, 272), ("02", 0.96, 276, 290), ("năm", 0.96, 294, 318),
                 ("2025,", 0.96, 322, 352)),
        ocr_line(460, ("QUYẾT", 0.96, 266, 320), ("ĐỊNH:", 0.96, 324, 360)),  # the body's own decision line
    ])  # fmt: skip
    assert h.doc_type.value == "QĐ"
    assert h.title.value == "Phê chuẩn việc miễn nhiệm chức vụ Chủ tịch Ủy ban nhân dân thành phố Cần Thơ nhiệm kỳ 2021 - 2026"
    assert h.date.value == "2025-10-11"


def at(text: str, x0: float, top: float, x1: float) -> Line:
    return Line(text, 1, "ocr", (x0, top, x1, top + 15))


@pytest.mark.parametrize(
    ("wrapped", "title"),
    [
        ([at("Chuyển đổi số năm 2024 của Đài Phát thanh -", 145, 161, 490), at("Truyền hình Đà Nẵng", 237, 179, 399)],
         "Chuyển đổi số năm 2024 của Đài Phát thanh - Truyền hình Đà Nẵng"),
        ([at("Chuyển đổi số năm 2024 của Đài Phát thanh", 150, 161, 485), at("- Truyền hình Đà Nẵng", 232, 179, 404)],
         "Chuyển đổi số năm 2024 của Đài Phát thanh - Truyền hình Đà Nẵng"),  # wrapped before the dash
        ([at("Kết quả triển khai ký số văn bản điện tử quý III năm", 123, 145, 519), at("2024", 303, 163, 339)],
         "Kết quả triển khai ký số văn bản điện tử quý III năm 2024"),  # the year alone on the last line
    ],
)  # fmt: skip
def test_wrapped_titles_keep_their_dash_and_last_word(wrapped: list[Line], title: str) -> None:
    h = parse_header([at("SỞ Y TẾ", 90, 60, 200), at("Số: 10/KH-PTTH Đà Nẵng, ngày 19 tháng 01 năm 2024", 102, 110, 545),
                      at("KẾ HOẠCH", 274, 141, 361), *wrapped, at("- Căn cứ Quyết định số 2901/QĐ-UBND", 85, 230, 400)])  # fmt: skip
    assert h.title.value == title


def test_vv_misread_as_vw_still_opens_a_cong_van_title() -> None:
    h = parse_header(lines("THỦ TƯỚNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 4@† /TTg-CĐS Hà Nội, ngày30 tháng 4 năm 2026",
                           "V/w triển khai các Nghị quyết cắt giảm,", "đơn giản hóa TTHC, ĐKKD", "Kính gửi:", method="ocr"))  # fmt: skip
    assert h.title.value == "V/w triển khai các Nghị quyết cắt giảm, đơn giản hóa TTHC, ĐKKD"
    assert h.doc_type.value == "CV"
    assert h.date.value == "2026-04-30"


def test_a_16_bit_greyscale_page_keeps_its_ink(tmp_path: Path) -> None:
    """Some scanners save 16-bit greyscale PNG/TIFF: taken as 8-bit, all of it would be white."""
    page = np.full((400, 300), 60000, dtype=np.uint16)
    page[100:110, 50:250] = 2000  # a line of ink
    Image.fromarray(page).save(tmp_path / "page16.png")
    with Image.open(tmp_path / "page16.png") as opened:
        grey = np.asarray(page_image(opened, 1))
    assert grey.dtype == np.uint8
    assert grey[105, 100] < 20 and grey[10, 10] > 235
