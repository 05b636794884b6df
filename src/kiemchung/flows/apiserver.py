"""Prefect's temporary API server for a CLI run with no server configured, started first.

Without `PREFECT_API_URL` Prefect starts the same server itself (`SubprocessASGIServer`), but
only when the flow is called: after the CLI has imported Prefect and the pipeline, and after
importing the whole server stack (FastAPI, SQLAlchemy, every router) into the CLI process just
to launch it. Started here, before those imports, the server boots on the other core while the
CLI imports, and the CLI never loads the server code (issue 13: a re-run's fixed cost, and
~100 MB less in the CLI process). Same command, same settings, same database (PREFECT_HOME).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kiemchung.core.errors import SetupError
from kiemchung.flows.worker_memory import malloc_environment

# What Prefect's ephemeral server sets for itself (prefect/server/api/server.py).
_SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


class PrefectApiError(SetupError):
    """The temporary Prefect server did not come up (exit code 3: setup)."""


def _profile_sets_api_url() -> bool:
    """A Prefect profile may name a server (`prefect config set PREFECT_API_URL=...`)."""
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")).expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser()
    try:
        return "PREFECT_API_URL" in profiles.read_text(encoding="utf-8")
    except OSError:
        return False


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EarlyApiServer:
    def __init__(self) -> None:
        spec = importlib.util.find_spec("prefect")  # locates the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise PrefectApiError("Không tìm thấy Prefect trong môi trường Python.")
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        app_dir = str(Path(next(iter(spec.submodule_search_locations))).parent)
        command = [
            sys.executable, "-m", "uvicorn", "--app-dir", app_dir, "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
            "--log-level", "error", "--lifespan", "on",
        ]  # fmt: skip
        self.process: subprocess.Popen | None = subprocess.Popen(command, env={**malloc_environment(), **_SERVER_ENV})

    def wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise PrefectApiError("Máy chủ Prefect tạm thời dừng ngay khi khởi động.")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
            time.sleep(0.1)
        raise PrefectApiError(f"Máy chủ Prefect tạm thời không sẵn sàng sau {timeout_s:.0f} giây.")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def prefect_api_for_cli():
    """Start the temporary server now and point Prefect at it for the block, unless a server is
    configured or Prefect is already imported (its settings are read once, at import)."""
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules or _profile_sets_api_url():
        yield None
        return
    server = EarlyApiServer()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


def startup_timeout_s() -> float:
    return float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90"))
