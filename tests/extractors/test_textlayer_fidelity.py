"""Text layers read as the page says (issue 11): a doubled letter stays doubled (`CCQLĐĐ`), words
placed without space characters get their spaces back, digits that e-office systems put into a
finished document (drawn after everything else, or in a widget) join their line.

The oracle: over every text PDF of ../shared/realdocs (when present) and the generated ones with
these phenomena, the number line and the date line we read equal what poppler's pdftotext, an
independent reader, prints for them, whitespace aside."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from docgen import DocSpec, make_docx, make_pdf  # noqa: E402

from kiemchung.core.model import Document  # noqa: E402
from kiemchung.extractors.base import ExtractContext  # noqa: E402
from kiemchung.extractors.fields.dates import parse_claimed_date  # noqa: E402
from kiemchung.extractors.fields.number import match_number, number_key  # noqa: E402
from kiemchung.extractors.pdf import PdfExtractor  # noqa: E402
from kiemchung.extractors.reading import read_document  # noqa: E402

REALDOCS = Path(__file__).resolve().parents[3] / "shared" / "realdocs"
CTX = ExtractContext()

SPEC = DocSpec(
    issuer="SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nCHI CỤC QUẢN LÝ ĐẤT ĐAI",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    title="Chuyển đổi số trong quản lý đất đai năm 2025",
    number="45/KH-CCQLĐĐ",
    date=dt.date(2025, 3, 18),
    type_name="KẾ HOẠCH",
    body=["Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;"],
    authority=["KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG"],
    signer="Nguyễn Thị Hồng Nhung",
    recipients=["Sở Nông nghiệp và Môi trường;", "Lưu: VT."],
)
ISSUED = replace(
    SPEC,
    issuer="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG",
    parent=None,
    number="2536/QĐ-UBND",
    type_name="QUYẾT ĐỊNH",
    title="Về việc kiện toàn Ban Chỉ đạo chuyển đổi số thành phố",
    authority=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
    handwritten=True,  # number and day left blank, then filled by the e-office system
)


def read(path: Path) -> Document:
    doc = read_document(path, path.name, CTX)
    assert doc.error is None, doc.error
    return doc


def values(doc: Document) -> dict[str, object]:
    return {name: f.value for name, f in doc.fields.items()}


@pytest.mark.parametrize("make", [make_pdf, make_docx], ids=["pdf", "docx"])
def test_a_doubled_letter_in_a_symbol_stays_doubled(tmp_path: Path, make) -> None:
    got = values(read(make(SPEC, tmp_path / "kh.x")))
    assert got["number"] == "45/KH-CCQLĐĐ"
    assert got["symbol"] == "KH-CCQLĐĐ"


def test_ocr_still_mends_its_own_doubled_d() -> None:
    assert match_number("Số: 45/QĐĐ-SYT").value == "45/QĐ-SYT"
    assert match_number("Số: 45/KH-CCQLĐĐ", ocr=False).value == "45/KH-CCQLĐĐ"


def test_words_placed_without_spaces_get_them_back(tmp_path: Path) -> None:
    doc = read(make_pdf(SPEC, tmp_path / "kh.pdf", words_apart=True))
    got = values(doc)
    assert got["issuer"] == "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG CHI CỤC QUẢN LÝ ĐẤT ĐAI"
    assert got["title"] == SPEC.title
    assert got["signer"] == "Nguyễn Thị Hồng Nhung"
    assert (got["number"], got["date"]) == ("45/KH-CCQLĐĐ", "2025-03-18")


@pytest.mark.parametrize("how", ["overlay", "widget"])
def test_e_office_digits_join_the_number_and_date_lines(tmp_path: Path, how: str) -> None:
    doc = read(make_pdf(ISSUED, tmp_path / "qd.pdf", eoffice=how))
    got = values(doc)
    assert (got["number"], got["date"]) == ("2536/QĐ-UBND", "2025-03-18")
    assert doc.draft is False  # blanks no longer


def test_without_the_e_office_digits_the_blanks_stay_blank(tmp_path: Path) -> None:
    doc = read(make_pdf(ISSUED, tmp_path / "qd.pdf"))
    assert "number" not in doc.fields and "date" not in doc.fields


# ---------------------------------------------------------------------------- the oracle

_NUMBER = re.compile(r"S[ốỐ]\s*:?\s*[0-9 ]*(?:/\s*(?:19|20)\d\d\s*)?/\s*\S+")
_DATE = re.compile(r"ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _found(text: str) -> tuple[str | None, str | None]:
    number = next((m.group(0) for m in _NUMBER.finditer(text)), None)
    date = next((m.group(0) for line in text.splitlines() if "," in line for m in _DATE.finditer(line)), None)
    return number, date


def _oracle(path: Path) -> tuple[str | None, str | None]:
    """Number and date lines as pdftotext prints page 1 (layout mode keeps a header row together)."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", "-enc", "UTF-8", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return _found(unicodedata.normalize("NFC", out))  # some fonts map Ố to Ô + a combining acute


def _page_one_text(path: Path) -> str:
    with PdfExtractor().open(path, "pdf", CTX) as raw:
        return raw.page(1).text


def assert_same_as_oracle(path: Path) -> None:
    """Our page-1 number and date lines equal pdftotext's, and so do the fields read from them."""
    oracle, ours = _oracle(path), _found(_page_one_text(path))
    assert (_squeezed(ours[0] or ""), _squeezed(ours[1] or "")) == (_squeezed(oracle[0] or ""), _squeezed(oracle[1] or ""))
    got = values(read(path))
    if oracle[0]:
        assert number_key(str(got.get("number"))) == number_key(oracle[0])
    if oracle[1]:
        assert got.get("date") == parse_claimed_date(oracle[1]).isoformat()


def _realdocs_text_pdfs() -> list[Path]:
    if not (REALDOCS / "MANIFEST.tsv").is_file():
        return []
    with (REALDOCS / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return [REALDOCS / "files" / row["filename"] for row in csv.DictReader(fh, delimiter="\t") if row["kind"] == "text-pdf"]


GENERATED = {
    "doubled-letters": lambda p: make_pdf(SPEC, p),
    "words-apart": lambda p: make_pdf(SPEC, p, words_apart=True),
    "eoffice-overlay": lambda p: make_pdf(ISSUED, p, eoffice="overlay"),
    "eoffice-widget": lambda p: make_pdf(ISSUED, p, eoffice="widget"),
    "four-line-issuer": lambda p: make_pdf(
        replace(SPEC, issuer="SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nCHI CỤC QUẢN LÝ ĐẤT ĐAI\nTHÀNH PHỐ ĐÀ NẴNG\nPHÒNG ĐĂNG KÝ",
                date_under_motto=True), p),
    "stamps": lambda p: make_pdf(
        replace(SPEC, incoming_stamp=("17026", "23-10-2025"), esign_box=("Văn phòng", "18.03.2025 09:12:01 +07:00"),
                copy_stamp="SAO Y; Chi cục; 20/03/2025 08:00:00", urgency="HỎA TỐC"), p),
}  # fmt: skip


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_number_and_date_lines_equal_pdftotext(tmp_path: Path, name: str) -> None:
    path = GENERATED[name](tmp_path / f"{name}.pdf")
    oracle = _oracle(path)
    assert oracle[0] and oracle[1], f"pdftotext found no number or date line: {oracle}"
    assert_same_as_oracle(path)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.skipif(not _realdocs_text_pdfs(), reason="realdocs not present")
@pytest.mark.parametrize("path", _realdocs_text_pdfs(), ids=lambda p: p.name)
def test_real_number_and_date_lines_equal_pdftotext(path: Path) -> None:
    assert_same_as_oracle(path)
