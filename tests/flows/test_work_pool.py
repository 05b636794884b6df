"""Scale-out through Prefect itself: a real Prefect server, a process work pool, two workers, the
nightly deployment triggered by hand, and each unit run as its own flow run on a worker."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import SAMPLES
from expected import actual_from_reports, differences, load_expected

pytestmark = pytest.mark.pool

BIN = Path(sys.executable).parent
POOL = "kiemchung-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("Prefect server did not start")


@pytest.fixture
def prefect_server(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_LOGGING_LEVEL": "INFO",  # the workers' logs say which unit ran where
    }
    env.pop("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", None)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    procs = [server]
    try:
        _wait_healthy(env["PREFECT_API_URL"])
        yield env, procs
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _run(args: list, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, timeout=timeout, check=False)


def test_nightly_deployment_runs_units_on_two_workers(prefect_server, tmp_path):
    env, procs = prefect_server
    out = tmp_path / "out"
    assert _run([BIN / "prefect", "work-pool", "create", POOL, "--type", "process"], env).returncode == 0
    deployed = _run([BIN / "kiemchung", "deploy", SAMPLES, "--year", "2024", "--out", out, "--pool", POOL], env)
    assert deployed.returncode == 0, deployed.stderr
    logs = []
    for name in ("w1", "w2"):
        log = tmp_path / f"{name}.log"
        logs.append(log)
        procs.append(
            subprocess.Popen(
                [BIN / "prefect", "worker", "start", "--pool", POOL, "--name", name, "--limit", "3"],
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    run = _run([BIN / "prefect", "deployment", "run", "prescreen/nightly", "--watch"], env, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert differences(load_expected(SAMPLES / "expected_flags.csv"), actual_from_reports(out / "2024")) == []
    # Every unit was its own flow run, and both workers took some of them.
    units_seen = [sum(f"Flow run '{u}'" in log.read_text() for u in ("SYT", "SKHCN", "PTTH", "HQDN", "THACGIAN")) for log in logs]
    assert sum(units_seen) >= 5 and all(n > 0 for n in units_seen), units_seen
    # The schedule and the artifacts are visible through the API.
    api = env["PREFECT_API_URL"]
    request = urllib.request.Request(f"{api}/artifacts/filter", data=b'{"limit": 50}', headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        keys = {a["key"] for a in json.load(r)}
    assert {"kiemchung-summary-2024", "flags-2024-syt"} <= keys
    with urllib.request.urlopen(f"{api}/deployments/name/prescreen/nightly", timeout=10) as r:
        deployment = json.load(r)
    assert deployment["schedules"][0]["schedule"]["cron"] == "0 1 * * *"
