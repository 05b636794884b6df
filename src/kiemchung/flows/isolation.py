"""Reading files in child processes that can be killed: a per-file time and memory limit.

One hostile file (a page that renders for ever, an image that eats the memory, a parser that
crashes) must cost that file only. `isolated_reader(settings)` returns a Reader (see
flows/documents.py) that sends each file to a small pool of persistent worker processes:

- each worker is a fresh ``python -m kiemchung.flows.isolation_child`` (fork+exec: the parent is
  multi-threaded - Prefect, the file thread pool - so a bare ``fork`` is not safe) that imports
  the extractors once and then serves file after file;
- each worker leads its own process group and caps its address space with ``RLIMIT_AS``
  (Tesseract, started by the worker, inherits the cap);
- the parent waits ``file_timeout_s`` for an answer; then it kills the worker's whole group
  (Tesseract included) and the file is flagged UNREADABLE_FILE naming the limit;
- a worker that dies (segfault, abort, OOM killer) flags its file the same way and is replaced;
- workers exit when the parent disappears, even in the middle of a file.

Workers are shared by every reader with the same limits and reused across files and runs: a
fresh Python with pypdfium2 and Pillow imported costs far more than a file of text.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import logging
import os
import pickle
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from kiemchung.core.digest import sha256_file
from kiemchung.core.model import Document
from kiemchung.extractors.base import ExtractContext
from kiemchung.flows.settings import Settings
from kiemchung.flows.worker_memory import malloc_environment

log = logging.getLogger(__name__)

CHILD_MODULE = "kiemchung.flows.isolation_child"
_START_TIMEOUT_S = 60.0
READY = b"ready"  # the child's first words: start-up is not billed to the first file's limit


def timeout_message(seconds: float) -> str:
    return (
        f"Đọc tệp quá thời gian cho phép ({seconds:g} giây); đã dừng. Tệp có thể quá lớn, "
        "bị hỏng hoặc cố ý gây treo; đề nghị đơn vị nộp lại bản PDF thông thường."
    )


def memory_message(megabytes: int) -> str:
    return (
        f"Đọc tệp vượt giới hạn bộ nhớ cho phép ({megabytes} MB); đã dừng. Tệp có thể quá lớn "
        "hoặc bị hỏng; đề nghị đơn vị nộp lại bản nhẹ hơn."
    )


def crash_message(how: str) -> str:
    return (
        f"Tiến trình đọc tệp bị dừng đột ngột ({how}); tệp có thể bị hỏng hoặc được tạo ra để "
        "gây lỗi. Đề nghị đơn vị nộp lại bản PDF thông thường."
    )


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "không rõ nguyên nhân"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"tín hiệu {signal.Signals(-code).name}"
        return f"tín hiệu {-code}"
    return f"mã thoát {code}"


# ---------------------------------------------------------------- the parent side


class WorkerDied(Exception):
    """The worker ended before answering (crash, or killed for a limit)."""


class _Worker:
    """A `python -m kiemchung.flows.isolation_child` child, talking over a socket pair.

    A plain fork+exec (not multiprocessing's fork or forkserver): the parent is multi-threaded,
    and the child must not re-run the parent's ``__main__`` (pytest, the CLI, Prefect). The child
    imports the extractors once and then serves file after file. Requests are pickled (we
    trust the parent); answers are JSON, validated by pydantic (we do not trust a child that
    has just parsed a hostile file).
    """

    def __init__(self, memory_mb: int, inference_lock: str) -> None:
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", CHILD_MODULE, str(theirs.fileno()), str(os.getpid()), str(memory_mb), inference_lock],
                pass_fds=(theirs.fileno(),),
                env=malloc_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: killed whole, Tesseract included
            )
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        try:
            if not self.conn.poll(_START_TIMEOUT_S) or self.conn.recv_bytes() != READY:
                raise WorkerDied(f"không khởi động được trong {_START_TIMEOUT_S:g} giây")
        except (EOFError, OSError) as exc:
            self.kill()
            raise WorkerDied(f"không khởi động được ({_describe_exit(self.process.poll())})") from exc
        except WorkerDied:
            self.kill()
            raise

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def read(self, path: Path, file: str, ctx: ExtractContext, timeout: float) -> Document | None:
        """The Document, or None on timeout (the worker is then killed). Raises WorkerDied."""
        try:
            self.conn.send_bytes(pickle.dumps((str(path), file, ctx)))
            if not self.conn.poll(timeout):
                self.kill()
                return None
            answer = self.conn.recv_bytes()
        except (EOFError, OSError) as exc:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
            raise WorkerDied(_describe_exit(self.process.poll())) from exc
        return Document.model_validate_json(answer)

    def kill(self) -> None:
        """SIGKILL the worker's whole group: a Tesseract it started dies with it."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.conn.close()

    def stop(self) -> None:
        self.conn.close()  # the worker sees EOF and returns
        try:
            self.process.wait(2)
        except subprocess.TimeoutExpired:
            self.kill()


class WorkerPool:
    """`size` persistent workers; `read` is safe to call from many threads at once."""

    def __init__(self, *, size: int, timeout_s: float, memory_mb: int) -> None:
        self.size, self.timeout_s, self.memory_mb = size, timeout_s, memory_mb
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(size):
            self._idle.put(None)  # a slot: a worker is started on first use
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        # The pool's workers take turns with the handwriting model (extractors/handwriting.py).
        fd, self.inference_lock = tempfile.mkstemp(prefix="kiemchung-ppocr-", suffix=".lock")
        os.close(fd)

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._all if w.alive]

    def read(self, path: Path, file: str, ctx: ExtractContext) -> Document:
        worker = self._checkout()
        healthy = False
        try:
            doc = worker.read(path, file, ctx, self.timeout_s)
            if doc is None:
                log.warning("%s: quá %g giây, đã dừng tiến trình đọc", file, self.timeout_s)
                return _failed(file, path, timeout_message(self.timeout_s))
            # A worker that ran out of memory answers and then retires: do not reuse it.
            healthy = doc.error != memory_message(self.memory_mb)
            return doc
        except WorkerDied as exc:
            log.warning("%s: tiến trình đọc tệp bị dừng (%s)", file, exc)
            return _failed(file, path, crash_message(str(exc)))
        finally:
            self._checkin(worker, healthy=healthy)

    def _checkout(self) -> _Worker:
        worker = self._idle.get()
        if worker is not None and worker.alive:
            return worker
        if worker is not None:
            self._forget(worker)
        try:
            fresh = _Worker(self.memory_mb, self.inference_lock)
        except Exception:
            self._idle.put(None)  # give the slot back, or the pool shrinks for good
            raise
        with self._lock:
            self._all.add(fresh)
        return fresh

    def _checkin(self, worker: _Worker, *, healthy: bool) -> None:
        if not healthy or not worker.alive or self._closed:
            worker.kill() if worker.alive else worker.conn.close()
            self._forget(worker)
            self._idle.put(None)
        else:
            self._idle.put(worker)

    def _forget(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()
        with contextlib.suppress(OSError):
            Path(self.inference_lock).unlink()


def _failed(file: str, path: Path, message: str) -> Document:
    try:
        digest = sha256_file(path)
    except OSError:
        digest = ""
    return Document(file=file, sha256=digest, error_code="UNREADABLE_FILE", error=message)


# ---------------------------------------------------------------- the Reader

_POOLS: dict[tuple[int, float, int], WorkerPool] = {}
_POOLS_LOCK = threading.Lock()


def worker_pool(settings: Settings) -> WorkerPool:
    """The shared pool for these limits (one per distinct limits, reused across runs)."""
    key = (settings.workers, float(settings.file_timeout_s), settings.file_memory_mb)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = WorkerPool(
                size=settings.workers, timeout_s=settings.file_timeout_s, memory_mb=settings.file_memory_mb
            )
        return pool


class IsolatedReader:
    """A Reader: `(path, file, ctx) -> Document`, each file read in a killable worker."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool

    def __call__(self, path: Path, file: str, ctx: ExtractContext) -> Document:
        # A progress callback cannot cross a process boundary; pages are not reported then.
        return self.pool.read(path, file, dataclasses.replace(ctx, on_page=None))

    def __repr__(self) -> str:
        return f"IsolatedReader(timeout={self.pool.timeout_s:g}s, memory={self.pool.memory_mb}MB)"


def isolated_reader(settings: Settings) -> IsolatedReader:
    return IsolatedReader(worker_pool(settings))


def document_reader(settings: Settings) -> IsolatedReader | None:
    """The isolated worker pool when isolation is on, else None (read in this process)."""
    return isolated_reader(settings) if settings.isolate else None


@atexit.register
def _close_pools() -> None:
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()


