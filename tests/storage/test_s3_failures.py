"""S3 failure handling on a real server: outages, wrong keys, missing buckets; no secret leaks."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from s3server import S3Endpoint, seaweed_s3

from kiemchung.core.errors import StorageError
from kiemchung.storage import LocalStore, S3Config, S3Store, open_store

pytestmark = pytest.mark.s3

KEY = "2024/SYT/Kế hoạch.pdf"


def assert_no_secrets(text: str, config: S3Config) -> None:
    access_key, secret_key = config.secrets
    assert secret_key not in text
    assert access_key not in text


def test_repr_and_str_hide_credentials(s3_bucket: str, s3_config: S3Config) -> None:
    store = S3Store(f"s3://{s3_bucket}/goc", s3_config)
    for text in (repr(store), str(store), store.root, repr(s3_config), str(s3_config)):
        assert_no_secrets(text, s3_config)
    assert store.root == f"s3://{s3_bucket}/goc"


def test_wrong_secret_fails_at_once_without_leaking(
    s3_bucket: str,
    s3_config: S3Config,
    make_s3_config: Callable[..., S3Config],
    caplog: pytest.LogCaptureFixture,
) -> None:
    S3Store(f"s3://{s3_bucket}", s3_config).write_bytes(KEY, b"x")
    bad = make_s3_config(secret_key="not-the-secret-" + "z" * 20, attempts=4, backoff_seconds=1.0)
    store = S3Store(f"s3://{s3_bucket}", bad)
    started = time.monotonic()
    with caplog.at_level(logging.DEBUG), pytest.raises(StorageError) as info:
        store.read_bytes(KEY)
    assert time.monotonic() - started < 1.0  # 403 is not retried
    message = str(info.value)
    assert message.startswith(f"Không đọc được s3://{s3_bucket}/{KEY}")
    assert "sau" not in message  # not "after N attempts"
    for text in (message, repr(info.value), caplog.text):
        assert_no_secrets(text, bad)
        assert_no_secrets(text, s3_config)


def test_missing_bucket_is_a_storage_error_not_retried(s3_config: S3Config) -> None:
    store = S3Store("s3://kc-no-such-bucket/goc", s3_config)
    started = time.monotonic()
    with pytest.raises(StorageError, match="kc-no-such-bucket"):
        list(store.list())
    assert time.monotonic() - started < 1.0


def test_open_store_picks_the_backend(
    tmp_path: Path, s3_server: S3Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(open_store(str(tmp_path)), LocalStore)
    with pytest.raises(StorageError):
        open_store(str(tmp_path / "missing"))
    assert isinstance(open_store(tmp_path / "out" / "2024", create=True), LocalStore)
    assert (tmp_path / "out" / "2024").is_dir()

    monkeypatch.setenv("KIEMCHUNG_S3_ENDPOINT", s3_server.url)
    monkeypatch.setenv("KIEMCHUNG_S3_ACCESS_KEY", s3_server.access_key)
    monkeypatch.setenv("KIEMCHUNG_S3_SECRET_KEY", s3_server.secret_key)
    store = open_store("s3://kc-created-by-open-store/ket qua", create=True)
    assert isinstance(store, S3Store)
    assert store.config.secure is False
    store.write_bytes("2024/summary.json", b"{}")
    assert [i.key for i in store.list()] == ["2024/summary.json"]


def test_outage_fails_after_retries_then_recovers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with seaweed_s3(tmp_path / "outage") as server:
        bucket = server.new_bucket()
        config = S3Config(
            endpoint=server.endpoint,
            access_key=server.access_key,
            secret_key=server.secret_key,
            secure=False,
            attempts=3,
            backoff_seconds=0.1,
            connect_timeout=1.0,
        )
        store = S3Store(f"s3://{bucket}/goc", config)
        store.write_bytes(KEY, b"before the outage")

        server.stop()
        with caplog.at_level(logging.WARNING), pytest.raises(StorageError) as info:
            store.read_bytes(KEY)
        message = str(info.value)
        assert f"Không đọc được s3://{bucket}/goc/{KEY} sau 3 lần thử" in message
        retries = [r for r in caplog.records if "thử lại" in r.getMessage()]
        assert len(retries) == 2
        assert_no_secrets(message + caplog.text, config)

        server.start()
        assert store.read_bytes(KEY) == b"before the outage"

        # An outage shorter than the retry budget is invisible to the caller.
        patient = S3Store(
            store.root, S3Config(**{**config.__dict__, "attempts": 8, "backoff_seconds": 0.5})
        )
        server.stop()
        restarter = threading.Timer(0.5, server.start)
        restarter.start()
        try:
            assert patient.read_bytes(KEY) == b"before the outage"
        finally:
            restarter.join()
