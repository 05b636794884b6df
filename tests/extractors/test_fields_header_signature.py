"""Header (issuer, type, title, draft) and signature-block parsers on lines as extractors give them."""

from __future__ import annotations

import pytest

from kiemchung.extractors.base import Line
from kiemchung.extractors.fields.doctype import canonical_type, type_from_line, type_from_symbol
from kiemchung.extractors.fields.header import DRAFT_BLANK, DRAFT_MARKED, parse_header
from kiemchung.extractors.fields.signature import parse_signature
from kiemchung.extractors.fields.signature_names import name_in_line


def lines(*texts: str, method: str = "text") -> list[Line]:
    return [Line(t, 1, method, (0.0, 20.0 * i, 500.0, 20.0 * i + 12)) for i, t in enumerate(texts)]


KH = lines(
    "UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "SỞ Y TẾ Độc lập - Tự do - Hạnh phúc",
    "Số: 131/KH-SYT Đà Nẵng, ngày 18 tháng 9 năm 2024",
    "KẾ HOẠCH",
    "Chuyển đổi số năm 2024 của Sở Y tế",
    "Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của UBND thành phố;",
)


def test_header_of_a_plan() -> None:
    h = parse_header(KH)
    assert h.number.value == "131/KH-SYT"
    assert h.date.value == "2024-09-18"  # not the 2023 date quoted in the body
    assert h.doc_type.value == "KH"
    assert h.issuer.value == "SỞ Y TẾ"
    assert h.parent == "UBND THÀNH PHỐ ĐÀ NẴNG"
    assert h.title.value == "Chuyển đổi số năm 2024 của Sở Y tế"
    assert h.draft is None


def test_header_of_a_cong_van_takes_its_vv_subject_and_type() -> None:
    h = parse_header(
        lines(
            "UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "SỞ Y TẾ Độc lập - Tự do - Hạnh phúc",
            "Số: 1523/SYT-VP Đà Nẵng, ngày 05 tháng 8 năm 2024",
            "V/v kết nối, chia sẻ dữ liệu qua LGSP",
            "Kính gửi: Sở Thông tin và Truyền thông",
        )
    )
    assert h.doc_type.value == "CV"
    assert h.title.value == "V/v kết nối, chia sẻ dữ liệu qua LGSP"


def test_cong_van_type_from_vv_when_ocr_lost_the_number() -> None:
    h = parse_header(
        lines("BỘ CÔNG AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 24 © 12BCA-C04 Hà Nội, ngày ở tháng/2năm 2025",
              "V/v rà soát, đánh giá mức độ trọng điểm", "Kính gửi: Ủy ban nhân dân các tỉnh", method="ocr")
    )
    assert h.number is None
    assert h.doc_type.value == "CV"
    assert h.doc_type.confidence < 1


def test_draft_marked_and_draft_blank() -> None:
    marked = parse_header(lines("SỞ NỘI VỤ", "DỰ THẢO", "Số: 12/TTr-SNV", "TỜ TRÌNH", "Về việc X"))
    assert marked.draft.value == DRAFT_MARKED
    blank = parse_header(lines("SỞ NỘI VỤ", "Số:        /TTr-SNV Lâm Đồng, ngày      tháng     năm 2025", "TỜ TRÌNH", "Về việc X"))
    assert blank.number is None and blank.number_blank
    assert blank.draft.value == DRAFT_BLANK


@pytest.mark.parametrize(
    ("text", "abbr"),
    [("KẾ HOẠCH", "KH"), ("QUYÉT ĐỊNH", "QĐ"), ("QUYẾT ĐỊNH", "QĐ"), ("TỜ TRÌNH", "TTr"), ("GIẤY MỜI", "GM"), ("Kế hoạch", "KH")],
)
def test_type_line(text: str, abbr: str | None) -> None:
    assert type_from_line(text) == abbr


@pytest.mark.parametrize(
    ("symbol", "abbr"), [("KH-SYT", "KH"), ("SYT-VP", "CV"), ("QĐ-UBND", "QĐ"), ("TTr-CAT(PC04)", "TTr"), ("QD-UBND", "QĐ")]
)
def test_type_from_symbol(symbol: str, abbr: str) -> None:
    assert type_from_symbol(symbol) == abbr


def test_canonical_type_from_claims() -> None:
    assert canonical_type("QD") == "QĐ"
    assert canonical_type("Kế hoạch") == "KH"
    assert canonical_type("Công văn") == "CV"


@pytest.mark.parametrize(
    ("block", "signer", "role", "authority"),
    [
        (["Nơi nhận: KT. GIÁM ĐỐC", "- Như trên; PHÓ GIÁM ĐỐC", "- Lưu: VT, VP.", "Đoàn Thị Thu Hương"],
         "Đoàn Thị Thu Hương", "PHÓ GIÁM ĐỐC", "KT."),
        (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Minh"], "Nguyễn Minh", "PHÓ CHỦ TỊCH", "KT."),
        (["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Huỳnh Văn Bình"], "Huỳnh Văn Bình", "CHÁNH VĂN PHÒNG", "TL."),
        (["TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ", "Lê Văn Tám"], "Lê Văn Tám", "GIÁM ĐỐC SỞ NỘI VỤ", "TUQ."),
        (["Q. GIÁM ĐỐC", "Trần Văn Ba"], "Trần Văn Ba", "GIÁM ĐỐC", "Q."),
        # OCR: wrong tone on the role, a general's rank before the name, residue after it
        (["Nơi nhận: GIÁM ĐÓC", "- Lưu: VT, PC04.", "-_ Thiêu tướng Trương Minh Đương ."], "Trương Minh Đương", "GIÁM ĐỐC", None),
    ],
)
def test_signature_blocks(block: list[str], signer: str, role: str, authority: str | None) -> None:
    found = parse_signature(lines(*block, method="ocr"))
    assert found.signer.value == signer
    assert found.role.value == role
    assert (found.authority.value if found.authority else None) == authority


def test_signature_priority_tl_over_tm() -> None:
    found = parse_signature(lines("TM. ỦY BAN NHÂN DÂN", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Phạm Văn Năm"))
    assert found.authority.value == "TL."


def test_role_in_body_prose_is_not_a_role() -> None:
    found = parse_signature(lines("Giám đốc Sở Y tế chỉ đạo các phòng thực hiện.", "Trân trọng./."))
    assert found.role is None and found.signer is None


def test_unanchored_name_needs_a_family_name() -> None:
    # The last line of an appendix ends with "Quyết định": not a signer.
    assert parse_signature(lines("ban hành kèm theo Quyết định", "Điều 5 - Quyết định")).signer is None
    assert parse_signature(lines("Nơi nhận:", "- Lưu: VT.", "Trần Nguyễn Minh Thành")).signer.value == "Trần Nguyễn Minh Thành"


@pytest.mark.parametrize(
    ("text", "name"),
    [("Phạm Minh Chính", "Phạm Minh Chính"), ("Thiếu tướng Trương Minh Đương", "Trương Minh Đương"),
     ("- Văn phòng Tổng Bí thư;", None), ("theo đề nghị của Nguyễn Văn An", None), ("Si Đoàn Thị Thu Hương", "Đoàn Thị Thu Hương")],
)
def test_name_in_line(text: str, name: str | None) -> None:
    assert name_in_line(text) == name


def test_issuer_without_ocr_echo_of_its_underline() -> None:
    h = parse_header(lines("UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                           "SỞ Y TẾ YTẾ Độc lập - Tự do - Hạnh phúc", "Số: 178/BC-SYT", "BÁO CÁO", method="ocr"))
    assert h.issuer.value == "SỞ Y TẾ"


def at(text: str, x0: float, top: float, x1: float, *, height: float = 13.0) -> Line:
    """A text-layer line where a Decree-30 page puts it (points, top-left origin)."""
    return Line(text, 1, "text", (x0, top, x1, top + height))


def test_issuer_stops_at_the_type_line_when_there_is_no_number() -> None:
    h = parse_header(
        lines(
            "UBND THÀNH PHỐ ĐÀ NẴNG",
            "SỞ Y TẾ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Đà Nẵng, ngày 05 tháng 3 năm 2024",
            "BÁO CÁO",
            "Kết quả chuyển đổi số năm 2024",
        )
    )
    assert h.number is None
    assert (h.issuer.value, h.parent) == ("SỞ Y TẾ", "UBND THÀNH PHỐ ĐÀ NẴNG")
    assert h.doc_type.value == "BC"


def test_issuer_stops_at_the_vv_line_of_a_cong_van_without_number() -> None:
    h = parse_header(lines("SỞ Y TẾ", "V/v KẾT NỐI LGSP", "Kính gửi: Sở Nội vụ"))
    assert h.issuer.value == "SỞ Y TẾ"
    assert h.title.value == "V/v KẾT NỐI LGSP"


@pytest.mark.parametrize(
    "first",
    [["DỰ THẢO", "UBND THÀNH PHỐ ĐÀ NẴNG"], ["DỰ THẢO UBND THÀNH PHỐ ĐÀ NẴNG"], ["| DỰ THẢO |", "UBND THÀNH PHỐ ĐÀ NẴNG"]],
)
def test_draft_marker_is_neither_issuer_nor_parent(first: list[str]) -> None:
    h = parse_header(lines(*first, "SỞ Y TẾ", "Số: 12/BC-SYT", "BÁO CÁO", "Kết quả chuyển đổi số năm 2024"))
    assert h.draft.value == DRAFT_MARKED
    assert (h.issuer.value, h.parent) == ("SỞ Y TẾ", "UBND THÀNH PHỐ ĐÀ NẴNG")


HEADING = [
    at("UBND THÀNH PHỐ ĐÀ NẴNG", 58.9, 53.5, 255.0),
    at("SỞ Y TẾ", 128.8, 65.3, 185.2),
    at("Số: 131/KH-SYT", 108.8, 96.1, 205.1),
    at("KẾ HOẠCH", 270.0, 129.4, 367.0),
]


def test_one_word_body_line_is_not_part_of_the_title() -> None:
    """The body opens after a gap, at the margin: a one-word first line there (a justified
    line split by the reader) is body, not the end of the trích yếu."""
    title = at("Chuyển đổi số năm 2024 của Sở Y tế", 195.2, 147.8, 442.4)
    h = parse_header([*HEADING, title, at("Nhằm", 113.0, 184.1, 150.0), at("triển khai hiệu quả", 113.0, 202.1, 300.0)])
    assert h.title.value == "Chuyển đổi số năm 2024 của Sở Y tế"
    # Word lines carry no position: a one-word paragraph after the title is body there too.
    docx = [Line(ln.text, 1, "docx") for ln in (*HEADING, title)] + [Line("Nhằm", 1, "docx")]
    assert parse_header(docx).title.value == "Chuyển đổi số năm 2024 của Sở Y tế"


def test_title_ends_at_the_gap_before_the_body() -> None:
    title = at("Bảo đảm an toàn thông tin mạng", 200.0, 147.8, 440.0)
    body = at("Sở Y tế xây dựng kế hoạch với các nội dung sau", 113.0, 184.1, 540.0)
    assert parse_header([*HEADING, title, body]).title.value == "Bảo đảm an toàn thông tin mạng"


def test_title_keeps_its_wrapped_last_word() -> None:
    """A title wrapped so that one word is left over: centred, right under the line above."""
    h = parse_header([*HEADING, at("Chuyển đổi số của Sở Y tế giai đoạn 2021 - 2025, định hướng đến năm", 100.0, 147.8, 537.0),
                      at("2030", 303.0, 165.8, 334.0), at("Căn cứ Quyết định số 2901/QĐ-UBND;", 113.0, 202.0, 400.0)])
    assert h.title.value == "Chuyển đổi số của Sở Y tế giai đoạn 2021 - 2025, định hướng đến năm 2030"
