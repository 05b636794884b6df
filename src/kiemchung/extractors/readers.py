"""The readers: one literal mapping from sniffed kind to the extractor that reads it."""

from __future__ import annotations

from kiemchung.extractors.archive import ZipExtractor
from kiemchung.extractors.base import Extractor
from kiemchung.extractors.doc_conversion import LegacyWordExtractor
from kiemchung.extractors.image import ImageExtractor
from kiemchung.extractors.pdf import PdfExtractor
from kiemchung.extractors.word import DocxExtractor

EXTRACTORS: tuple[Extractor, ...] = (
    PdfExtractor(), DocxExtractor(), ImageExtractor(), ZipExtractor(), LegacyWordExtractor()
)  # fmt: skip

REGISTRY: dict[str, Extractor] = {kind: ex for ex in EXTRACTORS for kind in ex.kinds}

# Kinds we recognise but refuse, with the reason a unit can act on. (`.doc` is read through
# LibreOffice when installed, else refused by its extractor: doc_conversion.NO_LIBREOFFICE.)
REFUSED: dict[str, str] = {
    "docm": "Tệp Word có chứa macro (.docm) không được chấp nhận vì lý do an toàn; đề nghị nộp bản PDF hoặc .docx.",
    "ole": "Tệp Office định dạng cũ (.doc/.xls) không được hỗ trợ; đề nghị nộp bản PDF hoặc .docx.",
    "xlsx": "Bảng tính Excel không phải là văn bản minh chứng được hỗ trợ; đề nghị nộp văn bản PDF hoặc Word.",
    "executable": "Tệp là chương trình máy tính (không phải văn bản); đã từ chối.",
    "text": "Tệp văn bản thuần (.txt) không phải là văn bản hành chính được hỗ trợ; đề nghị nộp PDF hoặc Word.",
    "rtf": "Tệp RTF không được hỗ trợ; đề nghị nộp PDF hoặc .docx.",
    "rar": "Tệp nén RAR không được hỗ trợ; đề nghị nộp ZIP hoặc từng tệp PDF.",
    "7z": "Tệp nén 7z không được hỗ trợ; đề nghị nộp ZIP hoặc từng tệp PDF.",
    "unknown": "Không nhận dạng được định dạng tệp (không phải PDF, Word, ảnh hay tệp nén ZIP).",
}


def extractor_for(kind: str) -> Extractor | None:
    return REGISTRY.get(kind)


def extractor_versions() -> str:
    """One string that changes whenever any extractor changes: part of the cache key."""
    return "+".join(sorted(ex.version for ex in EXTRACTORS))
