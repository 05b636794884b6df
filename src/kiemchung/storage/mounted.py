"""MountedStore: one folder of another store shown under a key prefix.

`kiemchung check` reads a single unit's folder (or an unpacked ZIP of it) that is not laid out
as an evidence root. Mounting it at ``<year>/<UNIT>`` lets the nightly run's own functions
(`list_unit`, `check_unit`, `write_unit_outputs`) read and write it unchanged. Keys outside the
mount point name nothing. `refused` lists entries that must be reported, not read (an archive
member that was a link).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from kiemchung.core.errors import StorageError
from kiemchung.storage.base import ObjectInfo, ObjectNotFoundError, ObjectStore
from kiemchung.storage.keys import is_within, relative_to, safe_key, safe_prefix


class MountedStore:
    """`inner`'s objects, each key ``<mount>/<inner key>``."""

    def __init__(
        self,
        inner: ObjectStore,
        mount: str,
        *,
        refused: dict[str, str] | None = None,
        links_from: str | None = None,
    ) -> None:
        self.inner = inner
        self.mount = safe_key(mount)
        self.root = f"{inner.root} (= {self.mount})"
        self.refused = {safe_key(k): why for k, why in (refused or {}).items()}
        self.links_from = links_from  # the folder report links are relative to; None: no links

    def __repr__(self) -> str:
        return f"MountedStore({self.inner!r}, {self.mount!r})"

    def _inner_key(self, key: str) -> str:
        key = safe_key(key)
        if not key.startswith(self.mount + "/"):
            raise ObjectNotFoundError(f"Không có tệp {key} (chỉ có {self.mount}/…)", key=key)
        return relative_to(self.mount, key)

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        prefix = safe_prefix(prefix)
        if not (is_within(prefix, self.mount) or is_within(self.mount, prefix)):
            return iter(())
        found = {f"{self.mount}/{i.key}": i for i in self.inner.list("")}
        infos = [
            ObjectInfo(key=key, size=i.size, etag=i.etag, refused=i.refused) for key, i in found.items()
        ]
        infos += [
            ObjectInfo(key=f"{self.mount}/{rel}", size=0, etag="refused", refused=why)
            for rel, why in self.refused.items()
            if f"{self.mount}/{rel}" not in found
        ]
        return iter(sorted((i for i in infos if is_within(prefix, i.key)), key=lambda i: i.key))

    def stat(self, key: str) -> ObjectInfo | None:
        with contextlib.suppress(ObjectNotFoundError):
            info = self.inner.stat(self._inner_key(key))
            if info is not None:
                return ObjectInfo(key=safe_key(key), size=info.size, etag=info.etag, refused=info.refused)
        return None

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def read_bytes(self, key: str, *, max_bytes: int | None = None) -> bytes:
        return self.inner.read_bytes(self._inner_key(key), max_bytes=max_bytes)

    @contextlib.contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        with self.inner.local_path(self._inner_key(key)) as path:
            yield path

    def write_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        self.inner.write_bytes(self._inner_key(key), data, content_type=content_type)

    def delete(self, key: str) -> None:
        self.inner.delete(self._inner_key(key))

    def url_for(self, key: str, *, base_dir: str | None = None) -> str:
        if self.links_from is None:
            raise StorageError("Tệp đã tải lên không còn được lưu: báo cáo không kèm liên kết tới tệp")
        return self.inner.url_for(self._inner_key(key), base_dir=base_dir or self.links_from)
