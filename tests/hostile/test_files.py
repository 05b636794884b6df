"""Bad proof files: each one gets its exact flag and a clear Vietnamese message, nothing crashes.

Every case is generated here (tests/hostile/corpus.py) and read with `read_document`, the
function the pipeline calls for each file. docs/hostile.md lists the same cases; a test below
keeps the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import corpus
import pytest
from conftest import REPO

from kiemchung.core.model import Document
from kiemchung.extractors.doc_conversion import libreoffice_path
from kiemchung.extractors.reading import read_document
from kiemchung.flows.settings import Settings

pytestmark = pytest.mark.hostile

CTX = Settings().extract_context()
NUMBER = "131/KH-SYT"


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Path], Path]
    code: str | None  # None: the file must read, with the document's number found
    fragment: str = ""  # part of the Vietnamese message (or of the number, for readable files)
    number: str | None = NUMBER


CASES = [
    Case("zero-byte", corpus.zero_byte, "UNREADABLE_FILE", "Tệp rỗng (0 byte)"),
    Case("pdf-truncated", corpus.truncated_pdf, "UNREADABLE_FILE", "Tệp PDF bị hỏng, không mở được"),
    Case("pdf-broken-xref", corpus.broken_xref_pdf, None),
    Case("pdf-owner-password", lambda d: corpus.encrypted_pdf(d, user_password=""), None),
    Case(
        "pdf-user-password",
        lambda d: corpus.encrypted_pdf(d, user_password="mo-tep"),
        "UNREADABLE_FILE",
        "Tệp PDF được mã hóa bằng mật khẩu mở tệp",
    ),
    Case("pdf-5000-pages", corpus.many_pages_pdf, "UNREADABLE_FILE", "Tệp PDF có 5000 trang, vượt giới hạn 2000 trang"),
    Case("pdf-20000pt-page", corpus.huge_page_pdf, "UNREADABLE_FILE", "Trang 1 có kích thước 20000 × 20000 pt, quá lớn"),
    Case("pdf-no-pages", corpus.no_page_pdf, "UNREADABLE_FILE", "Tệp PDF bị hỏng, không mở được"),
    Case("html-named-pdf", corpus.html_as_pdf, "UNSUPPORTED_FILE", "Tệp có đuôi .pdf nhưng nội dung là tệp văn bản thuần"),
    Case(
        "image-decompression-bomb",
        corpus.decompression_bomb_png,
        "UNREADABLE_FILE",
        "Ảnh có 144.000.000 điểm ảnh, vượt giới hạn 120.000.000 (nghi là ảnh 'bom giải nén')",
    ),
    Case(
        "image-1gb-header",
        corpus.gigabyte_header_png,
        "UNREADABLE_FILE",
        "Ảnh có 1.600.000.000 điểm ảnh, vượt giới hạn 120.000.000",
    ),
    Case("image-truncated", corpus.truncated_png, "UNREADABLE_FILE", "của ảnh bị hỏng"),
    Case("tiff-multipage", corpus.multipage_tiff, None, number=None),
    Case("jpeg-named-pdf", corpus.jpeg_named_pdf, None, number=None),
    Case(
        "exe-named-pdf",
        corpus.executable_named_pdf,
        "UNSUPPORTED_FILE",
        "Tệp là chương trình máy tính (không phải văn bản); đã từ chối. (Tệp có đuôi .pdf",
    ),
    Case("elf-named-pdf", corpus.elf_named_pdf, "UNSUPPORTED_FILE", "Tệp là chương trình máy tính"),
    Case("docx-not-zip", corpus.docx_not_zip, "UNSUPPORTED_FILE", "Tệp có đuôi .docx nhưng nội dung là một định dạng không nhận dạng được"),
    Case("docx-truncated", corpus.docx_truncated, "UNREADABLE_FILE", "Tệp nén hoặc tệp Word bị hỏng (cấu trúc ZIP không hợp lệ)"),
    Case("docm-macro", corpus.docm, "UNSUPPORTED_FILE", "Tệp Word có chứa macro (.docm) không được chấp nhận"),
    # A broken .doc: refused as unsupported without LibreOffice, unreadable when it fails to convert.
    Case("doc-legacy", corpus.legacy_doc, *(("UNREADABLE_FILE", "Tệp Word cũ (.doc) bị hỏng") if libreoffice_path()
                                            else ("UNSUPPORTED_FILE", "Tệp Word cũ (.doc)"))),
    Case("rar-named-zip", corpus.rar_named_zip, "UNSUPPORTED_FILE", "Tệp nén RAR không được hỗ trợ"),
    Case("xlsx-named-pdf", corpus.xlsx_named_pdf, "UNSUPPORTED_FILE", "Bảng tính Excel không phải là văn bản minh chứng"),
    Case("zip-good", corpus.good_zip, None),
    Case("zip-traversal", corpus.traversal_zip, None),
    Case(
        "zip-ratio-bomb",
        corpus.ratio_bomb_zip,
        "UNREADABLE_FILE",
        "tỉ lệ nén 1.029:1, vượt giới hạn 200:1 (nghi là 'bom nén')",
    ),
    Case(
        "zip-size-bomb",
        corpus.size_bomb_zip,
        "UNREADABLE_FILE",
        "Tệp nén khi giải nén có dung lượng 600 MB, vượt giới hạn 500 MB",
    ),
    Case("zip-too-many-members", corpus.many_members_zip, "UNREADABLE_FILE", "Tệp nén có 201 tệp, vượt giới hạn 200 tệp"),
    Case("zip-nested-too-deep", corpus.nested_zip, "UNREADABLE_FILE", "Tệp nén lồng trong tệp nén quá 2 cấp"),
    Case("zip-encrypted-member", corpus.encrypted_member_zip, "UNREADABLE_FILE", "ke-hoach.pdf: Tệp trong tệp nén được đặt mật khẩu"),
    Case("zip-only-executable", corpus.zip_with_exe_only, "UNSUPPORTED_FILE", "Không có tệp nào trong tệp nén đọc được (1 tệp)"),
    Case("file-300mb", corpus.sparse_file, "UNREADABLE_FILE", "Tệp dung lượng 300 MB, vượt giới hạn 200 MB"),
]


def read(path: Path) -> Document:
    return read_document(path, path.name, CTX)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_bad_file_gets_its_flag(case: Case, tmp_path: Path) -> None:
    doc = read(case.make(tmp_path))
    assert doc.error_code == case.code, doc.error
    if case.code is None:
        assert doc.error is None and doc.fields
        if case.number:
            assert doc.field_value("number") == case.number
    else:
        assert case.fragment in (doc.error or ""), doc.error
        assert doc.fields == {}


def test_the_corpus_has_at_least_25_kinds() -> None:
    assert len({c.id for c in CASES}) >= 25


def test_multipage_tiff_reads_every_frame_as_a_page(tmp_path: Path) -> None:
    doc = read(corpus.multipage_tiff(tmp_path))
    assert (doc.kind, doc.pages, doc.method) == ("tiff", 3, "ocr")
    assert len(doc.page_methods) == 3 and doc.page_methods[0] == doc.page_methods[2] == "ocr"


def test_a_jpeg_named_pdf_is_read_as_the_image_it_is(tmp_path: Path) -> None:
    doc = read(corpus.jpeg_named_pdf(tmp_path))
    assert doc.kind == "jpeg" and doc.method == "ocr"
    assert "1020" in (doc.field_value("number") or "")


def test_a_zip_reads_as_its_first_readable_member(tmp_path: Path) -> None:
    doc = read(corpus.good_zip(tmp_path))
    assert doc.kind == "zip" and doc.pages == 1 and doc.method == "text"
    files = [m.file for m in doc.members or []]
    assert files == ["ho-so.zip/doc-truoc.txt", "ho-so.zip/KH-131.pdf", "ho-so.zip/KH-131.docx"]  # __MACOSX dropped
    assert [m.error_code for m in doc.members] == ["UNSUPPORTED_FILE", None, None]
    assert doc.members[2].method == "docx" and doc.members[2].field_value("number") == NUMBER


def test_the_owner_password_pdf_is_really_encrypted(tmp_path: Path) -> None:
    path = corpus.encrypted_pdf(tmp_path, user_password="")
    assert b"/Encrypt" in path.read_bytes()


def test_a_broken_pdf_after_an_encrypted_one_is_not_called_encrypted(tmp_path: Path) -> None:
    """pdfium keeps its last error per thread: the second file used to be reported encrypted."""
    first = read(corpus.encrypted_pdf(tmp_path, user_password="mo-tep"))
    second = read(corpus.no_page_pdf(tmp_path))
    assert "mật khẩu" in first.error
    assert "mật khẩu" not in second.error and "bị hỏng" in second.error


def test_a_zip_storing_a_pdf_uncompressed_is_sniffed_as_zip(tmp_path: Path) -> None:
    import zipfile

    path = corpus.zip_of(tmp_path, "stored.zip", {"a.pdf": corpus.good_pdf(tmp_path)}, method=zipfile.ZIP_STORED)
    doc = read(path)
    assert doc.kind == "zip" and doc.field_value("number") == NUMBER


def test_the_size_limit_is_configurable(tmp_path: Path) -> None:
    path = corpus.sparse_file(tmp_path)
    ctx = Settings.from_env({"KIEMCHUNG_MAX_FILE_MB": "400"}).extract_context()
    doc = read_document(path, path.name, ctx)
    # Past the size check: the file is opened, and only then found to be a broken PDF.
    assert doc.error_code == "UNREADABLE_FILE" and "Tệp PDF bị hỏng" in doc.error


def test_docs_table_lists_every_case() -> None:
    table = (REPO / "docs" / "hostile.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, flags=re.MULTILINE))
    missing = {c.id for c in CASES} - listed
    assert not missing, f"docs/hostile.md lacks {sorted(missing)}"
