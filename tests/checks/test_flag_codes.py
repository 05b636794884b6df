"""Every flag code, raised from a real document and not raised from a clean one.

Documents are made by the factory (tests/docgen.py) in a temporary folder and read with
`read_document`; claims go through `check_claims` as the pipeline sends them (documents keyed
by `claim.file`). Most documents are born-digital PDFs (fast); one scanned PDF shows flags
raised from OCR. DUPLICATE_ACROSS_UNITS goes through `duplicate_flags` on assembled reports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest
from docgen import DocSpec, make_docx, make_pdf, make_scan_pdf
from pdfsign import self_signed_signer

from kiemchung.checks.duplicates import duplicate_flags
from kiemchung.checks.engine import assessment_period, check_claims
from kiemchung.checks.people import issuer_matches
from kiemchung.checks.unit_report import annotate_issuers, assemble_report
from kiemchung.core.model import (
    Alias,
    Claim,
    Criterion,
    CustomPeriod,
    Document,
    EvidenceRule,
    Field,
    Flag,
    FlagCode,
    Framework,
    Leader,
    Rank,
    Reading,
    Severity,
    Unit,
)
from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.reading import read_document

CTX = ExtractContext()
D = dt.date

# ---------------------------------------------------------------- units, framework, documents

SYT = Unit(
    code="SYT",
    name="Sở Y tế",
    group="so-nganh",
    symbol="SYT",
    leaders=[
        # The registry spells the head's name in the old tone placement; documents print Hòa.
        Leader(name="Ngô Quang Hoà", role="Giám đốc", head=True),
        Leader(name="Đoàn Thị Thu Hương", role="Phó Giám đốc"),
    ],
)
SKHCN = Unit(
    code="SKHCN",
    name="Sở Khoa học và Công nghệ",
    group="so-nganh",
    symbol="SKHCN",
    aliases=[Alias(name="Sở Thông tin và Truyền thông", symbol="STTTT", until=D(2025, 2, 28))],
    leaders=[Leader(name="Trần Ngọc Sơn", role="Giám đốc", head=True)],
)
THACGIAN = Unit(
    code="THACGIAN",
    name="Ủy ban nhân dân phường Thạc Gián",
    group="phuong-xa",
    symbol="UBND",
    leaders=[
        Leader(name="Lê Văn Hiệp", role="Chủ tịch", head=True),
        Leader(name="Trần Thị Thúy Hằng", role="Phó Chủ tịch"),
    ],
)


def _criterion(code: str, max_points: float = 4, applies_to: list[str] | None = None, **evidence) -> Criterion:
    return Criterion(
        code=code, title=f"Tiêu chí {code}", max_points=max_points, applies_to=applies_to, evidence=EvidenceRule(**evidence)
    )


CRITERIA = [
    # The full rule of an annual plan, as in the built-in frameworks.
    _criterion(
        "1.1",
        6,
        doc_types=["KH"],
        issuer="self",
        signer="leader",
        in_period=True,
        title_keywords=["chuyển đổi số"],
        min_documents=1,
    ),
    _criterion("1.3", 2),  # no requirement at all
    _criterion("2.1", signer="leader"),
    _criterion("2.2", issuer="self"),
    _criterion("2.3", in_period=True),
    _criterion("3.1", doc_types=["BC"]),
    _criterion("4.2", doc_types=["KH", "CV", "BC"]),
    _criterion("5.1", 8, doc_types=["QD"]),  # typed without Vietnamese input: QD = QĐ
    _criterion("6.2", title_keywords=["số hóa", "chuyển đổi số"]),
    _criterion("7.2", doc_types=["KH", "BC"], min_documents=2),
    _criterion("8.1", 3, applies_to=["quan-huyen", "phuong-xa"]),
]
RANKS = [Rank(name="Tốt", min=80), Rank(name="Yếu", min=0)]
FW = Framework(id="test-fw", name="Bộ chỉ số thử", valid_years=[2024], ranks=RANKS, criteria=CRITERIA)
FW_DEC_NOV = FW.model_copy(update={"id": "test-fw-12-11", "period": CustomPeriod(start="12-01", end="11-30")})

BODY = [
    "Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của Ủy ban nhân dân thành phố "
    "Đà Nẵng ban hành Bộ chỉ số đánh giá, xếp hạng chuyển đổi số;",
    "Cơ quan ban hành văn bản này để triển khai thực hiện các nhiệm vụ chuyển đổi số trong năm, "
    "bảo đảm đồng bộ, hiệu quả và đúng tiến độ.",
    "**I. MỤC ĐÍCH, YÊU CẦU**",
    "Nâng cao nhận thức của cán bộ, công chức, viên chức về vai trò của chuyển đổi số; tăng cường "
    "sử dụng hệ thống quản lý văn bản và điều hành, chữ ký số chuyên dùng.",
]
RECIPIENTS = ["Như trên;", "UBND thành phố (để b/c);", "Lưu: VT, VP."]

PLAN = DocSpec(
    issuer="SỞ Y TẾ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    title="Chuyển đổi số năm 2024 của Sở Y tế",
    number="131/KH-SYT",
    date=D(2024, 9, 18),
    type_name="KẾ HOẠCH",
    body=BODY,
    authority=["GIÁM ĐỐC"],
    signer="Ngô Quang Hòa",
    recipients=RECIPIENTS,
)
WARD_PLAN = dataclasses.replace(
    PLAN,
    issuer="ỦY BAN NHÂN DÂN\nPHƯỜNG THẠC GIÁN",
    parent=None,
    title="Chuyển đổi số năm 2024 trên địa bàn phường",
    number="05/KH-UBND",
    date=D(2024, 3, 5),
    authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    signer="Lê Văn Hiệp",
)


def plan(**changes) -> DocSpec:
    return dataclasses.replace(PLAN, **changes)


def claim_for(spec: DocSpec, row: int = 1, criterion: str = "1.1", file: str | None = "kh.pdf", **changes) -> Claim:
    """The claim a careful unit would type for `spec`."""
    values = {
        "row": row,
        "criterion": criterion,
        "self_score": 2,
        "doc_number": spec.number,
        "doc_date": spec.date,
        "doc_date_raw": spec.date.strftime("%d/%m/%Y") if spec.date else None,
        "doc_title": spec.title,
        "signer": spec.signer,
        "file": file,
    }
    values.update(changes)
    return Claim(**values)


def read(folder: Path, spec: DocSpec, name: str = "kh.pdf", maker=make_pdf) -> Document:
    path = maker(spec, folder / name)
    return read_document(path, name, CTX)


def check(documents: list[Document], *claims: Claim, unit: Unit = SYT, framework: Framework = FW, year: int = 2024) -> list[Flag]:
    flags = check_claims(unit, framework, list(claims), {d.file: d for d in documents}, year=year)
    repeated = [k for k, n in Counter((f.row, f.criterion, f.code) for f in flags).items() if n > 1]
    assert not repeated, f"a flag raised twice for one row and code: {repeated}"
    return flags


def codes(flags: list[Flag], row: int | None) -> set[FlagCode]:
    return {f.code for f in flags if f.row == row}


def the(flags: list[Flag], code: FlagCode, row: int | None = 1) -> Flag:
    found = [f for f in flags if f.code == code and f.row == row]
    assert len(found) == 1, f"{code} on row {row}: {flags}"
    return found[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


# ---------------------------------------------------------------- files


def test_missing_file(folder: Path) -> None:
    doc = read(folder, PLAN)
    flags = check(
        [doc],
        claim_for(PLAN, row=1, file=None),
        claim_for(PLAN, row=2, file="van-ban/khong-co.pdf"),
        claim_for(PLAN, row=3),
    )
    assert codes(flags, 1) == {FlagCode.MISSING_FILE}
    assert codes(flags, 2) == {FlagCode.MISSING_FILE}
    assert codes(flags, 3) == set()
    no_file, not_found = the(flags, FlagCode.MISSING_FILE, 1), the(flags, FlagCode.MISSING_FILE, 2)
    assert no_file.severity == Severity.ERROR and no_file.criterion == "1.1"
    assert "không đính kèm" in no_file.message
    assert "van-ban/khong-co.pdf" in not_found.message
    assert codes(flags, None) == set()  # row 3 is the criterion's one valid document


def test_unreadable_file_raises_one_flag_not_a_cascade(folder: Path) -> None:
    good = make_pdf(PLAN, folder / "good.pdf").read_bytes()
    (folder / "cut.pdf").write_bytes(good[: len(good) // 2])
    (folder / "empty.pdf").write_bytes(b"")
    docs = [read_document(folder / n, n, CTX) for n in ("cut.pdf", "empty.pdf", "good.pdf")]
    flags = check(
        docs,
        claim_for(PLAN, row=1, file="cut.pdf"),
        claim_for(PLAN, row=2, file="empty.pdf"),
        claim_for(PLAN, row=3, file="good.pdf"),
    )
    assert codes(flags, 1) == {FlagCode.UNREADABLE_FILE}
    assert codes(flags, 2) == {FlagCode.UNREADABLE_FILE}
    assert codes(flags, 3) == set()
    cut = the(flags, FlagCode.UNREADABLE_FILE, 1)
    assert cut.severity == Severity.ERROR
    assert "cut.pdf" in cut.message and "hỏng" in cut.message
    assert "0 byte" in the(flags, FlagCode.UNREADABLE_FILE, 2).message


def test_unsupported_file(folder: Path) -> None:
    (folder / "thong-ke.txt").write_text("Số: 12/KH-SYT\nThống kê thiết bị", encoding="utf-8")
    docs = [read_document(folder / "thong-ke.txt", "thong-ke.txt", CTX), read(folder, PLAN)]
    flags = check(docs, claim_for(PLAN, row=1, file="thong-ke.txt"), claim_for(PLAN, row=2))
    assert codes(flags, 1) == {FlagCode.UNSUPPORTED_FILE}
    assert codes(flags, 2) == set()
    flag = the(flags, FlagCode.UNSUPPORTED_FILE)
    assert flag.severity == Severity.ERROR
    assert "thong-ke.txt" in flag.message and ".txt" in flag.message


# ---------------------------------------------------------------- number


def test_number_not_found(folder: Path) -> None:
    report = plan(number=None, show_number=False, type_name="BÁO CÁO", title="Kết quả chuyển đổi số năm 2024")
    docs = [read(folder, report, "bc.pdf"), read(folder, PLAN)]
    flags = check(docs, claim_for(report, row=1, criterion="1.3", file="bc.pdf", doc_number="45/BC-SYT"), claim_for(PLAN, row=2, criterion="1.3"))
    assert codes(flags, 1) == {FlagCode.NUMBER_NOT_FOUND}
    assert codes(flags, 2) == set()
    flag = the(flags, FlagCode.NUMBER_NOT_FOUND)
    assert flag.severity == Severity.WARNING
    assert "bc.pdf" in flag.message and "Số:" in flag.message


def test_number_not_found_does_not_make_the_issuer_unknown(folder: Path) -> None:
    report = plan(number=None, show_number=False, type_name="BÁO CÁO", title="Kết quả chuyển đổi số năm 2024")
    flags = check([read(folder, report, "bc.pdf")], claim_for(report, criterion="2.2", file="bc.pdf", doc_number=None))
    assert codes(flags, 1) == {FlagCode.NUMBER_NOT_FOUND}


def test_number_mismatch(folder: Path) -> None:
    spec = plan(number="05/KH-SYT")
    docs = [read(folder, spec)]
    flags = check(
        docs,
        claim_for(spec, row=1, doc_number="50/KH-SYT"),
        # How units type it must not raise: leading "Số", spaces round "/", no leading zero.
        claim_for(spec, row=2, doc_number="Số 5 / KH-SYT"),
        claim_for(spec, row=3, doc_number="số: 05/kh-syt"),
    )
    assert codes(flags, 1) == {FlagCode.NUMBER_MISMATCH}
    assert codes(flags, 2) == codes(flags, 3) == set()
    flag = the(flags, FlagCode.NUMBER_MISMATCH)
    assert (flag.severity, flag.page, flag.claimed, flag.found) == (Severity.ERROR, 1, "50/KH-SYT", "05/KH-SYT")
    assert "50/KH-SYT" in flag.message and "05/KH-SYT" in flag.message and "trang 1" in flag.message


def test_number_typed_without_vietnamese_letters(folder: Path) -> None:
    spec = plan(number="89/QĐ-SYT", type_name="QUYẾT ĐỊNH", title="Ban hành Quy chế sử dụng chữ ký số")
    flags = check([read(folder, spec, "qd.pdf")], claim_for(spec, criterion="5.1", file="qd.pdf", doc_number="89/QD-SYT"))
    assert codes(flags, 1) == set()


# ---------------------------------------------------------------- dates and period


def test_date_not_found(folder: Path) -> None:
    blank = plan(date=None, year_hint=2024)
    docs = [read(folder, blank, "kh-blank.pdf"), read(folder, PLAN)]
    flags = check(
        docs,
        # 1.1 requires the date in the period: with no date found, that check cannot run.
        claim_for(blank, row=1, file="kh-blank.pdf", doc_date=D(2024, 9, 18), doc_date_raw="18/09/2024"),
        claim_for(PLAN, row=2),
    )
    assert codes(flags, 1) == {FlagCode.DATE_NOT_FOUND}
    assert codes(flags, 2) == set()
    flag = the(flags, FlagCode.DATE_NOT_FOUND)
    assert flag.severity == Severity.WARNING and "kh-blank.pdf" in flag.message


def test_date_mismatch(folder: Path) -> None:
    spec = plan(date=D(2024, 11, 15))
    flags = check(
        [read(folder, spec)],
        claim_for(spec, row=1, doc_date=D(2024, 10, 15), doc_date_raw="15/10/2024"),
        claim_for(spec, row=2, doc_date=D(2024, 11, 15), doc_date_raw="2024-11-15"),
    )
    assert codes(flags, 1) == {FlagCode.DATE_MISMATCH}
    assert codes(flags, 2) == set()
    flag = the(flags, FlagCode.DATE_MISMATCH)
    assert (flag.severity, flag.page, flag.claimed, flag.found) == (Severity.ERROR, 1, "15/10/2024", "15/11/2024")
    assert "15/10/2024" in flag.message and "15/11/2024" in flag.message


def test_date_outside_calendar_year(folder: Path) -> None:
    early = plan(number="152/KH-SYT", date=D(2023, 12, 28))
    docs = [read(folder, early, "kh-2023.pdf"), read(folder, PLAN)]
    flags = check(
        docs,
        claim_for(early, row=1, file="kh-2023.pdf"),
        claim_for(early, row=2, criterion="1.3", file="kh-2023.pdf"),  # no in_period: fine
        claim_for(PLAN, row=3),
    )
    assert codes(flags, 1) == {FlagCode.DATE_OUTSIDE_PERIOD}
    assert codes(flags, 2) == codes(flags, 3) == set()
    flag = the(flags, FlagCode.DATE_OUTSIDE_PERIOD)
    assert (flag.severity, flag.page, flag.found) == (Severity.ERROR, 1, "28/12/2023")
    assert "28/12/2023" in flag.message and "01/01/2024 - 31/12/2024" in flag.message


def test_date_outside_custom_window(folder: Path) -> None:
    assert assessment_period(FW_DEC_NOV, 2024) == (D(2023, 12, 1), D(2024, 11, 30))
    december_before = plan(number="152/KH-SYT", date=D(2023, 12, 28))
    december_after = plan(number="170/KH-SYT", date=D(2024, 12, 2))
    last_day = plan(number="160/KH-SYT", date=D(2024, 11, 30))
    docs = [read(folder, december_before, "a.pdf"), read(folder, december_after, "b.pdf"), read(folder, last_day, "c.pdf")]
    flags = check(
        docs,
        claim_for(december_before, row=1, criterion="2.3", file="a.pdf"),
        claim_for(december_after, row=2, criterion="2.3", file="b.pdf"),
        claim_for(last_day, row=3, criterion="2.3", file="c.pdf"),
        framework=FW_DEC_NOV,
    )
    assert codes(flags, 1) == set()  # 28/12/2023 is inside the 2024 window
    assert codes(flags, 2) == {FlagCode.DATE_OUTSIDE_PERIOD}
    assert codes(flags, 3) == set()
    flag = the(flags, FlagCode.DATE_OUTSIDE_PERIOD, 2)
    assert "02/12/2024" in flag.message and "01/12/2023 - 30/11/2024" in flag.message
    # Under the calendar year the same documents flip.
    flags = check(docs, claim_for(december_before, row=1, criterion="2.3", file="a.pdf"), claim_for(december_after, row=2, criterion="2.3", file="b.pdf"))
    assert (codes(flags, 1), codes(flags, 2)) == ({FlagCode.DATE_OUTSIDE_PERIOD}, set())


# ---------------------------------------------------------------- signer


def test_signer_not_found(folder: Path) -> None:
    unsigned = plan(authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], signer=None)
    docs = [read(folder, unsigned, "unsigned.pdf"), read(folder, PLAN)]
    flags = check(docs, claim_for(unsigned, row=1, file="unsigned.pdf", signer="Đoàn Thị Thu Hương"), claim_for(PLAN, row=2))
    # Not also SIGNER_MISMATCH or SIGNER_NOT_AUTHORIZED for a name that is not there.
    assert codes(flags, 1) == {FlagCode.SIGNER_NOT_FOUND}
    assert codes(flags, 2) == set()
    flag = the(flags, FlagCode.SIGNER_NOT_FOUND)
    assert flag.severity == Severity.ERROR and "unsigned.pdf" in flag.message


def test_signer_mismatch_and_name_normalisation(folder: Path) -> None:
    deputy = plan(authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], signer="Đoàn Thị Thu Hương")
    docs = [read(folder, deputy, "kt.pdf"), read(folder, PLAN)]
    flags = check(
        docs,
        claim_for(deputy, row=1, file="kt.pdf", signer="Ngô Quang Hòa"),
        claim_for(deputy, row=2, file="kt.pdf", signer="  đoàn thị   THU HƯƠNG "),  # case, spacing
        claim_for(PLAN, row=3, signer="Ngô Quang Hoà"),  # old tone placement
    )
    # Both are leaders: the wrong name is a mismatch, not an authorisation problem.
    assert codes(flags, 1) == {FlagCode.SIGNER_MISMATCH}
    assert codes(flags, 2) == codes(flags, 3) == set()
    flag = the(flags, FlagCode.SIGNER_MISMATCH)
    assert (flag.severity, flag.page, flag.claimed, flag.found) == (Severity.ERROR, 1, "Ngô Quang Hòa", "Đoàn Thị Thu Hương")
    assert "Ngô Quang Hòa" in flag.message and "Đoàn Thị Thu Hương" in flag.message


def test_signer_not_authorized_by_order_and_by_authorisation(folder: Path) -> None:
    tl = plan(authority=["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"], signer="Lê Văn Bình")
    # TUQ. is never a leader's signature, whatever the name.
    tuq = plan(authority=["TUQ. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"], signer="Ngô Quang Hòa")
    docs = [read(folder, tl, "tl.pdf"), read(folder, tuq, "tuq.pdf")]
    flags = check(
        docs,
        claim_for(tl, row=1, criterion="2.1", file="tl.pdf"),
        claim_for(tuq, row=2, criterion="2.1", file="tuq.pdf"),
        claim_for(tl, row=3, criterion="1.3", file="tl.pdf"),  # 1.3 takes any signer
    )
    assert codes(flags, 1) == codes(flags, 2) == {FlagCode.SIGNER_NOT_AUTHORIZED}
    assert codes(flags, 3) == set()
    by_order = the(flags, FlagCode.SIGNER_NOT_AUTHORIZED, 1)
    assert (by_order.severity, by_order.page, by_order.found) == (Severity.ERROR, 1, "Lê Văn Bình")
    assert "TL." in by_order.message and "Lê Văn Bình" in by_order.message
    assert "TUQ." in the(flags, FlagCode.SIGNER_NOT_AUTHORIZED, 2).message


def test_signer_not_a_leader(folder: Path) -> None:
    stranger = plan(authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], signer="Trần Văn Nam")
    deputy = plan(authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], signer="Đoàn Thị Thu Hương")
    docs = [read(folder, stranger, "a.pdf"), read(folder, deputy, "b.pdf"), read(folder, PLAN)]
    flags = check(
        docs,
        claim_for(stranger, row=1, criterion="2.1", file="a.pdf"),
        claim_for(deputy, row=2, criterion="2.1", file="b.pdf"),  # KT. by a deputy: a leader
        claim_for(PLAN, row=3, criterion="2.1"),  # the head, old/new tone placement
    )
    assert codes(flags, 1) == {FlagCode.SIGNER_NOT_AUTHORIZED}
    assert codes(flags, 2) == codes(flags, 3) == set()
    flag = the(flags, FlagCode.SIGNER_NOT_AUTHORIZED)
    assert "Trần Văn Nam" in flag.message and "PHÓ GIÁM ĐỐC" in flag.message and "Sở Y tế" in flag.message


def test_committee_signatures(folder: Path) -> None:
    chair = WARD_PLAN
    deputy = dataclasses.replace(
        WARD_PLAN, number="06/KH-UBND", authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], signer="Trần Thị Thúy Hằng"
    )
    outsider = dataclasses.replace(deputy, number="07/KH-UBND", signer="Nguyễn Văn Tài")
    docs = [read(folder, chair, "a.pdf"), read(folder, deputy, "b.pdf"), read(folder, outsider, "c.pdf")]
    flags = check(
        docs,
        claim_for(chair, row=1, file="a.pdf", doc_number="5/KH-UBND"),
        claim_for(deputy, row=2, file="b.pdf", signer="Trần Thị Thuý Hằng"),
        claim_for(outsider, row=3, file="c.pdf"),
        unit=THACGIAN,
    )
    assert codes(flags, 1) == codes(flags, 2) == set()
    assert codes(flags, 3) == {FlagCode.SIGNER_NOT_AUTHORIZED}
    flag = the(flags, FlagCode.SIGNER_NOT_AUTHORIZED, 3)
    assert "Nguyễn Văn Tài" in flag.message and "PHÓ CHỦ TỊCH" in flag.message
    assert "Ủy ban nhân dân phường Thạc Gián" in flag.message


# ---------------------------------------------------------------- issuer


def test_issuer_mismatch(folder: Path) -> None:
    city = plan(
        issuer="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG",
        parent=None,
        number="15/2024/KH-UBND",
        authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        signer="Hồ Kỳ Minh",
    )
    docs = [read(folder, city, "city.pdf"), read(folder, PLAN)]
    flags = check(
        docs,
        claim_for(city, row=1, criterion="2.2", file="city.pdf"),
        claim_for(city, row=2, criterion="1.3", file="city.pdf"),  # issuer any
        claim_for(PLAN, row=3, criterion="2.2"),
    )
    assert codes(flags, 1) == {FlagCode.ISSUER_MISMATCH}
    assert codes(flags, 2) == codes(flags, 3) == set()
    flag = the(flags, FlagCode.ISSUER_MISMATCH)
    assert (flag.severity, flag.page, flag.found) == (Severity.ERROR, 1, "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG")
    assert "Sở Y tế" in flag.message and "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG" in flag.message


def test_issuer_ward_committee_name(folder: Path) -> None:
    flags = check([read(folder, WARD_PLAN)], claim_for(WARD_PLAN, criterion="2.2"), unit=THACGIAN)
    assert codes(flags, 1) == set()


def test_issuer_dated_alias(folder: Path) -> None:
    old_name = plan(issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG", title="Chuyển đổi số năm 2024", number="25/KH-STTTT", signer="Trần Ngọc Sơn")
    before = dataclasses.replace(old_name, date=D(2024, 5, 6))
    last_day = dataclasses.replace(old_name, number="26/KH-STTTT", date=D(2025, 2, 28))
    after = dataclasses.replace(old_name, number="27/KH-STTTT", date=D(2025, 3, 10))
    new_name = plan(issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ", number="30/KH-SKHCN", date=D(2025, 3, 10), signer="Trần Ngọc Sơn")
    docs = [read(folder, s, n) for s, n in ((before, "a.pdf"), (last_day, "b.pdf"), (after, "c.pdf"), (new_name, "d.pdf"))]
    flags = check(
        docs,
        claim_for(before, row=1, criterion="2.2", file="a.pdf"),
        claim_for(last_day, row=2, criterion="2.2", file="b.pdf"),
        claim_for(after, row=3, criterion="2.2", file="c.pdf"),
        claim_for(new_name, row=4, criterion="2.2", file="d.pdf"),
        unit=SKHCN,
        year=2025,
    )
    assert codes(flags, 1) == codes(flags, 2) == set()  # the old name, valid until 28/02/2025
    assert codes(flags, 3) == {FlagCode.ISSUER_MISMATCH}
    assert codes(flags, 4) == set()
    flag = the(flags, FlagCode.ISSUER_MISMATCH, 3)
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in flag.message and "Sở Khoa học và Công nghệ" in flag.message


def test_issuer_mismatch_decided_by_the_symbol(folder: Path) -> None:
    # A header whose issuer line could not be read (a torn scan, say): the symbol decides.
    spec = plan(issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG", number="27/KH-STTTT", date=D(2025, 3, 10))
    doc = read(folder, spec)
    del doc.fields["issuer"]
    flags = check([doc], claim_for(spec, criterion="2.2"), unit=SKHCN, year=2025)
    assert codes(flags, 1) == {FlagCode.ISSUER_MISMATCH}
    flag = the(flags, FlagCode.ISSUER_MISMATCH)
    assert (flag.found, flag.page) == ("STTTT", 1)
    assert "STTTT" in flag.message and "trang 1" in flag.message


def test_issuer_from_symbol_when_no_header_name() -> None:
    # When the header's issuer could not be read, the symbol decides, with the aliases' dates.
    assert issuer_matches(SKHCN, None, "STTTT", D(2024, 5, 6)) is True
    assert issuer_matches(SKHCN, None, "STTTT", D(2025, 3, 10)) is False
    assert issuer_matches(SKHCN, None, "skhcn", D(2025, 3, 10)) is True
    assert issuer_matches(SKHCN, None, "SYT", D(2024, 5, 6)) is False
    assert issuer_matches(SKHCN, None, None, D(2024, 5, 6)) is None
    # Header names compare without case, diacritics, and with UBND / TP. expanded.
    assert issuer_matches(THACGIAN, "UBND PHƯỜNG THẠC GIÁN", None, None) is True
    assert issuer_matches(THACGIAN, "ỦY BAN NHÂN DÂN PHƯỜNG HẢI CHÂU", None, None) is False


def test_a_youth_unions_header_names_its_committee_short() -> None:
    # `BCH ĐOÀN TỈNH …` is how the union's executive committee prints its full name.
    union = Unit(code="TDLD", name="Ban Chấp hành Đoàn TNCS Hồ Chí Minh tỉnh Lâm Đồng", group="trung-uong", symbol="TĐTN")
    assert issuer_matches(union, "BCH ĐOÀN TỈNH LÂM ĐỒNG", None, None) is True
    assert issuer_matches(union, "BAN CHẤP HÀNH ĐOÀN TNCS HỒ CHÍ MINH TỈNH LÂM ĐỒNG", None, None) is True
    assert issuer_matches(union, "BCH ĐOÀN TỈNH ĐẮK LẮK", None, None) is False


def test_a_header_may_add_the_home_city_to_the_registrys_name() -> None:
    board = Unit(code="BQL", name="Ban Quản lý An toàn thực phẩm", group="don-vi-truc-thuoc", symbol="BQLATTP")
    assert issuer_matches(board, "BAN QUẢN LÝ AN TOÀN THỰC PHẨM THÀNH PHỐ ĐÀ NẴNG", None, None) is True
    assert issuer_matches(board, "BAN QUẢN LÝ AN TOÀN THỰC PHẨM TP. ĐÀ NẴNG", None, None) is True
    # Another province's namesake, or more words than a place, is another body.
    assert issuer_matches(board, "BAN QUẢN LÝ AN TOÀN THỰC PHẨM TỈNH QUẢNG NGÃI", None, None) is False
    assert issuer_matches(board, "BAN QUẢN LÝ AN TOÀN THỰC PHẨM VÀ Y TẾ", None, None) is False
    police = Unit(code="CAT", name="Công an tỉnh Lâm Đồng", group="trung-uong", symbol="CAT")
    assert issuer_matches(police, "CÔNG AN TỈNH LÂM ĐỒNG", None, None) is True


# ---------------------------------------------------------------- type, title


def test_doc_type_mismatch(folder: Path) -> None:
    invitation = plan(number="07/GM-SYT", type_name="GIẤY MỜI", title="Dự họp triển khai chuyển đổi số")
    letter = plan(number="45/SYT-VP", type_name=None, title="triển khai nền tảng số", addressees=["Sở Khoa học và Công nghệ"])
    docs = [read(folder, invitation, "gm.pdf"), read(folder, letter, "cv.pdf")]
    flags = check(
        docs,
        claim_for(invitation, row=1, criterion="4.2", file="gm.pdf"),
        claim_for(letter, row=2, criterion="3.1", file="cv.pdf"),  # only BC
        claim_for(letter, row=3, criterion="4.2", file="cv.pdf"),  # CV accepted
    )
    assert codes(flags, 1) == codes(flags, 2) == {FlagCode.DOC_TYPE_MISMATCH}
    assert codes(flags, 3) == set()
    gm = the(flags, FlagCode.DOC_TYPE_MISMATCH, 1)
    assert (gm.severity, gm.page) == (Severity.ERROR, 1)
    assert "GM" in gm.found and "Giấy mời" in gm.message
    assert all(t in gm.message for t in ("(KH)", "(CV)", "(BC)"))
    assert "Công văn (CV)" in the(flags, FlagCode.DOC_TYPE_MISMATCH, 2).message


def test_title_mismatch(folder: Path) -> None:
    cchc = plan(number="210/BC-SYT", type_name="BÁO CÁO", title="Kết quả cải cách hành chính quý III năm 2024")
    digit = plan(number="211/BC-SYT", type_name="BÁO CÁO", title="Kết quả SỐ HOÁ hồ sơ bệnh án năm 2024")
    docs = [read(folder, cchc, "a.pdf"), read(folder, digit, "b.pdf")]
    flags = check(docs, claim_for(cchc, row=1, criterion="6.2", file="a.pdf"), claim_for(digit, row=2, criterion="6.2", file="b.pdf"))
    assert codes(flags, 1) == {FlagCode.TITLE_MISMATCH}
    assert codes(flags, 2) == set()  # case, old tone placement (hoá) and diacritics do not matter
    flag = the(flags, FlagCode.TITLE_MISMATCH)
    assert (flag.severity, flag.page) == (Severity.WARNING, 1)
    assert "cải cách hành chính" in flag.message and '"số hóa"' in flag.message


# ---------------------------------------------------------------- drafts


@pytest.mark.parametrize("maker", [make_pdf, make_docx], ids=["pdf", "docx"])
def test_draft_document(folder: Path, maker) -> None:
    draft = plan(draft=True, number=None, symbol_hint="KH-SYT", date=None, signer=None)
    name = "du-thao." + ("pdf" if maker is make_pdf else "docx")
    docs = [read(folder, draft, name, maker), read(folder, PLAN)]
    flags = check(docs, claim_for(PLAN, row=1, file=name), claim_for(PLAN, row=2))
    # Only the draft flag: not NUMBER_NOT_FOUND, DATE_NOT_FOUND, SIGNER_NOT_FOUND as well.
    assert codes(flags, 1) == {FlagCode.DRAFT_DOCUMENT}
    assert codes(flags, 2) == set()
    flag = the(flags, FlagCode.DRAFT_DOCUMENT)
    assert (flag.severity, flag.page) == (Severity.ERROR, 1)
    assert "DỰ THẢO" in flag.message


def test_unissued_document_without_draft_mark(folder: Path) -> None:
    blank = plan(number=None, symbol_hint="KH-SYT", date=None, year_hint=2024)
    flags = check([read(folder, blank)], claim_for(PLAN))
    assert codes(flags, 1) == {FlagCode.DRAFT_DOCUMENT}
    assert "chưa ghi số và ngày" in the(flags, FlagCode.DRAFT_DOCUMENT).message


# ---------------------------------------------------------------- criterion and score


def test_score_exceeds_max_once_per_criterion(folder: Path) -> None:
    docs = [read(folder, PLAN)]
    flags = check(
        docs,
        claim_for(PLAN, row=1, self_score=6.5),
        claim_for(PLAN, row=2, self_score=6.5),  # the score repeated on the criterion's next row
        claim_for(PLAN, row=3, criterion="1.3", self_score=2),  # exactly the max
    )
    assert codes(flags, 1) == {FlagCode.SCORE_EXCEEDS_MAX}
    assert codes(flags, 2) == codes(flags, 3) == set()
    flag = the(flags, FlagCode.SCORE_EXCEEDS_MAX)
    assert (flag.severity, flag.claimed) == (Severity.ERROR, "6,5")
    assert "6,5" in flag.message and "tối đa 6" in flag.message and "1.1" in flag.message


def test_unknown_criterion(folder: Path) -> None:
    docs = [read(folder, PLAN)]
    flags = check(docs, claim_for(PLAN, row=1, criterion="4.3", file="khong-co.pdf"), claim_for(PLAN, row=2))
    # The row is not checked further (its missing file is not flagged) and 4.3 has no evidence rule.
    assert codes(flags, 1) == {FlagCode.UNKNOWN_CRITERION}
    assert codes(flags, 2) == set()
    assert codes(flags, None) == set()
    flag = the(flags, FlagCode.UNKNOWN_CRITERION)
    assert (flag.severity, flag.claimed) == (Severity.ERROR, "4.3")
    assert "4.3" in flag.message and "test-fw" in flag.message


def test_criterion_not_applicable(folder: Path) -> None:
    docs = [read(folder, PLAN), read(folder, WARD_PLAN, "ward.pdf")]
    flags = check(docs, claim_for(PLAN, criterion="8.1"))
    assert codes(flags, 1) == {FlagCode.CRITERION_NOT_APPLICABLE}
    flag = the(flags, FlagCode.CRITERION_NOT_APPLICABLE)
    assert flag.severity == Severity.ERROR and "8.1" in flag.message and "so-nganh" in flag.message
    flags = check(docs, claim_for(WARD_PLAN, criterion="8.1", file="ward.pdf"), unit=THACGIAN)
    assert codes(flags, 1) == set()


def test_insufficient_evidence(folder: Path) -> None:
    report = plan(number="215/BC-SYT", type_name="BÁO CÁO", title="Kết quả chuyển đổi số năm 2024")
    docs = [read(folder, PLAN), read(folder, report, "bc.pdf")]
    # One plan only, where 7.2 needs two documents.
    flags = check(docs, claim_for(PLAN, row=1, criterion="7.2"))
    flag = the(flags, FlagCode.INSUFFICIENT_EVIDENCE, None)
    assert (flag.row, flag.criterion, flag.file, flag.severity) == (None, "7.2", None, Severity.ERROR)
    assert flag.found == "1"
    assert "7.2" in flag.message and "ít nhất 2" in flag.message and "chỉ có 1" in flag.message
    # A second document with an error does not count; one with only a warning does.
    flags = check(docs, claim_for(PLAN, row=1, criterion="7.2"), claim_for(report, row=2, criterion="7.2", file="bc.pdf", doc_number="216/BC-SYT"))
    assert codes(flags, 2) == {FlagCode.NUMBER_MISMATCH}
    assert codes(flags, None) == {FlagCode.INSUFFICIENT_EVIDENCE}
    flags = check(docs, claim_for(PLAN, row=1, criterion="7.2"), claim_for(report, row=2, criterion="7.2", file="bc.pdf"))
    assert flags == []


# ---------------------------------------------------------------- one flag per row and code


def test_every_problem_of_one_row_flagged_once(folder: Path) -> None:
    bad = plan(
        number="99/GM-SYT",
        date=D(2023, 12, 20),
        type_name="GIẤY MỜI",
        title="Dự họp giao ban quý IV",
        authority=["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"],
        signer="Lê Văn Bình",
    )
    claim = claim_for(PLAN, row=1, file="bad.pdf", self_score=9)
    flags = check([read(folder, bad, "bad.pdf")], claim, claim.model_copy(update={"row": 2}))
    expected = {
        FlagCode.SCORE_EXCEEDS_MAX,
        FlagCode.NUMBER_MISMATCH,
        FlagCode.DATE_MISMATCH,
        FlagCode.DATE_OUTSIDE_PERIOD,
        FlagCode.SIGNER_MISMATCH,
        FlagCode.SIGNER_NOT_AUTHORIZED,
        FlagCode.DOC_TYPE_MISMATCH,
        FlagCode.TITLE_MISMATCH,
    }
    assert codes(flags, 1) == expected
    assert codes(flags, 2) == expected - {FlagCode.SCORE_EXCEEDS_MAX}
    assert codes(flags, None) == {FlagCode.INSUFFICIENT_EVIDENCE}


# ---------------------------------------------------------------- OCR


def test_flags_raised_from_a_scan(folder: Path) -> None:
    scan = dataclasses.replace(
        WARD_PLAN,
        number="12/KH-UBND",
        date=D(2024, 4, 9),
        authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        signer="Nguyễn Văn Tài",
    )
    doc = read(folder, scan, "scan.pdf", make_scan_pdf)
    assert doc.method == "ocr"
    flags = check(
        [doc],
        claim_for(scan, row=1, criterion="2.1", file="scan.pdf", doc_date=D(2024, 9, 4), doc_date_raw="04/09/2024"),
        claim_for(scan, row=2, criterion="1.3", file="scan.pdf", doc_number="12/KH-UBND"),
        unit=THACGIAN,
    )
    assert codes(flags, 1) == {FlagCode.DATE_MISMATCH, FlagCode.SIGNER_NOT_AUTHORIZED}
    assert codes(flags, 2) == set()
    date = the(flags, FlagCode.DATE_MISMATCH)
    assert (date.page, date.claimed, date.found) == (1, "04/09/2024", "09/04/2024")
    signer = the(flags, FlagCode.SIGNER_NOT_AUTHORIZED)
    assert "Nguyễn Văn Tài" in signer.message and signer.page == 1


# ---------------------------------------------------------------- digital signatures


def _sign(source: Path, target: Path, signer) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    out = io.BytesIO()
    with source.open("rb") as fh:
        signers.sign_pdf(
            IncrementalPdfFileWriter(fh), signers.PdfSignatureMetadata(field_name="ChuKySo"), signer=signer, output=out
        )
    target.write_bytes(out.getvalue())
    return out.getvalue()


def test_digital_signature_broken(folder: Path) -> None:
    signer = self_signed_signer("SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG")
    make_pdf(PLAN, folder / "unsigned.pdf")
    signed = _sign(folder / "unsigned.pdf", folder / "signed.pdf", signer)
    # Change one byte the signature covers (the author in the document information, so the text
    # still reads): the digest of the signed byte ranges no longer matches.
    at = signed.index(b"/Author")
    byte_range = signed[signed.index(b"/ByteRange [") + 12 :].split(b"]")[0].split()
    assert at < int(byte_range[1]), "the changed byte must be inside the signed range"
    end = signed.index(b")", at)
    tampered = signed[:end - 1] + bytes([signed[end - 1] ^ 0x01]) + signed[end:]
    (folder / "tampered.pdf").write_bytes(tampered)
    shutil.copy(folder / "signed.pdf", folder / "kh.pdf")

    docs = [read_document(folder / n, n, CTX) for n in ("tampered.pdf", "kh.pdf")]
    assert [s.intact for s in docs[1].signatures] == [True]
    assert [s.intact for s in docs[0].signatures] == [False]
    flags = check(docs, claim_for(PLAN, row=1, file="tampered.pdf"), claim_for(PLAN, row=2))
    assert codes(flags, 1) == {FlagCode.DIGITAL_SIGNATURE_BROKEN}
    assert codes(flags, 2) == set()
    flag = the(flags, FlagCode.DIGITAL_SIGNATURE_BROKEN)
    assert flag.severity == Severity.ERROR
    assert "SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG" in flag.message and "sửa sau khi ký" in flag.message


# ---------------------------------------------------------------- duplicates across units


def _report(unit: Unit, claims: list[Claim], docs: list[Document], units: list[Unit]):
    annotate_issuers(docs, units)
    flags = check_claims(unit, FW, claims, {c.file: next(d for d in docs if d.file.casefold() == c.file.replace("\\", "/").casefold()) for c in claims if c.file}, year=2024)
    return assemble_report(unit, FW, claims, docs, flags, year=2024, generated_at="2024-12-01T00:00:00+07:00")


def test_duplicate_across_units_same_file(folder: Path) -> None:
    city = plan(
        issuer="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG",
        parent=None,
        number="512/QĐ-UBND",
        type_name="QUYẾT ĐỊNH",
        title="Khen thưởng tập thể có thành tích xuất sắc trong chuyển đổi số năm 2023",
        authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        signer="Lê Trung Chinh",
    )
    (folder / "SYT").mkdir()
    (folder / "SKHCN").mkdir()
    make_pdf(city, folder / "SYT" / "QD-512.pdf")
    shutil.copy(folder / "SYT" / "QD-512.pdf", folder / "SKHCN" / "khen-thuong.pdf")
    own = read(folder / "SKHCN", plan(issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ", number="30/KH-SKHCN"), "kh.pdf")
    syt_doc = read_document(folder / "SYT" / "QD-512.pdf", "minh-chung/QD-512.pdf", CTX)
    skhcn_doc = read_document(folder / "SKHCN" / "khen-thuong.pdf", "minh-chung/khen-thuong.pdf", CTX)
    units = [SYT, SKHCN]
    syt = _report(SYT, [claim_for(city, row=3, criterion="1.3", file="minh-chung/QD-512.pdf")], [syt_doc], units)
    skhcn = _report(
        SKHCN,
        [
            claim_for(PLAN, row=1, criterion="1.3", file="kh.pdf"),
            # Typed with a backslash and other case: still the same folder file.
            claim_for(city, row=7, criterion="1.3", file="Minh-Chung\\Khen-Thuong.PDF"),
        ],
        [own, skhcn_doc],
        units,
    )
    extra = duplicate_flags([syt, skhcn])
    assert set(extra) == {"SYT", "SKHCN"}
    (to_syt,), (to_skhcn,) = extra["SYT"], extra["SKHCN"]
    assert (to_syt.code, to_syt.severity, to_syt.row, to_syt.file) == (
        FlagCode.DUPLICATE_ACROSS_UNITS, Severity.WARNING, 3, "minh-chung/QD-512.pdf"
    )
    assert "SKHCN (dòng 7)" in to_syt.message
    assert (to_skhcn.row, to_skhcn.file) == (7, "Minh-Chung\\Khen-Thuong.PDF")
    assert "SYT (dòng 3)" in to_skhcn.message


def test_duplicate_across_units_same_document_other_file(folder: Path) -> None:
    city = plan(
        issuer="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG",
        parent=None,
        number="512/QĐ-UBND",
        type_name="QUYẾT ĐỊNH",
        title="Khen thưởng tập thể có thành tích xuất sắc trong chuyển đổi số năm 2023",
        authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        signer="Lê Trung Chinh",
    )
    pdf_doc = read(folder, city, "qd-512.pdf")
    # The Word copy prints the issuer abbreviated: still the same body.
    docx_doc = read(folder, dataclasses.replace(city, issuer="UBND THÀNH PHỐ ĐÀ NẴNG"), "qd-512.docx", make_docx)
    assert pdf_doc.field_value("issuer") != docx_doc.field_value("issuer")
    other = read(folder, dataclasses.replace(city, number="513/QĐ-UBND"), "qd-513.pdf")
    assert pdf_doc.sha256 != docx_doc.sha256
    units = [SYT, SKHCN]
    syt = _report(SYT, [claim_for(city, row=2, criterion="1.3", file="qd-512.pdf")], [pdf_doc], units)
    skhcn = _report(SKHCN, [claim_for(city, row=5, criterion="1.3", file="qd-512.docx")], [docx_doc], units)
    extra = duplicate_flags([syt, skhcn])
    (to_syt,), (to_skhcn,) = extra["SYT"], extra["SKHCN"]
    assert (to_syt.code, to_syt.severity, to_syt.row) == (FlagCode.DUPLICATE_ACROSS_UNITS, Severity.WARNING, 2)
    assert "512/QĐ-UBND" in to_syt.message and "SKHCN (dòng 5)" in to_syt.message
    assert to_skhcn.row == 5 and "SYT (dòng 2)" in to_skhcn.message
    # Different documents of the same body: nothing.
    skhcn = _report(SKHCN, [claim_for(city, row=5, criterion="1.3", file="qd-513.pdf")], [other], units)
    assert duplicate_flags([syt, skhcn]) == {}


# ---------------------------------------------------------------- handwritten fill-ins, uncertain readings
# Paper-signed scans whose number and day the clerk wrote in ink (tests/docgen.py draws them). The
# second reader (PP-OCRv4) runs for real on their crops. A mismatch is an error only on a reading
# that is trustworthy; otherwise a *_UNCERTAIN warning sends the inspector to the crop.

INKED = plan(number="2388/KH-SYT", date=D(2024, 11, 23), handwritten=True)


@pytest.fixture(scope="module")
def inked(tmp_path_factory) -> tuple[Document, Document]:
    """The inked plan read off a scan, and the same with number and day scrawled beyond reading."""
    folder = tmp_path_factory.mktemp("inked")
    readable = read_document(make_scan_pdf(INKED, folder / "kh.pdf"), "kh.pdf", CTX)
    scrawled = read_document(make_scan_pdf(INKED, folder / "mo.pdf", seed=2, illegible=("number", "day")), "mo.pdf", CTX)
    return readable, scrawled


def test_handwritten_number_and_day_read_by_the_second_reader(inked) -> None:
    doc, _ = inked
    number, date = doc.fields["number"], doc.fields["date"]
    assert (number.value, date.value) == ("2388/KH-SYT", "2024-11-23")
    for field in (number, date):
        assert "ppocr" in (field.method or "") and field.page == 1
        assert any(r.reader == "ppocr" for r in field.readings or [])
        x0, top, x1, bottom = field.bbox
        assert 0 <= x0 < x1 <= 600 and 60 < top < bottom < 140  # the header's number/date line


def test_number_uncertain_on_a_handwritten_number(inked) -> None:
    doc, _ = inked
    flags = check(
        [doc],
        claim_for(INKED, row=1, criterion="1.3"),
        claim_for(INKED, row=2, criterion="1.3", doc_number="2389/KH-SYT"),  # off by one
    )
    assert [f for f in flags if f.row == 1 and f.severity == Severity.ERROR] == []
    # One reader alone on ink is not sure enough to call the claim wrong: a warning with the crop.
    assert codes(flags, 2) == {FlagCode.NUMBER_UNCERTAIN}
    flag = the(flags, FlagCode.NUMBER_UNCERTAIN, row=2)
    assert (flag.severity, flag.claimed, flag.page) == (Severity.WARNING, "2389/KH-SYT", 1)
    assert "2388/KH-SYT" in flag.found and "xem ảnh cắt" in flag.message


def test_number_uncertain_when_only_the_printed_symbol_is_read(inked) -> None:
    _, doc = inked
    assert "number" not in doc.fields and doc.fields["symbol"].value == "KH-SYT"
    flags = check(
        [doc],
        claim_for(INKED, row=1, criterion="1.3", file="mo.pdf"),
        claim_for(INKED, row=2, criterion="1.3", file="mo.pdf", doc_number="2388/QĐ-SYT"),
    )
    ok, wrong = the(flags, FlagCode.NUMBER_UNCERTAIN, row=1), the(flags, FlagCode.NUMBER_UNCERTAIN, row=2)
    assert "khớp" in ok.message and "khác" in wrong.message
    assert not any(f.code == FlagCode.NUMBER_NOT_FOUND for f in flags)


def test_date_uncertain_when_only_month_and_year_are_read(inked) -> None:
    _, doc = inked
    assert "date" not in doc.fields and doc.fields["date_partial"].value == "2024-11"
    flags = check(
        [doc],
        claim_for(INKED, row=1, criterion="2.3", file="mo.pdf"),
        claim_for(INKED, row=2, criterion="2.3", file="mo.pdf", doc_date=D(2024, 10, 23), doc_date_raw="23/10/2024"),
    )
    assert dated(flags, 1) == dated(flags, 2) == {FlagCode.DATE_UNCERTAIN}
    assert "khớp" in the(flags, FlagCode.DATE_UNCERTAIN, row=1).message
    assert "khác" in the(flags, FlagCode.DATE_UNCERTAIN, row=2).message
    # The printed year decides the period alone: November 2024 lies outside 2025.
    later = check([doc], claim_for(INKED, row=3, criterion="2.3", file="mo.pdf"), year=2025)
    assert FlagCode.DATE_OUTSIDE_PERIOD in codes(later, 3)
    assert the(later, FlagCode.DATE_OUTSIDE_PERIOD, row=3).severity == Severity.ERROR


def test_typed_digits_on_a_scan_still_decide_an_error(folder: Path) -> None:
    # Recall does not pay for the caution: printed digits read by both readers are trusted.
    doc = read(folder, PLAN, "scan.pdf", make_scan_pdf)
    assert doc.fields["number"].method == "ocr+ppocr"
    flags = check([doc], claim_for(PLAN, criterion="1.3", file="scan.pdf", doc_number="132/KH-SYT"))
    assert the(flags, FlagCode.NUMBER_MISMATCH).severity == Severity.ERROR


# Fields the hand-made documents below leave out on purpose.
NOT_READ = {FlagCode.NUMBER_NOT_FOUND, FlagCode.DATE_NOT_FOUND, FlagCode.SIGNER_NOT_FOUND}


def dated(flags: list[Flag], row: int) -> set[FlagCode]:
    return {c for c in codes(flags, row) if c.value.startswith("DATE_")}


def _ocr_doc(**fields: Field) -> Document:
    return Document(file="kh.pdf", sha256="0" * 64, method="ocr", kind="pdf", pages=1, fields=fields)


def test_date_uncertain_on_a_low_confidence_reading() -> None:
    claim = claim_for(PLAN, criterion="1.3")
    low = _ocr_doc(date=Field(value="2024-09-21", page=1, method="ocr", confidence=0.62))
    high = _ocr_doc(date=Field(value="2024-09-21", page=1, method="ocr", confidence=0.97))
    text = _ocr_doc(date=Field(value="2024-09-21", page=1, method="text", confidence=1.0))
    assert dated(check([low], claim), 1) == {FlagCode.DATE_UNCERTAIN}
    assert dated(check([high], claim), 1) == dated(check([text], claim), 1) == {FlagCode.DATE_MISMATCH}
    # One reader read the claimed date, the combination the other: a warning naming both.
    both = _ocr_doc(date=Field(value="2024-09-21", page=1, method="ppocr", confidence=0.4,
                               readings=[Reading(reader="tesseract", value="2024-09-18", confidence=0.7)]))
    flags = check([both], claim)
    assert dated(flags, 1) == {FlagCode.DATE_UNCERTAIN}
    assert "18/09/2024" in the(flags, FlagCode.DATE_UNCERTAIN).found


def test_signer_uncertain_when_the_seal_covers_the_family_name() -> None:
    claim = claim_for(PLAN, criterion="2.1")  # signed by Ngô Quang Hòa, the head
    def signed(name: str, confidence: float = 0.95):
        return _ocr_doc(signer=Field(value=name, page=1, method="ocr", confidence=confidence))

    # Another family name, or a given name's letter misread: the same person perhaps, look.
    for name in ("Lê Quang Hòa", "Ngô Quanq Hòa"):
        flags = check([signed(name)], claim)
        assert codes(flags, 1) - NOT_READ == {FlagCode.SIGNER_UNCERTAIN}, name
        assert name in the(flags, FlagCode.SIGNER_UNCERTAIN).message
    # The seal took the family name, or left a word that is no family name: the claim as read.
    for name in ("Uô Quang Hòa", "Quang Hòa", "Ngố Quang Hòa"):
        assert codes(check([signed(name, 0.5)], claim), 1) - NOT_READ == set(), name
    other = signed("Trần Văn Nam")
    # Another person read with confidence is still an error (and not a leader).
    assert codes(check([other], claim), 1) - NOT_READ == {FlagCode.SIGNER_MISMATCH, FlagCode.SIGNER_NOT_AUTHORIZED}


def test_issuer_uncertain_when_the_symbol_says_it_is_ours() -> None:
    claim = claim_for(PLAN, criterion="2.2")
    noisy = _ocr_doc(issuer=Field(value="SƠ Y TỀ NG", page=1, method="ocr", confidence=0.93),
                     symbol=Field(value="KH-SYT", page=1, method="ocr"))
    flags = check([noisy], claim)
    assert codes(flags, 1) - NOT_READ - {FlagCode.NUMBER_UNCERTAIN} == {FlagCode.ISSUER_UNCERTAIN}
    assert the(flags, FlagCode.ISSUER_UNCERTAIN).severity == Severity.WARNING


def test_an_ocr_header_with_glued_words_and_look_alike_letters_is_ours() -> None:
    # Held-out scans and photos: `QUẢN LÝ` read `QUẢNIÝ`, stray marks, the home city after it.
    bql = SYT.model_copy(update={"code": "BQL", "name": "Ban Quản lý An toàn thực phẩm", "symbol": "BQLATTP"})
    claim = claim_for(PLAN, criterion="2.2")

    def header(text: str, method: str = "ocr") -> set[FlagCode]:
        doc = _ocr_doc(issuer=Field(value=text, page=1, method=method, confidence=0.84))
        return codes(check([doc], claim, unit=bql), 1) & {FlagCode.ISSUER_MISMATCH, FlagCode.ISSUER_UNCERTAIN}

    assert header("BAN QUẢNIÝ AN TOÀN THỰC PHẨM I0 : :") == set()
    assert header("BAN QUẢNIÝ „ AN TOÀN THỤC PHẨM THÀNH PHỐ ĐÀ NẴNG") == set()
    assert header("BAN QUẢN LÝ AN TOÀN THC PHẨM") == set()  # one letter per 12 may be lost
    assert header("BAN QUẢN LÝ AN TOÀN TH PHẨM") == {FlagCode.ISSUER_UNCERTAIN}  # not two
    assert header("BAN QUẢN LÝ AN TOÀN THỰC PHẨM") == set()
    assert header("BAN QUẢN LÝ AN TOÀN") == {FlagCode.ISSUER_UNCERTAIN}  # not the whole name
    # Another province's namesake, another body, or a text layer: no OCR leniency.
    assert header("BAN QUẢNIÝ AN TOÀN THỰC PHẨM TỈNH QUẢNG NAM") == {FlagCode.ISSUER_UNCERTAIN}
    assert header("SỞ CÔNG THƯƠNG") == {FlagCode.ISSUER_UNCERTAIN}
    assert header("BAN QUẢNIÝ AN TOÀN THỰC PHẨM", method="text") == {FlagCode.ISSUER_MISMATCH}


def test_every_flag_code_has_a_test() -> None:
    tested = {
        FlagCode.MISSING_FILE: test_missing_file,
        FlagCode.UNREADABLE_FILE: test_unreadable_file_raises_one_flag_not_a_cascade,
        FlagCode.UNSUPPORTED_FILE: test_unsupported_file,
        FlagCode.NUMBER_NOT_FOUND: test_number_not_found,
        FlagCode.NUMBER_MISMATCH: test_number_mismatch,
        FlagCode.DATE_NOT_FOUND: test_date_not_found,
        FlagCode.DATE_MISMATCH: test_date_mismatch,
        FlagCode.DATE_OUTSIDE_PERIOD: test_date_outside_calendar_year,
        FlagCode.SIGNER_NOT_FOUND: test_signer_not_found,
        FlagCode.SIGNER_MISMATCH: test_signer_mismatch_and_name_normalisation,
        FlagCode.SIGNER_NOT_AUTHORIZED: test_signer_not_a_leader,
        FlagCode.ISSUER_MISMATCH: test_issuer_mismatch,
        FlagCode.DOC_TYPE_MISMATCH: test_doc_type_mismatch,
        FlagCode.TITLE_MISMATCH: test_title_mismatch,
        FlagCode.DRAFT_DOCUMENT: test_draft_document,
        FlagCode.DUPLICATE_ACROSS_UNITS: test_duplicate_across_units_same_file,
        FlagCode.SCORE_EXCEEDS_MAX: test_score_exceeds_max_once_per_criterion,
        FlagCode.UNKNOWN_CRITERION: test_unknown_criterion,
        FlagCode.CRITERION_NOT_APPLICABLE: test_criterion_not_applicable,
        FlagCode.INSUFFICIENT_EVIDENCE: test_insufficient_evidence,
        FlagCode.DIGITAL_SIGNATURE_BROKEN: test_digital_signature_broken,
        FlagCode.NUMBER_UNCERTAIN: test_number_uncertain_on_a_handwritten_number,
        FlagCode.DATE_UNCERTAIN: test_date_uncertain_when_only_month_and_year_are_read,
        FlagCode.SIGNER_UNCERTAIN: test_signer_uncertain_when_the_seal_covers_the_family_name,
        FlagCode.ISSUER_UNCERTAIN: test_issuer_uncertain_when_the_symbol_says_it_is_ours,
    }
    assert set(tested) == set(FlagCode)
