"""S3Store: an evidence or output root under ``s3://bucket/prefix`` (MinIO, SeaweedFS, AWS).

How it reaches S3 (the client, credentials, retries and scrubbed errors) is in `s3_client`; here
are the store's operations on keys, including names stored in NFD by other tools.
"""

from __future__ import annotations

import contextlib
import io
import logging
import mimetypes
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import TypeVar

from kiemchung.core.errors import StorageError
from kiemchung.storage.base import (
    DEFAULT_CONTENT_TYPE,
    ObjectInfo,
    ObjectNotFoundError,
    too_large,
)
from kiemchung.storage.config import S3Config
from kiemchung.storage.keys import relative_to, safe_key, safe_prefix
from kiemchung.storage.s3_client import call_with_retries, connect, parse_s3_uri

log = logging.getLogger(__name__)

T = TypeVar("T")

_CHUNK = 1 << 20


class S3Store:
    """Objects are the keys below ``<prefix>/`` in one bucket."""

    def __init__(self, root: str, config: S3Config, *, create: bool = False) -> None:
        self.bucket, self.prefix = parse_s3_uri(root)
        self.root = f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"
        self.config = config
        self._client = connect(config)
        if create:
            self._call("tạo", None, self._ensure_bucket)

    def __repr__(self) -> str:
        return f"S3Store({self.root!r}, endpoint={self.config.endpoint!r})"

    # ------------------------------------------------------------------ reading

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        prefix = safe_prefix(prefix)
        full = "/".join(p for p in (self.prefix, prefix) if p)
        infos = self._call("liệt kê", prefix or None, lambda: self._list_all(full))
        return iter(infos)

    def stat(self, key: str) -> ObjectInfo | None:
        key = safe_key(key)
        try:
            st = self._on_object(
                key, "đọc", lambda name: self._client.stat_object(self.bucket, name)
            )
        except ObjectNotFoundError:
            return None
        return ObjectInfo(key=key, size=int(st.size or 0), etag=_etag(st.etag))

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def read_bytes(self, key: str, *, max_bytes: int | None = None) -> bytes:
        key = safe_key(key)

        def fetch(name: str) -> bytes:
            buf = io.BytesIO()
            self._download(key, name, buf, max_bytes)
            return buf.getvalue()

        return self._on_object(key, "đọc", fetch)

    @contextlib.contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        """A temp copy of the object (streamed to disk), removed when the block ends."""
        key = safe_key(key)
        with tempfile.TemporaryDirectory(prefix="kiemchung-s3-") as tmp:
            # Keep the file name: tools (LibreOffice, sniffers) go by it.
            base = PurePosixPath(key).name
            if len(base.encode("utf-8")) > 200:
                base = f"object{PurePosixPath(key).suffix[:16]}"
            path = Path(tmp) / base

            def fetch(name: str) -> None:
                with path.open("wb") as f:
                    self._download(key, name, f, None)

            self._on_object(key, "đọc", fetch)
            path.chmod(0o400)
            yield path

    def url_for(self, key: str, *, base_dir: str | None = None) -> str:
        """A presigned GET URL valid for ``config.presign_seconds``; base_dir is ignored."""
        del base_dir
        key = safe_key(key)
        name = self._resolved_name(key, "ký liên kết")
        expires = timedelta(seconds=self.config.presign_seconds)
        return self._call(
            "ký liên kết",
            key,
            lambda: self._client.presigned_get_object(self.bucket, name, expires),
        )

    # ------------------------------------------------------------------ writing

    def write_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        """One PUT: S3 makes it atomic (readers see the old or the new object)."""
        key = safe_key(key)
        name = self._resolved_name(key, "ghi")  # overwrite an NFD twin rather than add one
        ctype = content_type or mimetypes.guess_type(key)[0] or DEFAULT_CONTENT_TYPE
        self._call(
            "ghi",
            key,
            lambda: self._client.put_object(
                self.bucket, name, io.BytesIO(data), len(data), content_type=ctype
            ),
        )

    def delete(self, key: str) -> None:
        key = safe_key(key)
        for name in sorted({self._name(key), self._resolved_name(key, "xóa")}):
            self._call("xóa", key, lambda name=name: self._client.remove_object(self.bucket, name))

    # ------------------------------------------------------------------ helpers

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _uri(self, key: str | None) -> str:
        return f"{self.root}/{key}" if key else self.root

    def _ensure_bucket(self) -> None:
        if not self._client.bucket_exists(self.bucket):
            self._client.make_bucket(self.bucket)

    def _list_all(self, full_prefix: str) -> list[ObjectInfo]:
        listing_prefix = f"{full_prefix}/" if full_prefix else None
        found: dict[str, ObjectInfo] = {}
        for obj in self._client.list_objects(self.bucket, prefix=listing_prefix, recursive=True):
            name = obj.object_name or ""
            if obj.is_dir or name.endswith("/"):
                continue  # folder markers some tools create
            try:
                key = safe_key(relative_to(self.prefix, unicodedata.normalize("NFC", name)))
            except StorageError as e:
                log.warning("Bỏ qua đối tượng %s/%s: %s", self.bucket, name, e.message)
                continue
            if key in found:
                log.warning("%s có hai đối tượng trùng tên (NFC và NFD)", self._uri(key))
                if name != self._name(key):
                    continue  # reads go to the NFC-named one: list that one
            found[key] = ObjectInfo(key=key, size=int(obj.size or 0), etag=_etag(obj.etag))
        # Some servers list folder by folder rather than in key order: sort here.
        return [found[k] for k in sorted(found)]

    def _on_object(self, key: str, action: str, op: Callable[[str], T]) -> T:
        """`op(object_name)` with retries; when the NFC name is absent, try a stored NFD twin."""
        try:
            return self._call(action, key, lambda: op(self._name(key)))
        except ObjectNotFoundError:
            if key.isascii():
                raise
            stored = self._call(action, key, lambda: self._stored_name(key))
            if stored is None or stored == self._name(key):
                raise
            return self._call(action, key, lambda: op(stored))

    def _resolved_name(self, key: str, action: str) -> str:
        """The object name `key` refers to: the NFC name unless only an NFD twin exists."""
        name = self._name(key)
        if key.isascii():
            return name
        try:
            self._call(action, key, lambda: self._client.stat_object(self.bucket, name))
        except ObjectNotFoundError:
            return self._call(action, key, lambda: self._stored_name(key)) or name
        return name

    def _stored_name(self, key: str) -> str | None:
        """The stored object name that normalises (NFC) to `key`'s, e.g. one uploaded as NFD.

        The text before the first non-ASCII character is the same in every normal form, so
        listing below it finds every candidate.
        """
        name = self._name(key)
        stable = name[: next((i for i, ch in enumerate(name) if not ch.isascii()), len(name))]
        listing = self._client.list_objects(self.bucket, prefix=stable or None, recursive=True)
        for obj in listing:
            if not obj.is_dir and unicodedata.normalize("NFC", obj.object_name or "") == name:
                return obj.object_name
        return None

    def _download(self, key: str, name: str, out: io.IOBase, max_bytes: int | None) -> None:
        """Stream the object into `out`, stopping as soon as it passes `max_bytes`."""
        out.seek(0)
        out.truncate()
        response = self._client.get_object(self.bucket, name)
        try:
            length = response.headers.get("Content-Length")
            if max_bytes is not None and length is not None and int(length) > max_bytes:
                raise too_large(self._uri(key), key, int(length), max_bytes)
            received = 0
            for chunk in response.stream(_CHUNK):
                received += len(chunk)
                if max_bytes is not None and received > max_bytes:
                    raise too_large(self._uri(key), key, received, max_bytes)
                out.write(chunk)
        finally:
            response.close()
            response.release_conn()

    def _call(self, action: str, key: str | None, fn: Callable[[], T]) -> T:
        return call_with_retries(self.config, action, key, self._uri(key), fn)


def _etag(etag: str | None) -> str:
    return (etag or "").strip('"')
