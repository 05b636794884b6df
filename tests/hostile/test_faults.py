"""Faults mid-run: the run killed with SIGKILL and started again; the S3 store going away.

Nothing is lost (the resumed run's reports equal an uninterrupted run's), nothing half-written
is ever visible, and nothing is reported as checked that was not.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import SAMPLES
from expected import actual_from_reports
from s3server import seaweed_s3

pytestmark = pytest.mark.hostile

YEAR = 2024
UNITS = {"SYT", "SKHCN", "PTTH", "HQDN", "THACGIAN"}
KIEMCHUNG = Path(sys.executable).parent / "kiemchung"


def _cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "KIEMCHUNG_"))}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="90",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    return env


def _prescreen(out: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(KIEMCHUNG), "prescreen", str(SAMPLES), "--year", str(YEAR), "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # killed as a whole: the CLI and Prefect's ephemeral API server
    )


def _comparable(year_dir: Path) -> dict[str, object]:
    """Every report.json and summary.json without what legitimately differs between runs:
    when it was made, and which files came from the cache (`processing`)."""
    out: dict[str, object] = {}
    for path in sorted(year_dir.glob("*/report.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        report.pop("generated_at")
        processing = report.pop("processing")
        report["files_considered"] = sorted(processing["processed"] + processing["reused"])
        out[path.parent.name] = report
    summary = json.loads((year_dir / "summary.json").read_text(encoding="utf-8"))
    summary.pop("generated_at", None)
    out["summary"] = summary
    return out


def _invalid_reports(year_dir: Path) -> list[str]:
    bad = []
    for path in year_dir.glob("*/report.json"):
        try:
            json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            bad.append(f"{path}: {exc}")
    return bad


@pytest.fixture(scope="module")
def reference(prefect_harness, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An outage-free run on the local sample root: the reports the S3 runs must give."""
    from kiemchung.flows.prescreen import prescreen

    out = tmp_path_factory.mktemp("reference")
    prescreen(root=str(SAMPLES), year=YEAR, out=str(out))
    return out


def _seeded_out(reference: Path, tmp_path: Path) -> Path:
    """An output folder holding the reference's document cache: every file is still downloaded
    from S3 (that is where the outage bites) but not OCR'd again."""
    out = tmp_path / "out"
    shutil.copytree(
        reference / ".kiemchung-cache", out / ".kiemchung-cache", ignore=shutil.ignore_patterns("units-*", "etag")
    )
    return out


def test_sigkill_mid_run_then_rerun_gives_the_uninterrupted_reports(reference: Path, tmp_path: Path) -> None:
    env = _cli_env(tmp_path)
    out = _seeded_out(reference, tmp_path)  # files are not OCR'd again: the kill comes sooner
    year_dir = out / str(YEAR)
    run = _prescreen(out, env)
    seen_invalid: list[str] = []
    killed_with: set[str] = set()
    try:
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline and run.poll() is None:
            seen_invalid += _invalid_reports(year_dir)
            reports = {p.parent.name for p in year_dir.glob("*/report.json")}
            if reports:
                os.killpg(run.pid, signal.SIGKILL)
                killed_with = reports
                break
            time.sleep(0.01)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        run.wait(30)
    assert run.returncode == -signal.SIGKILL, run.stdout.read().decode(errors="replace")[-3000:]
    assert killed_with and not (year_dir / "summary.json").exists()  # killed mid-write
    seen_invalid += _invalid_reports(year_dir)

    rerun = _prescreen(out, env)
    output = rerun.communicate(timeout=400)[0].decode(errors="replace")
    assert rerun.returncode == 0, output[-3000:]
    assert not _invalid_reports(year_dir) and not seen_invalid

    resumed = _comparable(year_dir)
    assert set(resumed) == UNITS | {"summary"}
    assert resumed == _comparable(reference / str(YEAR))  # the uninterrupted run
    for code in UNITS:
        assert (year_dir / code / "flags.xlsx").stat().st_size > 0
        assert (year_dir / code / "report.html").stat().st_size > 0


# ---------------------------------------------------------------- storage outage


def _upload(client, bucket: str) -> None:
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file():
            key = "goc/" + unicodedata.normalize("NFC", path.relative_to(SAMPLES).as_posix())
            client.put_object(bucket, key, io.BytesIO(path.read_bytes()), path.stat().st_size)


@pytest.fixture
def s3_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A private SeaweedFS (the test stops it) holding sample_evidence under s3://bucket/goc."""
    with seaweed_s3(tmp_path / "seaweed") as server:
        bucket = server.new_bucket()
        _upload(server.client(), bucket)
        monkeypatch.setenv("KIEMCHUNG_S3_ENDPOINT", server.endpoint)
        monkeypatch.setenv("KIEMCHUNG_S3_ACCESS_KEY", server.access_key)
        monkeypatch.setenv("KIEMCHUNG_S3_SECRET_KEY", server.secret_key)
        monkeypatch.setenv("KIEMCHUNG_S3_SECURE", "false")
        monkeypatch.setenv("KIEMCHUNG_S3_ATTEMPTS", "2")  # the store retries once, Prefect the rest
        yield server, f"s3://{bucket}/goc"


@pytest.fixture
def task_retries(monkeypatch: pytest.MonkeyPatch):
    """The flow's retry policy (3 retries on storage errors) with its delays (2, 8, 30 s) cut."""
    import kiemchung.flows.prescreen as flow_module

    def shorten(delays: list[float]) -> None:
        for name in ("load_root_task", "check_unit_task", "write_unit_task", "write_year_task"):
            task = getattr(flow_module, name)
            monkeypatch.setattr(flow_module, name, task.with_options(retry_delay_seconds=delays))

    return shorten


@pytest.fixture
def store_warnings() -> list[str]:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Keep(logging.WARNING)
    logger = logging.getLogger("kiemchung.storage.s3")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def _outage_after(files: int, server, *, back_after: float | None) -> threading.Event:
    """Stop the server once `files` files were read; start it again `back_after` s later."""
    from kiemchung.flows import progress

    stopped = threading.Event()
    count = 0

    def outage() -> None:
        server.stop()
        stopped.set()
        if back_after is not None:
            time.sleep(back_after)
            server.start()

    def advance(n: int) -> None:
        nonlocal count
        count += n
        if count >= files and not stopped.is_set() and not getattr(advance, "fired", False):
            advance.fired = True  # type: ignore[attr-defined]
            threading.Thread(target=outage, daemon=True).start()
            stopped.wait(20)  # the file that triggered it is done; the next ones meet the outage

    progress.set_callback(advance)
    return stopped


@pytest.mark.s3
def test_a_short_storage_outage_is_retried_and_the_run_completes(
    reference, s3_root, task_retries, store_warnings, tmp_path: Path
) -> None:
    from kiemchung.flows import progress

    task_retries([2, 4, 8])  # covers the 4 s outage and a slow restart on a loaded machine
    from kiemchung.flows.prescreen import prescreen

    server, root = s3_root
    out = _seeded_out(reference, tmp_path)
    stopped = _outage_after(8, server, back_after=4.0)
    try:
        result = prescreen(root=root, year=YEAR, out=str(out))
    finally:
        progress.set_callback(None)
    assert stopped.is_set()
    assert any("thử lại sau" in w for w in store_warnings)  # backoff did happen
    assert not result.failed, [r.error for r in result.failed]
    assert _comparable(out / str(YEAR)) == _comparable(reference / str(YEAR))


@pytest.mark.s3
def test_a_long_storage_outage_fails_the_units_clearly_and_reports_nothing_unchecked(
    reference, s3_root, task_retries, tmp_path: Path
) -> None:
    from kiemchung.flows import progress

    task_retries([0.2, 0.2, 0.2])
    from kiemchung.flows.prescreen import prescreen

    server, root = s3_root
    out = _seeded_out(reference, tmp_path)
    stopped = _outage_after(20, server, back_after=None)  # SYT (16 files) done, SKHCN under way
    try:
        result = prescreen(root=root, year=YEAR, out=str(out))
    finally:
        progress.set_callback(None)
        server.start()
    assert stopped.is_set()
    failed = {r.unit.code: r for r in result.failed}
    assert failed and set(failed) != UNITS  # the units before the outage were checked
    year_dir = out / str(YEAR)
    expected = actual_from_reports(reference / str(YEAR))
    actual = actual_from_reports(year_dir)
    for code, report in failed.items():
        assert report.error.startswith("Lỗi kho lưu trữ, chưa kiểm tra được đơn vị: Không ")
        assert root in report.error  # names what could not be read
        assert report.claims == [] and report.flags == [] and report.documents == []
        on_disk = json.loads((year_dir / code / "report.json").read_text(encoding="utf-8"))
        assert on_disk["error"] == report.error and on_disk["claims"] == []
        assert not any(k[0] == code for k in actual)
    ok = UNITS - set(failed)

    def own(table: dict) -> dict:
        """The checked units' flags, without cross-unit duplicates: the units a duplicate
        would be found in were not checked, so none can be claimed (a known limit)."""
        return {k: ";".join(c for c in v.split(";") if c != "DUPLICATE_ACROSS_UNITS") for k, v in table.items() if k[0] in ok}

    assert own(actual) == own(expected)
    summary = json.loads((year_dir / "summary.json").read_text(encoding="utf-8"))
    assert {u["code"] for u in summary["units"] if u.get("error")} == set(failed)
