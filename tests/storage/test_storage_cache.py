"""JsonCache: content-addressed JSON kept in a store (local folder and S3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiemchung.core.errors import UnsafeKeyError
from kiemchung.storage import JsonCache, LocalStore, S3Store

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
KEY = f"{SHA}-v3"


def test_miss_then_hit(store: LocalStore | S3Store) -> None:
    cache = JsonCache(store)
    assert cache.get("extract", KEY) is None
    value = {"file": "Kế hoạch.pdf", "fields": {"number": {"value": "131/KH-SYT"}}, "pages": 2}
    cache.put("extract", KEY, value)
    assert cache.get("extract", KEY) == value
    assert cache.get("other", KEY) is None
    assert [i.key for i in store.list()] == [f".kiemchung-cache/extract/9f/{KEY}.json"]


def test_put_overwrites(store: LocalStore | S3Store) -> None:
    cache = JsonCache(store, prefix="cache")
    cache.put("extract", KEY, {"v": 1})
    cache.put("extract", KEY, {"v": 2})
    assert cache.get("extract", KEY) == {"v": 2}


@pytest.mark.parametrize("garbage", [b"{not json", b"\xff\xfe", b"[1, 2]", b"", b'"text"'])
def test_corrupt_entries_are_misses(store: LocalStore | S3Store, garbage: bytes) -> None:
    cache = JsonCache(store)
    store.write_bytes(cache.key_for("extract", KEY), garbage)
    assert cache.get("extract", KEY) is None
    cache.put("extract", KEY, {"ok": True})
    assert cache.get("extract", KEY) == {"ok": True}


def test_cache_keys_stay_inside_the_cache(tmp_path: Path) -> None:
    cache = JsonCache(LocalStore(tmp_path))
    for bad in ("../../x", "a/b", "x"):
        with pytest.raises(UnsafeKeyError):
            cache.put("extract", bad, {})
    with pytest.raises(UnsafeKeyError):
        cache.get("../units", KEY)
