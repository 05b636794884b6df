"""Legacy 8-bit Vietnamese text layers (extractors/font_encodings.py): TCVN3/ABC and VNI to Unicode.

Unit tests on strings as old PDFs' text layers read, a cross-check of the TCVN3 table against
glibc iconv's TCVN5712-1 (skipped where iconv lacks it), and one generated PDF whose text layer
is TCVN3, read end to end."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.font_encodings import TCVN3_TO_UNICODE, detect_legacy, to_unicode
from kiemchung.extractors.reading import read_document
from kiemchung.extractors.textlayer import judge_text_layer


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("§µ N½ng, ngµy 05 th¸ng 3 n¨m 2024", "Đà Nẵng, ngày 05 tháng 3 năm 2024"),
        # All its ASCII letters capitals: read as a .VnTimeH line (the font name is not seen
        # here), hence SỐ, which the number parser takes like Số.
        ("Sè: 45/Q§-SYT", "SỐ: 45/QĐ-SYT"),
        ("Tr\xadêng", "Trường"),  # ư is 0xAD, a soft hyphen
        ("Tr-êng H-¬ng", "Trường Hương"),  # ... which pdfium may give as "-" inside a word
        ("Nh\ufffe", "Như"),  # ... or as U+FFFE at a line's end
    ],
)
def test_tcvn3_to_unicode(legacy: str, unicode: str) -> None:
    assert to_unicode(legacy, "tcvn3") == unicode


def test_tcvn3_vntimeh_capitals_from_lower_case_codes() -> None:
    """`.VnTimeH` draws capitals from the lower-case codes beside capital ASCII letters."""
    assert to_unicode("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert to_unicode("QUYÕT ®ÞNH", "tcvn3") == "QUYẾT ĐỊNH"
    # One H-font word inside a normal line: a capital ASCII letter after its first one.
    assert to_unicode("KT. GI¸M §èC", "tcvn3") == "KT. GIÁM ĐỐC"


def test_hyphen_between_codes_is_kept_in_symbols() -> None:
    assert to_unicode("Q§-UBND", "tcvn3") == "QĐ-UBND"


def test_unicode_words_are_left_alone() -> None:
    """An e-signature stamp added to an old file is real Unicode: not converted again."""
    assert to_unicode("Ký bởi: Sở Y tế Céng hoµ", "tcvn3") == "Ký bởi: Sở Y tế Cộng hoà"


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("chaøo", "chào"),
        ("Sôû Y teá", "Sở Y tế"),
    ],
)
def test_vni_to_unicode(legacy: str, unicode: str) -> None:
    assert to_unicode(legacy, "vni") == unicode


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni"),
        ("Cộng hòa xã hội chủ nghĩa Việt Nam", None),
        ("Report of the Department of Health", None),
    ],
)
def test_detect_legacy(text: str, scheme: str | None) -> None:
    assert detect_legacy(text) == scheme


def _iconv_has_tcvn() -> bool:
    if not shutil.which("iconv"):
        return False
    listed = subprocess.run(["iconv", "-l"], capture_output=True, text=True, check=False).stdout
    return "TCVN5712-1" in listed


@pytest.mark.skipif(not _iconv_has_tcvn(), reason="glibc iconv without TCVN5712-1")
def test_tcvn3_table_agrees_with_glibc_iconv() -> None:
    """Every byte 0x80-0xFF the table converts (Latin-1 reading) decodes the same in iconv."""
    codes = sorted(ch for ch in TCVN3_TO_UNICODE if "\x80" <= ch <= "\xff")
    raw = "".join(codes).encode("latin-1")
    out = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw, capture_output=True, check=True)
    decoded = unicodedata.normalize("NFC", out.stdout.decode("utf-8"))
    ours = "".join(TCVN3_TO_UNICODE[ch] for ch in codes)
    assert len(codes) > 120
    assert decoded == ours
    sentence = "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    iconv = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=sentence.encode("latin-1"),
                           capture_output=True, check=True).stdout.decode("utf-8")
    assert to_unicode(sentence, "tcvn3") == unicodedata.normalize("NFC", iconv)


# ---------------------------------------------------------------- a TCVN3 text layer end to end

# Unicode letter -> its ABC (.VnTime) code, read as Latin-1: how old PDFs store the text.
_TO_TCVN3 = {letter: code for code, letter in TCVN3_TO_UNICODE.items() if "\xa1" <= code <= "\xff"}


def tcvn3(text: str, *, capitals: bool = False) -> str:
    """`text` as a .VnTime text layer stores it; `capitals`: set in .VnTimeH (lower-case codes)."""
    if capitals:
        return "".join(ch if ch.isascii() else _TO_TCVN3[ch.lower()] for ch in text)
    return "".join(ch if ch.isascii() else _TO_TCVN3[ch] for ch in text)


# (x, y from the top, text, set in capitals): a Decree-30 page with a header table.
_PAGE = [
    (60, 60, "UBND THÀNH PHỐ ĐÀ NẴNG", True),
    (70, 76, "SỞ NỘI VỤ", True),
    (300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
    (330, 76, "Độc lập - Tự do - Hạnh phúc", False),
    (70, 104, "Số: 45/QĐ-SNV", False),
    (300, 104, "Đà Nẵng, ngày 05 tháng 3 năm 2024", False),
    (250, 150, "QUYẾT ĐỊNH", True),
    (130, 168, "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số", False),
    (100, 210, "Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023;", False),
    (100, 228, "Điều 1. Kiện toàn Ban Chỉ đạo chuyển đổi số của cơ quan.", False),
    (100, 246, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", False),
    (360, 300, "KT. GIÁM ĐỐC", True),
    (355, 316, "PHÓ GIÁM ĐỐC", True),
    (60, 300, "Nơi nhận:", False),
    (60, 316, "- Như Điều 2;", False),
    (60, 332, "- Lưu: VT, VP.", False),
    (350, 400, "Đoàn Thị Thu Hương", False),
]


def make_tcvn3_pdf(path: Path) -> Path:
    """Latin-1 codes drawn in a standard font: the text layer reads as a .VnTime PDF's does."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595.28, 841.89), invariant=1)
    for x, y, text, capitals in _PAGE:
        c.setFont("Times-Bold" if capitals else "Times-Roman", 12)
        c.drawString(x, 841.89 - y, tcvn3(text, capitals=capitals))
    c.showPage()
    c.save()
    return path


def test_pdf_with_a_tcvn3_text_layer_is_converted_not_ocrd(tmp_path: Path) -> None:
    path = make_tcvn3_pdf(tmp_path / "cu.pdf")
    doc = read_document(path, path.name, ExtractContext())
    assert doc.error is None, doc.error
    assert doc.method == "text"  # converted in place: no OCR
    values = {name: field.value for name, field in doc.fields.items()}
    assert values["number"] == "45/QĐ-SNV"
    assert values["date"] == "2024-03-05"
    assert values["type"] == "QĐ"
    assert values["issuer"] == "SỞ NỘI VỤ"
    assert values["issuer_parent"] == "UBND THÀNH PHỐ ĐÀ NẴNG"
    assert values["title"] == "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số"
    assert (values["signer"], values["signer_role"], values["signer_authority"]) == (
        "Đoàn Thị Thu Hương", "PHÓ GIÁM ĐỐC", "KT.")


def test_text_layer_verdict_names_the_encoding() -> None:
    text = "\n".join(tcvn3(t, capitals=c) for _, _, t, c in _PAGE)
    assert judge_text_layer(text).legacy == "tcvn3"
