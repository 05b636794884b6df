"""Review files in the output store, without a flow: what a run picks up from reviews/, what it
skips, and what it does with damaged records and reports (never stops, never deletes)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl

from kiemchung.checks.flags import make_flag
from kiemchung.checks.report import render_flags_xlsx, render_report_json
from kiemchung.checks.report.xlsx_flags import FLAG_HEADERS
from kiemchung.checks.unit_report import assemble_report
from kiemchung.core.model import (
    Claim,
    Criterion,
    Document,
    EvidenceRule,
    FlagCode,
    Framework,
    Rank,
    Unit,
)
from kiemchung.flows.reviews import import_review, load_unit_reviews, read_history
from kiemchung.storage import LocalStore

UNIT = Unit(code="SYT", name="Sở Y tế", group="so-nganh")
FW = Framework(
    id="fw",
    name="Bộ chỉ số thử",
    ranks=[Rank(name="Yếu", min=0)],
    criteria=[Criterion(code="1.1", title="Kế hoạch", max_points=4, evidence=EvidenceRule())],
)


def _store(tmp_path: Path) -> tuple[LocalStore, Path, bytes]:
    """An output store holding SYT's last report; returns the flags.xlsx it came with."""
    report = assemble_report(
        UNIT,
        FW,
        [Claim(row=1, criterion="1.1", self_score=4, file="a.pdf")],
        [Document(file="a.pdf", sha256="a" * 64)],
        [make_flag(FlagCode.SIGNER_NOT_FOUND, row=1, criterion="1.1", file="a.pdf")],
        year=2024,
        generated_at="2026-05-01T10:00:00+07:00",
    )
    unit_dir = tmp_path / "2024" / "SYT"
    unit_dir.mkdir(parents=True)
    (unit_dir / "report.json").write_bytes(render_report_json(report))
    return LocalStore(tmp_path), unit_dir, render_flags_xlsx(report)


def _decide(xlsx: bytes, decision: str, by: str = "Lan", *, author: str = "Lan") -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    wb.properties.lastModifiedBy = author
    ws = wb["Cảnh báo"]
    ws.cell(row=2, column=FLAG_HEADERS.index("Kết luận") + 1).value = decision
    ws.cell(row=2, column=FLAG_HEADERS.index("Người rà soát") + 1).value = by
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_dropped_workbook_is_imported_once_and_lock_files_are_ignored(tmp_path):
    store, unit_dir, xlsx = _store(tmp_path)
    reviews = unit_dir / "reviews"
    reviews.mkdir()
    dropped, decided = reviews / "ket-luan.xlsx", _decide(xlsx, "Xác nhận")
    dropped.write_bytes(decided)
    (reviews / "~$ket-luan.xlsx").write_bytes(b"Excel lock file")
    (reviews / "ghi-chu.txt").write_text("không phải bảng tính", encoding="utf-8")
    first = load_unit_reviews(store, prefix="", year=2024, unit="SYT")
    assert [d.decision.value for c in first.state.by_id.values() for d in [c.decision]] == ["confirmed"]
    assert first.notes == ["reviews/ket-luan.xlsx: ghi nhận 1 kết luận"]
    # Same name and fingerprint: not even read again (garbage of the same size and time).
    st = dropped.stat()
    dropped.write_bytes(b"x" * st.st_size)
    os.utime(dropped, ns=(st.st_atime_ns, st.st_mtime_ns))
    second = load_unit_reviews(store, prefix="", year=2024, unit="SYT")
    assert second.notes == [] and len(read_history(store, "2024/SYT")[0]) == 1
    # The same bytes under another name: not recorded twice either.
    (reviews / "ban-sao.xlsx").write_bytes(decided)
    assert load_unit_reviews(store, prefix="", year=2024, unit="SYT").notes == []
    assert len(read_history(store, "2024/SYT")[0]) == 1
    # Saved again by Excel with the same decision: read, nothing new recorded but the attempt.
    (reviews / "luu-lai.xlsx").write_bytes(_decide(xlsx, "Xác nhận", author="Máy của Lan"))
    again = load_unit_reviews(store, prefix="", year=2024, unit="SYT")
    assert again.notes == ["reviews/luu-lai.xlsx: ghi nhận 0 kết luận, 1 dòng giữ nguyên kết luận đã có"]
    assert [len(r.decisions) for _, r in read_history(store, "2024/SYT")[0]] == [1, 0]


def test_a_damaged_record_is_skipped_with_a_warning_and_kept(tmp_path):
    store, unit_dir, xlsx = _store(tmp_path)
    import_review(store, prefix="", year=2024, unit="SYT", data=_decide(xlsx, "Bỏ qua"), source="a.xlsx")
    history = unit_dir / "reviews" / "history"
    (history / "20200101T000000.000000Z-deadbeef.json").write_text("{half a record", encoding="utf-8")
    loaded = load_unit_reviews(store, prefix="", year=2024, unit="SYT")
    assert [c.decision.decision.value for c in loaded.state.by_id.values()] == ["dismissed"]
    assert any("20200101T000000.000000Z-deadbeef.json" in n and "hỏng" in n for n in loaded.notes)
    assert (history / "20200101T000000.000000Z-deadbeef.json").is_file()


def test_a_damaged_last_report_does_not_stop_the_run(tmp_path):
    store, unit_dir, xlsx = _store(tmp_path)
    import_review(store, prefix="", year=2024, unit="SYT", data=_decide(xlsx, "Chờ bổ sung"), source="a.xlsx")
    (unit_dir / "reviews" / "moi.xlsx").write_bytes(_decide(xlsx, "Bỏ qua"))
    (unit_dir / "report.json").write_text('{"flags": [{"row": "không phải số"}]}', encoding="utf-8")
    loaded = load_unit_reviews(store, prefix="", year=2024, unit="SYT")
    assert [c.decision.decision.value for c in loaded.state.by_id.values()] == ["pending"]  # history still applies
    assert any("report.json hỏng" in n for n in loaded.notes)
