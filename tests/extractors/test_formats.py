"""Every format end to end, on files the tests make with tests/docgen.py: born-digital PDF,
scanned PDF, phone photo, multi-page TIFF, Word (tables, text boxes, headers), legacy .doc
and a TCVN3-encoded text layer. OCR is ~1-2 s a page: one scan, reused by module fixtures."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from docgen import DocSpec, make_docx, make_pdf, make_photo_jpeg, make_scan_pdf  # noqa: E402
from needs import need  # noqa: E402

from kiemchung.extractors import doc_conversion  # noqa: E402
from kiemchung.extractors.base import ExtractContext  # noqa: E402
from kiemchung.extractors.reading import read_document  # noqa: E402

SPEC = DocSpec(
    issuer="SỞ Y TẾ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    number="45/QĐ-SYT",
    date=dt.date(2024, 3, 5),
    type_name="QUYẾT ĐỊNH",
    title="Về việc kiện toàn Ban Chỉ đạo chuyển đổi số của Sở Y tế",
    body=["Điều 1. Kiện toàn Ban Chỉ đạo chuyển đổi số của Sở Y tế.", "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."],
    authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
    signer="Đoàn Thị Thu Hương",
    recipients=["Như Điều 2;", "Lưu: VT, VP."],
)
CTX = ExtractContext()


def fields(path: Path) -> dict[str, object]:
    doc = read_document(path, path.name, CTX)
    assert doc.error is None, doc.error
    return {name: f.value for name, f in doc.fields.items()}


def assert_core(values: dict[str, object], *, signer: bool = True) -> None:
    assert values["number"] == "45/QĐ-SYT"
    assert values["date"] == "2024-03-05"
    assert values["type"] == "QĐ"
    if signer:
        assert values["signer"] == "Đoàn Thị Thu Hương"
        assert values["signer_authority"] == "KT."


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two pages, the signature on page 2: page 1 is OCR'd only in its header band."""
    return make_scan_pdf(replace(SPEC, pages=2), tmp_path_factory.mktemp("scan") / "qd45.pdf", seed=11)


def test_born_digital_pdf_with_provenance(tmp_path: Path) -> None:
    doc = read_document(make_pdf(SPEC, tmp_path / "qd45.pdf"), "qd45.pdf", CTX)
    assert_core({k: f.value for k, f in doc.fields.items()})
    number = doc.fields["number"]
    assert (number.page, number.method, number.confidence) == (1, "text", 1.0)
    assert number.bbox and number.bbox[1] < 200  # in the header, top-left origin
    assert doc.method == "text"


def test_scanned_pdf(scan: Path) -> None:
    doc = read_document(scan, scan.name, CTX)
    assert_core({k: f.value for k, f in doc.fields.items()})
    assert doc.method == "ocr"
    assert 0 < doc.fields["number"].confidence <= 1
    assert doc.fields["signer"].page == 2
    assert doc.fields["number"].bbox[3] < 842 * 0.45  # page 1 read in its header band only


def test_multipage_tiff_frames_are_pages(scan: Path, tmp_path: Path) -> None:
    """The two scanned pages as TIFF frames: header on frame 1, signature on frame 2."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(scan))
    try:
        first, second = (pdf[i].render(scale=200 / 72).to_pil() for i in range(2))
    finally:
        pdf.close()
    path = tmp_path / "qd45.tif"
    first.save(path, save_all=True, append_images=[second], compression="tiff_deflate")
    doc = read_document(path, path.name, CTX)
    assert doc.pages == 2
    assert_core({k: f.value for k, f in doc.fields.items()})
    assert doc.fields["signer"].page == 2


def test_phone_photo_rotated_by_exif(tmp_path: Path) -> None:
    path = make_photo_jpeg(SPEC, tmp_path / "qd45.jpg", seed=12, exif_rotate=True)
    assert_core(fields(path))


def test_a_12_megapixel_phone_photo_is_read_and_located_at_its_own_size(tmp_path: Path) -> None:
    """Page OCR runs on the photo reduced to ~200 dpi (issue 13): the fields of the same page
    photographed at 180 dpi, boxes at the same place in the photo's own pixels (OCR of the rest,
    the title's last words, may differ either way)."""

    def read(dpi: int) -> tuple[dict, dict]:
        path = make_photo_jpeg(SPEC, tmp_path / f"qd45-{dpi}.jpg", seed=3, dpi=dpi)
        with Image.open(path) as image:
            width, height = image.size
        doc = read_document(path, path.name, CTX)
        where = {k: (f.bbox[0] / width, f.bbox[1] / height) for k, f in doc.fields.items() if f.bbox}
        return {k: f.value for k, f in doc.fields.items()}, where | {"pixels": (width * height, 0)}

    big, big_where = read(330)
    small, small_where = read(180)
    assert big_where["pixels"][0] > 11_000_000
    assert_core(big)
    assert {k: big.get(k) for k in ("number", "date", "signer", "type")} == {k: small.get(k) for k in ("number", "date", "signer", "type")}
    for field in ("number", "date"):  # a signer's box starts wherever OCR saw ink on its line
        assert big_where[field] == pytest.approx(small_where[field], abs=0.03)


def test_docx_tables_text_boxes_and_headers(tmp_path: Path) -> None:
    import docx

    path = make_docx(SPEC, tmp_path / "qd45.docx")
    document = docx.Document(str(path))
    document.sections[0].header.paragraphs[0].text = "Tài liệu đầu trang: mẫu 01"
    document.save(str(path))
    doc = read_document(path, path.name, CTX)
    values = {k: f.value for k, f in doc.fields.items()}
    assert_core(values)
    assert doc.method == "docx"


def test_docx_text_box_is_read(tmp_path: Path) -> None:
    """A number typed in a floating text box (some templates do) is still found."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("UBND THÀNH PHỐ ĐÀ NẴNG")
    document.add_paragraph("SỞ Y TẾ")
    box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>"
        "<w:p><w:r><w:t>Số: 77/KH-SYT</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Số: 77/KH-SYT</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    document.add_paragraph()._p.append(parse_xml(box))
    document.add_paragraph("Đà Nẵng, ngày 12 tháng 6 năm 2024")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Bảo đảm an toàn thông tin mạng năm 2024 của Sở Y tế")
    path = tmp_path / "box.docx"
    document.save(str(path))
    values = fields(path)
    assert values["number"] == "77/KH-SYT"  # once: the Fallback copy is not read twice
    assert values["date"] == "2024-06-12"


def test_legacy_doc_without_libreoffice_is_refused_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_conversion, "libreoffice_path", lambda: None)
    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    doc = read_document(path, path.name, CTX)
    assert doc.error_code == "UNSUPPORTED_FILE"
    assert "LibreOffice" in doc.error


def test_a_real_doc_is_read_through_libreoffice(tmp_path: Path) -> None:
    """A Word 97 file made by LibreOffice itself from our Word export, read as evidence."""
    exe = doc_conversion.libreoffice_path()
    need(exe is not None, env="KIEMCHUNG_REQUIRE_LIBREOFFICE", missing="LibreOffice (apt: libreoffice-writer-nogui)")
    docx = make_docx(SPEC, tmp_path / "qd45.docx")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97",
                    "--outdir", str(tmp_path / "doc"), str(docx)], capture_output=True, timeout=120, check=True)  # fmt: skip
    path = tmp_path / "doc" / "qd45.doc"
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 Word 97 file
    doc = read_document(path, path.name, CTX)
    assert doc.error is None, doc.error
    assert doc.kind == "doc"
    assert_core({k: f.value for k, f in doc.fields.items()})


def test_a_broken_doc_is_unreadable_when_libreoffice_is_there(tmp_path: Path) -> None:
    need(doc_conversion.libreoffice_path() is not None, env="KIEMCHUNG_REQUIRE_LIBREOFFICE",
         missing="LibreOffice (apt: libreoffice-writer-nogui)")  # fmt: skip
    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    doc = read_document(path, path.name, CTX)
    assert doc.error_code == "UNREADABLE_FILE" and "LibreOffice" in doc.error


def test_legacy_doc_is_converted_when_libreoffice_is_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The converter's output is what is read: a stand-in converter that writes our PDF."""
    made = make_pdf(SPEC, tmp_path / "made.pdf")

    def fake_convert(source: Path, out_dir: Path, exe: str) -> Path:
        target = out_dir / "input.pdf"
        target.write_bytes(made.read_bytes())
        return target

    monkeypatch.setattr(doc_conversion, "libreoffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(doc_conversion, "convert_to_pdf", fake_convert)
    path = tmp_path / "qd45.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    doc = read_document(path, path.name, CTX)
    assert doc.error is None, doc.error
    assert_core({k: f.value for k, f in doc.fields.items()})


def test_cli_extract_json_has_provenance(scan: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kiemchung.flows.cli import app

    for path in (make_pdf(SPEC, tmp_path / "a.pdf"), make_docx(SPEC, tmp_path / "a.docx"), scan):
        result = CliRunner().invoke(app, ["extract", str(path), "--json"])
        assert result.exit_code == 0, result.output
        payload = json.loads(result.output[result.output.index("{") :])
        text = json.dumps(payload, ensure_ascii=False)
        assert "45/QĐ-SYT" in text and "Đoàn Thị Thu Hương" in text
        assert '"page": 1' in text


def test_tiff_single_frame_image(tmp_path: Path) -> None:
    path = tmp_path / "blank.tif"
    Image.new("RGB", (800, 1100), "white").save(path, format="TIFF", compression="tiff_lzw")
    assert path.read_bytes()[:4] == b"II*\x00"  # a real TIFF, little-endian
    doc = read_document(path, path.name, CTX)
    assert doc.kind == "tiff" and doc.pages == 1
    assert doc.error_code == "UNREADABLE_FILE"  # a blank picture is not a document


def test_sideways_scan_without_exif_is_turned_upright(tmp_path: Path) -> None:
    """A page fed into the scanner sideways: an image-only PDF page turned 90°, with no EXIF or
    /Rotate to say so. The page OCR reads badly, orientation detection (OSD) says how to turn
    it, and the fields come from the upright page."""
    import pypdfium2 as pdfium

    scan = make_scan_pdf(SPEC, tmp_path / "upright.pdf", seed=13)
    pdf = pdfium.PdfDocument(str(scan))
    try:
        upright = pdf[0].render(scale=200 / 72).to_pil()
    finally:
        pdf.close()
    path = tmp_path / "sideways.pdf"
    upright.rotate(90, expand=True).save(path, "PDF", resolution=200.0)  # counter-clockwise
    doc = read_document(path, path.name, CTX)
    assert doc.error is None, doc.error
    assert_core({k: f.value for k, f in doc.fields.items()})
    number = doc.fields["number"]
    # Upright coordinates: the number stands in the top-left of the turned page.
    assert number.bbox[1] < 842 * 0.25 and number.bbox[0] < 595 * 0.5
