"""Per-file time and memory limits: a killable worker, flagged files, and the run goes on."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import corpus
import pytest

from kiemchung.flows.isolation import WorkerPool, isolated_reader
from kiemchung.flows.settings import Settings

pytestmark = pytest.mark.hostile

CTX = Settings().extract_context()


@pytest.fixture
def pool_factory():
    pools: list[WorkerPool] = []

    def make(**kwargs: object) -> WorkerPool:
        settings = {"size": 1, "timeout_s": 60.0, "memory_mb": 2048, **kwargs}
        pool = WorkerPool(**settings)  # type: ignore[arg-type]
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


def _group_gone(pgid: int) -> bool:
    """No live process (zombies aside: PID 1 in a container may not reap) in the group."""
    time.sleep(0.2)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return False
    return True


def test_a_file_over_the_time_limit_is_killed_flagged_and_the_next_file_reads(tmp_path: Path, pool_factory) -> None:
    pool = pool_factory()
    good, noise = corpus.good_pdf(tmp_path), corpus.noise_png(tmp_path)
    assert pool.read(good, "good.pdf", CTX).error is None
    worker = pool.pids()[0]
    pool.timeout_s = 1.0  # only for the slow file: a loaded test machine may take 1 s for any file
    started = time.monotonic()
    doc = pool.read(noise, "nhieu.png", CTX)  # Tesseract needs several seconds on noise
    pool.timeout_s = 60.0
    assert time.monotonic() - started < 5
    assert doc.error_code == "UNREADABLE_FILE"
    assert doc.error.startswith("Đọc tệp quá thời gian cho phép (1 giây); đã dừng.")
    assert doc.sha256  # the file is still identified
    assert _group_gone(worker)  # the worker and its Tesseract were killed together
    after = pool.read(good, "good.pdf", CTX)
    assert after.error is None and after.field_value("number") == corpus.NUMBER
    assert pool.pids() != [worker]


def test_a_file_over_the_memory_limit_is_flagged_naming_the_limit(tmp_path: Path, pool_factory) -> None:
    pool = pool_factory(memory_mb=512)
    doc = pool.read(corpus.big_plain_png(tmp_path), "anh-lon.png", CTX)  # ~400 MB decoded, copied
    assert doc.error_code == "UNREADABLE_FILE"
    assert doc.error.startswith("Đọc tệp vượt giới hạn bộ nhớ cho phép (512 MB); đã dừng.")
    assert pool.read(corpus.good_pdf(tmp_path), "good.pdf", CTX).error is None


def test_a_crashing_worker_flags_its_file_and_is_replaced(tmp_path: Path, pool_factory) -> None:
    pool = pool_factory()
    good = corpus.good_pdf(tmp_path)
    pool.read(good, "good.pdf", CTX)
    worker = pool.pids()[0]
    noise = corpus.noise_png(tmp_path)
    threading.Timer(0.7, os.kill, (worker, signal.SIGSEGV)).start()  # as if the parser segfaulted
    doc = pool.read(noise, "nhieu.png", CTX)
    assert doc.error_code == "UNREADABLE_FILE"
    assert doc.error.startswith("Tiến trình đọc tệp bị dừng đột ngột (tín hiệu SIGSEGV)")
    assert pool.read(good, "good.pdf", CTX).error is None


def test_workers_are_reused_and_safe_from_many_threads(tmp_path: Path, pool_factory) -> None:
    pool = pool_factory(size=2)
    files = [corpus.good_pdf(tmp_path, f"good-{i}.pdf") for i in range(8)] + [corpus.zero_byte(tmp_path)]
    with ThreadPoolExecutor(max_workers=4) as threads:
        docs = list(threads.map(lambda p: pool.read(p, p.name, CTX), files))
    assert [d.file for d in docs] == [p.name for p in files]
    assert all(d.field_value("number") == corpus.NUMBER for d in docs[:-1])
    assert docs[-1].error.startswith("Tệp rỗng")
    assert len(pool.pids()) <= 2


def test_isolated_reader_uses_the_settings_limits(tmp_path: Path) -> None:
    settings = Settings(file_timeout_s=7, file_memory_mb=1024, workers=1)
    reader = isolated_reader(settings)
    assert (reader.pool.timeout_s, reader.pool.memory_mb, reader.pool.size) == (7, 1024, 1)
    assert isolated_reader(settings).pool is reader.pool  # one pool per limits, reused across runs
    doc = reader(corpus.good_pdf(tmp_path), "good.pdf", CTX)
    assert doc.field_value("number") == corpus.NUMBER
