"""The CLI's early Prefect API server: started before the heavy imports, used by the flow,
stopped with the run (issue 13: a re-run's fixed cost)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

from kiemchung.flows.apiserver import EarlyApiServer, prefect_api_for_cli

REPO = Path(__file__).resolve().parents[2]


def test_the_early_server_answers_and_stops() -> None:
    server = EarlyApiServer()
    try:
        server.wait_ready(120)
        with urllib.request.urlopen(f"{server.api_url}/health", timeout=5) as response:
            assert response.status == 200
        process = server.process
    finally:
        server.stop()
    assert process is not None and process.poll() is not None
    assert server.process is None


def test_not_started_when_prefect_is_already_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    with prefect_api_for_cli() as api:
        assert api is None
    monkeypatch.delenv("PREFECT_API_URL")
    # Once Prefect is imported its settings are fixed: a URL set now would not be seen.
    import prefect  # noqa: F401
    with prefect_api_for_cli() as api:
        assert api is None
    assert "PREFECT_API_URL" not in os.environ


def test_a_cli_run_goes_through_the_early_server_and_leaves_nothing_running(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "2024" / "SYT").mkdir(parents=True)
    (root / "units.yaml").write_text(
        "units:\n  - {code: SYT, name: Sở Y tế, group: so-nganh, symbol: SYT,"
        " leaders: [{name: Ngô Quang Hòa, role: Giám đốc, head: true}]}\n",
        encoding="utf-8",
    )
    (root / "2024" / "SYT" / "dossier.csv").write_text(
        "STT,Mã tiêu chí,Điểm tự chấm,\"Số, ký hiệu văn bản\",Ngày ban hành,Trích yếu,Người ký,Tệp đính kèm\n"
        "1,1.1,3,131/KH-SYT,18/09/2024,Chuyển đổi số,Ngô Quang Hòa,khong-co.pdf\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(
        PREFECT_HOME=tempfile.mkdtemp(prefix="kiemchung-early-"),
        PREFECT_LOGGING_LEVEL="INFO",
        PYTHONPATH=str(REPO / "src"),
    )
    run = subprocess.run(
        [sys.executable, "-c", "from kiemchung.flows.cli import app; app()", "prescreen", str(root),
         "--year", "2024", "--out", str(tmp_path / "out")],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "out" / "2024" / "SYT" / "report.json").is_file()
    # Prefect logs this when it starts its own temporary server: it must not have.
    assert "Starting temporary server" not in run.stdout + run.stderr
