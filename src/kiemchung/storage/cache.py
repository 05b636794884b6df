"""A JSON cache kept in a store, so that it follows the data from machine to machine.

Entries are addressed by content: callers pass a key such as ``<sha256>-<extractor version>``,
stored at ``<prefix>/<namespace>/<key[:2]>/<key>.json``. An entry that cannot be parsed is a
miss, never an error: the next put overwrites it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from kiemchung.core.errors import UnsafeKeyError
from kiemchung.storage.base import ObjectNotFoundError, ObjectStore, ObjectTooLargeError
from kiemchung.storage.keys import safe_key

log = logging.getLogger(__name__)

DEFAULT_PREFIX = ".kiemchung-cache"
# An extraction result is a few kB; anything far larger is not ours.
MAX_ENTRY_BYTES = 64 << 20


class JsonCache:
    """``get``/``put`` of JSON objects (dicts) by namespace and content key."""

    def __init__(self, store: ObjectStore, prefix: str = DEFAULT_PREFIX) -> None:
        self.store = store
        self.prefix = safe_key(prefix)

    def __repr__(self) -> str:
        return f"JsonCache({self.store.root!r}, prefix={self.prefix!r})"

    def key_for(self, namespace: str, key: str) -> str:
        """The object key of an entry; `key` must be one path segment of 2+ characters."""
        if "/" in key or len(key) < 2:
            raise UnsafeKeyError(
                f"Khóa bộ đệm '{key}' phải là một đoạn, ít nhất 2 ký tự, không có '/'"
            )
        return safe_key(self.prefix, namespace, key[:2], f"{key}.json")

    def get(self, namespace: str, key: str) -> dict[str, Any] | None:
        """The cached dict, or None when absent or unreadable."""
        object_key = self.key_for(namespace, key)
        try:
            raw = self.store.read_bytes(object_key, max_bytes=MAX_ENTRY_BYTES)
        except (ObjectNotFoundError, ObjectTooLargeError):
            return None
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            log.warning("Bỏ qua mục bộ đệm hỏng %s/%s", self.store.root, object_key)
            return None
        if not isinstance(value, dict):
            log.warning(
                "Bỏ qua mục bộ đệm không phải đối tượng JSON %s/%s", self.store.root, object_key
            )
            return None
        return value

    def put(self, namespace: str, key: str, value: dict[str, Any]) -> None:
        """Store `value` (JSON-serialisable); an atomic write in the store."""
        data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self.store.write_bytes(
            self.key_for(namespace, key), data.encode("utf-8"), content_type="application/json"
        )
