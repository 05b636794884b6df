"""The ObjectStore behaviour, run once on a local folder and once on a real S3 server."""

from __future__ import annotations

import threading
import time
import unicodedata
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest

from kiemchung.core.errors import StorageError, UnsafeKeyError
from kiemchung.storage import (
    LocalStore,
    ObjectInfo,
    ObjectNotFoundError,
    ObjectStore,
    ObjectTooLargeError,
    S3Config,
    S3Store,
)

Store = LocalStore | S3Store
RawPut = Callable[[str, bytes], None]  # the raw_put fixture: a name below the root's parent

PREFIX = "kho/minh chứng"  # a prefix with a space and diacritics
UNIT_FILE = "2024/SYT/Hồ sơ minh chứng/Kế hoạch số 131.pdf"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def root_name(store: Store) -> str:
    """The root's name as seen from its parent (what raw_put names are relative to)."""
    return Path(store.root).name if isinstance(store, LocalStore) else store.prefix


def keys(store: ObjectStore, prefix: str = "") -> list[str]:
    return [info.key for info in store.list(prefix)]


def test_store_satisfies_the_protocol(store: Store) -> None:
    assert isinstance(store, ObjectStore)


def test_write_then_read_stat_exists(store: Store) -> None:
    store.write_bytes("2024/SYT/kh.pdf", b"%PDF-1.7 hello", content_type="application/pdf")
    assert store.read_bytes("2024/SYT/kh.pdf") == b"%PDF-1.7 hello"
    info = store.stat("2024/SYT/kh.pdf")
    assert info is not None
    assert (info.key, info.size) == ("2024/SYT/kh.pdf", 14)
    assert info.etag
    assert store.exists("2024/SYT/kh.pdf")


def test_missing_objects(store: Store) -> None:
    assert store.stat("2024/SYT/none.pdf") is None
    assert not store.exists("2024/SYT/none.pdf")
    with pytest.raises(ObjectNotFoundError) as info:
        store.read_bytes("2024/SYT/none.pdf")
    assert isinstance(info.value, StorageError)
    assert "none.pdf" in str(info.value)
    with pytest.raises(ObjectNotFoundError), store.local_path("2024/SYT/none.pdf"):
        pass


def test_a_folder_is_not_an_object(store: Store) -> None:
    store.write_bytes("2024/SYT/a.pdf", b"x")
    assert store.stat("2024/SYT") is None
    assert not store.exists("2024")


def test_list_is_recursive_relative_and_sorted(store: Store, raw_put: RawPut) -> None:
    for key in ["2024/SYT/z.pdf", "2024/SYT/files/a b.pdf", "2024/SYT.txt", "units.yaml"]:
        store.write_bytes(key, key.encode())
    store.write_bytes("2024/SYTX/other.pdf", b"x")
    # Objects beside the root, never part of it.
    raw_put(f"{root_name(store)}2/stray.pdf", b"x")
    raw_put(f"{root_name(store)}x.pdf", b"x")

    assert keys(store) == sorted(
        [
            "2024/SYT/files/a b.pdf",
            "2024/SYT/z.pdf",
            "2024/SYT.txt",
            "2024/SYTX/other.pdf",
            "units.yaml",
        ]
    )
    assert keys(store, "2024/SYT") == ["2024/SYT/files/a b.pdf", "2024/SYT/z.pdf"]
    assert keys(store, "2024/SYT/") == keys(store, "2024/SYT")
    assert keys(store, "2025") == []
    sizes = {info.key: info.size for info in store.list()}
    assert sizes["units.yaml"] == len(b"units.yaml")


def test_overwrite_replaces_whole_object(store: Store) -> None:
    store.write_bytes("r.json", b"old" * 1000)
    first = store.stat("r.json")
    store.write_bytes("r.json", b"new")
    second = store.stat("r.json")
    assert store.read_bytes("r.json") == b"new"
    assert first is not None and second is not None
    assert first.etag != second.etag
    assert keys(store) == ["r.json"]  # no temp files left behind, none listed


def test_readers_never_see_half_a_write(store: Store) -> None:
    a, b = b"a" * 300_000, b"b" * 400_000
    store.write_bytes("summary.json", a)
    stop, seen, bad, reads = threading.Event(), set(), [], [0]

    def reader() -> None:
        while not stop.is_set():
            data = store.read_bytes("summary.json")
            reads[0] += 1
            seen.add(data[:1])
            if data not in (a, b):
                bad.append(len(data))

    thread = threading.Thread(target=reader)
    thread.start()
    deadline, written = time.monotonic() + 60, 0
    try:
        # At least 30 writes, and on until the reader has raced them: many reads, both versions.
        while written < 30 or ((reads[0] < 30 or len(seen) < 2) and time.monotonic() < deadline):
            store.write_bytes("summary.json", b if written % 2 == 0 else a)
            written += 1
    finally:
        stop.set()
        thread.join()
    assert bad == []
    assert seen == {b"a", b"b"} and reads[0] >= 30, (seen, reads[0], written)


def test_max_bytes(store: Store) -> None:
    store.write_bytes("big.bin", b"x" * 1000)
    assert store.read_bytes("big.bin", max_bytes=1000) == b"x" * 1000
    with pytest.raises(ObjectTooLargeError) as info:
        store.read_bytes("big.bin", max_bytes=999)
    assert isinstance(info.value, StorageError)
    assert "999" in str(info.value)


def test_local_path_gives_readable_copy_or_file(store: Store) -> None:
    store.write_bytes("2024/SYT/tệp có dấu.docx", b"PK\x03\x04 docx")
    with store.local_path("2024/SYT/tệp có dấu.docx") as path:
        assert path.read_bytes() == b"PK\x03\x04 docx"
        assert path.suffix == ".docx"
    if isinstance(store, S3Store):
        assert not path.exists()  # the temp copy is gone
    else:
        assert path == Path(store.root) / "2024/SYT/tệp có dấu.docx"
        assert path.exists()  # the input file itself, untouched


def test_delete(store: Store) -> None:
    store.write_bytes("a/b.txt", b"1")
    store.delete("a/b.txt")
    assert not store.exists("a/b.txt")
    store.delete("a/b.txt")  # absent: no error
    assert keys(store) == []


def test_unicode_keys_are_nfc_whatever_the_input(store: Store) -> None:
    store.write_bytes(nfd(UNIT_FILE), b"pdf")
    assert keys(store) == [UNIT_FILE]
    assert unicodedata.is_normalized("NFC", keys(store)[0])
    assert store.read_bytes(UNIT_FILE) == b"pdf"
    assert store.read_bytes(nfd(UNIT_FILE)) == b"pdf"


def test_objects_stored_under_nfd_names_are_found_by_nfc_keys(
    store: Store, raw_put: RawPut
) -> None:
    raw_put(f"{root_name(store)}/{nfd(UNIT_FILE)}", b"from a mac")
    assert keys(store) == [UNIT_FILE]
    assert store.read_bytes(UNIT_FILE) == b"from a mac"
    info = store.stat(UNIT_FILE)
    assert info is not None and info.key == UNIT_FILE
    with store.local_path(UNIT_FILE) as path:
        assert path.read_bytes() == b"from a mac"
    if isinstance(store, S3Store):
        with urllib.request.urlopen(store.url_for(UNIT_FILE), timeout=10) as response:
            assert response.read() == b"from a mac"
    store.write_bytes(UNIT_FILE, b"updated")  # updates the object rather than adding a twin
    assert [(i.key, i.size) for i in store.list()] == [(UNIT_FILE, len(b"updated"))]
    assert store.read_bytes(UNIT_FILE) == b"updated"
    store.delete(UNIT_FILE)
    assert keys(store) == []


def test_url_for_local(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "root", create=True)
    store.write_bytes(UNIT_FILE, b"pdf")
    url = store.url_for(UNIT_FILE)
    assert " " not in url
    assert unquote(url) == UNIT_FILE
    report_dir = tmp_path / "out" / "2024" / "SYT"
    report_dir.mkdir(parents=True)
    link = store.url_for(UNIT_FILE, base_dir=str(report_dir))
    assert link.startswith("../../../root/")
    assert (report_dir / unquote(link)).resolve().read_bytes() == b"pdf"


@pytest.mark.s3
def test_presigned_url_downloads(s3_bucket: str, s3_config: S3Config) -> None:
    store = S3Store(f"s3://{s3_bucket}/{PREFIX}", s3_config)
    store.write_bytes(UNIT_FILE, b"%PDF presigned")
    url = store.url_for(UNIT_FILE)
    assert unquote(url).startswith(f"http://{s3_config.endpoint}/{s3_bucket}/{PREFIX}/{UNIT_FILE}?")
    assert "X-Amz-Expires=604800" in url
    assert s3_config.secret_key.get_secret_value() not in url
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
        assert response.read() == b"%PDF presigned"


@pytest.mark.s3
def test_presign_lifetime_is_configurable(
    s3_bucket: str, make_s3_config: Callable[..., S3Config]
) -> None:
    store = S3Store(f"s3://{s3_bucket}", make_s3_config(presign_seconds=600))
    store.write_bytes("a.txt", b"a")
    assert "X-Amz-Expires=600" in store.url_for("a.txt")
    assert store.root == f"s3://{s3_bucket}"


ESCAPES = ["../x", "/etc/passwd", "a/../../b", "a\\..\\b", "a\x00b", "a//b", ""]


@pytest.mark.parametrize("bad", ESCAPES)
def test_keys_cannot_escape_the_root(store: Store, bad: str, tmp_path: Path) -> None:
    calls = [
        lambda: store.stat(bad),
        lambda: store.exists(bad),
        lambda: store.read_bytes(bad),
        lambda: store.write_bytes(bad, b"evil"),
        lambda: store.delete(bad),
        lambda: store.url_for(bad),
        lambda: store.local_path(bad).__enter__(),
    ]
    for call in calls:
        with pytest.raises(UnsafeKeyError):
            call()
    if bad:
        with pytest.raises(UnsafeKeyError):
            list(store.list(bad))
    assert not (tmp_path / "x").exists()
    assert keys(store) == []


def test_local_root_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="không tồn tại"):
        LocalStore(tmp_path / "none")
    assert LocalStore(tmp_path / "new" / "out", create=True).root == str(tmp_path / "new" / "out")


def test_local_refuses_symlinks_leading_outside(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    root = tmp_path / "root"
    (root / "2024" / "SYT").mkdir(parents=True)
    (root / "2024" / "SYT" / "link.pdf").symlink_to(secret)
    (root / "2024" / "SXD").symlink_to(tmp_path, target_is_directory=True)
    store = LocalStore(root)
    listed = list(store.list())
    assert [(i.key, "liên kết tượng trưng" in (i.refused or "")) for i in listed] == [("2024/SYT/link.pdf", True)]
    assert listed[0].size < len("private") + len(str(secret))  # the link's own size: the target is never opened
    with pytest.raises(UnsafeKeyError):
        store.read_bytes("2024/SYT/link.pdf")
    with pytest.raises(UnsafeKeyError):
        store.read_bytes("2024/SXD/secret.txt")
    with pytest.raises(UnsafeKeyError):
        store.write_bytes("2024/SXD/new.txt", b"x")
    assert not (tmp_path / "new.txt").exists()


def test_local_reads_leave_inputs_untouched(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "2024" / "SYT").mkdir(parents=True)
    proof = root / "2024" / "SYT" / "kh.pdf"
    proof.write_bytes(b"%PDF original")
    proof.chmod(0o444)
    before = proof.stat()
    store = LocalStore(root)
    assert [i.key for i in store.list()] == ["2024/SYT/kh.pdf"]
    assert store.read_bytes("2024/SYT/kh.pdf") == b"%PDF original"
    with store.local_path("2024/SYT/kh.pdf") as path:
        assert path.read_bytes() == b"%PDF original"
    after = proof.stat()
    assert (after.st_mtime_ns, after.st_size, after.st_mode) == (
        before.st_mtime_ns,
        before.st_size,
        before.st_mode,
    )
    assert sorted(p.name for p in proof.parent.iterdir()) == ["kh.pdf"]


def test_local_list_skips_its_temp_files_and_etag_tracks_changes(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    (tmp_path / ".report.json.kctmp-abc123").write_bytes(b"half")
    store.write_bytes("report.json", b"{}")
    assert keys(store) == ["report.json"]
    first = store.stat("report.json")
    store.write_bytes("report.json", b"{} ")
    assert store.stat("report.json") != first
    assert ObjectInfo("report.json", 3, "x").size == 3
