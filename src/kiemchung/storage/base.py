"""The ObjectStore protocol: where evidence bytes live, whether a local folder or an S3 prefix."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from kiemchung.core.errors import StorageError

# Content type for objects written without one.
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class ObjectNotFoundError(StorageError):
    """The key names no object in the store."""

    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message)
        self.key = key


class ObjectTooLargeError(StorageError):
    """The object is larger than the caller allowed (``max_bytes``)."""

    def __init__(self, message: str, *, key: str, max_bytes: int) -> None:
        super().__init__(message)
        self.key, self.max_bytes = key, max_bytes


@dataclass(frozen=True)
class ObjectInfo:
    """One object: its key relative to the store root, its size, and a change fingerprint.

    ``etag`` is the S3 ETag (without quotes), or for local files a fingerprint of size and
    mtime_ns: equal etags mean the bytes have not changed.

    ``refused`` says why the object must not be read although it is listed (a local symbolic
    link that leads out of the listed folder): readers report it instead of reading it.
    """

    key: str
    size: int
    etag: str
    refused: str | None = None


@runtime_checkable
class ObjectStore(Protocol):
    """Keys are '/'-separated, relative to ``root`` and checked with `keys.safe_key`."""

    root: str  # display form: a path or s3://bucket/prefix, never with credentials

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Every object below `prefix`, recursively, sorted by key."""
        ...

    def stat(self, key: str) -> ObjectInfo | None:
        """The object's info, or None when there is none."""
        ...

    def exists(self, key: str) -> bool: ...

    def read_bytes(self, key: str, *, max_bytes: int | None = None) -> bytes:
        """The whole object; ObjectNotFoundError when absent, ObjectTooLargeError over max_bytes."""
        ...

    def local_path(self, key: str) -> AbstractContextManager[Path]:
        """A local path to read the object from, valid inside the ``with`` block only."""
        ...

    def write_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        """Atomic: a reader sees the old object or the new one, never a part."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; removing an absent object is not an error."""
        ...

    def url_for(self, key: str, *, base_dir: str | None = None) -> str:
        """A link a report can use: a relative path (local) or a presigned GET URL (S3)."""
        ...


def too_large(uri: str, key: str, size: int, max_bytes: int) -> ObjectTooLargeError:
    """The error for an object over the caller's size limit."""
    return ObjectTooLargeError(
        f"Tệp {uri} có {size} byte, vượt giới hạn {max_bytes} byte", key=key, max_bytes=max_bytes
    )
