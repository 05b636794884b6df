"""Fixtures for the storage tests: one SeaweedFS server per session, a fresh bucket per test,
and a `store` fixture that runs a test once on a local folder and once on S3."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiemchung.storage import LocalStore, S3Config, S3Store

# tests/s3server.py is a plain module shared by the test folders; make it importable whatever
# the pytest import mode.
_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from s3server import S3Endpoint  # noqa: E402

S3_PREFIX = "goc"  # the S3 store's root is s3://<bucket>/goc, to exercise prefix handling


def _s3_config(server: S3Endpoint, **overrides: object) -> S3Config:
    settings: dict[str, object] = {
        "endpoint": server.endpoint,
        "access_key": server.access_key,
        "secret_key": server.secret_key,
        "secure": False,
        "attempts": 3,
        "backoff_seconds": 0.1,
        "connect_timeout": 2.0,
        "read_timeout": 10.0,
    }
    settings.update(overrides)
    return S3Config(**settings)  # type: ignore[arg-type]


@pytest.fixture
def s3_bucket(s3_server: S3Endpoint) -> str:
    return s3_server.new_bucket()


@pytest.fixture
def s3_config(s3_server: S3Endpoint) -> S3Config:
    """Settings for the test server: 3 attempts, 0.1 s base backoff."""
    return _s3_config(s3_server)


@pytest.fixture
def make_s3_config(s3_server: S3Endpoint) -> Callable[..., S3Config]:
    """S3Config for the test server with some settings changed."""
    return lambda **overrides: _s3_config(s3_server, **overrides)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> LocalStore | S3Store:
    if store_kind == "local":
        return LocalStore(tmp_path / "root", create=True)
    bucket = request.getfixturevalue("s3_bucket")
    return S3Store(f"s3://{bucket}/{S3_PREFIX}", request.getfixturevalue("s3_config"))


@pytest.fixture
def raw_put(
    store: LocalStore | S3Store, request: pytest.FixtureRequest
) -> Callable[[str, bytes], None]:
    """Place an object behind the store's back, under a name relative to the store root's
    *parent* (so tests can create siblings of the root and names the store would refuse)."""
    if isinstance(store, LocalStore):
        parent = Path(store.root).parent

        def put_local(name: str, data: bytes) -> None:
            path = parent / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

        return put_local

    client = request.getfixturevalue("s3_server").client()

    def put_s3(name: str, data: bytes) -> None:
        client.put_object(store.bucket, name, io.BytesIO(data), len(data))

    return put_s3
