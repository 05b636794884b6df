"""The review loop's pure parts: stable ids, the history fold, stale decisions, scores that
follow decisions, and the flags.xlsx round trip (our writer, a person's edits, our reader)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kiemchung.checks.flags import make_flag
from kiemchung.checks.report import render_flags_xlsx
from kiemchung.checks.report.xlsx_flags import FLAG_HEADERS
from kiemchung.checks.review import (
    RecordedDecision,
    ReviewRecord,
    ReviewSource,
    apply_reviews,
    current_state,
    flag_slot,
    identify_flags,
    issued_from,
    parse_flag_id,
    parse_record,
    read_review_workbook,
    record_name,
)
from kiemchung.checks.scoring import score_unit
from kiemchung.checks.unit_report import assemble_report
from kiemchung.core.model import (
    Claim,
    Criterion,
    Document,
    EvidenceRule,
    Flag,
    FlagCode,
    Framework,
    Rank,
    ReviewDecision,
    Unit,
)

UNIT = Unit(code="SYT", name="Sở Y tế", group="so-nganh")
FW = Framework(
    id="fw",
    name="Bộ chỉ số thử",
    ranks=[Rank(name="Tốt", min=10), Rank(name="Khá", min=7), Rank(name="Yếu", min=0)],
    criteria=[
        Criterion(code="1.1", title="Kế hoạch", max_points=4, evidence=EvidenceRule(min_documents=1)),
        Criterion(code="1.2", title="Quyết định", max_points=6, evidence=EvidenceRule(min_documents=1)),
    ],
)


def _claims() -> list[Claim]:
    return [
        Claim(row=1, criterion="1.1", self_score=4, doc_number="12/KH-SYT", doc_date_raw="28/12/2023", file="a.pdf"),
        Claim(row=2, criterion="1.2", self_score=6, doc_number="5/QĐ-SYT", signer="Lê Văn A", file="b.pdf"),
    ]


def _docs(a: str = "a" * 64, b: str = "b" * 64) -> list[Document]:
    return [Document(file="a.pdf", sha256=a), Document(file="b.pdf", sha256=b)]


def _flags() -> list[Flag]:
    return [
        make_flag(FlagCode.DATE_OUTSIDE_PERIOD, row=1, criterion="1.1", file="a.pdf", claimed="28/12/2023", found="28/12/2023"),
        make_flag(FlagCode.SIGNER_NOT_AUTHORIZED, row=2, criterion="1.2", file="b.pdf", claimed="Lê Văn A"),
        make_flag(FlagCode.TITLE_MISMATCH, row=2, criterion="1.2", file="b.pdf"),
        make_flag(FlagCode.INSUFFICIENT_EVIDENCE, row=None, criterion="1.1", file=None),
        make_flag(FlagCode.INSUFFICIENT_EVIDENCE, row=None, criterion="1.2", file=None),
    ]


def _ided(claims=None, docs=None) -> list[Flag]:
    return identify_flags("SYT", 2024, claims or _claims(), docs or _docs(), _flags())


def _record(*decisions: tuple[Flag, ReviewDecision], at: str = "2026-05-01T10:00:00+07:00", file: str = "a.xlsx") -> ReviewRecord:
    return ReviewRecord(
        unit="SYT",
        year=2024,
        at=at,
        source=ReviewSource(file=file, sha256="0" * 64),
        decisions=[
            RecordedDecision(id=f.id, decision=d, by="Lan", note=f"ghi chú {d.value}", slot=flag_slot(f), basis=f.basis)
            for f, d in decisions
        ],
    )


# ---------------------------------------------------------------- ids


def test_ids_do_not_depend_on_row_numbers_or_order():
    first = {(f.code, f.criterion): f.id for f in _ided()}
    claims = _claims()
    moved = [claims[1].model_copy(update={"row": 1}), claims[0].model_copy(update={"row": 7})]
    flags = [f.model_copy(update={"row": {1: 7, 2: 1}.get(f.row, f.row)}) for f in reversed(_flags())]
    again = {(f.code, f.criterion): f.id for f in identify_flags("SYT", 2024, moved, _docs(), flags)}
    assert again == first
    assert all(parse_flag_id(i) == ("SYT", 2024) for i in first.values())
    assert parse_flag_id("PTTH-X-2024-0123456789abcdef") == ("PTTH-X", 2024)
    assert parse_flag_id("=1+1") is None and parse_flag_id("SYT-2024-XYZ") is None


def test_ids_change_with_the_file_bytes_or_the_claimed_value():
    base = {f.code: f.id for f in _ided()}
    other_bytes = {f.code: f.id for f in _ided(docs=_docs(a="c" * 64))}
    assert other_bytes[FlagCode.DATE_OUTSIDE_PERIOD] != base[FlagCode.DATE_OUTSIDE_PERIOD]
    assert other_bytes[FlagCode.SIGNER_NOT_AUTHORIZED] == base[FlagCode.SIGNER_NOT_AUTHORIZED]
    assert identify_flags("SYT", 2025, _claims(), _docs(), _flags())[0].id != _ided()[0].id
    assert identify_flags("PTTH", 2024, _claims(), _docs(), _flags())[0].id.startswith("PTTH-2024-")


def test_twin_flags_get_distinct_ids():
    claims = [Claim(row=1, criterion="1.1", file="a.pdf"), Claim(row=2, criterion="1.1", file="a.pdf")]
    twins = [make_flag(FlagCode.TITLE_MISMATCH, row=r, criterion="1.1", file="a.pdf") for r in (1, 2)]
    ids = [f.id for f in identify_flags("SYT", 2024, claims, _docs(), twins)]
    assert len(set(ids)) == 2 and ids[1] == ids[0] + "-2"


# ---------------------------------------------------------------- history and stale decisions


def test_the_latest_record_wins_and_concurrent_records_both_count():
    flags = _ided()
    date, signer = flags[0], flags[1]
    older = _record((date, ReviewDecision.CONFIRMED), at="2026-05-01T10:00:00+07:00")
    newer = _record((date, ReviewDecision.DISMISSED), at="2026-05-02T10:00:00+07:00")
    same_moment = _record((signer, ReviewDecision.PENDING), at="2026-05-02T10:00:00+07:00")
    state = current_state([("20260502T030000.000001Z-bb.json", newer), ("20260501T030000Z-aa.json", older), ("20260502T030000.000001Z-cc.json", same_moment)])
    reviewed = {f.code: f.review for f in apply_reviews(flags, state)}
    assert reviewed[FlagCode.DATE_OUTSIDE_PERIOD].decision == ReviewDecision.DISMISSED
    assert reviewed[FlagCode.SIGNER_NOT_AUTHORIZED].decision == ReviewDecision.PENDING
    assert reviewed[FlagCode.SIGNER_NOT_AUTHORIZED].by == "Lan" and reviewed[FlagCode.TITLE_MISMATCH] is None
    assert not reviewed[FlagCode.DATE_OUTSIDE_PERIOD].stale


def test_a_replaced_file_or_an_edited_row_makes_the_decision_stale():
    flags = _ided()
    state = current_state([("1.json", _record((flags[0], ReviewDecision.DISMISSED), (flags[1], ReviewDecision.DISMISSED)))])
    replaced = {f.code: f for f in apply_reviews(_ided(docs=_docs(a="c" * 64)), state)}
    date = replaced[FlagCode.DATE_OUTSIDE_PERIOD].review
    assert date.stale and date.decision == ReviewDecision.DISMISSED and "tệp minh chứng đã thay đổi" in date.stale_reason
    assert not replaced[FlagCode.SIGNER_NOT_AUTHORIZED].review.stale
    edited = _claims()
    edited[1] = edited[1].model_copy(update={"doc_title": "Quyết định ban hành quy chế"})  # same claimed signer
    after_edit = {f.code: f.review for f in apply_reviews(_ided(claims=edited), state)}
    assert after_edit[FlagCode.SIGNER_NOT_AUTHORIZED].stale  # same id, the row changed
    assert "dòng kê khai đã được sửa" in after_edit[FlagCode.SIGNER_NOT_AUTHORIZED].stale_reason


def test_records_round_trip_and_names_sort_by_time():
    record = _record((_ided()[0], ReviewDecision.CONFIRMED))
    assert parse_record(record.to_bytes()) == record
    with pytest.raises(ValueError, match="hỏng"):
        parse_record(b"{not json")
    names = [record_name() for _ in range(50)]
    assert len(set(names)) == 50 and names == sorted(names)


# ---------------------------------------------------------------- scores follow decisions


def _summary(decisions: dict[FlagCode, ReviewDecision], *, stale: bool = False):
    flags = _ided()
    state = current_state([("1.json", _record(*((f, decisions[f.code]) for f in flags if f.code in decisions)))])
    reviewed = apply_reviews(_ided(docs=_docs(a="c" * 64, b="d" * 64)) if stale else flags, state)
    return score_unit(UNIT, FW, _claims(), reviewed)[1]


def test_without_decisions_everything_unsupported_is_at_risk():
    s = _summary({})
    assert (s.self_score, s.supported_score, s.points_at_risk, s.points_confirmed_lost) == (10, 0, 10, 0)
    assert (s.reviewed, s.unreviewed, s.stale, s.rank_supported) == (0, 5, 0, "Yếu")


def test_dismissed_frees_the_points_confirmed_loses_them():
    s = _summary({FlagCode.DATE_OUTSIDE_PERIOD: ReviewDecision.DISMISSED, FlagCode.SIGNER_NOT_AUTHORIZED: ReviewDecision.CONFIRMED})
    # 1.1: its only row's error is a false alarm, so its INSUFFICIENT_EVIDENCE lapses: 4 points.
    assert (s.supported_score, s.points_confirmed_lost, s.points_at_risk) == (4, 6, 0)
    assert (s.reviewed, s.unreviewed, s.rank_self, s.rank_supported) == (2, 3, "Tốt", "Yếu")
    both = _summary({FlagCode.DATE_OUTSIDE_PERIOD: ReviewDecision.DISMISSED, FlagCode.SIGNER_NOT_AUTHORIZED: ReviewDecision.DISMISSED})
    assert (both.supported_score, both.points_at_risk, both.rank_supported) == (10, 0, "Tốt")


def test_pending_and_stale_decisions_still_count_as_at_risk():
    pending = _summary({FlagCode.DATE_OUTSIDE_PERIOD: ReviewDecision.PENDING})
    assert (pending.supported_score, pending.points_at_risk, pending.reviewed) == (0, 10, 1)
    stale = _summary({FlagCode.DATE_OUTSIDE_PERIOD: ReviewDecision.DISMISSED, FlagCode.SIGNER_NOT_AUTHORIZED: ReviewDecision.DISMISSED}, stale=True)
    assert (stale.supported_score, stale.points_at_risk, stale.stale, stale.reviewed) == (0, 10, 2, 0)


def test_a_confirmed_warning_takes_the_points_and_a_confirmed_criterion_flag_too():
    s = _summary({FlagCode.SIGNER_NOT_AUTHORIZED: ReviewDecision.DISMISSED, FlagCode.TITLE_MISMATCH: ReviewDecision.CONFIRMED})
    assert (s.supported_score, s.points_confirmed_lost) == (0, 6)
    held = _summary({FlagCode.DATE_OUTSIDE_PERIOD: ReviewDecision.DISMISSED, FlagCode.INSUFFICIENT_EVIDENCE: ReviewDecision.CONFIRMED})
    assert (held.supported_score, held.points_confirmed_lost) == (0, 10)


# ---------------------------------------------------------------- the flags.xlsx round trip


def _report(state=None):
    return assemble_report(UNIT, FW, _claims(), _docs(), _flags(), year=2024, generated_at="2026-05-01T10:00:00+07:00", reviews=state)


def _edit(xlsx: bytes, edits: dict[int, dict[str, object]], *, author: str | None = None) -> bytes:
    """Set cells by data row (1 = first flag) and header name, as a person would in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    ws = wb["Cảnh báo"]
    for row, cells in edits.items():
        for name, value in cells.items():
            ws.cell(row=row + 1, column=FLAG_HEADERS.index(name) + 1).value = value
    if author:
        wb.properties.lastModifiedBy = author
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read(data: bytes, report=None, **kw):
    report = report or _report()
    return read_review_workbook(data, unit="SYT", year=2024, flags=report.flags, **kw)


def test_flags_xlsx_carries_ids_a_dropdown_and_reads_back():
    report = _report()
    xlsx = render_flags_xlsx(report)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["Cảnh báo"]
    ids = [r[FLAG_HEADERS.index("Mã cảnh báo")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(ids) == sorted(f.id for f in report.flags)
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"Xác nhận,Bỏ qua,Chờ bổ sung"' and str(dv.sqref) == f"L2:L{len(ids) + 1}"
    assert _read(xlsx).decisions == [] and _read(xlsx).problems == []  # untouched: nothing to record
    filled = _edit(xlsx, {1: {"Kết luận": "xác nhận", "Ghi chú": "+84 905 123 456 (anh Nam, văn thư)"}, 2: {"Kết luận": "Bỏ qua"}}, author="Võ Thị Hạnh")
    outcome = _read(filled, default_by=None)
    assert outcome.problems == []
    got = {d.row: (d.id, d.decision, d.note, d.by) for d in outcome.decisions}
    assert got == {
        2: (ids[0], ReviewDecision.CONFIRMED, "+84 905 123 456 (anh Nam, văn thư)", "Võ Thị Hạnh"),
        3: (ids[1], ReviewDecision.DISMISSED, None, "Võ Thị Hạnh"),
    }


def test_carried_decisions_are_prefilled_and_not_recorded_twice():
    first = _report()
    state = current_state([("1.json", _record((first.flags[0], ReviewDecision.DISMISSED)))])
    again = _report(state)
    xlsx = render_flags_xlsx(again)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["Cảnh báo"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[FLAG_HEADERS.index("Mã cảnh báo")] == first.flags[0].id)
    assert (row[FLAG_HEADERS.index("Kết luận")], row[FLAG_HEADERS.index("Người rà soát")]) == ("Bỏ qua", "Lan")
    outcome = _read(xlsx, again, current=state)
    assert outcome.decisions == [] and outcome.unchanged == 1
    # A stale decision comes out as "Cần xem lại" with the old one in the note; reading that
    # file back records nothing new.
    replaced = assemble_report(UNIT, FW, _claims(), _docs(a="c" * 64), _flags(), year=2024, generated_at="x", reviews=state)
    stale_xlsx = render_flags_xlsx(replaced)
    cells = [r for r in openpyxl.load_workbook(io.BytesIO(stale_xlsx))["Cảnh báo"].iter_rows(min_row=2, values_only=True)]
    marked = [r for r in cells if r[FLAG_HEADERS.index("Kết luận")] == "Cần xem lại"]
    assert len(marked) == 1 and marked[0][FLAG_HEADERS.index("Ghi chú")].startswith("Kết luận trước: Bỏ qua")
    assert _read(stale_xlsx, replaced, current=state).decisions == []


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"Kết luận": "Đồng ý"}, "dòng 2, cột L (Kết luận): 'Đồng ý' không phải kết luận hợp lệ"),
        ({"Kết luận": "=IF(1,\"Bỏ qua\")"}, "dòng 2, cột L (Kết luận): ô chứa công thức"),
        ({"Nội dung": "=1+1", "Kết luận": "Bỏ qua"}, "dòng 2, cột H: ô chứa công thức"),
        ({"Mã cảnh báo": "PTTH-2024-0123456789abcdef", "Kết luận": "Bỏ qua"}, "dòng 2, cột K (Mã cảnh báo): mã cảnh báo 'PTTH-2024-0123456789abcdef' thuộc đơn vị PTTH"),
        ({"Mã cảnh báo": "SYT-2023-0123456789abcdef", "Kết luận": "Bỏ qua"}, "thuộc năm đánh giá 2023, không phải 2024"),
        ({"Mã cảnh báo": "SYT-2024-0123456789abcdef", "Kết luận": "Bỏ qua"}, "không có trong báo cáo nào đã lập cho đơn vị SYT năm 2024"),
        ({"Mã cảnh báo": "xin chào", "Kết luận": "Bỏ qua"}, "không phải mã cảnh báo do kiemchung tạo"),
        ({"Mã cảnh báo": None, "Kết luận": "Bỏ qua"}, "dòng 2, cột K (Mã cảnh báo): thiếu mã cảnh báo"),
        ({"Ghi chú": "đã gọi điện cho đơn vị"}, "có ghi chú nhưng chưa chọn Kết luận"),
        ({"Kết luận": "Bỏ qua", "Người rà soát": None}, "dòng 2, cột N (Người rà soát): chưa ghi người rà soát"),
    ],
)
def test_a_bad_row_is_refused_by_row_and_column_and_the_others_kept(cells, expected):
    xlsx = _edit(render_flags_xlsx(_report()), {1: cells, 3: {"Kết luận": "Chờ bổ sung", "Người rà soát": "Lan"}})
    outcome = _read(xlsx)
    assert [str(p) for p in outcome.problems if expected in str(p)], [str(p) for p in outcome.problems]
    assert len(outcome.problems) == 1
    assert [(d.row, d.decision) for d in outcome.decisions] == [(4, ReviewDecision.PENDING)]


def test_a_repeated_id_keeps_the_first_row_only():
    report = _report()
    xlsx = render_flags_xlsx(report)
    first_id = openpyxl.load_workbook(io.BytesIO(xlsx))["Cảnh báo"].cell(row=2, column=FLAG_HEADERS.index("Mã cảnh báo") + 1).value
    # Row 3 names row 2's flag again (typed with the quote people use to force text).
    xlsx = _edit(xlsx, {1: {"Kết luận": "Xác nhận"}, 2: {"Mã cảnh báo": "'" + first_id, "Kết luận": "Bỏ qua"}}, author="Lan")
    outcome = _read(xlsx, report)
    assert [d.row for d in outcome.decisions] == [2]
    assert "dòng 3, cột K (Mã cảnh báo)" in str(outcome.problems[0]) and "đã có ở dòng 2" in str(outcome.problems[0])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"PK\x03\x04 not really a zip", "không mở được tệp .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97-2003"),
        (b"", "không mở được tệp .xlsx"),
        (b"x" * (21 * 1024 * 1024), "vượt giới hạn 20 MB"),
    ],
)
def test_a_damaged_or_foreign_file_is_refused_whole(data, expected):
    outcome = _read(data)
    assert outcome.decisions == [] and outcome.rejected_file
    assert expected in str(outcome.problems[0]) and outcome.problems[0].row is None


def test_a_workbook_that_is_not_our_flag_list_is_refused():
    wb = openpyxl.Workbook()
    wb.active.append(["STT", "Mã tiêu chí", "Kết luận"])
    wb.active.append([1, "1.1", "Bỏ qua"])
    buf = io.BytesIO()
    wb.save(buf)
    outcome = _read(buf.getvalue())
    assert outcome.rejected_file and "không tìm thấy cột 'Mã cảnh báo'" in str(outcome.problems[0])


def test_a_truncated_workbook_keeps_nothing_half_read():
    xlsx = _edit(render_flags_xlsx(_report()), {1: {"Kết luận": "Bỏ qua", "Người rà soát": "Lan"}})
    outcome = _read(xlsx[: len(xlsx) - 200])
    assert outcome.problems and not outcome.decisions


def test_confirmed_lost_and_at_risk_add_up_to_what_is_unsupported():
    # The unit wrote 1.2's score on its first row only; that row's problem is confirmed, the
    # second row (blank score) carries the criterion's 6 points and stands.
    claims = [*_claims(), Claim(row=3, criterion="1.2", file="b.pdf", doc_number="6/QĐ-SYT")]
    flags = identify_flags("SYT", 2024, claims, _docs(), _flags()[:3])
    every = [ReviewDecision.CONFIRMED, ReviewDecision.DISMISSED, ReviewDecision.PENDING, None]
    for first in every:
        for second in every:
            picked = [(f, d) for f, d in zip(flags[:2], (first, second), strict=True) if d]
            state = current_state([("1.json", _record(*picked))])
            s = score_unit(UNIT, FW, claims, apply_reviews(flags, state))[1]
            assert s.points_confirmed_lost >= 0 and s.points_at_risk >= 0
            assert round(s.self_score - s.supported_score, 2) == round(s.points_confirmed_lost + s.points_at_risk, 2), (first, second, s)
            if second == ReviewDecision.CONFIRMED:
                assert s.points_confirmed_lost == (4 if first == ReviewDecision.CONFIRMED else 0)


def test_an_id_issued_before_the_evidence_changed_is_recorded_as_outdated():
    old = _report()
    listed = render_flags_xlsx(old)
    ws = openpyxl.load_workbook(io.BytesIO(listed))["Cảnh báo"]
    date_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=FLAG_HEADERS.index("Mã lỗi") + 1).value == "DATE_OUTSIDE_PERIOD")
    xlsx = _edit(listed, {date_row - 1: {"Kết luận": "Xác nhận", "Người rà soát": "Lan"}})
    new = assemble_report(UNIT, FW, _claims(), _docs(a="c" * 64, b="d" * 64), _flags(), year=2024, generated_at="x")
    refused = _read(xlsx, new)
    assert not refused.decisions and "không có trong báo cáo nào" in str(refused.problems[0])
    kept = _read(xlsx, new, issued=issued_from(old.flags))
    assert kept.problems == [] and kept.outdated == 1
    (decision,) = kept.decisions
    assert decision.id not in {f.id for f in new.flags} and decision.basis == next(f.basis for f in old.flags if f.id == decision.id)
