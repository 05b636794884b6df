"""One file in, one `Document` out. Never raises for a bad file: the error becomes part of the
Document (UNREADABLE_FILE / UNSUPPORTED_FILE with a Vietnamese message) so the run goes on."""

from __future__ import annotations

import logging
from pathlib import Path

from kiemchung.core.digest import sha256_file
from kiemchung.core.errors import ExtractionError, UnsupportedFileError
from kiemchung.core.model import Document
from kiemchung.extractors.archive import ZipExtractor
from kiemchung.extractors.base import ExtractContext, RawDocument
from kiemchung.extractors.fields import read_fields
from kiemchung.extractors.readers import REFUSED, extractor_for, extractor_versions
from kiemchung.extractors.signatures import read_pdf_signatures
from kiemchung.extractors.sniff import KIND_LABELS, sniff_path

log = logging.getLogger(__name__)

# Below this many letters on the pages read, a scan is taken as illegible rather than as a
# document whose fields happen to be missing.
MIN_LETTERS = 40
_MIB = 1024 * 1024  # the limit is configured in MB of 1024²: show sizes in the same unit
MEMORY_MESSAGE = "Đọc tệp vượt giới hạn bộ nhớ cho phép; tệp quá lớn hoặc bị hỏng."


def _method(page_methods: list[str]) -> str | None:
    used = sorted({m for m in page_methods if m != "skipped"})
    if not used:
        return None
    return used[0] if len(used) == 1 else "mixed"


def _legible(raw: RawDocument) -> bool:
    letters = sum(ch.isalpha() for page in raw.loaded for ch in page.text)
    return letters >= MIN_LETTERS


def _check_size(path: Path, ctx: ExtractContext) -> int:
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError("Tệp rỗng (0 byte): không có nội dung để kiểm tra.")
    if size > ctx.limits.max_bytes:
        raise ExtractionError(
            f"Tệp dung lượng {size / _MIB:.0f} MB, vượt giới hạn {ctx.limits.max_bytes / _MIB:.0f} MB."
        )
    return size


# Name endings a unit may give each readable kind; anything else means a renamed file.
_SUFFIXES = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "docm": (".docm",),
    "zip": (".zip",),
    "jpeg": (".jpg", ".jpeg", ".jfif"),
    "png": (".png",),
    "tiff": (".tif", ".tiff"),
    "xlsx": (".xlsx", ".xlsm"),
    "text": (".txt", ".csv"),
    "executable": (".exe", ".dll", ".com", ".bin", ""),
    "doc": (".doc",),
    "ole": (".doc", ".xls", ".ppt"),
    "rtf": (".rtf",),
    "rar": (".rar",),
    "7z": (".7z",),
}


def _renamed_note(path: Path, kind: str) -> str:
    """' Tệp có đuôi .pdf nhưng nội dung là …' when the name promises another kind."""
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES.get(kind, ()) or (kind == "unknown" and not suffix):
        return ""
    what = KIND_LABELS.get(kind, "một định dạng không nhận dạng được")
    return f" (Tệp có đuôi {suffix or '(không có)'} nhưng nội dung là {what}.)"


def _read(path: Path, doc: Document, ctx: ExtractContext) -> None:
    _check_size(path, ctx)
    kind = sniff_path(path)
    doc.kind = kind
    if kind in REFUSED:
        raise UnsupportedFileError(REFUSED[kind] + _renamed_note(path, kind))
    if kind == "zip-broken":
        raise ExtractionError("Tệp nén hoặc tệp Word bị hỏng (cấu trúc ZIP không hợp lệ).")
    extractor = extractor_for(kind)
    if extractor is None:
        raise UnsupportedFileError(REFUSED["unknown"])
    if isinstance(extractor, ZipExtractor):  # members are read one by one, each like a file
        extractor.read_into(doc, path, ctx, read_member=read_document)
        return
    with extractor.open(path, kind, ctx) as raw:
        fields, draft = read_fields(raw)
        doc.pages = raw.page_count
        doc.page_methods = raw.page_methods()
        doc.method = _method(doc.page_methods)
        if not _legible(raw):
            raise ExtractionError(
                "Không đọc được chữ trong tệp (ảnh quét quá mờ, trống hoặc không phải văn bản)."
            )
        doc.fields = fields
        doc.draft = draft
    if kind == "pdf":
        doc.signatures = read_pdf_signatures(path, deep=ctx.deep_signatures)


def read_document(path: Path, file: str, ctx: ExtractContext, *, sha256: str | None = None) -> Document:
    """Read one proof file. `file` is its path relative to the unit folder, as the dossier cites it."""
    doc = Document(file=file, sha256=sha256 or sha256_file(path), extractor_version=extractor_versions())
    try:
        _read(path, doc, ctx)
    except ExtractionError as exc:
        doc.fields = {}
        doc.error_code = exc.flag_code
        doc.error = exc.message
    except MemoryError:  # the isolated reader's memory limit (flows/isolation.py) was hit
        doc.fields, doc.members = {}, None
        doc.error_code = "UNREADABLE_FILE"
        doc.error = MEMORY_MESSAGE
    except Exception as exc:  # one broken file must never stop a unit
        log.exception("unexpected error reading %s", file)
        doc.fields = {}
        doc.error_code = "UNREADABLE_FILE"
        doc.error = f"Lỗi không mong đợi khi đọc tệp ({type(exc).__name__}); đề nghị kiểm tra lại tệp."
    return doc
