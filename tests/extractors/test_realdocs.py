"""Real documents from ../shared/realdocs (never copied into the repo): born-digital PDFs and
Word files must read exactly; scans must not fall below what was measured (bench/README.md).
Skipped cleanly where the folder is absent, unless KIEMCHUNG_REQUIRE_REALDOCS=1
(tests/test_required_resources.py then fails)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kiemchung.core.text import same_name
from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.fields.doctype import canonical_type
from kiemchung.extractors.fields.number import number_key
from kiemchung.extractors.reading import read_document

REALDOCS = Path(__file__).resolve().parents[3] / "shared" / "realdocs"
pytestmark = pytest.mark.skipif(not (REALDOCS / "MANIFEST.tsv").is_file(), reason="realdocs not present")


def manifest(*kinds: str) -> list[dict[str, str]]:
    if not (REALDOCS / "MANIFEST.tsv").is_file():
        return []
    with (REALDOCS / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh, delimiter="\t") if row["kind"] in kinds]


@pytest.mark.parametrize("row", manifest("text-pdf", "docx"), ids=lambda row: row["filename"])
def test_born_digital_fields_exact(row: dict[str, str]) -> None:
    path = REALDOCS / "files" / row["filename"]
    doc = read_document(path, row["filename"], ExtractContext())
    assert doc.error is None
    assert number_key(doc.field_value("number")) == number_key(row["doc_number"] or None)
    assert (doc.field_value("date") or "") == row["date"]
    assert same_name(doc.field_value("signer"), row["signer_name"])
    assert doc.field_value("type") == canonical_type(row["doc_type"])


def test_scan_signer_under_the_seal_is_read() -> None:
    """QĐ 932/QĐ-TTg: the page OCR merges the recipients column into the signer's name; the
    second look at the signature block reads it (measured 5/6 scan signers, was 3/6)."""
    path = REALDOCS / "files" / "ttg_qd_932_2025_scan_vpcp_signed.pdf"
    doc = read_document(path, path.name, ExtractContext())
    assert doc.field_value("signer") == "Phạm Minh Chính"
    assert doc.field_value("type") == "QĐ"
    assert doc.field_value("date") == "2025-05-15"
