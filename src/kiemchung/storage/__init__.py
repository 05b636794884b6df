"""Where bytes live: an ObjectStore protocol with a local-folder and an S3 implementation.

``open_store("s3://bucket/prefix")`` or ``open_store("/path/to/root")``; keys are checked by
`safe_key` in every store method, so no key reaches outside the root.
"""

from __future__ import annotations

from pathlib import Path

from kiemchung.storage.base import (
    ObjectInfo,
    ObjectNotFoundError,
    ObjectStore,
    ObjectTooLargeError,
)
from kiemchung.storage.cache import JsonCache
from kiemchung.storage.config import S3Config
from kiemchung.storage.keys import is_within, safe_key
from kiemchung.storage.local import LocalStore

__all__ = [
    "JsonCache",
    "LocalStore",
    "ObjectInfo",
    "ObjectNotFoundError",
    "ObjectStore",
    "ObjectTooLargeError",
    "S3Config",
    "S3Store",
    "is_within",
    "open_store",
    "safe_key",
]


def open_store(
    root: str | Path, *, s3: S3Config | None = None, create: bool = False
) -> ObjectStore:
    """The store for `root`: ``s3://bucket/prefix`` (S3), anything else a local folder.

    Without `s3`, S3 settings come from the ``KIEMCHUNG_S3_*`` environment. A reading root must
    exist; ``create=True`` makes an output root (the folder, or the bucket) when missing.
    """
    text = str(root)
    if text.startswith("s3://"):
        from kiemchung.storage.s3 import S3Store

        return S3Store(text, s3 or S3Config.from_env(), create=create)
    return LocalStore(Path(text), create=create)


def __getattr__(name: str):
    """S3Store on first use: the MinIO client costs ~0.3 s to import and local roots never need it."""
    if name == "S3Store":
        from kiemchung.storage.s3 import S3Store

        return S3Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
