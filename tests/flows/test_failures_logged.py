"""A failure turned into a unit error or a file error keeps its traceback in the run's log.

The report shows a short Vietnamese message; the log is where the cause is found afterwards.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiemchung.core.model import Document
from kiemchung.extractors.base import ExtractContext
from kiemchung.flows.documents import DocumentSource
from kiemchung.flows.night import start_night
from kiemchung.flows.pipeline import check_unit, read_documents
from kiemchung.flows.root import list_unit, load_root
from kiemchung.flows.settings import Settings
from kiemchung.storage import LocalStore

SAMPLES = Path(__file__).resolve().parents[2] / "sample_evidence"
YEAR = 2024


def _errors_with_traceback(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]


def test_a_file_that_cannot_be_read_logs_its_traceback(tmp_path: Path, caplog) -> None:
    folder = tmp_path / str(YEAR) / "SYT" / "van-ban"
    folder.mkdir(parents=True)
    (folder / "kh.pdf").write_bytes(b"%PDF-1.7\n")
    store = LocalStore(tmp_path)

    def broken_reader(path: Path, file: str, ctx: ExtractContext) -> Document:
        raise RuntimeError("thư viện đọc PDF hỏng")

    source = DocumentSource(store, ExtractContext(), cache=None, reader=broken_reader)
    listing = list_unit(store, YEAR, "SYT")
    with caplog.at_level(logging.ERROR, logger="kiemchung"):
        docs, processing = read_documents(source, listing, {"1": "van-ban/kh.pdf"}, workers=1)
    doc = next(iter(docs.values()))
    assert doc.error_code == "UNREADABLE_FILE" and processing.failed
    logged = _errors_with_traceback(caplog)
    assert len(logged) == 1 and "van-ban/kh.pdf" in logged[0].getMessage()
    assert logged[0].exc_info[0] is RuntimeError


def test_a_unit_that_cannot_be_checked_logs_its_traceback(tmp_path: Path, caplog) -> None:
    folder = tmp_path / str(YEAR) / "SYT"
    folder.mkdir(parents=True)
    (folder / "dossier.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "units.yaml").write_bytes((SAMPLES / "units.yaml").read_bytes())
    store = LocalStore(tmp_path)
    settings = Settings(isolate=False, cache=False, workers=1)
    night = start_night(load_root(store, YEAR, None), root=store, out=LocalStore(tmp_path / "out", create=True), settings=settings)
    syt = next(u for u in night.units if u.code == "SYT")
    with caplog.at_level(logging.ERROR, logger="kiemchung"):
        outcome = check_unit(night, syt)
    assert outcome.error  # the report's short message stays
    logged = _errors_with_traceback(caplog)
    assert len(logged) == 1 and "SYT" in logged[0].getMessage()
