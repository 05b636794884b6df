"""ZIP archives of proof files: every member read on its own, nothing written outside a temp folder.

Members are never extracted by name: each one is streamed into a fresh temp folder under a name
we make up (``m0001.pdf``), so ``../``, absolute paths, drive letters and links in an archive cannot
reach anything. Before a byte is decompressed the central directory is checked against the
archive limits (member count, declared total size, compression ratio); while decompressing, the
bytes actually written are counted against the same budget, because a header can lie. Nested
archives are read up to ``archive_max_depth`` levels, sharing one budget.

The archive's own Document takes the fields of its first readable member (in archive order) and
lists every member, readable or not, in ``members``.
"""

from __future__ import annotations

import re
import stat
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiemchung.core.digest import sha256_file
from kiemchung.core.errors import ExtractionError, LimitExceededError, UnsupportedFileError
from kiemchung.core.model import Document
from kiemchung.core.text import vn_thousands
from kiemchung.extractors.base import ExtractContext, Limits, RawDocument
from kiemchung.extractors.sniff import sniff_path

# Reads one member file (the caller's full reading pipeline: sniff, extractor, fields).
MemberReader = Callable[[Path, str, ExtractContext], Document]

# Below this size a high compression ratio is normal (XML, blank scans): not a bomb sign.
_RATIO_FLOOR_BYTES = 1 << 20
_CHUNK = 1 << 16
# Junk that archivers add; not proof files, not worth a line in the report.
_JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")
_SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


@dataclass
class _Budget:
    """What the whole archive (nested ones included) may still decompress."""

    members: int
    bytes: int


class UnsafeMemberError(UnsupportedFileError):
    """A member's name tries to leave the archive's folder, or it is a link."""


def member_name_problem(name: str) -> str | None:
    """Why a member name is unsafe to use as a path, or None when it is safe."""
    shown = name.replace("\x00", "\\x00")
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or _DRIVE.match(normalised):
        return f"Tệp '{shown}' trong tệp nén có đường dẫn tuyệt đối; đã bỏ qua, không giải nén."
    if any(seg == ".." for seg in normalised.split("/")):
        return f"Tệp '{shown}' trong tệp nén có đường dẫn '..' trỏ ra ngoài thư mục; đã bỏ qua, không giải nén."
    if any(ord(ch) < 0x20 for ch in name):
        return f"Tên tệp '{shown}' trong tệp nén chứa ký tự điều khiển; đã bỏ qua."
    return None


def _mb(size: int) -> str:
    return vn_thousands(size / (1024 * 1024))


def _display_name(name: str) -> str:
    """The member path as shown in reports: NFC, '/'-separated, no leading './'."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    return unicodedata.normalize("NFC", "/".join(parts))


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits, budget: _Budget) -> None:
    """Refuse the whole archive from its central directory, before decompressing anything."""
    if len(infos) > budget.members:
        raise LimitExceededError(
            f"Tệp nén có {len(infos)} tệp, vượt giới hạn {limits.archive_max_members} tệp."
        )
    declared = sum(i.file_size for i in infos)
    if declared > budget.bytes:
        raise LimitExceededError(
            f"Tệp nén khi giải nén có dung lượng {_mb(declared)} MB, vượt giới hạn "
            f"{_mb(limits.archive_max_total_bytes)} MB (nghi là 'bom nén'); không giải nén."
        )
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > _RATIO_FLOOR_BYTES and ratio > limits.archive_max_ratio:
            raise LimitExceededError(
                f"Tệp '{_display_name(info.filename)}' trong tệp nén có tỉ lệ nén {vn_thousands(ratio)}:1, vượt giới "
                f"hạn {vn_thousands(limits.archive_max_ratio)}:1 (nghi là 'bom nén'); không giải nén."
            )


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: _Budget, limits: Limits) -> None:
    """Stream one member to `target`, stopping as soon as the real output passes the budget."""
    written = 0
    with zf.open(info) as src, target.open("wb") as dst:
        while block := src.read(_CHUNK):
            written += len(block)
            if written > budget.bytes:
                raise LimitExceededError(
                    f"Tệp nén khi giải nén vượt giới hạn {_mb(limits.archive_max_total_bytes)} MB "
                    "(nghi là 'bom nén'); đã dừng giải nén."
                )
            dst.write(block)
    budget.bytes -= written


def refuse_unsafe_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """The archive rules for a ZIP that is unpacked as a whole (a unit's folder sent as one ZIP):
    count, declared size and ratio checked before a byte is decompressed. Raises LimitExceededError."""
    _check_directory(infos, limits, _Budget(members=limits.archive_max_members, bytes=limits.archive_max_total_bytes))


is_link_member = _is_link
display_name = _display_name
is_junk_member = _JUNK.search


def _error_document(file: str, exc: ExtractionError) -> Document:
    return Document(file=file, sha256="", error_code=exc.flag_code, error=exc.message)


class ZipExtractor:
    """Kind "zip": an archive of proof files (not a .docx/.xlsx, which sniff tells apart)."""

    name = "zip"
    kinds = ("zip",)
    version = "zip-1"

    def is_available(self) -> bool:
        return True

    def open(self, path: Path, kind: str, ctx: ExtractContext) -> AbstractContextManager[RawDocument]:
        """An archive has no pages of its own: reading.py calls `read_into` instead."""
        raise UnsupportedFileError("Tệp nén được đọc theo từng tệp bên trong, không đọc như một văn bản.")

    def read_into(self, doc: Document, path: Path, ctx: ExtractContext, *, read_member: MemberReader) -> None:
        """Fill `doc` (the archive) from its members. Raises ExtractionError for the archive."""
        limits = ctx.limits
        budget = _Budget(members=limits.archive_max_members, bytes=limits.archive_max_total_bytes)
        doc.members = self._read_archive(path, doc.file, ctx, read_member, budget, depth=1)
        adopt_first_readable(doc)

    def _read_archive(
        self, path: Path, file: str, ctx: ExtractContext, read_member: MemberReader, budget: _Budget, *, depth: int
    ) -> list[Document]:
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ExtractionError(f"Tệp nén ZIP bị hỏng, không mở được ({exc}).") from exc
        with zf, tempfile.TemporaryDirectory(prefix="kiemchung-zip-") as tmp:
            infos = [i for i in zf.infolist() if not i.is_dir() and not _JUNK.search(i.filename)]
            if not infos:
                raise ExtractionError("Tệp nén không chứa tệp nào.")
            _check_directory(infos, ctx.limits, budget)
            budget.members -= len(infos)
            return [
                self._member(zf, info, Path(tmp), index, file, ctx, read_member, budget, depth)
                for index, info in enumerate(infos, start=1)
            ]

    def _member(
        self,
        zf: zipfile.ZipFile,
        info: zipfile.ZipInfo,
        tmp: Path,
        index: int,
        archive_file: str,
        ctx: ExtractContext,
        read_member: MemberReader,
        budget: _Budget,
        depth: int,
    ) -> Document:
        file = f"{archive_file}/{_display_name(info.filename) or f'tệp {index}'}"
        problem = member_name_problem(info.filename)
        if problem is None and _is_link(info):
            problem = f"Tệp '{_display_name(info.filename)}' trong tệp nén là liên kết tượng trưng; đã bỏ qua."
        if problem:
            return _error_document(file, UnsafeMemberError(problem))
        suffix = PurePosixPath(_display_name(info.filename)).suffix.lower()
        if not _SAFE_SUFFIX.fullmatch(suffix):
            suffix = ""
        target = tmp / f"m{index:04d}{suffix}"  # our name, never the member's
        try:
            _copy_member(zf, info, target, budget, ctx.limits)
        except LimitExceededError:
            raise  # the archive as a whole is a bomb: refuse it, not just this member
        except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
            if "encrypted" in str(exc) or "password" in str(exc):
                return _error_document(file, ExtractionError("Tệp trong tệp nén được đặt mật khẩu; không giải nén được."))
            return _error_document(file, ExtractionError(f"Không giải nén được tệp trong tệp nén ({exc})."))
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
            return _error_document(file, ExtractionError(f"Không giải nén được tệp trong tệp nén ({exc})."))
        try:
            if sniff_path(target) == "zip":
                return self._nested(target, file, ctx, read_member, budget, depth)
            return read_member(target, file, ctx)
        finally:
            target.unlink(missing_ok=True)  # keep the temp folder's peak size to one member

    def _nested(
        self, path: Path, file: str, ctx: ExtractContext, read_member: MemberReader, budget: _Budget, depth: int
    ) -> Document:
        doc = _nested_shell(path, file)
        if depth >= ctx.limits.archive_max_depth:
            exc = LimitExceededError(
                f"Tệp nén lồng trong tệp nén quá {ctx.limits.archive_max_depth} cấp; không giải nén tiếp."
            )
            doc.error_code, doc.error = exc.flag_code, exc.message
            return doc
        try:
            doc.members = self._read_archive(path, file, ctx, read_member, budget, depth=depth + 1)
            adopt_first_readable(doc)
        except LimitExceededError:
            raise
        except ExtractionError as exc:
            doc.error_code, doc.error = exc.flag_code, exc.message
        return doc


def _nested_shell(path: Path, file: str) -> Document:
    """An empty Document for a nested archive: its hash and kind, fields filled later."""
    return Document(file=file, sha256=sha256_file(path), kind="zip")


def adopt_first_readable(doc: Document) -> None:
    """The archive reads as its first readable member; without one, as a clear error."""
    members = doc.members or []
    first = next((m for m in members if m.readable), None)
    if first is not None:
        doc.fields = dict(first.fields)
        doc.pages, doc.method, doc.page_methods = first.pages, first.method, list(first.page_methods)
        doc.draft, doc.signatures = first.draft, list(first.signatures)
        return
    reasons = "; ".join(f"{m.file.rsplit('/', 1)[-1]}: {m.error}" for m in members[:3])
    more = f" (và {len(members) - 3} tệp khác)" if len(members) > 3 else ""
    message = f"Không có tệp nào trong tệp nén đọc được ({len(members)} tệp). {reasons}{more}"
    code = "UNSUPPORTED_FILE" if members and all(m.error_code == "UNSUPPORTED_FILE" for m in members) else "UNREADABLE_FILE"
    doc.fields = {}
    doc.error_code, doc.error = code, message
