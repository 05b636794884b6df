"""LocalStore: an evidence or output root in a local folder.

Reads never modify a file (opened read-only, no atime games, no renames). Writes go to a temp
file beside the target, are fsynced and then renamed over it, so a reader sees the old file or
the new one. Keys are NFC; a file whose name is NFD on disk (macOS, some zip tools) is found by
its NFC key. Symbolic links that lead outside the root are refused; a listing also marks the
links that lead out of the listed folder (`ObjectInfo.refused`), so a link in one unit's folder
never passes another unit's file, or any file elsewhere, off as its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat as statmod
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from kiemchung.core.errors import StorageError, UnsafeKeyError
from kiemchung.storage.base import ObjectInfo, ObjectNotFoundError, too_large
from kiemchung.storage.keys import safe_key, safe_prefix

log = logging.getLogger(__name__)

# Our temp files: ".<name>.kctmp-<hex>"; list() skips them.
TMP_MARK = ".kctmp-"
_CHUNK = 1 << 20


class LocalStore:
    """Objects are the files below `root`; keys are their '/'-separated relative paths."""

    def __init__(self, root: Path | str, *, create: bool = False) -> None:
        path = Path(root).expanduser()
        if create:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StorageError(f"Không tạo được thư mục {path}: {e.strerror or e}") from e
        if not path.is_dir():
            raise StorageError(f"Thư mục gốc {path} không tồn tại hoặc không phải thư mục")
        self._root = path.resolve()
        self.root = str(self._root)

    def __repr__(self) -> str:
        return f"LocalStore({self.root!r})"

    # ------------------------------------------------------------------ reading

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        prefix = safe_prefix(prefix)
        base = self._path(prefix) if prefix else self._root
        if not base.is_dir():
            return iter(())
        found: dict[str, ObjectInfo] = {}
        for info in self._walk(base, confine=base.resolve()):
            if info.key in found:
                log.warning("Bỏ qua %s: trùng tên (NFC) với một tệp khác", info.key)
                continue
            found[info.key] = info
        return iter([found[k] for k in sorted(found)])

    def stat(self, key: str) -> ObjectInfo | None:
        path = self._path(key)
        try:
            st = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as e:
            raise StorageError(f"Không đọc được {path}: {e.strerror or e}") from e
        if not statmod.S_ISREG(st.st_mode):
            return None
        return ObjectInfo(key=safe_key(key), size=st.st_size, etag=_fingerprint(st))

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def read_bytes(self, key: str, *, max_bytes: int | None = None) -> bytes:
        path = self._existing_file(key)
        try:
            with path.open("rb") as f:
                size = os.fstat(f.fileno()).st_size
                if max_bytes is not None and size > max_bytes:
                    raise too_large(str(path), key, size, max_bytes)
                # The file may grow between fstat and read: never read past the limit.
                data = f.read() if max_bytes is None else f.read(max_bytes + 1)
        except OSError as e:
            raise StorageError(f"Không đọc được {path}: {e.strerror or e}") from e
        if max_bytes is not None and len(data) > max_bytes:
            raise too_large(str(path), key, len(data), max_bytes)
        return data

    @contextlib.contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        """The file itself: callers must only read it."""
        yield self._existing_file(key)

    def url_for(self, key: str, *, base_dir: str | None = None) -> str:
        path = self._path(key)
        if base_dir is None:
            rel = path.relative_to(self._root).as_posix()
        else:
            rel = Path(os.path.relpath(path, Path(base_dir).expanduser().resolve())).as_posix()
        return quote(unicodedata.normalize("NFC", rel), safe="/")

    # ------------------------------------------------------------------ writing

    def write_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        del content_type  # a local file has none
        target = self._path(key)
        if target.is_dir():
            raise StorageError(f"Không ghi được {target}: đã có một thư mục cùng tên")
        tmp = target.with_name(f".{target.name[:100]}{TMP_MARK}{secrets.token_hex(6)}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view[:_CHUNK]) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            tmp.replace(target)  # atomic rename over the old file
            _fsync_dir(target.parent)
        except OSError as e:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise StorageError(f"Không ghi được {target}: {e.strerror or e}") from e

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as e:
            raise StorageError(f"Không xóa được {path}: {e.strerror or e}") from e

    # ------------------------------------------------------------------ helpers

    def _path(self, key: str) -> Path:
        """The on-disk path for `key`, matching existing names by NFC; never outside the root."""
        current = self._root
        for segment in safe_key(key).split("/"):
            current = _child(current, segment)
        if current != self._root and not current.resolve().is_relative_to(self._root):
            raise UnsafeKeyError(
                f"Khóa '{key}' trỏ ra ngoài thư mục gốc {self.root} (liên kết tượng trưng)"
            )
        return current

    def _existing_file(self, key: str) -> Path:
        path = self._path(key)
        if not path.is_file():
            raise ObjectNotFoundError(f"Không tìm thấy tệp {path}", key=safe_key(key))
        return path

    def _walk(self, base: Path, *, confine: Path) -> Iterator[ObjectInfo]:
        def fail(e: OSError) -> None:
            raise StorageError(f"Không liệt kê được {e.filename}: {e.strerror or e}") from e

        for dirpath, _dirs, files in os.walk(base, onerror=fail):
            for name in files:
                if TMP_MARK in name:
                    continue
                info = self._info(Path(dirpath) / name, confine=confine)
                if info is not None:
                    yield info

    def _info(self, path: Path, *, confine: Path) -> ObjectInfo | None:
        """The ObjectInfo of a listed file, or None to skip it (a bad name, a dangling link).

        A link whose target is outside `confine` (the listed folder) is listed as refused, with
        the link's own size and time: its target is never opened.
        """
        rel = unicodedata.normalize("NFC", path.relative_to(self._root).as_posix())
        try:
            key = safe_key(rel)
            if path.is_symlink() and not path.resolve().is_relative_to(confine):
                st = path.lstat()
                return ObjectInfo(key=key, size=st.st_size, etag=_fingerprint(st), refused=link_refusal(rel))
            st = path.stat()
        except UnsafeKeyError as e:
            log.warning("Bỏ qua tệp %s: %s", rel, e.message)
            return None
        except (OSError, RuntimeError):  # vanished, a dangling link, a link loop
            return None
        if not statmod.S_ISREG(st.st_mode):
            return None
        return ObjectInfo(key=key, size=st.st_size, etag=_fingerprint(st))


def link_refusal(name: str) -> str:
    """Why a link that leaves its folder is not read (shown in the report)."""
    return (
        f"'{name}' là liên kết tượng trưng (symbolic link) trỏ ra ngoài thư mục hồ sơ của đơn vị; "
        "không đọc tệp mà nó trỏ tới. Hãy đặt chính tệp minh chứng vào thư mục của đơn vị."
    )


def _child(parent: Path, segment: str) -> Path:
    """`parent/segment`, or the existing entry whose name is `segment` in NFC."""
    exact = parent / segment
    if os.path.lexists(exact) or not parent.is_dir():
        return exact
    with contextlib.suppress(OSError):
        for entry in parent.iterdir():
            if unicodedata.normalize("NFC", entry.name) == segment:
                return entry
    return exact


def _fingerprint(st: os.stat_result) -> str:
    return f"{st.st_size:x}-{st.st_mtime_ns:x}"


def _fsync_dir(path: Path) -> None:
    """Make the rename durable; some filesystems cannot fsync a directory, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
