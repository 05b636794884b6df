"""Reader workers start with glibc's malloc settings and give freed memory back (issue 13)."""

from __future__ import annotations

from pathlib import Path

import corpus
import psutil

from kiemchung.flows.isolation import WorkerPool
from kiemchung.flows.settings import Settings
from kiemchung.flows.worker_memory import MALLOC_SETTINGS, malloc_environment, release_freed_memory

CTX = Settings().extract_context()


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_a_reader_worker_starts_with_the_malloc_settings(tmp_path: Path) -> None:
    pool = WorkerPool(size=1, timeout_s=60.0, memory_mb=2048)
    try:
        assert pool.read(corpus.good_pdf(tmp_path), "good.pdf", CTX).error is None
        env = _environ(pool.pids()[0])
    finally:
        pool.close()
    assert env["MALLOC_ARENA_MAX"] == "2"
    assert env["MALLOC_MMAP_THRESHOLD_"] == str(4 * 1024 * 1024)


def test_a_malloc_setting_the_operator_chose_wins() -> None:
    env = malloc_environment({"MALLOC_ARENA_MAX": "8", "PATH": "/usr/bin"})
    assert env["MALLOC_ARENA_MAX"] == "8"
    assert env["MALLOC_MMAP_THRESHOLD_"] == MALLOC_SETTINGS["MALLOC_MMAP_THRESHOLD_"]
    assert env["PATH"] == "/usr/bin"


def test_freed_heap_memory_goes_back_to_the_system() -> None:
    process = psutil.Process()
    # 100 KB blocks come from the heap (below glibc's mmap threshold); the last one stays
    # allocated above the others, so glibc's automatic trim of the heap's top cannot return them.
    blocks = [bytearray(100_000) for _ in range(2_000)]
    for block in blocks:
        block[::4096] = b"x" * len(range(0, len(block), 4096))  # touch every page
    keep = blocks.pop()
    held = process.memory_info().rss
    del blocks
    release_freed_memory()
    assert held - process.memory_info().rss > 150 * 1024 * 1024
    assert len(keep) == 100_000
