"""SHA-256 as the project writes it everywhere: lower-case hex of the bytes or of a file."""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK = 1 << 20  # files are hashed a MiB at a time, never read whole


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
