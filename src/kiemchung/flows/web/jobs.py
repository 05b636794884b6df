"""Checks of uploaded dossiers: a small worker pool, a bounded queue, and deletion after a time limit.

Each job lives in its own folder named by a random id (unguessable, so one upload cannot see
another's). The uploaded files are deleted as soon as the check ends; the reports when the time
limit passes, by a sweeper thread.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kiemchung.core.errors import KiemchungError
from kiemchung.flows.unitcheck import CheckResult

log = logging.getLogger(__name__)

JOB_ID = re.compile(r"[A-Za-z0-9_-]{32}")


def new_job_id() -> str:
    return secrets.token_urlsafe(24)  # 192 bits, 32 characters


@dataclass
class Job:
    id: str
    folder: Path
    unit_name: str
    year: int
    state: str = "queued"  # queued | running | done | refused
    created: float = field(default_factory=time.time)
    finished: float | None = None
    done: int = 0
    total: int | None = None
    message: str | None = None  # why it was refused
    result: CheckResult | None = None

    @property
    def upload_dir(self) -> Path:
        return self.folder / "upload"

    @property
    def out_dir(self) -> Path:
        return self.folder / "out"


Work = Callable[[Job], CheckResult]


class JobQueue:
    def __init__(self, root: Path, *, workers: int, queue: int, keep_seconds: float, sweep_seconds: float) -> None:
        self.root = root
        self.capacity = workers + queue
        self.keep_seconds = keep_seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiemchung-web")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep_loop, args=(sweep_seconds,), daemon=True)
        self._sweeper.start()

    def new_folder(self) -> tuple[str, Path]:
        job_id = new_job_id()
        folder = self.root / job_id
        folder.mkdir(mode=0o700)
        return job_id, folder

    def busy(self) -> bool:
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.state in ("queued", "running")) >= self.capacity

    def submit(self, job: Job, work: Work) -> bool:
        """Queue the job; False (and its folder deleted) when the queue is full."""
        with self._lock:
            if sum(1 for j in self._jobs.values() if j.state in ("queued", "running")) >= self.capacity:
                shutil.rmtree(job.folder, ignore_errors=True)
                return False
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, work)
        return True

    def get(self, job_id: str) -> Job | None:
        if not JOB_ID.fullmatch(job_id):
            return None
        with self._lock:
            return self._jobs.get(job_id)

    def position(self, job: Job) -> int:
        """How many jobs wait before this one (0 when it is running)."""
        with self._lock:
            waiting = sorted((j.created, j.id) for j in self._jobs.values() if j.state == "queued")
        return next((i + 1 for i, (_, jid) in enumerate(waiting) if jid == job.id), 0)

    def expires_at(self, job: Job) -> float | None:
        return None if job.finished is None else job.finished + self.keep_seconds

    def _run(self, job: Job, work: Work) -> None:
        job.state = "running"
        try:
            job.result = work(job)
            job.state = "done"
        except KiemchungError as exc:
            job.state, job.message = "refused", str(exc)
        except Exception:  # never shown to the user: logged for the operator
            log.exception("Kiểm tra hồ sơ %s thất bại", job.id)
            job.state = "refused"
            job.message = "Có lỗi ngoài dự kiến khi kiểm tra hồ sơ. Hãy thử lại sau hoặc báo quản trị hệ thống."
        finally:
            shutil.rmtree(job.upload_dir, ignore_errors=True)  # uploads go as soon as the check ends
            job.finished = time.time()

    def delete_folder(self, folder: Path) -> None:
        """A refused upload's folder: nothing of it is kept."""
        if folder.parent == self.root:
            shutil.rmtree(folder, ignore_errors=True)

    def delete(self, job_id: str) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state in ("queued", "running"):
                return
            del self._jobs[job_id]
        shutil.rmtree(job.folder, ignore_errors=True)

    def sweep(self) -> None:
        now = time.time()
        with self._lock:
            expired = [j.id for j in self._jobs.values() if (self.expires_at(j) or now + 1) <= now]
        for job_id in expired:
            self.delete(job_id)
        # Folders no job knows of (a crash, a refused upload half-written): older than the limit go.
        with self._lock:
            known = set(self._jobs)
        for folder in self.root.iterdir() if self.root.is_dir() else []:
            if folder.name not in known and folder.stat().st_mtime + self.keep_seconds <= now:
                shutil.rmtree(folder, ignore_errors=True)

    def _sweep_loop(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self.sweep()
            except Exception:  # noqa: BLE001 - the sweeper must keep running
                log.exception("Xóa hồ sơ hết hạn thất bại")

    def close(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
