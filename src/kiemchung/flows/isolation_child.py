"""The child side of flows/isolation.py: a worker process that reads file after file.

Started as ``python -m kiemchung.flows.isolation_child FD PARENT_PID MEMORY_MB [LOCK_FILE]`` by
the parent's worker pool (LOCK_FILE: the pool's turn at the handwriting model); it imports the
extractors once, caps its own memory and answers over the socket.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from kiemchung.extractors import handwriting
from kiemchung.extractors.fields.nlp import pipeline
from kiemchung.extractors.reading import MEMORY_MESSAGE, read_document
from kiemchung.flows.isolation import READY, memory_message
from kiemchung.flows.worker_memory import release_freed_memory

_MIB = 1024 * 1024
# How often a worker checks that the process that started it is still alive.
_PARENT_CHECK_S = 1.0


def _watch_parent(parent_pid: int) -> None:
    """Exit (with any Tesseract we started) once the parent is gone, even mid-file."""
    while True:
        time.sleep(_PARENT_CHECK_S)
        if os.getppid() != parent_pid:  # re-parented: the run was killed
            os.killpg(os.getpgid(0), signal.SIGKILL)


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * _MIB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def serve(conn: Connection, parent_pid: int, memory_mb: int) -> None:
    """Answer (path, file, ctx) requests with the Document's JSON until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    pipeline()  # spaCy's ~1 s first load belongs to start-up, not to the first file
    _limit_memory(memory_mb)
    conn.send_bytes(READY)  # start-up is not billed to the first file's time limit
    while True:
        try:
            path, file, ctx = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        doc = read_document(Path(path), file, ctx)
        out_of_memory = doc.error == MEMORY_MESSAGE
        if out_of_memory:
            doc.error = memory_message(memory_mb)
        conn.send_bytes(doc.model_dump_json().encode("utf-8"))
        if out_of_memory:
            return  # the heap may be fragmented or half-freed: start afresh
        del doc
        release_freed_memory()  # between files the worker holds its models, not the last file


def _main(argv: list[str]) -> None:
    fd, parent_pid, memory_mb = (int(a) for a in argv[:3])
    if len(argv) > 3:
        handwriting.share_inference_lock(argv[3])
    serve(Connection(fd), parent_pid, memory_mb)


if __name__ == "__main__":
    _main(sys.argv[1:])
