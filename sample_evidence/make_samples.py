"""Regenerate the sample evidence root: units.yaml, dossiers, proof files, expected flags.

Run from the repository root:  python sample_evidence/make_samples.py

Deterministic: fixed seeds, fixed timestamps, so regenerating gives the same bytes. The planted
problem of every dossier row is declared next to it (`expect`); INSUFFICIENT_EVIDENCE lines
are derived from the framework's min_documents and the flags' severities, and the cross-unit
duplicates are checked against the files' SHA-256, so expected_flags.csv cannot drift from
what was generated.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

from docgen import (  # noqa: E402
    FIXED_TIME,
    DocSpec,
    _stable_zip,
    make_docx,
    make_pdf,
    make_photo_jpeg,
    make_scan_pdf,
)

from kiemchung.core.model import FLAG_SEVERITY, FlagCode, Framework, Severity  # noqa: E402

YEAR = 2024
FRAMEWORK = REPO / "src/kiemchung/checks/frameworks/danang-2023.yaml"
D = dt.date

# ---------------------------------------------------------------------------- units.yaml

UNITS_YAML = """\
# Sample registry of evaluated units (contracts.md section 2). Names and leaders are fictional;
# the bodies and their document symbols follow the real ones of Da Nang in 2024.
units:
  - code: SYT
    name: Sở Y tế
    group: so-nganh
    symbol: SYT
    leaders:
      - {name: Ngô Quang Hòa, role: Giám đốc, head: true}
      - {name: Đoàn Thị Thu Hương, role: Phó Giám đốc}
      - {name: Phạm Thị Thanh Thủy, role: Phó Giám đốc}

  # Sở Thông tin và Truyền thông merged into Sở Khoa học và Công nghệ on 01/03/2025: its 2024
  # documents carry the old name and symbol, valid under the alias.
  - code: SKHCN
    name: Sở Khoa học và Công nghệ
    group: so-nganh
    symbol: SKHCN
    aliases:
      - {name: Sở Thông tin và Truyền thông, symbol: STTTT, until: 2025-02-28}
    leaders:
      - {name: Trần Ngọc Sơn, role: Giám đốc, head: true}
      - {name: Nguyễn Quang Thanh, role: Phó Giám đốc}
      - {name: Lê Thị Hồng Vân, role: Phó Giám đốc}

  - code: PTTH
    name: Đài Phát thanh - Truyền hình Đà Nẵng
    group: don-vi-truc-thuoc
    symbol: PTTH
    leaders:
      - {name: Phan Văn Hiếu, role: Giám đốc, head: true}
      - {name: Nguyễn Thị Hoài Thu, role: Phó Giám đốc}
      - {name: Lê Quý Thuận, role: Phó Giám đốc}

  - code: HQDN
    name: Cục Hải quan thành phố Đà Nẵng
    group: trung-uong
    symbol: HQĐNg
    leaders:
      - {name: Trần Đức Thủy, role: Cục trưởng, head: true}
      - {name: Nguyễn Thị Quỳnh Hoa, role: Phó Cục trưởng}
      - {name: Lê Hoài Nam, role: Phó Cục trưởng}

  - code: THACGIAN
    name: Ủy ban nhân dân phường Thạc Gián
    group: phuong-xa
    symbol: UBND
    leaders:
      - {name: Lê Văn Hiệp, role: Chủ tịch, head: true}
      - {name: Trần Thị Thúy Hằng, role: Phó Chủ tịch}
      - {name: Võ Văn Quang, role: Phó Chủ tịch}
"""

# ---------------------------------------------------------------------------- issuers

CITY = "UBND THÀNH PHỐ ĐÀ NẴNG"
SYT = {"parent": CITY, "issuer": "SỞ Y TẾ"}
STTTT = {"parent": CITY, "issuer": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"}
PTTH = {"parent": CITY, "issuer": "ĐÀI PHÁT THANH - TRUYỀN HÌNH\nĐÀ NẴNG"}
HQ = {"parent": "TỔNG CỤC HẢI QUAN", "issuer": "CỤC HẢI QUAN\nTHÀNH PHỐ ĐÀ NẴNG"}
TCHQ = {"parent": "BỘ TÀI CHÍNH", "issuer": "TỔNG CỤC HẢI QUAN"}
WARD = {"parent": None, "issuer": "ỦY BAN NHÂN DÂN\nPHƯỜNG THẠC GIÁN"}
UBND_TP = {"parent": None, "issuer": "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG"}

KT_GD = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
GD = ["GIÁM ĐỐC"]
TL_CVP = ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]
TM_CT = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
TM_KT_CT = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
KT_CT = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
CUC_TRUONG = ["CỤC TRƯỞNG"]
KT_CUC = ["KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"]

# A trap for parsers: the number and date of the index itself, cited in many bodies.
CAN_CU_2901 = (
    "Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của Ủy ban nhân dân thành phố "
    "Đà Nẵng ban hành Bộ chỉ số đánh giá, xếp hạng chuyển đổi số của các cơ quan, địa phương "
    "trên địa bàn thành phố Đà Nẵng;"
)
CAN_CU_CDS = (
    "Căn cứ Quyết định số 2870/QĐ-UBND ngày 28 tháng 8 năm 2021 của Ủy ban nhân dân thành phố về "
    "việc ban hành Đề án Chuyển đổi số trên địa bàn thành phố Đà Nẵng đến năm 2025, định hướng "
    "đến năm 2030;"
)


def rec(*extra: str, office: str = "VP") -> list[str]:
    return [*extra, f"Lưu: VT, {office}."]


# ---------------------------------------------------------------------------- bodies


def body_kh(who: str, topic: str, *, refs: list[str] | None = None) -> list[str]:
    return [
        *(refs or [CAN_CU_2901]),
        f"{who} ban hành Kế hoạch {topic} như sau:",
        "**I. MỤC ĐÍCH, YÊU CẦU**",
        "1. Mục đích: triển khai đồng bộ, hiệu quả các nhiệm vụ, giải pháp về chuyển đổi số; nâng "
        "cao chất lượng phục vụ người dân, doanh nghiệp và hiệu quả quản lý, điều hành.",
        "2. Yêu cầu: xác định rõ nhiệm vụ, thời hạn hoàn thành và trách nhiệm của từng phòng, đơn "
        "vị; gắn kết quả thực hiện với đánh giá, xếp loại cuối năm.",
        "**II. NHIỆM VỤ TRỌNG TÂM**",
        "1. Hoàn thiện thể chế, quy chế nội bộ về ứng dụng công nghệ số, an toàn thông tin mạng.",
        "2. Duy trì hạ tầng, bảo đảm 100% máy trạm kết nối mạng nội bộ và mạng đô thị (MAN).",
        "3. Đẩy mạnh xử lý hồ sơ công việc trên môi trường mạng, ký số văn bản điện tử.",
        "**III. TỔ CHỨC THỰC HIỆN**",
        "Văn phòng là đầu mối theo dõi, đôn đốc, tổng hợp kết quả thực hiện Kế hoạch, báo cáo "
        "trước ngày 30 tháng 11 năm 2024.",
    ]


def body_qd(
    authority: str,
    articles: list[str],
    *,
    refs: list[str] | None = None,
    proposer: str = "Chánh Văn phòng",
) -> list[str]:
    return [
        f"**{authority}**",
        *(refs or [CAN_CU_CDS]),
        f"Theo đề nghị của {proposer}.",
        "**QUYẾT ĐỊNH:**",
        *articles,
    ]


def body_bc(who: str, basis: str, results: list[str]) -> list[str]:
    return [
        f"{basis}, {who} báo cáo như sau:",
        "**I. KẾT QUẢ THỰC HIỆN**",
        *results,
        "**II. TỒN TẠI, HẠN CHẾ**",
        "Một số máy trạm đã cũ, cấu hình thấp; kỹ năng khai thác các nền tảng số của một bộ phận "
        "công chức còn hạn chế.",
        "**III. ĐỀ XUẤT, KIẾN NGHỊ**",
        "Đề nghị cơ quan chuyên môn tiếp tục hỗ trợ kỹ thuật, tổ chức tập huấn và bố trí kinh phí "
        "nâng cấp hạ tầng trong năm tiếp theo.",
    ]


# ---------------------------------------------------------------------------- the plan


@dataclass
class Row:
    criterion: str
    score: float | None
    number: str | None  # as the unit typed it
    date: str | dt.date | None
    title: str
    signer: str | None
    file: str  # relative to the unit folder; "" = empty cell
    expect: list[str]
    note: str


@dataclass
class Unit:
    code: str
    dossier: str  # dossier.xlsx | dossier.csv
    english_keys: bool = False
    stt: list[str] | None = None  # what the unit wrote in STT; None = no STT column
    numeric_cells: bool = False  # xlsx: STT and criterion codes stored as numbers, as Excel does
    files: dict[str, Callable[[Path], Path]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)


def _maker(kind: str, write: Callable[[Path], Path]) -> Callable[[Path], Path]:
    write.kind = kind  # type: ignore[attr-defined]  # shown in the README's tables
    return write


def pdf(spec: DocSpec) -> Callable[[Path], Path]:
    return _maker("PDF", lambda p: make_pdf(spec, p))


def scan(spec: DocSpec, seed: int) -> Callable[[Path], Path]:
    return _maker("scan", lambda p: make_scan_pdf(spec, p, seed=seed))


def photo(spec: DocSpec, seed: int, *, exif_rotate: bool = False) -> Callable[[Path], Path]:
    return _maker("photo", lambda p: make_photo_jpeg(spec, p, seed=seed, exif_rotate=exif_rotate))


def docx(spec: DocSpec) -> Callable[[Path], Path]:
    return _maker("Word", lambda p: make_docx(spec, p))


def truncated(spec: DocSpec) -> Callable[[Path], Path]:
    """An upload cut off half-way: the header survives, the cross-reference table does not."""

    def write(p: Path) -> Path:
        make_pdf(spec, p)
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2])
        return p

    return _maker("truncated PDF", write)


def text_file(content: str) -> Callable[[Path], Path]:
    def write(p: Path) -> Path:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")
        return p

    return _maker("text", write)


# A city decision several units cite for the bonus: the same bytes land in two dossiers.
QD_512_KHEN_THUONG = DocSpec(
    **UBND_TP,
    number="512/QĐ-UBND",
    date=D(2024, 2, 20),
    type_name="QUYẾT ĐỊNH",
    title="Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân thành phố cho các tập thể có "
    "thành tích xuất sắc trong công tác chuyển đổi số năm 2023",
    body=body_qd(
        "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG",
        [
            "Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân thành phố cho 14 tập thể đã có "
            "thành tích xuất sắc trong công tác chuyển đổi số năm 2023 (có danh sách kèm theo), "
            "trong đó có Sở Y tế và Sở Thông tin và Truyền thông.",
            "Điều 2. Chánh Văn phòng Ủy ban nhân dân thành phố, Giám đốc Sở Nội vụ, Trưởng Ban "
            "Thi đua - Khen thưởng thành phố và các tập thể có tên tại Điều 1 chịu trách nhiệm "
            "thi hành Quyết định này./.",
        ],
        refs=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ kết quả đánh giá, xếp hạng chuyển đổi số năm 2023 của các cơ quan, địa "
            "phương theo Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023;",
        ],
        proposer="Giám đốc Sở Nội vụ tại Tờ trình số 245/TTr-SNV ngày 05 tháng 02 năm 2024",
    ),
    authority=KT_CT,
    signer="Lê Minh Trung",
    recipients=rec("Như Điều 2;", "CT, các PCT UBND TP;", office="NCPC"),
)


def unit_syt() -> Unit:
    who = "Sở Y tế"
    u = Unit("SYT", "dossier.xlsx", numeric_cells=False)
    kh131 = DocSpec(
        **SYT,
        number="131/KH-SYT",
        date=D(2024, 9, 18),
        type_name="KẾ HOẠCH",
        title="Chuyển đổi số năm 2024 của Sở Y tế",
        pages=2,
        body=body_kh(who, "chuyển đổi số năm 2024", refs=[CAN_CU_2901, CAN_CU_CDS]),
        authority=GD,
        signer="Ngô Quang Hòa",
        recipients=rec(
            "UBND thành phố (để b/c);",
            "Sở Thông tin và Truyền thông;",
            "Các phòng, đơn vị thuộc Sở;",
        ),
    )
    qd45 = DocSpec(
        **SYT,
        number="45/QĐ-SYT",
        date=D(2024, 3, 5),
        type_name="QUYẾT ĐỊNH",
        title="Về việc kiện toàn Ban Chỉ đạo chuyển đổi số của Sở Y tế",
        body=body_qd(
            "GIÁM ĐỐC SỞ Y TẾ",
            [
                "Điều 1. Kiện toàn Ban Chỉ đạo chuyển đổi số của Sở Y tế gồm: ông Ngô Quang Hòa, Giám "
                "đốc Sở - Trưởng ban; bà Đoàn Thị Thu Hương, Phó Giám đốc Sở - Phó Trưởng ban "
                "thường trực; Trưởng các phòng chuyên môn - Thành viên.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số "
                "112/QĐ-SYT ngày 14 tháng 4 năm 2022 của Giám đốc Sở Y tế.",
            ],
        ),
        authority=KT_GD,
        signer="Đoàn Thị Thu Hương",
        recipients=rec("Như Điều 2;", "Sở Thông tin và Truyền thông;"),
    )
    tb12 = DocSpec(
        **SYT,
        number="12/TB-SYT",
        date=D(2024, 7, 10),
        type_name="THÔNG BÁO",
        title="Kết luận của Giám đốc Sở Y tế tại cuộc họp về công tác chuyển đổi số 6 tháng "
        "đầu năm 2024",
        body=[
            "Ngày 05 tháng 7 năm 2024, Giám đốc Sở Y tế chủ trì cuộc họp đánh giá kết quả thực "
            "hiện Kế hoạch số 131/KH-SYT về chuyển đổi số. Sau khi nghe báo cáo và ý kiến của các "
            "phòng, đơn vị, Giám đốc Sở kết luận như sau:",
            "1. Ghi nhận các đơn vị đã hoàn thành việc kết nối hồ sơ sức khỏe điện tử với ứng "
            "dụng VNeID.",
            "2. Yêu cầu các bệnh viện hoàn thành triển khai bệnh án điện tử trước ngày 30 tháng 9 "
            "năm 2024.",
            "Văn phòng Sở thông báo để các phòng, đơn vị biết, thực hiện./.",
        ],
        authority=TL_CVP,
        signer="Huỳnh Văn Bình",
        recipients=rec("Giám đốc, các PGĐ Sở;", "Các phòng, đơn vị thuộc Sở;"),
    )
    qd88 = DocSpec(
        **SYT,
        number="88/QĐ-SYT",
        date=D(2024, 4, 2),
        type_name="QUYẾT ĐỊNH",
        title="Ban hành Quy chế quản lý, sử dụng chữ ký số trong hoạt động của Sở Y tế",
        body=body_qd(
            "GIÁM ĐỐC SỞ Y TẾ",
            [
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý, sử dụng chữ ký số trong "
                "hoạt động của Sở Y tế.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
                "Điều 3. Chánh Văn phòng, Trưởng các phòng và đơn vị trực thuộc chịu trách nhiệm thi "
                "hành Quyết định này./.",
            ],
            refs=[
                "Căn cứ Nghị định số 130/2018/NĐ-CP ngày 27 tháng 9 năm 2018 của Chính phủ quy "
                "định chi tiết thi hành Luật Giao dịch điện tử về chữ ký số;"
            ],
        ),
        authority=TL_CVP,
        signer="Huỳnh Văn Bình",
        recipients=rec("Như Điều 3;", "Giám đốc, các PGĐ Sở;"),
    )
    qd89 = DocSpec(
        **SYT,
        number="89/QĐ-SYT",
        date=D(2024, 4, 2),
        type_name="QUYẾT ĐỊNH",
        title="Ban hành Quy chế bảo đảm an toàn thông tin mạng trong hoạt động của Sở Y tế",
        body=body_qd(
            "GIÁM ĐỐC SỞ Y TẾ",
            [
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế bảo đảm an toàn thông tin mạng trong "
                "hoạt động của Sở Y tế.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số "
                "98/QĐ-SYT ngày 20 tháng 5 năm 2021.",
                "Điều 3. Chánh Văn phòng, Trưởng các phòng và đơn vị trực thuộc chịu trách nhiệm thi "
                "hành Quyết định này./.",
            ],
            refs=[
                "Căn cứ Luật An toàn thông tin mạng ngày 19 tháng 11 năm 2015;",
                "Căn cứ Nghị định số 85/2016/NĐ-CP ngày 01 tháng 7 năm 2016 của Chính phủ về bảo "
                "đảm an toàn hệ thống thông tin theo cấp độ;",
            ],
        ),
        authority=GD,
        signer="Ngô Quang Hòa",
        recipients=rec("Như Điều 3;", "Sở Thông tin và Truyền thông;"),
    )
    kh56 = DocSpec(
        **SYT,
        number="56/KH-SYT",
        date=D(2024, 5, 20),
        type_name="KẾ HOẠCH",
        title="Ứng phó sự cố bảo đảm an toàn thông tin mạng năm 2024",
        body=[
            "Thực hiện Kế hoạch số 131/KH-UBND ngày 10 tháng 4 năm 2024 của Ủy ban nhân dân thành "
            "phố, Sở Y tế xây dựng Kế hoạch ứng phó sự cố như sau:",
            "1. Thành lập đội ứng cứu sự cố của Sở, phân công trực 24/7 đối với Cổng thông tin "
            "điện tử và hệ thống quản lý văn bản.",
            "2. Diễn tập phương án ứng cứu sự cố tấn công mã độc tống tiền trong quý III.",
        ],
        authority=KT_GD,
        signer="Phạm Thị Thanh Thủy",
        recipients=rec("Sở Thông tin và Truyền thông;", "Các đơn vị thuộc Sở;"),
    )
    bc210 = DocSpec(
        **SYT,
        number="210/BC-SYT",
        date=D(2024, 11, 15),
        type_name="BÁO CÁO",
        title="Hiện trạng hạ tầng công nghệ thông tin của Sở Y tế năm 2024",
        body=body_bc(
            who,
            "Thực hiện Công văn số 3012/STTTT-HTDL ngày 01 tháng 10 năm 2024 của "
            "Sở Thông tin và Truyền thông",
            [
                "Tổng số máy trạm: 186 máy, 100% kết nối mạng nội bộ và mạng MAN thành phố.",
                "Đường truyền Internet: 02 kênh cáp quang, băng thông 300 Mbps.",
            ],
        ),
        authority=KT_GD,
        signer="Đoàn Thị Thu Hương",
        recipients=rec("Sở Thông tin và Truyền thông;"),
    )
    kh77 = DocSpec(
        **SYT,
        number="77/KH-SYT",
        date=D(2024, 6, 12),
        type_name="KẾ HOẠCH",
        title="Xây dựng, cập nhật cơ sở dữ liệu ngành y tế năm 2024",
        body=body_kh(who, "xây dựng, cập nhật cơ sở dữ liệu ngành y tế năm 2024"),
        authority=GD,
        signer="Ngô Quang Hòa",
        recipients=rec("Sở Thông tin và Truyền thông;", "Các đơn vị thuộc Sở;"),
    )
    cv1523 = DocSpec(
        **SYT,
        number="1523/SYT-VP",
        date=D(2024, 8, 5),
        type_name=None,
        title="kết nối, chia sẻ dữ liệu ngành y tế với Nền tảng tích hợp, chia sẻ dữ liệu thành "
        "phố (LGSP)",
        addressees=["Sở Thông tin và Truyền thông"],
        body=[
            "Thực hiện Công văn số 2150/STTTT-CĐS ngày 12 tháng 7 năm 2024 của Sở Thông tin và "
            "Truyền thông về việc kết nối, chia sẻ dữ liệu qua nền tảng LGSP, Sở Y tế có ý kiến như "
            "sau:",
            "1. Sở Y tế đã hoàn thành kết nối cơ sở dữ liệu hành nghề y, dược và cơ sở dữ liệu "
            "tiêm chủng với Nền tảng tích hợp, chia sẻ dữ liệu thành phố (LGSP).",
            "2. Đề nghị Sở Thông tin và Truyền thông hỗ trợ cấp tài khoản khai thác dữ liệu dân cư "
            "qua LGSP cho 03 bệnh viện trực thuộc.",
            "Sở Y tế đề nghị Sở Thông tin và Truyền thông quan tâm, phối hợp./.",
        ],
        authority=KT_GD,
        signer="Phạm Thị Thanh Thủy",
        recipients=rec("Như trên;", "Giám đốc Sở (để b/c);"),
    )
    bc230 = DocSpec(
        **SYT,
        number="230/BC-SYT",
        date=D(2024, 12, 5),
        type_name="BÁO CÁO",
        title="Kết quả sử dụng văn bản điện tử, chữ ký số năm 2024",
        body=body_bc(
            who,
            "Theo yêu cầu của Sở Thông tin và Truyền thông",
            [
                "Tỷ lệ văn bản đi được ký số và gửi trên hệ thống quản lý văn bản và điều hành: 98,6%.",
                "Số chứng thư số cá nhân đã cấp: 142; chứng thư số cơ quan: 01.",
            ],
        ),
        authority=KT_GD,
        signer="Đoàn Thị Thu Hương",
        recipients=rec("Sở Thông tin và Truyền thông;"),
    )
    bc178 = DocSpec(
        **SYT,
        number="178/BC-SYT",
        date=D(2024, 10, 3),
        type_name="BÁO CÁO",
        title="Kết quả triển khai ký số văn bản điện tử quý III năm 2024",
        pages=2,
        body=body_bc(
            who,
            "Thực hiện Kế hoạch số 131/KH-SYT ngày 18 tháng 9 năm 2024",
            [
                "Trong quý III, 2.315/2.347 văn bản đi được ký số, đạt 98,6%.",
            ],
        ),
        authority=KT_GD,
        signer="Đoàn Thị Thu Hương",
        recipients=rec("Sở Thông tin và Truyền thông;"),
    )
    bc245 = DocSpec(
        **SYT,
        number="245/BC-SYT",
        date=D(2024, 12, 10),
        type_name="BÁO CÁO",
        title="Kết quả cung cấp dịch vụ công trực tuyến năm 2024",
        pages=2,
        body=body_bc(
            who,
            "Thực hiện Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023",
            [
                "Số thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình: 98/121.",
                "Tỷ lệ hồ sơ tiếp nhận trực tuyến: 87,4%; tỷ lệ hồ sơ giải quyết đúng hạn: 99,2%.",
            ],
        ),
        authority=GD,
        signer="Ngô Quang Hòa",
        recipients=rec("UBND thành phố (để b/c);", "Sở Thông tin và Truyền thông;"),
    )
    bc190 = DocSpec(
        **SYT,
        number="190/BC-SYT",
        date=D(2024, 10, 20),
        type_name="BÁO CÁO",
        title="Kết quả thực hiện công tác cải cách hành chính quý III năm 2024",
        body=body_bc(
            who,
            "Thực hiện chế độ báo cáo định kỳ",
            [
                "Đã số hóa 12.450 hồ sơ, kết quả giải quyết thủ tục hành chính, đạt 91% số hồ sơ "
                "tiếp nhận trong kỳ.",
            ],
        ),
        authority=KT_GD,
        signer="Đoàn Thị Thu Hương",
        recipients=rec("Sở Nội vụ;", "Sở Thông tin và Truyền thông;"),
    )
    kh30 = DocSpec(
        **SYT,
        number="30/KH-SYT",
        date=D(2024, 2, 26),
        type_name="KẾ HOẠCH",
        title="Đào tạo, bồi dưỡng kỹ năng số cho công chức, viên chức năm 2024",
        body=body_kh(who, "đào tạo, bồi dưỡng kỹ năng số năm 2024"),
        authority=KT_GD,
        signer="Phạm Thị Thanh Thủy",
        recipients=rec("Các phòng, đơn vị thuộc Sở;"),
    )
    gm85 = DocSpec(
        **SYT,
        number="85/GM-SYT",
        date=D(2024, 8, 22),
        type_name="GIẤY MỜI",
        title="Dự Lễ hưởng ứng Ngày Chuyển đổi số thành phố Đà Nẵng năm 2024",
        body=[
            "Hưởng ứng Ngày Chuyển đổi số thành phố Đà Nẵng (28/8), Sở Y tế trân trọng kính mời "
            "lãnh đạo các phòng, đơn vị trực thuộc đến dự Lễ hưởng ứng và tuyên truyền về chuyển "
            "đổi số trong ngành y tế.",
            "Thời gian: 08 giờ 00, ngày 28 tháng 8 năm 2024.",
            "Địa điểm: Hội trường tầng 5, Trung tâm Hành chính thành phố.",
        ],
        authority=KT_GD,
        signer="Đoàn Thị Thu Hương",
        recipients=rec("Như thành phần mời;"),
    )
    u.files = {
        "van-ban/2024-09-18_KH-131-chuyen-doi-so.pdf": pdf(kh131),
        "scan/QD-45-kien-toan-BCD.pdf": scan(qd45, seed=11),
        "van-ban/TB-12-ket-luan-giao-ban-CDS.docx": docx(tb12),
        "van-ban/QD-88-quy-che-chu-ky-so.pdf": pdf(qd88),
        "van-ban/QD-89-quy-che-ATTT.pdf": pdf(qd89),
        "anh-chup/KH-56-ung-pho-su-co.jpg": photo(kh56, seed=12),
        "van-ban/BC-210-ha-tang-CNTT.pdf": pdf(bc210),
        "van-ban/KH-77-co-so-du-lieu.docx": docx(kh77),
        "van-ban/CV-1523-LGSP.pdf": pdf(cv1523),
        "van-ban/BC-230-van-ban-dien-tu.pdf": pdf(bc230),
        "scan/BC-178-ky-so-quy-III.pdf": scan(bc178, seed=13),
        "van-ban/Báo cáo DVCTT năm 2024.pdf": pdf(bc245),
        "van-ban/BC-190-CCHC-quy-III.pdf": pdf(bc190),
        "van-ban/KH-30-dao-tao-ky-nang-so.docx": docx(kh30),
        "minh-chung/QD-512-UBND-khen-thuong.pdf": pdf(QD_512_KHEN_THUONG),
        "van-ban/GM-85-ngay-CDS.pdf": pdf(gm85),
    }
    u.rows = [
        Row(
            "1.1",
            6,
            "131/KH-SYT",
            "18/9/2024",
            "Kế hoạch chuyển đổi số năm 2024",
            "Ngô Quang Hoà",
            "van-ban/2024-09-18_KH-131-chuyen-doi-so.pdf",
            [],
            "clean, 2 pages, signer on page 2; body cites QĐ 2901/QĐ-UBND of 27/12/2023; claimed "
            "name in old tone placement (Hoà)",
        ),
        Row(
            "1.2",
            4,
            "45/QD-SYT",
            "05/03/2024",
            "Kiện toàn BCĐ chuyển đổi số của Sở",
            "Đoàn Thị Thu Hương",
            "scan/QD-45-kien-toan-BCD.pdf",
            [],
            "clean scan; claimed symbol typed QD; KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
        ),
        Row(
            "1.3",
            3,
            "12/TB-SYT",
            D(2024, 7, 10),
            "Thông báo kết luận họp CĐS 6 tháng",
            "Huỳnh Văn Bình",
            "van-ban/TB-12-ket-luan-giao-ban-CDS.docx",
            [],
            "clean Word file; signed TL. by the Chánh Văn phòng, allowed because 1.3 takes any "
            "signer",
        ),
        Row(
            "2.1",
            4,
            "88/QĐ-SYT",
            "02/4/2024",
            "Quy chế quản lý, sử dụng chữ ký số",
            "Huỳnh Văn Bình",
            "van-ban/QD-88-quy-che-chu-ky-so.pdf",
            ["SIGNER_NOT_AUTHORIZED"],
            "signed TL. GIÁM ĐỐC / CHÁNH VĂN PHÒNG where 2.1 needs a leader",
        ),
        Row(
            "2.2",
            4,
            "98/QĐ-SYT",
            "02/04/2024",
            "Quy chế bảo đảm an toàn thông tin mạng",
            "Ngô Quang Hòa",
            "van-ban/QD-89-quy-che-ATTT.pdf",
            ["NUMBER_MISMATCH"],
            "document is 89/QĐ-SYT, unit typed 98 (the body cites the replaced 98/QĐ-SYT)",
        ),
        Row(
            "2.3",
            4,
            "56/KH-SYT",
            "20/5/2024",
            "KH ứng phó sự cố ATTT mạng năm 2024",
            "Phạm Thị Thanh Thuỷ",
            "anh-chup/KH-56-ung-pho-su-co.jpg",
            [],
            "clean phone photo; claimed name Thuỷ (old placement)",
        ),
        Row(
            "3.1",
            5,
            "210/BC-SYT",
            "15/10/2024",
            "Báo cáo hiện trạng hạ tầng CNTT",
            "Đoàn Thị Thu Hương",
            "van-ban/BC-210-ha-tang-CNTT.pdf",
            ["DATE_MISMATCH"],
            "document dated 15/11/2024, claimed 15/10/2024",
        ),
        Row(
            "4.1",
            6,
            "77/KH-SYT",
            "2024-06-12",
            "Kế hoạch cơ sở dữ liệu ngành y tế",
            "Ngô Quang Hòa",
            "van-ban/KH-77-co-so-du-lieu.docx",
            [],
            "clean Word file, ISO date",
        ),
        Row(
            "4.2",
            5,
            "Số 1523 / SYT-VP",
            "05/8/2024",
            "CV kết nối, chia sẻ dữ liệu qua LGSP",
            "Phạm Thị Thanh Thủy",
            "van-ban/CV-1523-LGSP.pdf",
            [],
            "clean công văn (CV accepted); claimed number with 'Số' and spaces round '/'",
        ),
        Row(
            "5.1",
            10,
            "230/BC-SYT",
            "05/12/2024",
            "Báo cáo văn bản điện tử, chữ ký số 2024",
            "Đoàn Thị Thu Hương",
            "van-ban/BC-230-van-ban-dien-tu.pdf",
            ["SCORE_EXCEEDS_MAX"],
            "self score 10 > max 8 (flag on the first row of the criterion only)",
        ),
        Row(
            "5.1",
            10,
            "178/BC-SYT",
            "03/10/2024",
            "Báo cáo ký số quý III",
            "Đoàn Thị Thu Hương",
            "scan/BC-178-ky-so-quy-III.pdf",
            [],
            "clean 2-page scan; same score repeated, no second SCORE_EXCEEDS_MAX; keeps 5.1 "
            "supported",
        ),
        Row(
            "6.1",
            10,
            "245/BC-SYT",
            D(2024, 12, 10),
            "Báo cáo DVCTT năm 2024",
            "Ngô Quang Hòa",
            "van-ban/Báo cáo DVCTT năm 2024.pdf",
            [],
            "clean; file name with Vietnamese letters and spaces; date typed as an Excel date",
        ),
        Row(
            "6.2",
            6,
            "190/BC-SYT",
            D(2024, 10, 20),
            "Báo cáo số hóa hồ sơ TTHC",
            "Đoàn Thị Thu Hương",
            "van-ban/BC-190-CCHC-quy-III.pdf",
            ["TITLE_MISMATCH"],
            "a CCHC quarterly report: title lacks 'số hóa' (only the body mentions it)",
        ),
        Row(
            "7.2",
            8,
            "30/KH-SYT",
            "26/02/2024",
            "KH đào tạo kỹ năng số 2024",
            "Phạm Thị Thanh Thủy",
            "van-ban/KH-30-dao-tao-ky-nang-so.docx",
            [],
            "clean, but 7.2 needs 2 documents (plan and report): INSUFFICIENT_EVIDENCE",
        ),
        Row(
            "9.1",
            3,
            "512/QĐ-UBND",
            "20/02/2024",
            "Bằng khen CĐS năm 2023",
            "Lê Minh Trung",
            "minh-chung/QD-512-UBND-khen-thuong.pdf",
            ["DUPLICATE_ACROSS_UNITS"],
            "city decision (issuer any), same file also in SKHCN's dossier",
        ),
        Row(
            "1.4",
            3,
            "85/GM-SYT",
            "22/8/2024",
            "Giấy mời Lễ hưởng ứng Ngày CĐS",
            "Đoàn Thị Thu Hương",
            "van-ban/GM-85-ngay-CDS.pdf",
            ["DOC_TYPE_MISMATCH"],
            "a giấy mời (GM) where 1.4 takes KH, CV or BC",
        ),
    ]
    u.stt = [str(i) for i in range(1, len(u.rows) + 1)]
    return u


def unit_skhcn() -> Unit:
    who = "Sở Thông tin và Truyền thông"
    u = Unit("SKHCN", "dossier.csv")
    kh25 = DocSpec(
        **STTTT,
        number="25/KH-STTTT",
        date=D(2024, 1, 25),
        type_name="KẾ HOẠCH",
        title="Chuyển đổi số năm 2024 của Sở Thông tin và Truyền thông",
        body=body_kh(who, "chuyển đổi số năm 2024"),
        authority=GD,
        signer="Nguyễn Quang Thanh",
        recipients=rec("UBND thành phố (để b/c);", "Các phòng, đơn vị thuộc Sở;", office="CĐS"),
    )
    qd15 = DocSpec(
        **UBND_TP,
        number="15/2024/QĐ-UBND",
        date=D(2024, 5, 16),
        type_name="QUYẾT ĐỊNH",
        title="Ban hành Quy chế bảo đảm an toàn thông tin mạng trong hoạt động của cơ quan nhà "
        "nước trên địa bàn thành phố Đà Nẵng",
        body=body_qd(
            "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG",
            [
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế bảo đảm an toàn thông tin mạng trong "
                "hoạt động của cơ quan nhà nước trên địa bàn thành phố Đà Nẵng.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày 01 tháng 6 năm 2024.",
            ],
            refs=["Căn cứ Luật An toàn thông tin mạng ngày 19 tháng 11 năm 2015;"],
            proposer="Giám đốc Sở Thông tin và Truyền thông tại Tờ trình số 1020/TTr-STTTT ngày "
            "02 tháng 5 năm 2024",
        ),
        authority=TM_KT_CT,
        signer="Lê Minh Trung",
        recipients=rec("Bộ Thông tin và Truyền thông;", "Các sở, ban, ngành;", office="STTTT"),
    )
    qd102 = DocSpec(
        **STTTT,
        number="102/QĐ-STTTT",
        date=D(2024, 6, 14),
        type_name="QUYẾT ĐỊNH",
        title="Phê duyệt hồ sơ đề xuất cấp độ an toàn hệ thống thông tin Cổng thông tin điện tử "
        "Sở Thông tin và Truyền thông",
        body=body_qd(
            "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            [
                "Điều 1. Phê duyệt hồ sơ đề xuất cấp độ 2 đối với hệ thống thông tin Cổng thông tin "
                "điện tử Sở Thông tin và Truyền thông.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
            ],
            refs=[
                "Căn cứ Nghị định số 85/2016/NĐ-CP ngày 01 tháng 7 năm 2016 của Chính phủ về bảo "
                "đảm an toàn hệ thống thông tin theo cấp độ;"
            ],
            proposer="Trưởng phòng Bưu chính, Viễn thông và An toàn thông tin",
        ),
        authority=KT_GD,
        signer="Lê Thị Hồng Vân",
        recipients=rec("Như Điều 2;", office="ATTT"),
    )
    bc40 = DocSpec(
        **STTTT,
        number="40/BC-STTTT",
        date=D(2024, 3, 29),
        type_name="BÁO CÁO",
        title="Tình hình sử dụng nền tảng họp trực tuyến và thư điện tử công vụ quý I năm 2024",
        body=body_bc(
            who,
            "Thực hiện chế độ báo cáo định kỳ",
            [
                "Tổ chức 46 cuộc họp trực tuyến trên nền tảng họp trực tuyến của thành phố.",
            ],
        )[:3],
        authority=KT_GD,
        signer="Lê Thị Hồng Vân",
        recipients=rec("UBND thành phố (để b/c);", office="CĐS"),
    )
    kh18 = DocSpec(
        **STTTT,
        number="18/KH-STTTT",
        date=D(2024, 3, 7),
        type_name="KẾ HOẠCH",
        title="Bồi dưỡng, tập huấn kỹ năng số cho công chức, viên chức Sở năm 2024",
        body=body_kh(who, "bồi dưỡng, tập huấn kỹ năng số năm 2024"),
        authority=GD,
        signer="Nguyễn Quang Thanh",
        recipients=rec("Các phòng, đơn vị thuộc Sở;"),
    )
    bc260 = DocSpec(
        **STTTT,
        number="260/BC-STTTT",
        date=D(2024, 12, 16),
        type_name="BÁO CÁO",
        title="Kết quả đào tạo, bồi dưỡng kỹ năng số năm 2024",
        body=body_bc(
            who,
            "Thực hiện Kế hoạch số 18/KH-STTTT ngày 07 tháng 3 năm 2024",
            [
                "Đã tổ chức 06 lớp tập huấn kỹ năng số cho 214 lượt công chức, viên chức.",
            ],
        ),
        authority=KT_GD,
        signer="Lê Thị Hồng Vân",
        recipients=rec("Sở Nội vụ;"),
    )
    tb08 = DocSpec(
        **STTTT,
        number="08/TB-STTTT",
        date=None,
        year_hint=2024,
        type_name="THÔNG BÁO",
        title="Kết luận của Giám đốc Sở tại cuộc họp giao ban công tác chuyển đổi số quý II năm "
        "2024",
        body=[
            "Ngày 28 tháng 6 năm 2024, Giám đốc Sở chủ trì cuộc họp giao ban công tác chuyển đổi "
            "số quý II năm 2024. Giám đốc Sở kết luận như sau:",
            "1. Các phòng hoàn thành cập nhật dữ liệu trên Hệ thống thông tin báo cáo trước ngày "
            "15 tháng 7 năm 2024.",
            "2. Phòng Chuyển đổi số tham mưu tổ chức Ngày Chuyển đổi số thành phố (28/8).",
        ],
        authority=TL_CVP,
        signer="Phan Thị Mỹ Linh",
        recipients=rec("Giám đốc, các PGĐ Sở;", "Các phòng, đơn vị thuộc Sở;"),
    )
    u.files = {
        "van-ban-2024/KH-25-STTTT-chuyen-doi-so-2024.pdf": pdf(kh25),
        "van-ban-2024/QD-15-2024-UBND-quy-che-ATTT.pdf": pdf(qd15),
        "ban-scan/QD-102-cap-do-HTTT.pdf": scan(qd102, seed=21),
        "anh/BC-40-nen-tang-hop-truc-tuyen.jpg": photo(bc40, seed=22, exif_rotate=True),
        "van-ban-2024/KH-18-boi-duong-ky-nang-so.docx": docx(kh18),
        "van-ban-2024/BC-260-ket-qua-dao-tao.pdf": pdf(bc260),
        "minh-chung/QD512-khen-thuong-CDS-2023.pdf": pdf(QD_512_KHEN_THUONG),
        "van-ban-2024/TB-08-ket-luan-giao-ban.pdf": pdf(tb08),
    }
    u.rows = [
        Row(
            "1.1",
            6,
            "25/KH-STTTT",
            "25/01/2024",
            "KH chuyển đổi số năm 2024",
            "Nguyễn Quang Thanh",
            "van-ban-2024/KH-25-STTTT-chuyen-doi-so-2024.pdf",
            [],
            "clean: a Sở Thông tin và Truyền thông document, valid under the alias (until "
            "2025-02-28); signer then Giám đốc STTTT, now a Phó Giám đốc of SKHCN",
        ),
        Row(
            "2.2",
            4,
            "15/2024/QD-UBND",
            "16/5/2024",
            "Quy chế ATTT mạng",
            "Lê Minh Trung",
            "van-ban-2024/QD-15-2024-UBND-quy-che-ATTT.pdf",
            ["ISSUER_MISMATCH", "SIGNER_NOT_AUTHORIZED"],
            "the city's normative decision (15/2024/QĐ-UBND) cited as the unit's own regulation; "
            "signed by a city vice-chairman, not a unit leader",
        ),
        Row(
            "3.2",
            5,
            "102/QĐ-STTTT",
            "14/6/2024",
            "Phê duyệt cấp độ ATTT Cổng TTĐT",
            "Lê Thị Hồng Vân",
            "ban-scan/QD-102-cap-do-HTTT.pdf",
            [],
            "clean scan",
        ),
        Row(
            "5.2",
            5,
            "40/BC-STTTT",
            "2024-03-29",
            "BC nền tảng họp trực tuyến quý I",
            "Lê Thị Hồng Vân",
            "anh/BC-40-nen-tang-hop-truc-tuyen.jpg",
            [],
            "clean phone photo stored rotated 90° with EXIF Orientation 6",
        ),
        Row(
            "7.2",
            10,
            "18/KH-STTTT",
            "07/3/2024",
            "KH bồi dưỡng kỹ năng số",
            "Nguyễn Quang Thanh",
            "van-ban-2024/KH-18-boi-duong-ky-nang-so.docx",
            [],
            "clean Word file (plan)",
        ),
        Row(
            "7.2",
            10,
            "260/BC-STTTT",
            "16/12/2024",
            "BC kết quả đào tạo kỹ năng số",
            "Lê Thị Hồng Vân",
            "van-ban-2024/BC-260-ket-qua-dao-tao.pdf",
            [],
            "clean (report): with the plan, 7.2's two documents are there",
        ),
        Row(
            "9.1",
            3,
            "512/QĐ-UBND",
            "20/2/2024",
            "Bằng khen CĐS 2023",
            "Lê Minh Trung",
            "minh-chung/QD512-khen-thuong-CDS-2023.pdf",
            ["DUPLICATE_ACROSS_UNITS"],
            "same bytes as SYT's minh-chung/QD-512-UBND-khen-thuong.pdf",
        ),
        Row(
            "6.1",
            10,
            "148/BC-STTTT",
            "12/12/2024",
            "BC dịch vụ công trực tuyến 2024",
            "Nguyễn Quang Thanh",
            "",
            ["MISSING_FILE"],
            "no file attached (empty cell)",
        ),
        Row(
            "1.3",
            3,
            "08/TB-STTTT",
            "05/7/2024",
            "TB kết luận giao ban CĐS quý II",
            "Phan Thị Mỹ Linh",
            "van-ban-2024/TB-08-ket-luan-giao-ban.pdf",
            ["DATE_NOT_FOUND"],
            "number filled but the date line left blank (ngày … tháng … năm 2024); the body "
            "mentions other dates (meeting on 28/6/2024), which are not the issue date",
        ),
    ]
    u.stt = [str(i) for i in range(1, len(u.rows) + 1)]
    return u


def unit_ptth() -> Unit:
    who = "Đài Phát thanh - Truyền hình Đà Nẵng"
    u = Unit("PTTH", "dossier.xlsx", english_keys=True)
    kh10 = DocSpec(
        **PTTH,
        number="10/KH-PTTH",
        date=D(2024, 1, 19),
        type_name="KẾ HOẠCH",
        title="Chuyển đổi số năm 2024 của Đài Phát thanh - Truyền hình Đà Nẵng",
        body=body_kh("Đài Phát thanh - Truyền hình Đà Nẵng", "chuyển đổi số năm 2024"),
        authority=GD,
        signer="Phan Văn Hiếu",
        recipients=rec("UBND thành phố (để b/c);", "Sở Thông tin và Truyền thông;", office="TCHC"),
    )
    bc305 = DocSpec(
        **PTTH,
        number="305/BC-PTTH",
        date=D(2024, 12, 13),
        type_name="BÁO CÁO",
        title="Kết quả cung cấp dịch vụ trực tuyến năm 2024",
        body=body_bc(
            who,
            "Theo đề nghị của Sở Thông tin và Truyền thông",
            [
                "Đài không có thủ tục hành chính; đã cung cấp 04 dịch vụ trực tuyến (đăng ký quảng "
                "cáo, đặt lịch phỏng vấn) trên Cổng thông tin điện tử của Đài.",
            ],
        ),
        authority=GD,
        signer="Phan Văn Hiếu",
        recipients=rec("Sở Thông tin và Truyền thông;"),
    )
    draft = DocSpec(
        **PTTH,
        number=None,
        symbol_hint="QĐ-PTTH",
        date=None,
        year_hint=2024,
        draft=True,
        type_name="QUYẾT ĐỊNH",
        title="Ban hành Quy chế quản lý, sử dụng chữ ký số của Đài Phát thanh - Truyền hình Đà Nẵng",
        body=body_qd(
            "GIÁM ĐỐC ĐÀI PHÁT THANH - TRUYỀN HÌNH ĐÀ NẴNG",
            [
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý, sử dụng chữ ký số của Đài.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
            ],
            proposer="Trưởng phòng Tổ chức - Hành chính",
        ),
        authority=GD,
        signer="Phan Văn Hiếu",
        recipients=rec("Như Điều 2;", office="TCHC"),
    )
    kh41 = DocSpec(
        **PTTH,
        number="41/KH-PTTH",
        date=D(2024, 4, 15),
        type_name="KẾ HOẠCH",
        title="Ứng phó sự cố an toàn thông tin mạng năm 2024",
        body=body_kh(who, "ứng phó sự cố an toàn thông tin mạng năm 2024"),
        authority=KT_GD,
        signer="Nguyễn Thị Hoài Thu",
        recipients=rec("Các phòng thuộc Đài;"),
    )
    kh58 = DocSpec(
        **PTTH,
        number="58/KH-PTTH",
        date=D(2024, 5, 10),
        type_name="KẾ HOẠCH",
        title="Số hóa kho tư liệu phát thanh, truyền hình giai đoạn 2024 - 2025",
        body=body_kh(who, "số hóa kho tư liệu giai đoạn 2024 - 2025"),
        authority=GD,
        signer="Phan Văn Hiếu",
        recipients=rec("Các phòng thuộc Đài;"),
    )
    qd22 = DocSpec(
        **PTTH,
        number="22/QĐ-PTTH",
        date=D(2024, 3, 4),
        type_name="QUYẾT ĐỊNH",
        title="Về việc phân công công chức phụ trách công nghệ thông tin, chuyển đổi số",
        body=body_qd(
            "GIÁM ĐỐC ĐÀI PHÁT THANH - TRUYỀN HÌNH ĐÀ NẴNG",
            [
                "Điều 1. Phân công ông Trần Minh Khôi, Phó Trưởng phòng Kỹ thuật - Công nghệ, phụ "
                "trách công nghệ thông tin, chuyển đổi số của Đài.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
            ],
            proposer="Trưởng phòng Tổ chức - Hành chính",
        ),
        authority=KT_GD,
        signer="Nguyễn Thị Hoài Thu",
        recipients=rec("Như Điều 1;", office="TCHC"),
    )
    u.files = {
        "ho-so/KH-10-chuyen-doi-so-2024.pdf": scan(kh10, seed=31),
        "ho-so/BC-305-dich-vu-truc-tuyen.pdf": pdf(bc305),
        "ho-so/du-thao-QD-quy-che-chu-ky-so.docx": docx(draft),
        "ho-so/KH-41-ung-pho-su-co.pdf": truncated(kh41),
        "ho-so/thong-ke-thiet-bi.txt": text_file(
            "BẢNG THỐNG KÊ THIẾT BỊ CÔNG NGHỆ THÔNG TIN NĂM 2024\n"
            "Máy tính để bàn: 74\nMáy tính xách tay: 18\nMáy chủ: 6\n"
            "Kết nối mạng MAN: có\n"
        ),
        "ho-so/KH-58-du-lieu-so.pdf": pdf(kh58),
        "ho-so/QD-22-phan-cong-CNTT.pdf": scan(qd22, seed=32),
    }
    u.rows = [
        Row(
            "1.1",
            6,
            "10/KH-PTTH",
            "19/01/2024",
            "Kế hoạch CĐS 2024",
            "Phan Văn Hiếu",
            "ho-so/KH-10-chuyen-doi-so-2024.pdf",
            [],
            "clean scan",
        ),
        Row(
            "6.1",
            10,
            "305/BC-PTTH",
            "13/12/2024",
            "BC dịch vụ trực tuyến",
            "Phan Văn Hiếu",
            "ho-so/BC-305-dich-vu-truc-tuyen.pdf",
            ["CRITERION_NOT_APPLICABLE"],
            "online public services (6.1) do not apply to don-vi-truc-thuoc",
        ),
        Row(
            "2.1",
            4,
            "",
            "",
            "Quy chế chữ ký số (dự thảo)",
            "Phan Văn Hiếu",
            "ho-so/du-thao-QD-quy-che-chu-ky-so.docx",
            ["DRAFT_DOCUMENT"],
            "Word draft marked DỰ THẢO, number and date blank",
        ),
        Row(
            "2.3",
            4,
            "41/KH-PTTH",
            "15/4/2024",
            "KH ứng phó sự cố",
            "Nguyễn Thị Hoài Thu",
            "ho-so/KH-41-ung-pho-su-co.pdf",
            ["UNREADABLE_FILE"],
            "PDF truncated to half its bytes (broken upload)",
        ),
        Row(
            "3.1",
            5,
            "",
            "",
            "Bảng thống kê thiết bị",
            "",
            "ho-so/thong-ke-thiet-bi.txt",
            ["UNSUPPORTED_FILE"],
            "a .txt file",
        ),
        Row(
            "5.1",
            8,
            "287/BC-PTTH",
            "29/11/2024",
            "BC văn bản điện tử 2024",
            "Lê Quý Thuận",
            "ho-so/BC-287-van-ban-dien-tu.pdf",
            ["MISSING_FILE"],
            "cites a path that does not exist in the unit folder",
        ),
        Row(
            "4.3",
            2,
            "58/KH-PTTH",
            "10/5/2024",
            "KH số hóa kho tư liệu",
            "Phan Văn Hiếu",
            "ho-so/KH-58-du-lieu-so.pdf",
            ["UNKNOWN_CRITERION"],
            "code 4.3 is not in danang-2023 (it is a 2025 code)",
        ),
        Row(
            "7.1",
            5,
            "22/QĐ-PTTH",
            "04/3/2024",
            "QĐ phân công phụ trách CNTT",
            "Lê Quý Thuận",
            "ho-so/QD-22-phan-cong-CNTT.pdf",
            ["SIGNER_MISMATCH"],
            "scan signed by Nguyễn Thị Hoài Thu, unit claimed Lê Quý Thuận (both leaders)",
        ),
    ]
    # The unit's own numbering skips 5: claims are identified by position, not STT.
    u.stt = ["1", "2", "3", "4", "6", "7", "8", "9"]
    return u


def unit_hqdn() -> Unit:
    who = "Cục Hải quan thành phố Đà Nẵng"
    u = Unit("HQDN", "dossier.csv")
    hq_rec = rec("Tổng cục Hải quan (để b/c);", "Lãnh đạo Cục;", office="VP")
    kh45 = DocSpec(
        **HQ,
        number="45/KH-HQĐNg",
        date=D(2024, 1, 24),
        type_name="KẾ HOẠCH",
        title="Chuyển đổi số năm 2024 của Cục Hải quan thành phố Đà Nẵng",
        body=body_kh(
            who,
            "chuyển đổi số năm 2024",
            refs=[
                "Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của Ủy ban nhân dân thành "
                "phố Đà Nẵng;",
                "Căn cứ Kế hoạch số 5360/KH-TCHQ ngày 29 tháng 12 năm 2023 của Tổng cục Hải quan;",
            ],
        ),
        authority=CUC_TRUONG,
        signer="Trần Đức Thủy",
        recipients=hq_rec,
    )
    kh152 = DocSpec(
        **HQ,
        number="152/KH-HQĐNg",
        date=D(2023, 12, 28),
        type_name="KẾ HOẠCH",
        title="Ứng cứu sự cố an toàn thông tin mạng năm 2024",
        body=body_kh(who, "ứng cứu sự cố an toàn thông tin mạng năm 2024"),
        authority=KT_CUC,
        signer="Lê Hoài Nam",
        recipients=hq_rec,
    )
    qd1020 = DocSpec(
        **HQ,
        number="1020/QĐ-HQĐNg",
        date=D(2023, 6, 15),
        type_name="QUYẾT ĐỊNH",
        title="Ban hành Quy chế bảo đảm an toàn thông tin trong hoạt động của Cục Hải quan thành "
        "phố Đà Nẵng",
        body=body_qd(
            "CỤC TRƯỞNG CỤC HẢI QUAN THÀNH PHỐ ĐÀ NẴNG",
            [
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế bảo đảm an toàn thông tin.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
            ],
            refs=["Căn cứ Luật An toàn thông tin mạng ngày 19 tháng 11 năm 2015;"],
        ),
        authority=CUC_TRUONG,
        signer="Trần Đức Thủy",
        recipients=rec("Như Điều 2;"),
    )
    bc3120 = DocSpec(
        **HQ,
        number="3120/BC-HQĐNg",
        date=D(2024, 12, 6),
        type_name="BÁO CÁO",
        title="Kết quả triển khai văn bản điện tử, chữ ký số năm 2024",
        body=body_bc(
            who,
            "Theo đề nghị của Sở Thông tin và Truyền thông",
            [
                "100% văn bản đi được ký số và gửi trên hệ thống quản lý văn bản và điều hành.",
            ],
        ),
        authority=KT_CUC,
        signer=None,
        recipients=hq_rec,
    )
    bc_nonum = DocSpec(
        **HQ,
        number=None,
        show_number=False,
        date=D(2024, 9, 30),
        type_name="BÁO CÁO",
        title="Tình hình sử dụng các nền tảng số dùng chung 9 tháng đầu năm 2024",
        body=body_bc(
            who,
            "Theo yêu cầu tại cuộc họp giao ban chuyển đổi số",
            [
                "Sử dụng nền tảng họp trực tuyến cho 38 cuộc họp; 100% công chức dùng thư điện tử "
                "công vụ.",
            ],
        ),
        authority=KT_CUC,
        signer="Nguyễn Thị Quỳnh Hoa",
        recipients=rec("Lãnh đạo Cục;"),
    )
    kh60 = DocSpec(
        **HQ,
        number="60/KH-HQĐNg",
        date=D(2024, 3, 12),
        type_name="KẾ HOẠCH",
        title="Bồi dưỡng kỹ năng số cho công chức Cục Hải quan thành phố Đà Nẵng năm 2024",
        body=body_kh(who, "bồi dưỡng kỹ năng số năm 2024"),
        authority=KT_CUC,
        signer="Nguyễn Thị Quỳnh Hoa",
        recipients=hq_rec,
    )
    bc3350 = DocSpec(
        **HQ,
        number="3350/BC-HQĐNg",
        date=D(2024, 12, 18),
        type_name="BÁO CÁO",
        title="Kết quả đào tạo, bồi dưỡng kỹ năng số năm 2024",
        body=body_bc(
            who,
            "Thực hiện Kế hoạch số 60/KH-HQĐNg ngày 12 tháng 3 năm 2024",
            [
                "Tổ chức 04 lớp bồi dưỡng cho 165 lượt công chức; 100% công chức hoàn thành khóa học "
                "kỹ năng số cơ bản trên nền tảng học trực tuyến mở đại trà.",
            ],
        ),
        authority=KT_CUC,
        signer="Nguyễn Thị Quỳnh Hoa",
        recipients=hq_rec,
    )
    cv4215 = DocSpec(
        **TCHQ,
        number="4215/TCHQ-CNTT",
        date=D(2024, 10, 8),
        place="Hà Nội",
        type_name=None,
        title="công nhận sáng kiến ứng dụng công nghệ thông tin năm 2024",
        addressees=["Cục Hải quan thành phố Đà Nẵng"],
        body=[
            "Xét đề nghị của Cục Hải quan thành phố Đà Nẵng tại Công văn số 2890/HQĐNg-VP ngày 12 "
            'tháng 9 năm 2024, Tổng cục Hải quan công nhận sáng kiến "Ứng dụng trợ lý ảo hỗ trợ '
            'doanh nghiệp tra cứu thủ tục hải quan" là sáng kiến cấp ngành năm 2024.',
            "Đề nghị Cục Hải quan thành phố Đà Nẵng tiếp tục hoàn thiện, chia sẻ mô hình để các "
            "đơn vị trong ngành học tập, nhân rộng./.",
        ],
        authority=["KT. TỔNG CỤC TRƯỞNG", "PHÓ TỔNG CỤC TRƯỞNG"],
        signer="Đặng Minh Khoa",
        recipients=rec("Như trên;", office="CNTT"),
    )
    u.files = {
        "tai-lieu/KH-45-HQDNg.pdf": pdf(kh45),
        "tai-lieu/KH-152-ung-cuu-su-co.pdf": pdf(kh152),
        "tai-lieu/anh/QD-1020-quy-che-ATTT.jpg": photo(qd1020, seed=41),
        "tai-lieu/BC-3120-van-ban-dien-tu.pdf": pdf(bc3120),
        "tai-lieu/BC-nen-tang-so-9-thang.pdf": pdf(bc_nonum),
        "tai-lieu/KH-60-boi-duong-ky-nang-so.docx": docx(kh60),
        "tai-lieu/scan/BC-3350-ket-qua-dao-tao.pdf": scan(bc3350, seed=42),
        "tai-lieu/CV-4215-TCHQ-sang-kien.pdf": pdf(cv4215),
    }
    u.rows = [
        Row(
            "1.1",
            6,
            "45 / KH-HQĐNg",
            "24/01/2024",
            "Kế hoạch CĐS năm 2024",
            "Trần Đức Thuỷ",
            "tai-lieu/KH-45-HQDNg.pdf",
            [],
            "clean; mixed-case symbol HQĐNg; claimed with spaces round '/', name Thuỷ",
        ),
        Row(
            "2.3",
            4,
            "152/KH-HQĐNg",
            "28/12/2023",
            "KH ứng cứu sự cố ATTT năm 2024",
            "Lê Hoài Nam",
            "tai-lieu/KH-152-ung-cuu-su-co.pdf",
            ["DATE_OUTSIDE_PERIOD"],
            "the 2024 plan was issued on 28/12/2023, outside the assessed year",
        ),
        Row(
            "2.2",
            4,
            "1020/QĐ-HQĐNg",
            "15/6/2023",
            "Quy chế bảo đảm ATTT",
            "Trần Đức Thủy",
            "tai-lieu/anh/QD-1020-quy-che-ATTT.jpg",
            [],
            "clean phone photo; a 2023 regulation is fine, 2.2 has no in_period",
        ),
        Row(
            "5.1",
            8,
            "3120/BC-HQĐNg",
            "06/12/2024",
            "BC văn bản điện tử, chữ ký số",
            "Lê Hoài Nam",
            "tai-lieu/BC-3120-van-ban-dien-tu.pdf",
            ["SIGNER_NOT_FOUND"],
            "signature block with KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG but no name (unsigned copy)",
        ),
        Row(
            "5.2",
            5,
            "",
            "30/9/2024",
            "BC sử dụng nền tảng số dùng chung 9 tháng",
            "Nguyễn Thị Quỳnh Hoa",
            "tai-lieu/BC-nen-tang-so-9-thang.pdf",
            ["NUMBER_NOT_FOUND"],
            "internal report without any 'Số:' line",
        ),
        Row(
            "7.2",
            10,
            "60/KH-HQĐNg",
            "12/3/2024",
            "KH bồi dưỡng kỹ năng số 2024",
            "Nguyễn Thị Quỳnh Hoa",
            "tai-lieu/KH-60-boi-duong-ky-nang-so.docx",
            [],
            "clean Word file",
        ),
        Row(
            "7.2",
            10,
            "3350/BC-HQĐNg",
            "18/12/2024",
            "BC kết quả đào tạo kỹ năng số",
            "Nguyễn Thị Quỳnh Hoa",
            "tai-lieu/scan/BC-3350-ket-qua-dao-tao.pdf",
            [],
            "clean scan",
        ),
        Row(
            "9.2",
            2,
            "4215/TCHQ-CNTT",
            "08/10/2024",
            "Công nhận sáng kiến",
            "Đặng Minh Khoa",
            "tai-lieu/CV-4215-TCHQ-sang-kien.pdf",
            [],
            "clean: the parent body's công văn (issuer any, signer any)",
        ),
    ]
    u.stt = [str(i) for i in range(1, len(u.rows) + 1)]
    return u


def unit_thacgian() -> Unit:
    who = "Ủy ban nhân dân phường Thạc Gián"
    u = Unit("THACGIAN", "dossier.xlsx", stt=None, numeric_cells=True)
    w_rec = rec("UBND quận Thanh Khê (để b/c);", "Đảng ủy, HĐND phường;", office="VP")
    kh05 = DocSpec(
        **WARD,
        number="05/KH-UBND",
        date=D(2024, 1, 22),
        type_name="KẾ HOẠCH",
        title="Chuyển đổi số năm 2024 trên địa bàn phường Thạc Gián",
        body=body_kh(
            who,
            "chuyển đổi số năm 2024 trên địa bàn phường",
            refs=[
                CAN_CU_2901,
                "Căn cứ Kế hoạch số 18/KH-UBND ngày 12 tháng 01 năm 2024 của UBND quận Thanh Khê;",
            ],
        ),
        authority=TM_CT,
        signer="Lê Văn Hiệp",
        recipients=w_rec,
    )
    qd120 = DocSpec(
        **WARD,
        number="120/QĐ-UBND",
        date=D(2024, 3, 11),
        type_name="QUYẾT ĐỊNH",
        title="Về việc kiện toàn Tổ công nghệ số cộng đồng phường Thạc Gián",
        body=body_qd(
            "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG THẠC GIÁN",
            [
                "Điều 1. Kiện toàn Tổ công nghệ số cộng đồng phường Thạc Gián gồm 12 tổ tại 12 tổ dân "
                "phố, mỗi tổ từ 05 đến 07 thành viên (có danh sách kèm theo).",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
            ],
            proposer="Công chức Văn hóa - Xã hội phường",
        ),
        authority=TM_KT_CT,
        signer="Trần Thị Thúy Hằng",
        recipients=w_rec,
    )
    bc210 = DocSpec(
        **WARD,
        number="210/BC-UBND",
        date=D(2024, 11, 25),
        type_name="BÁO CÁO",
        title="Kết quả phổ cập kỹ năng số cho người dân trên địa bàn phường năm 2024",
        body=body_bc(
            who,
            "Thực hiện Kế hoạch số 05/KH-UBND ngày 22 tháng 01 năm 2024",
            [
                "Tổ công nghệ số cộng đồng đã hướng dẫn 3.120 lượt người dân cài đặt, kích hoạt tài "
                "khoản định danh điện tử và sử dụng dịch vụ công trực tuyến.",
            ],
        )[:3],
        authority=TM_KT_CT,
        signer="Võ Văn Quang",
        recipients=w_rec,
    )
    bc230 = DocSpec(
        **WARD,
        number="230/BC-UBND",
        date=D(2024, 12, 9),
        type_name="BÁO CÁO",
        title="Kết quả tiếp nhận, giải quyết hồ sơ dịch vụ công trực tuyến năm 2024",
        body=body_bc(
            who,
            "Theo yêu cầu của UBND quận Thanh Khê",
            [
                "Tỷ lệ hồ sơ tiếp nhận trực tuyến toàn trình: 82,5%.",
            ],
        ),
        authority=TM_KT_CT,
        signer="Võ Văn Quang",
        recipients=w_rec,
    )
    qd35 = DocSpec(
        **WARD,
        number="35/QĐ-UBND",
        date=D(2024, 2, 19),
        type_name="QUYẾT ĐỊNH",
        title="Về việc kiện toàn Ban Chỉ đạo chuyển đổi số phường Thạc Gián",
        body=body_qd(
            "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG THẠC GIÁN",
            [
                "Điều 1. Kiện toàn Ban Chỉ đạo chuyển đổi số phường do Chủ tịch UBND phường làm "
                "Trưởng ban.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
            ],
        ),
        authority=KT_CT,
        signer="Nguyễn Văn Tài",
        recipients=w_rec,
    )
    cv350 = DocSpec(
        **WARD,
        number="350/UBND-VP",
        date=D(2024, 10, 16),
        type_name=None,
        title="báo cáo hiện trạng hạ tầng công nghệ thông tin năm 2024",
        addressees=["Phòng Văn hóa và Thông tin quận Thanh Khê"],
        body=[
            "Thực hiện Công văn số 1456/VHTT ngày 02 tháng 10 năm 2024 của Phòng Văn hóa và Thông "
            "tin quận, UBND phường Thạc Gián báo cáo hiện trạng hạ tầng như sau:",
            "Tổng số máy trạm: 32 máy; 100% kết nối mạng MAN; 01 đường truyền cáp quang.",
            "UBND phường Thạc Gián báo cáo để Phòng Văn hóa và Thông tin tổng hợp./.",
        ],
        authority=TM_KT_CT,
        signer="Võ Văn Quang",
        recipients=rec("Như trên;"),
    )
    u.files = {
        "files/KH-05-CDS-2024.pdf": pdf(kh05),
        "files/QD-120-to-cong-nghe-so.pdf": scan(qd120, seed=51),
        "files/anh/BC-210-pho-cap-ky-nang-so.jpg": photo(bc210, seed=52),
        "files/BC-230-DVCTT.docx": docx(bc230),
        "files/QD-35-kien-toan-BCD.pdf": pdf(qd35),
        "files/CV-350-ha-tang-CNTT.pdf": pdf(cv350),
    }
    u.rows = [
        Row(
            "1.1",
            6,
            "5/KH-UBND",
            "22/01/2024",
            "Kế hoạch CĐS năm 2024",
            "Lê Văn Hiệp",
            "files/KH-05-CDS-2024.pdf",
            [],
            "clean; TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH; document number 05, claimed 5 (leading zero)",
        ),
        Row(
            "8.1",
            6,
            "120/QD-UBND",
            "11/3/2024",
            "Kiện toàn Tổ CNS cộng đồng",
            "Trần Thị Thuý Hằng",
            "files/QD-120-to-cong-nghe-so.pdf",
            [],
            "clean scan; TM. / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH; claimed Thuý (old placement)",
        ),
        Row(
            "8.2",
            4,
            "210/BC-UBND",
            "25/11/2024",
            "BC phổ cập kỹ năng số cho người dân",
            "Võ Văn Quang",
            "files/anh/BC-210-pho-cap-ky-nang-so.jpg",
            [],
            "clean phone photo",
        ),
        Row(
            "6.1",
            10,
            "230/BC-UBND",
            "2024-12-09",
            "BC dịch vụ công trực tuyến 2024",
            "Võ Văn Quang",
            "files/BC-230-DVCTT.docx",
            [],
            "clean Word file",
        ),
        Row(
            "1.2",
            4,
            "35/QĐ-UBND",
            "19/02/2024",
            "Kiện toàn BCĐ chuyển đổi số phường",
            "Nguyễn Văn Tài",
            "files/QD-35-kien-toan-BCD.pdf",
            ["SIGNER_NOT_AUTHORIZED"],
            "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH signed by Nguyễn Văn Tài, not among the ward's leaders",
        ),
        Row(
            "3.1",
            5,
            "350/UBND-VP",
            "16/10/2024",
            "Báo cáo hiện trạng hạ tầng CNTT",
            "Võ Văn Quang",
            "files/CV-350-ha-tang-CNTT.pdf",
            ["DOC_TYPE_MISMATCH"],
            "a công văn (CV) where 3.1 takes only a báo cáo (BC)",
        ),
    ]
    return u


# ---------------------------------------------------------------------------- dossiers

VI_HEADERS = [
    "STT",
    "Mã tiêu chí",
    "Điểm tự chấm",
    "Số, ký hiệu văn bản",
    "Ngày ban hành",
    "Trích yếu",
    "Người ký",
    "Tệp đính kèm",
]
EN_HEADERS = [
    "row",
    "criterion",
    "self_score",
    "doc_number",
    "doc_date",
    "doc_title",
    "signer",
    "file",
]


def dossier_rows(u: Unit) -> tuple[list[str], list[list[object]]]:
    headers = list(EN_HEADERS if u.english_keys else VI_HEADERS)
    out = []
    for i, r in enumerate(u.rows):
        score: object = int(r.score) if r.score is not None and r.score == int(r.score) else r.score
        stt: object = u.stt[i] if u.stt else None
        if u.numeric_cells and isinstance(stt, str) and stt.isdigit():
            stt = int(stt)
        # Excel turns a typed 1.1 into a number; some units' sheets keep it that way.
        crit: object = float(r.criterion) if u.numeric_cells else r.criterion
        out.append(
            [
                stt,
                crit,
                score,
                r.number or None,
                r.date or None,
                r.title,
                r.signer or None,
                r.file or None,
            ]
        )
    if u.stt is None:
        headers = headers[1:]
        out = [row[1:] for row in out]
    return headers, out


def write_csv(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    for row in rows:
        w.writerow(
            [
                "" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v)
                for v in row
            ]
        )
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Tự đánh giá"
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    for col, width in zip("ABCDEFGH", [6, 10, 10, 20, 14, 44, 24, 48], strict=False):
        ws.column_dimensions[col].width = width
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.creator = "Văn thư"
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    data = _stable_zip(buf.getvalue())
    # openpyxl stamps the save time into docProps/core.xml; pin it for reproducible bytes.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2024-01-01T00:00:00Z",
                    blob,
                )
            dst.writestr(info, blob)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------------------- expectations


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_lines(units: list[Unit], root: Path, fw: Framework, groups: dict[str, str]) -> list:
    # Duplicates by content, across units, among rows whose file exists.
    owners: dict[str, set[str]] = {}
    for u in units:
        for r in u.rows:
            p = root / str(YEAR) / u.code / r.file
            if r.file and p.is_file():
                owners.setdefault(sha256(p), set()).add(u.code)
    lines = []
    for u in units:
        group = groups[u.code]
        claimed: dict[str, int] = {}
        for i, r in enumerate(u.rows, start=1):
            codes = set(r.expect)
            p = root / str(YEAR) / u.code / r.file
            dup = bool(r.file) and p.is_file() and len(owners.get(sha256(p), ())) > 1
            if dup != ("DUPLICATE_ACROSS_UNITS" in codes):
                raise SystemExit(f"{u.code} row {i}: duplicate expectation does not match bytes")
            lines.append((u.code, str(i), r.criterion, ";".join(sorted(codes))))
            crit = fw.criterion(r.criterion)
            if crit is None or (crit.applies_to is not None and group not in crit.applies_to):
                continue
            errors = [c for c in codes if FLAG_SEVERITY[FlagCode(c)] is Severity.ERROR]
            claimed.setdefault(r.criterion, 0)
            if not errors:
                claimed[r.criterion] += 1
        for code, valid in claimed.items():
            crit = fw.criterion(code)
            assert crit is not None
            if valid < crit.evidence.min_documents:
                lines.append((u.code, "-", code, "INSUFFICIENT_EVIDENCE"))
    return lines


# ---------------------------------------------------------------------------- README

README_HEAD = """\
# Sample evidence root (year 2024)

A realistic evidence root for the README's demo and for end-to-end tests:

```
kiemchung prescreen sample_evidence --year 2024 --out out/
```

There is no `framework.yaml` here: 2024 is in the `valid_years` of the built-in `danang-2023`
(QĐ 2901/QĐ-UBND, a reconstruction of its criteria). Everything below is generated by
`python sample_evidence/make_samples.py` (run from the repository root; deterministic, fixed seeds
and timestamps) with the document factory `tests/docgen.py`. Do not edit the files by hand:
change the plan in `make_samples.py` and regenerate. All people are fictional.

`expected_flags.csv` is the truth: one line per dossier row (`row` = 1-based position of the data
row in the sheet, whatever the STT column says; `codes` = expected flag codes, sorted,
`;`-joined, empty for a clean row) plus one line per criterion-level flag (`row` = `-`). The
INSUFFICIENT_EVIDENCE lines are derived by the generator from each criterion's `min_documents`:
a criterion the unit claims (known, applicable) with fewer rows free of error-severity flags than
`min_documents`. So a row with an error flag that is its criterion's only evidence also gives an
INSUFFICIENT_EVIDENCE line; SYT 7.2 is the one planted purely (one clean plan where 7.2 needs a
plan and a report).

## Units

| code | unit | group | dossier | notes |
|---|---|---|---|---|
| SYT | Sở Y tế | so-nganh | `dossier.xlsx`, Vietnamese headers | two dates stored as Excel dates; one file name with Vietnamese letters and spaces |
| SKHCN | Sở Khoa học và Công nghệ | so-nganh | `dossier.csv` (UTF-8 BOM), Vietnamese headers | alias Sở Thông tin và Truyền thông (STTTT) until 2025-02-28: all its 2024 documents are STTTT's |
| PTTH | Đài Phát thanh - Truyền hình Đà Nẵng | don-vi-truc-thuoc | `dossier.xlsx`, English keys | the STT column skips 5 |
| HQDN | Cục Hải quan thành phố Đà Nẵng | trung-uong | `dossier.csv` (UTF-8 BOM), Vietnamese headers | mixed-case symbol `HQĐNg` |
| THACGIAN | Ủy ban nhân dân phường Thạc Gián | phuong-xa | `dossier.xlsx`, Vietnamese headers | no STT column; criterion codes stored as numbers (1.1) as Excel does |

Claimed values are typed as units type them and must not raise flags on their own: `QD` for `QĐ`,
a leading `Số `, spaces around `/`, a number without its leading zero (`5/KH-UBND` for
`05/KH-UBND`), dates as `18/9/2024`, `05/03/2024`, `2024-06-12` or Excel dates, names in the old
tone placement (`Hoà`, `Thuỷ`, `Thuý`) where the document prints `Hòa`, `Thủy`, `Thúy`.

Traps in the documents: bodies cite other documents with their numbers and dates (`Căn cứ Quyết
định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 …`, and in SYT's 89/QĐ-SYT the replaced
`98/QĐ-SYT`, which is exactly the wrong number the unit typed); signatures on page 2; scans and
photos carry a red seal over the left third of the signer's name and a blue signature; one photo is
stored rotated with EXIF Orientation 6. Signing `TL.` is only a problem where the criterion needs a
leader (SYT row 3 and SKHCN row 9 are TL. signatures on 1.3, which takes any signer).

File kinds: born-digital PDFs (text layer, DejaVu Serif embedded), image-only scanned PDFs
(200 dpi, no text layer), phone-photo JPEGs, Word .docx files, plus a truncated PDF and a .txt.

## Rows
"""


def write_readme(units: list[Unit], lines: list) -> None:
    out = [README_HEAD]
    for u in units:
        out.append(
            f"\n### {u.code}\n\n| row | criterion | file | expected | what |\n|---|---|---|---|---|"
        )
        for i, r in enumerate(u.rows, start=1):
            maker = u.files.get(r.file)
            kind = getattr(maker, "kind", "?") if maker else "-"
            codes = ", ".join(r.expect) or "clean"
            out.append(f"| {i} | {r.criterion} | {kind} | {codes} | {r.note} |")
        extra = [c for unit, row, c, _ in lines if unit == u.code and row == "-"]
        if extra:
            out.append(f"\nCriterion level: INSUFFICIENT_EVIDENCE on {', '.join(extra)}.")
    (HERE / "README.md").write_text("\n".join(out) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------- main


def main() -> None:
    units = [unit_syt(), unit_skhcn(), unit_ptth(), unit_hqdn(), unit_thacgian()]
    fw = Framework.model_validate(yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8")))
    registry = yaml.safe_load(UNITS_YAML)
    groups = {x["code"]: x["group"] for x in registry["units"]}
    year_dir = HERE / str(YEAR)
    if year_dir.exists():
        shutil.rmtree(year_dir)
    (HERE / "units.yaml").write_text(UNITS_YAML, encoding="utf-8")
    for u in units:
        folder = year_dir / u.code
        folder.mkdir(parents=True)
        for rel, make in u.files.items():
            make(folder / rel)
        headers, rows = dossier_rows(u)
        if u.dossier.endswith(".csv"):
            write_csv(folder / u.dossier, headers, rows)
        else:
            write_xlsx(folder / u.dossier, headers, rows)
    lines = expected_lines(units, HERE, fw, groups)
    with (HERE / "expected_flags.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "row", "criterion", "codes"])
        w.writerows(lines)
    write_readme(units, lines)
    planted = {c for _, _, _, codes in lines for c in codes.split(";") if c}
    missing = {c.value for c in FlagCode} - planted - {"DIGITAL_SIGNATURE_BROKEN"}
    if missing:
        raise SystemExit(f"flag codes never planted: {sorted(missing)}")
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(
        f"wrote {sum(len(u.files) for u in units)} proof files, "
        f"{sum(len(u.rows) for u in units)} dossier rows, {len(lines)} expected lines; "
        f"sample_evidence is {total / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
