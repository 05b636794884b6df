"""Session-wide test setup: Prefect in a private ephemeral home, the S3 server, and a guard that
the evidence the tests read is never modified."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before anything imports prefect: a private home per test process (xdist workers included),
# no telemetry (it locks the SQLite database), and a start-up timeout a cold machine can meet.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="kiemchung-prefect-")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "90"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402
from s3server import S3Endpoint, seaweed_s3  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_evidence"
REALDOCS = REPO.parent / "shared" / "realdocs"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="session", autouse=True)
def evidence_never_modified() -> Iterator[None]:
    """Hash every input before and after the whole session: original evidence is read-only."""
    roots = [p for p in (SAMPLES, REALDOCS / "files") if p.is_dir()]
    before = {str(r): tree_digest(r) for r in roots}
    yield
    after = {str(r): tree_digest(r) for r in roots}
    assert after == before, "the tests modified original evidence"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Endpoint]:
    with seaweed_s3(tmp_path_factory.mktemp("seaweed")) as server:
        yield server


@pytest.fixture
def s3_env(s3_server: S3Endpoint, monkeypatch: pytest.MonkeyPatch) -> S3Endpoint:
    """The S3 server's address and keys in the environment, as users give them to `kiemchung`."""
    monkeypatch.setenv("KIEMCHUNG_S3_ENDPOINT", s3_server.endpoint)
    monkeypatch.setenv("KIEMCHUNG_S3_ACCESS_KEY", s3_server.access_key)
    monkeypatch.setenv("KIEMCHUNG_S3_SECRET_KEY", s3_server.secret_key)
    monkeypatch.setenv("KIEMCHUNG_S3_SECURE", "false")
    return s3_server


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One ephemeral Prefect API for the session (entering it takes 10-20 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
