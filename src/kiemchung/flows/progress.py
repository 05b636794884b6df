"""A process-wide progress sink: the CLI sets a callback, tasks report files done.

Flow parameters must stay serialisable, so the bar is not passed through the flow.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

_lock = threading.Lock()
_callback: Callable[[int], None] | None = None
_total: Callable[[int], None] | None = None


def set_callback(callback: Callable[[int], None] | None, *, total: Callable[[int], None] | None = None) -> None:
    """`callback(n)`: n more files done; `total(n)`: the run will read about n files."""
    global _callback, _total
    with _lock:
        _callback, _total = callback, total


def expect(n: int) -> None:
    with _lock:
        callback = _total
    if callback is not None:
        callback(n)


def advance(n: int = 1) -> None:
    with _lock:
        callback = _callback
    if callback is not None:
        callback(n)
