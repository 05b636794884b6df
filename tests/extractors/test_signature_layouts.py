"""Signature blocks as real files carry them (issue 11, phenomena 2 and 8), on documents made by
tests/docgen.py: the block is not on the last page (appendices, landscape tables, a second
document or an unsigned draft after it), several blocks side by side (joint documents), a rank
or title before the name, three-level role lines, and a seal over the family name.

Born-digital PDFs and Word files cover each phenomenon; three scans (module fixtures, ~1-2 s a
page) show the bounded OCR search back from the end, joint blocks read by OCR, and a name under
a black seal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from docgen import DocSpec, make_docx, make_pdf, make_scan_pdf

from kiemchung.checks.certainty import TRUSTED_OCR, names_close
from kiemchung.checks.engine import check_claims
from kiemchung.core.model import (
    Claim,
    Criterion,
    Document,
    EvidenceRule,
    Field,
    Flag,
    FlagCode,
    Framework,
    Leader,
    Rank,
    Unit,
)
from kiemchung.extractors.base import ExtractContext, Line
from kiemchung.extractors.fields.signature import parse_signature, read_block, signature_blocks
from kiemchung.extractors.fields.signature_names import (
    UNDER_SEAL_CONFIDENCE,
    joint_signers,
    name_in_line,
    split_names,
)
from kiemchung.extractors.reading import read_document

CTX = ExtractContext()

MAIN = DocSpec(
    issuer="SỞ Y TẾ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    number="45/QĐ-SYT",
    date=dt.date(2024, 5, 6),
    type_name="QUYẾT ĐỊNH",
    title="Thành lập Tổ công tác chuyển đổi số",
    body=[
        "**GIÁM ĐỐC SỞ Y TẾ**",
        "Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của Ủy ban nhân dân thành phố;",
        "**QUYẾT ĐỊNH:**",
        "Điều 1. Thành lập Tổ công tác chuyển đổi số gồm các thành viên tại Phụ lục kèm theo.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    ],
    authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
    signer="Đoàn Thị Thu Hương",
    recipients=["Như Điều 3;", "Lưu: VT, VP."],
)
# A members list: roles in ordinary case, names at the ends of rows, the last row's too (the
# old reading took "Hoàng Văn Em" for the signer).
APPENDIX_PAGE = [
    "PHỤ LỤC",
    "DANH SÁCH THÀNH VIÊN TỔ CÔNG TÁC",
    "STT | Chức vụ | Nhiệm vụ | Họ và tên",
    "1 | Phó Giám đốc Sở | Tổ trưởng | Nguyễn Văn An",
    "2 | Trưởng phòng Kế hoạch | Thành viên | Trần Thị Bình",
    "3 | Phó Chánh Văn phòng | Thành viên | Lê Văn Cường",
    "4 | Trưởng phòng Nghiệp vụ | Thư ký | Hoàng Văn Em",
]
# A second document after the first, with its own number and signer: another body's letter.
LETTER = DocSpec(
    issuer="SỞ NỘI VỤ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    number="812/SNV-TCBC",
    date=dt.date(2024, 4, 20),
    title="Góp ý dự thảo Quyết định thành lập Tổ công tác",
    body=["Sở Nội vụ thống nhất với nội dung dự thảo Quyết định thành lập Tổ công tác của Sở Y tế."],
    authority=["GIÁM ĐỐC"],
    signer="Huỳnh Văn Bình",
    recipients=["Như trên;", "Lưu: VT."],
)
# An unsigned draft attached after a signed proposal: its drafted signer is no signer.
DRAFT = DocSpec(
    issuer="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG",
    number=None,
    symbol_hint="QĐ-UBND",
    date=None,
    year_hint=2024,
    type_name="QUYẾT ĐỊNH",
    title="Phê duyệt Đề án chuyển đổi số ngành y tế",
    body=["Điều 1. Phê duyệt Đề án chuyển đổi số ngành y tế giai đoạn 2024 - 2025."],
    authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    signer="Lê Trung Chinh",
    draft=True,
)
PROPOSAL = DocSpec(
    issuer="SỞ Y TẾ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    number="96/TTr-SYT",
    date=dt.date(2024, 6, 3),
    type_name="TỜ TRÌNH",
    title="Đề nghị phê duyệt Đề án chuyển đổi số ngành y tế",
    body=["Sở Y tế kính trình Ủy ban nhân dân thành phố xem xét, phê duyệt Đề án (dự thảo Quyết định kèm theo)."],
    authority=["GIÁM ĐỐC"],
    signer="Ngô Quang Hòa",
    recipients=["Như trên;", "Lưu: VT, KHTC."],
    attached=DRAFT,
)
JOINT = DocSpec(
    issuer="SỞ Y TẾ - SỞ NỘI VỤ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    number="12/HDLN-SYT-SNV",
    date=dt.date(2024, 5, 6),
    type_name="HƯỚNG DẪN",
    title="Thực hiện chuyển đổi số trong quản lý cán bộ y tế",
    body=["Hai Sở hướng dẫn thực hiện chuyển đổi số trong quản lý hồ sơ cán bộ ngành y tế."],
    authority=["KT. GIÁM ĐỐC SỞ Y TẾ", "PHÓ GIÁM ĐỐC"],
    signer="Đoàn Thị Thu Hương",
    co_signers=[(["KT. GIÁM ĐỐC SỞ NỘI VỤ", "PHÓ GIÁM ĐỐC"], "Lê Thị Hoa")],
    recipients=["Như trên;", "Lưu: VT."],
)


MAKERS = [pytest.param((make_pdf, ".pdf"), id="pdf"), pytest.param((make_docx, ".docx"), id="docx")]


def read(path: Path) -> dict[str, object]:
    doc = read_document(path, path.name, CTX)
    assert doc.error is None, doc.error
    return {name: f.value for name, f in doc.fields.items()}


def made(maker: tuple, spec: DocSpec, folder: Path) -> Path:
    make, suffix = maker
    return make(spec, folder / f"doc{suffix}")


def lines(*texts: str, method: str = "ocr") -> list[Line]:
    return [Line(t, 1, method, (300.0, 20.0 * i, 500.0, 20.0 * i + 12)) for i, t in enumerate(texts)]


# ---------------------------------------------------------------- the block is not on the last page


@pytest.mark.parametrize("maker", MAKERS)
def test_appendix_after_the_signature(tmp_path: Path, maker) -> None:
    """Four appendix pages, landscape, whose rows end with names: the signer is the decision's."""
    spec = dataclasses.replace(MAIN, appendix=[APPENDIX_PAGE] * 4, appendix_landscape=True)
    values = read(made(maker, spec, tmp_path))
    assert values["signer"] == "Đoàn Thị Thu Hương"
    assert (values["signer_authority"], values["signer_role"]) == ("KT.", "PHÓ GIÁM ĐỐC")
    assert values["number"] == "45/QĐ-SYT"


@pytest.mark.parametrize("maker", MAKERS)
def test_second_document_after_the_first(tmp_path: Path, maker) -> None:
    """A signed letter of another body after the decision and its appendix: not the signer."""
    spec = dataclasses.replace(MAIN, appendix=[APPENDIX_PAGE], attached=LETTER)
    values = read(made(maker, spec, tmp_path))
    assert values["signer"] == "Đoàn Thị Thu Hương"
    assert values["signer_role"] == "PHÓ GIÁM ĐỐC"


@pytest.mark.parametrize("maker", MAKERS)
def test_attached_draft_signer_is_not_the_signer(tmp_path: Path, maker) -> None:
    values = read(made(maker, PROPOSAL, tmp_path))
    assert values["signer"] == "Ngô Quang Hòa"
    assert values["signer_role"] == "GIÁM ĐỐC" and "signer_authority" not in values


def test_first_document_unsigned_takes_no_signer_from_the_next(tmp_path: Path) -> None:
    """The claimed document's block carries no name: the attached letter's signer is not taken."""
    spec = dataclasses.replace(MAIN, signer=None, attached=LETTER)
    values = read(make_pdf(spec, tmp_path / "qd.pdf"))
    assert "signer" not in values
    assert values["signer_role"] == "PHÓ GIÁM ĐỐC"


@pytest.mark.parametrize("maker", MAKERS)
def test_preamble_naming_the_state_starts_no_document(tmp_path: Path, maker) -> None:
    """"Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam" is body, not a new header."""
    body = [*MAIN.body, "Điều 3. Quyết định này thi hành theo Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam."]
    spec = dataclasses.replace(MAIN, body=body, pages=2, appendix=[APPENDIX_PAGE])
    assert read(made(maker, spec, tmp_path))["signer"] == "Đoàn Thị Thu Hương"


def test_role_in_capitals_in_the_body_stops_no_search(tmp_path: Path) -> None:
    """A text page's heading in capitals naming a role, over a short list (no prose, no name):
    not the signature page, the search goes on to the block on page 2."""
    items = [f"{i}. Phòng {unit}: thực hiện." for i, unit in enumerate(["Kế hoạch", "Tài chính", "Nghiệp vụ Y", "Nghiệp vụ Dược", "Tổ chức cán bộ", "Văn phòng", "Thanh tra", "Pháp chế", "Công nghệ", "Truyền thông", "Hành chính", "Quản trị", "Kiểm tra"], 1)]
    spec = dataclasses.replace(MAIN, body=[*MAIN.body[:2], "**TRÁCH NHIỆM CỦA GIÁM ĐỐC CÁC ĐƠN VỊ**", *items], pages=2, appendix=[APPENDIX_PAGE])
    values = read(make_pdf(spec, tmp_path / "qd.pdf"))
    assert values["signer"] == "Đoàn Thị Thu Hương"


def test_decision_heading_role_is_no_block() -> None:
    """`THỦ TƯỚNG CHÍNH PHỦ` above `Căn cứ …` on page 1 is the decision's heading."""
    page = lines(
        "QUYẾT ĐỊNH",
        "THỦ TƯỚNG CHÍNH PHỦ",
        "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025 và các văn bản hướng dẫn thi hành;",
        "Theo đề nghị của Bộ trưởng Bộ Nội vụ.",
        "Nơi nhận:",
        "- Như Điều 3;",
        "THỦ TƯỚNG",
        "Phạm Minh Chính",
    )
    blocks = signature_blocks(page)
    assert [b.first for b in blocks] == [6]
    assert parse_signature(page).signer.value == "Phạm Minh Chính"


def test_appendix_table_last_line_is_no_signer() -> None:
    page = lines("PHỤ LỤC", "Bộ trưởng Bộ Y tế - Bắc Ninh", "Đào Hồng Lan", "Bộ trưởng Bộ Tư pháp - Khánh Hòa", "Nguyễn Hải Ninh")
    assert parse_signature(page).signer is None


# ---------------------------------------------------------------- signers


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Trung tá Ngô Văn Công", "Ngô Văn Công"),
        ("Đại tá Trần Văn Sơn", "Trần Văn Sơn"),
        ("Thượng tá Lê Quang Minh", "Lê Quang Minh"),
        ("Thiếu tướng Trương Minh Đương", "Trương Minh Đương"),
        ("TS. Nguyễn Văn Bình", "Nguyễn Văn Bình"),
        ("ThS. Phạm Thị Hạnh", "Phạm Thị Hạnh"),
        ("PGS.TS. Hồ Đức Phớc", "Hồ Đức Phớc"),
    ],
)
def test_rank_or_title_before_the_name(tmp_path: Path, printed: str, name: str) -> None:
    spec = dataclasses.replace(MAIN, signer=printed)
    assert read(make_pdf(spec, tmp_path / "qd.pdf"))["signer"] == name
    assert name_in_line(printed) == name


@pytest.mark.parametrize(
    ("authority", "role", "prefix"),
    [
        (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "KT."),
        (["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"], "PHÓ CHÁNH VĂN PHÒNG", "TL."),
        # A council's chair who is also a department head: signs as the chair.
        (["TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ"], "CHỦ TỊCH", "TM."),
        (["TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ"], "GIÁM ĐỐC SỞ NỘI VỤ", "TUQ."),
        (["CHỦ TỊCH", "PHÓ THỦ TƯỚNG"], "CHỦ TỊCH", None),
    ],
)
def test_three_level_role_lines(tmp_path: Path, authority: list[str], role: str, prefix: str | None) -> None:
    spec = dataclasses.replace(MAIN, authority=authority, signer="Lê Văn Tám")
    for path in (make_pdf(spec, tmp_path / "qd.pdf"), make_docx(spec, tmp_path / "qd.docx")):
        values = read(path)
        assert values["signer"] == "Lê Văn Tám"
        assert values["signer_role"] == role
        assert values.get("signer_authority") == prefix


@pytest.mark.parametrize("maker", MAKERS)
def test_joint_document_keeps_every_signer(tmp_path: Path, maker) -> None:
    """Two blocks side by side: the right-most is the signer, the other a co-signer."""
    values = read(made(maker, JOINT, tmp_path))
    assert values["signer"] == "Đoàn Thị Thu Hương"
    assert values["co_signers"] == "Lê Thị Hoa"
    assert values["signer_authority"] == "KT."


def test_joint_names_merged_into_one_line() -> None:
    assert split_names("Lê Minh Trí Tống Anh Hào", 2) == ["Lê Minh Trí", "Tống Anh Hào"]
    assert split_names("Lê Minh Trí Tống Anh Hào", 3) is None


def test_joint_main_signer_unread_is_not_trusted() -> None:
    """The right-most block's name stayed unread: the next one read stands in, less sure."""
    left, middle = Field(value="Đinh Trung Tụng", method="ocr", confidence=0.9), Field(value="Nguyễn Thị Thủy Khiêm", method="ocr", confidence=0.95)
    main, others = joint_signers([left, middle, None])
    assert (main.value, [o.value for o in others]) == ("Nguyễn Thị Thủy Khiêm", ["Đinh Trung Tụng"])
    assert main.confidence <= UNDER_SEAL_CONFIDENCE < TRUSTED_OCR
    assert joint_signers([left, middle])[0].confidence == 0.95


def signer_flags(doc: Document, signer: str | None, unit: Unit) -> list[Flag]:
    """The SIGNER_* flags a claim of `signer` on `doc` gets, for a criterion wanting a leader."""
    criterion = Criterion(code="2.1", title="Tiêu chí 2.1", max_points=4, evidence=EvidenceRule(signer="leader"))
    framework = Framework(id="t", name="Bộ chỉ số thử", valid_years=[2024], ranks=[Rank(name="Tốt", min=0)], criteria=[criterion])
    claim = Claim(row=1, criterion="2.1", self_score=2, file=doc.file, signer=signer)
    flags = check_claims(unit, framework, [claim], {doc.file: doc}, year=2024)
    return [f for f in flags if f.code.value.startswith("SIGNER_")]


SYT = Unit(code="SYT", name="Sở Y tế", group="so-nganh", symbol="SYT", leaders=[Leader(name="Đoàn Thị Thu Hương", role="Phó Giám đốc")])


def test_claim_of_a_co_signer_is_no_mismatch(tmp_path: Path) -> None:
    """The unit signs the joint document in the left block: its claim names that signer."""
    snv = Unit(code="SNV", name="Sở Nội vụ", group="so-nganh", symbol="SNV", leaders=[Leader(name="Lê Thị Hoa", role="Phó Giám đốc")])
    doc = read_document(make_pdf(JOINT, tmp_path / "hdln.pdf"), "hdln.pdf", CTX)

    def codes(signer: str | None) -> set[FlagCode]:
        return {f.code for f in signer_flags(doc, signer, snv)}

    assert codes("Lê Thị Hoa") == set()
    assert codes(None) == set()  # the unit's own leader signed one of the blocks
    assert codes("Trần Văn Nam") == {FlagCode.SIGNER_MISMATCH}


def test_unsigned_text_document_has_no_signer(tmp_path: Path) -> None:
    doc = read_document(make_pdf(dataclasses.replace(MAIN, signer=None), tmp_path / "qd.pdf"), "qd.pdf", CTX)
    assert [f.code for f in signer_flags(doc, "Đoàn Thị Thu Hương", SYT)] == [FlagCode.SIGNER_NOT_FOUND]


def test_name_under_the_seal_is_less_sure() -> None:
    """The seal over the family name leaves the given names (`Thành Long` for `Lê Thành Long`)."""
    found = parse_signature(lines("CHỦ TỊCH", "PHÓ THỦ TƯỚNG", "| ê Thành Long"))
    assert found.signer.value == "Thành Long"
    assert found.signer.confidence <= UNDER_SEAL_CONFIDENCE
    # Residue of the seal before the given names is no prose: "hài Tân Duy Đông".
    assert read_block(lines("TM. UỶ BAN NHÂN DÂN", "| CHỦ TỊCH.", "hài Tân Duy Đông")).signer.value == "Tân Duy Đông"
    # A whole name read off a text layer keeps its confidence.
    assert parse_signature(lines("GIÁM ĐỐC", "Nguyễn Văn An", method="text")).signer.confidence == 1.0


# ---------------------------------------------------------------- scans


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("signature-scans")


def test_scan_searched_back_past_an_attached_document_and_appendix(scans: Path) -> None:
    """Five pages: the decision (signed on page 2), two landscape appendix pages, another body's
    signed letter. The search goes back from the end past the letter (its own `Số:` line) and
    the tables to page 2."""
    spec = dataclasses.replace(MAIN, pages=2, appendix=[APPENDIX_PAGE] * 2, appendix_landscape=True, attached=LETTER)
    doc = read_document(make_scan_pdf(spec, scans / "qd-bundle.pdf", seed=3), "qd-bundle.pdf", CTX)
    signer = doc.fields["signer"]
    assert doc.pages == 5 and signer.page == 2
    assert signer.value == "Đoàn Thị Thu Hương"
    assert doc.field_value("signer_authority") == "KT."


def test_scan_of_a_joint_document(scans: Path) -> None:
    doc = read_document(make_scan_pdf(JOINT, scans / "hdln.pdf", seed=5), "hdln.pdf", CTX)
    assert doc.field_value("signer") == "Đoàn Thị Thu Hương"
    assert doc.field_value("co_signers") == "Lê Thị Hoa"


def test_scan_with_a_black_seal_over_the_name(scans: Path) -> None:
    """A black-and-white copy (as the Government portal republishes them): the seal, black now,
    covers the family name. Whatever is read of the name is not trusted to decide an error."""
    spec = dataclasses.replace(MAIN, authority=["CHỦ TỊCH", "PHÓ THỦ TƯỚNG"], signer="Lê Thành Long")
    doc = read_document(make_scan_pdf(spec, scans / "sealed.pdf", seed=1, bilevel=True), "sealed.pdf", CTX)
    signer = doc.fields["signer"]
    assert signer.value == "Lê Thành Long" or (
        names_close("Lê Thành Long", signer.value) and signer.confidence < TRUSTED_OCR
    )
    assert doc.field_value("signer_role") == "CHỦ TỊCH"


def test_scan_whose_name_cannot_be_read_is_sent_to_a_person(scans: Path) -> None:
    """A signature written across the printed name: the block is found (role, authority, its
    page and region) but no name is read. That is no proof the document is unsigned: the flag
    is a warning pointing at the block, not SIGNER_NOT_FOUND."""
    path = make_scan_pdf(MAIN, scans / "scrawled.pdf", seed=2, illegible=("name",))
    doc = read_document(path, path.name, CTX)
    block = doc.fields["signature_block"]
    assert "signer" not in doc.fields and doc.field_value("signer_authority") == "KT."
    assert (block.page, block.method) == (1, "ocr") and block.bbox
    flags = signer_flags(doc, "Đoàn Thị Thu Hương", SYT)
    assert [(f.code, f.page) for f in flags] == [(FlagCode.SIGNER_UNCERTAIN, 1)]
