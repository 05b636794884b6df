"""Tests that need something outside the repository skip without it, unless the test script
says it must be there (`KIEMCHUNG_REQUIRE_<WHAT>=1`, set by scripts/test.sh): then they fail, so
a CI run cannot pass with nothing tested."""

from __future__ import annotations

import os

import pytest


def need(present: bool, *, env: str, missing: str) -> None:
    """Skip when not `present`, or fail when `env` is "1"; `missing` says what to install."""
    if present:
        return
    if os.environ.get(env) == "1":
        pytest.fail(f"{missing} ({env}=1 requires it)", pytrace=False)
    pytest.skip(missing)
