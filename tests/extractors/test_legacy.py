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


# The ABC (VN3) chart of TCVN 5712:1993, typed from the standard, not from our table: the byte
# of each lower-case base letter with its five tones (huyền, hỏi, ngã, sắc, nặng), and the bytes
# of the bare letters. ABC fonts draw every letter from these codes (.VnTimeH its capitals too).
_VN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_VN3_BARE = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
             "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE}  # fmt: skip
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # combining: grave, hook, tilde, acute, dot


def test_tcvn3_table_holds_every_letter_of_the_abc_chart() -> None:
    """Each chart entry, its letter built from base + combining tone (unicodedata), not our table."""
    expected = {chr(code): letter for letter, code in _VN3_BARE.items()}
    for base, codes in _VN3_TONED.items():
        for code, tone in zip(codes, _TONES, strict=True):
            expected[chr(code)] = unicodedata.normalize("NFC", base + tone)
    assert len(expected) == 74 and len(set(expected.values())) == 74
    assert {code: TCVN3_TO_UNICODE.get(code) for code in expected} == expected
    # The table's other Latin-1 entries are TCVN 5712's capitals (checked byte by byte against
    # iconv above): each one the capital of a chart letter, none twice.
    others = {code: letter for code, letter in TCVN3_TO_UNICODE.items() if "\x80" <= code <= "\xff" and code not in expected}
    assert others and all(letter.isupper() and letter.lower() in expected.values() for letter in others.values())
    assert len(set(others.values())) == len(others)


# ---------------------------------------------------------------- a TCVN3 text layer end to end

# Unicode letter -> its ABC (.VnTime) code, read as Latin-1: how old PDFs store the text. Taken
# from the chart above, not inverted from the table under test.
_TO_TCVN3 = {letter: chr(code) for letter, code in _VN3_BARE.items()} | {
    unicodedata.normalize("NFC", base + tone): chr(code)
    for base, codes in _VN3_TONED.items()
    for code, tone in zip(codes, _TONES, strict=True)
}


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
