"""Tell a file's type from its bytes, never from its name (units rename files freely)."""

from __future__ import annotations

import zipfile
from pathlib import Path

_MAGIC: list[tuple[bytes, str]] = [
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"MZ", "executable"),
    (b"\x7fELF", "executable"),
    (b"{\\rtf", "rtf"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
]

# What a human calls each kind, for messages.
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "docm": "Word có macro (.docm)",
    "doc": "Word cũ (.doc)",
    "jpeg": "ảnh JPEG",
    "png": "ảnh PNG",
    "tiff": "ảnh TIFF",
    "zip": "tệp nén ZIP",
    "xlsx": "bảng tính Excel",
    "ole": "tệp Office cũ",
    "executable": "tệp chương trình",
    "empty": "tệp rỗng",
    "text": "tệp văn bản thuần",
}


def sniff_bytes(head: bytes, *, name: str = "") -> str:
    """Kind from the first bytes. Zip containers need the file itself: see `sniff_path`."""
    if not head:
        return "empty"
    # Zip first: an archive that stores a PDF uncompressed has "%PDF-" in its first KB too.
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind == "ole" and name.lower().endswith(".doc"):
                return "doc"
            return kind
    if b"\x00" not in head[:2048]:
        return "text"
    return "unknown"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
                return "docm" if b"macroEnabled" in content_types else "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            return "zip"
    except (zipfile.BadZipFile, OSError, KeyError):
        return "zip-broken"


def sniff_path(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(4096)
    kind = sniff_bytes(head, name=path.name)
    if kind == "zip":
        return _zip_kind(path)
    return kind
