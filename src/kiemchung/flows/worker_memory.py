"""Keeping a reader worker's memory near what it holds, not what glibc kept (issue 13).

Measured in one worker over the sample's photos and scans (bench/RESULTS.md, "Target 2"): the
worker holds ~215 MB (imports 64, spaCy 52, the handwriting model 100), yet stood at 450-600 MB
after its first scan and stayed there. The second reader's detection network, run on a header
band (letterboxed to ~1660x416), allocates and frees tens of buffers of 1-30 MB per band; glibc
raises its mmap threshold after the first such free (up to 32 MB), so the later ones come from
the heap, fragment it and are never returned. A fixed threshold sends buffers of 4 MB and more
straight to mmap (given back on free), two arenas instead of one per thread bound the rest, and
a trim after each file returns what is left between files. onnxruntime's own CPU arena is
already off in RapidOCR's sessions, with one intra-op thread.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
from collections.abc import Mapping

# 4 MiB: 1 MiB returned a little more but tripled the system time (page faults on every buffer);
# 16 MiB returned nothing (the buffers that fragment are 4-16 MB).
MALLOC_SETTINGS = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": str(4 * 1024 * 1024)}


def malloc_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a child we start (reader worker, Prefect's temporary server) gets: ours,
    plus glibc's malloc settings (read by glibc at start, so they must be in place before exec;
    a worker's Tesseract inherits them). A value the operator set already wins."""
    env = dict(os.environ if base is None else base)
    for name, value in MALLOC_SETTINGS.items():
        env.setdefault(name, value)
    return env


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """glibc, looked up on first use (find_library may run ldconfig: not at import time)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None  # musl and others have none
    return None


# mallopt's parameter numbers (malloc.h) for the settings above.
_MALLOPT = {"MALLOC_ARENA_MAX": -8, "MALLOC_MMAP_THRESHOLD_": -3}


def tune_this_process() -> None:
    """The same malloc settings for a process already running (the CLI), through mallopt; call it
    before threads start, since each thread may open an arena. Measured on the sample's first run:
    the CLI (Prefect's client threads, the file thread pool) peaked at 148 MB instead of 222 MB.
    A setting present in the environment was applied by glibc at start and is left alone."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return
    for name, value in MALLOC_SETTINGS.items():
        if name not in os.environ:
            libc.mallopt(_MALLOPT[name], int(value))


def release_freed_memory() -> None:
    """Give the heap's free pages back to the system (glibc's malloc_trim); a no-op elsewhere.
    Costs a few milliseconds, once per file."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
