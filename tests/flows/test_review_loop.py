"""The review loop, end to end: the real flow runs, a team fills flags.xlsx the way Excel saves
it, gives it back (by command, by dropping it in reviews/, two teams at once), the next runs
carry the decisions over, scores and ranks follow them, a replaced file makes its decision
stale, and the history keeps everything. Locally and on the real S3 server."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import SAMPLES
from PIL import Image
from typer.testing import CliRunner

from kiemchung.checks.review import apply_reviews
from kiemchung.core.model import Flag
from kiemchung.flows.cli import app
from kiemchung.flows.prescreen import prescreen
from kiemchung.flows.reviews import import_review, load_unit_reviews, read_history, unit_folder
from kiemchung.storage import open_store

YEAR = 2024
UNITS = ("HQDN", "THACGIAN")
runner = CliRunner()

# Ranks scaled to the sample's few criteria, so that decisions can move a unit across a band.
RANKS = [
    {"name": "Xuất sắc", "min": 38},
    {"name": "Tốt", "min": 35},
    {"name": "Khá", "min": 30},
    {"name": "Trung bình", "min": 25},
    {"name": "Yếu", "min": 0},
]


def make_root(root: Path) -> Path:
    """Two sample units (a central agency and a ward) with a framework whose ranks they can reach."""
    (root / str(YEAR)).mkdir(parents=True)
    for code in UNITS:
        shutil.copytree(SAMPLES / str(YEAR) / code, root / str(YEAR) / code)
    units = yaml.safe_load((SAMPLES / "units.yaml").read_text(encoding="utf-8"))
    units["units"] = [u for u in units["units"] if u["code"] in UNITS]
    (root / "units.yaml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    builtin = Path(__file__).resolve().parents[2] / "src/kiemchung/checks/frameworks/danang-2023.yaml"
    framework = yaml.safe_load(builtin.read_text(encoding="utf-8"))
    framework["ranks"] = RANKS
    (root / "framework.yaml").write_text(yaml.safe_dump(framework, allow_unicode=True), encoding="utf-8")
    return root


def flag_ids(report: dict) -> dict[str, str]:
    """'<row or criterion>:<code>' -> id, e.g. '2:DATE_OUTSIDE_PERIOD', '5.1:INSUFFICIENT_EVIDENCE'."""
    return {f"{f['row'] if f['row'] is not None else f['criterion']}:{f['code']}": f["id"] for f in report["flags"]}


def fill_like_excel(xlsx: bytes, rows: dict[str, tuple[str | None, str | None, str | None]], *, author: str) -> bytes:
    """What a person's Excel gives back: the team sorted the sheet (rows reversed), typed the
    decision in their own case, and Excel recorded who saved it."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    ws = wb["Cảnh báo"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in ("Mã cảnh báo", "Kết luận", "Ghi chú", "Người rà soát")}
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    for values in data:
        if values[col["Mã cảnh báo"]] in rows:
            decision, note, by = rows[values[col["Mã cảnh báo"]]]
            values[col["Kết luận"]], values[col["Ghi chú"]], values[col["Người rà soát"]] = decision, note, by
    for r, values in enumerate(reversed(data), start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value
    wb.properties.lastModifiedBy = author
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def by_id(report: dict) -> dict[str, dict]:
    return {f["id"]: f for f in report["flags"]}


@dataclass
class Loop:
    out: Path
    root: Path
    runs: list[dict[str, dict]]  # per run: unit -> report.json
    summaries: list[dict[str, dict]]  # per run: unit -> summary.json entry
    ids: dict[str, dict[str, str]]  # unit -> flag_ids of the first run
    cli_output: str
    first_list: bytes  # HQDN's flags.xlsx of the first night, as a team may still hold it


def _reports(out: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    year = out / str(YEAR)
    reports = {u: json.loads((year / u / "report.json").read_text(encoding="utf-8")) for u in UNITS}
    summary = json.loads((year / "summary.json").read_text(encoding="utf-8"))
    return reports, {u["code"]: u for u in summary["units"]}


def _import_at_once(out: Path, jobs: list[tuple[str, bytes, str]]) -> None:
    """Two teams import at the same moment (threads released together)."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def one(unit: str, data: bytes, name: str) -> None:
        try:
            barrier.wait(timeout=30)
            import_review(open_store(out), prefix="", year=YEAR, unit=unit, data=data, source=name)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


@pytest.fixture(scope="module")
def loop(prefect_harness, tmp_path_factory) -> Loop:
    root = make_root(tmp_path_factory.mktemp("root"))
    out = tmp_path_factory.mktemp("out")
    runs, summaries = [], []

    def run() -> None:
        result = prescreen(root=str(root), year=YEAR, out=str(out))
        assert not result.failed
        reports, summary = _reports(out)
        runs.append(reports)
        summaries.append(summary)

    run()
    ids = {u: flag_ids(runs[0][u]) for u in UNITS}
    hq, tg = ids["HQDN"], ids["THACGIAN"]
    flags_hq = (out / str(YEAR) / "HQDN" / "flags.xlsx").read_bytes()
    # Team A, by command: a false alarm (a plan signed in late December for the next year) and a
    # real problem; one row leaves the reviewer empty, so --by fills it.
    team_a = fill_like_excel(
        flags_hq,
        {
            hq["2:DATE_OUTSIDE_PERIOD"]: ("bỏ qua", "Kế hoạch ký 28/12/2023 cho năm 2024: hợp lệ", None),
            hq["4:SIGNER_NOT_FOUND"]: ("Xác nhận", "Báo cáo không có chữ ký", "Lê Thị Mai"),
        },
        author="Trần Văn Bình",
    )
    file_a = tmp_path_factory.mktemp("team-a") / "flags-HQDN-doan1.xlsx"
    file_a.write_bytes(team_a)
    done = runner.invoke(
        app, ["review", "import", str(file_a), "--out", str(out), "--year", str(YEAR), "--unit", "HQDN", "--by", "Phạm Văn Đức"]
    )
    assert done.exit_code == 0, done.output
    # Teams B and C, at the same moment, on other flags of the same unit.
    team_b = fill_like_excel(flags_hq, {hq["5:NUMBER_NOT_FOUND"]: ("Chờ bổ sung", "Đơn vị gửi bản có số", "Đoàn 2")}, author="B")
    team_c = fill_like_excel(flags_hq, {hq["5.1:INSUFFICIENT_EVIDENCE"]: ("Xác nhận", None, "Đoàn 3")}, author="C")
    _import_at_once(out, [("HQDN", team_b, "doan2.xlsx"), ("HQDN", team_c, "doan3.xlsx")])
    # The ward's team drops its file into reviews/: the next run picks it up. Nobody typed a
    # reviewer: Excel's "last modified by" names them.
    flags_tg = (out / str(YEAR) / "THACGIAN" / "flags.xlsx").read_bytes()
    dropped = fill_like_excel(
        flags_tg,
        {
            tg["5:SIGNER_NOT_AUTHORIZED"]: ("Bỏ qua", "Phó Chủ tịch ký KT. có ủy quyền bằng văn bản", None),
            tg["6:DOC_TYPE_MISMATCH"]: ("Xác nhận", None, None),
        },
        author="Võ Thị Hạnh",
    )
    (out / str(YEAR) / "THACGIAN" / "reviews").mkdir(exist_ok=True)
    (out / str(YEAR) / "THACGIAN" / "reviews" / "flags-THACGIAN-da-ra-soat.xlsx").write_bytes(dropped)
    run()
    # The agency replaces the file of its late-December plan (one byte more): the decision
    # taken on the old bytes must be looked at again.
    plan = root / str(YEAR) / "HQDN" / "tai-lieu" / "KH-152-ung-cuu-su-co.pdf"
    plan.write_bytes(plan.read_bytes() + b"\n% ban dong dau lai\n")
    run()
    history = runner.invoke(app, ["review", "history", "--out", str(out), "--year", str(YEAR), "--unit", "HQDN"])
    assert history.exit_code == 0, history.output
    return Loop(out=out, root=root, runs=runs, summaries=summaries, ids=ids, cli_output=history.output, first_list=flags_hq)


def test_ids_are_stable_across_runs_and_new_flags_are_blank(loop: Loop):
    first, second = loop.runs[0], loop.runs[1]
    for unit in UNITS:
        assert flag_ids(second[unit]) == loop.ids[unit]
        assert all(f["review"] is None for f in first[unit]["flags"])
        assert len(set(loop.ids[unit].values())) == len(loop.ids[unit])
    # Every flag of the first run had an id of its unit and year.
    assert all(i.startswith("HQDN-2024-") for i in loop.ids["HQDN"].values())


def test_decisions_carry_over_with_note_reviewer_and_time(loop: Loop):
    hq, tg = loop.ids["HQDN"], loop.ids["THACGIAN"]
    flags = by_id(loop.runs[1]["HQDN"])
    date = flags[hq["2:DATE_OUTSIDE_PERIOD"]]["review"]
    assert date["decision"] == "dismissed" and date["by"] == "Phạm Văn Đức" and not date["stale"]
    assert date["note"] == "Kế hoạch ký 28/12/2023 cho năm 2024: hợp lệ" and date["at"].startswith("20")
    assert flags[hq["4:SIGNER_NOT_FOUND"]]["review"]["by"] == "Lê Thị Mai"
    assert flags[hq["4:SIGNER_NOT_FOUND"]]["review"]["decision"] == "confirmed"
    assert flags[hq["2.3:INSUFFICIENT_EVIDENCE"]]["review"] is None  # nobody decided: blank
    ward = by_id(loop.runs[1]["THACGIAN"])
    assert ward[tg["5:SIGNER_NOT_AUTHORIZED"]]["review"]["decision"] == "dismissed"
    assert ward[tg["6:DOC_TYPE_MISMATCH"]]["review"]["by"] == "Võ Thị Hạnh"  # Excel's author
    # ...and still there a night later, in report.json, flags.xlsx and report.html.
    later = by_id(loop.runs[2]["HQDN"])
    assert later[hq["4:SIGNER_NOT_FOUND"]]["review"]["decision"] == "confirmed"
    ws = openpyxl.load_workbook(loop.out / str(YEAR) / "HQDN" / "flags.xlsx")["Cảnh báo"]
    header = [c.value for c in ws[1]]
    rows = {r[header.index("Mã cảnh báo")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    confirmed = rows[hq["4:SIGNER_NOT_FOUND"]]
    assert confirmed[header.index("Kết luận")] == "Xác nhận" and confirmed[header.index("Người rà soát")] == "Lê Thị Mai"
    assert rows[hq["5:NUMBER_NOT_FOUND"]][header.index("Kết luận")] == "Chờ bổ sung"
    assert rows[hq["2.3:INSUFFICIENT_EVIDENCE"]][header.index("Kết luận")] is None
    assert any(dv.sqref and "Xác nhận" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    html = (loop.out / str(YEAR) / "THACGIAN" / "report.html").read_text(encoding="utf-8")
    assert "Phó Chủ tịch ký KT. có ủy quyền bằng văn bản" in html and 'data-review="dismissed"' in html


def test_both_concurrent_imports_are_kept(loop: Loop):
    hq = loop.ids["HQDN"]
    flags = by_id(loop.runs[1]["HQDN"])
    assert flags[hq["5:NUMBER_NOT_FOUND"]]["review"]["decision"] == "pending"
    assert flags[hq["5.1:INSUFFICIENT_EVIDENCE"]]["review"]["decision"] == "confirmed"
    records, warnings = read_history(open_store(loop.out), unit_folder("", YEAR, "HQDN"))
    assert not warnings
    assert sorted(r.source.file for _, r in records) == ["doan2.xlsx", "doan3.xlsx", "flags-HQDN-doan1.xlsx"]


def test_scores_and_ranks_follow_the_decisions(loop: Loop):
    before, after = loop.summaries[0], loop.summaries[1]
    # HQDN: 39 claimed; 2.3 (4 points) and 5.1 (8 points) were unsupported and at risk. 2.3's
    # false alarm is dismissed (its INSUFFICIENT_EVIDENCE lapses with it), 5.1 is confirmed lost.
    assert (before["HQDN"]["supported_score"], before["HQDN"]["points_at_risk"]) == (27, 12)
    assert (before["HQDN"]["rank_self"], before["HQDN"]["rank_supported"]) == ("Xuất sắc", "Trung bình")
    assert after["HQDN"]["supported_score"] == 31
    assert (after["HQDN"]["points_confirmed_lost"], after["HQDN"]["points_at_risk"]) == (8, 0)
    assert (after["HQDN"]["rank_self"], after["HQDN"]["rank_supported"]) == ("Xuất sắc", "Khá")
    assert (after["HQDN"]["reviewed"], after["HQDN"]["unreviewed"], after["HQDN"]["stale"]) == (4, 1, 0)
    # The ward: 1.2 (4 points) dismissed, 3.1 (5 points) confirmed.
    assert before["THACGIAN"]["supported_score"] == 26 and after["THACGIAN"]["supported_score"] == 30
    assert after["THACGIAN"]["points_confirmed_lost"] == 5 and after["THACGIAN"]["rank_supported"] == "Khá"
    index = (loop.out / str(YEAR) / "index.html").read_text(encoding="utf-8")
    assert "Điểm bị trừ đã xác nhận" in index and "Rà soát" in index
    ws = openpyxl.load_workbook(loop.out / str(YEAR) / "summary.xlsx").active
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "HQDN")
    assert row[header.index("Cảnh báo đã rà soát")] == 3 and row[header.index("Cần xem lại")] == 1  # third run
    assert row[header.index("Điểm bị trừ đã xác nhận")] == 8


def test_a_replaced_file_makes_its_decision_stale(loop: Loop):
    hq = loop.ids["HQDN"]
    third = loop.runs[2]["HQDN"]
    date = next(f for f in third["flags"] if f["code"] == "DATE_OUTSIDE_PERIOD")
    assert date["id"] != hq["2:DATE_OUTSIDE_PERIOD"]  # the file's bytes are part of the id
    assert date["review"]["stale"] and date["review"]["decision"] == "dismissed"
    assert "tệp minh chứng đã thay đổi" in date["review"]["stale_reason"]
    # A stale dismissal no longer counts: 2.3 is at risk again; the confirmed loss stays.
    s = loop.summaries[2]["HQDN"]
    assert (s["supported_score"], s["points_at_risk"], s["points_confirmed_lost"]) == (27, 4, 8)
    assert (s["reviewed"], s["unreviewed"], s["stale"]) == (3, 1, 1)
    ws = openpyxl.load_workbook(loop.out / str(YEAR) / "HQDN" / "flags.xlsx")["Cảnh báo"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("Mã lỗi")] == "DATE_OUTSIDE_PERIOD")
    assert row[header.index("Kết luận")] == "Cần xem lại"
    assert row[header.index("Ghi chú")].startswith("Kết luận trước: Bỏ qua")


def test_history_is_complete_and_printed(loop: Loop):
    records, _ = read_history(open_store(loop.out), unit_folder("", YEAR, "HQDN"))
    assert sum(len(r.decisions) for _, r in records) == 4
    first = next(r for _, r in records if r.source.file == "flags-HQDN-doan1.xlsx")
    assert first.by == "Phạm Văn Đức" and first.source.via == "cli" and len(first.source.sha256) == 64
    assert {d.row for d in first.decisions} and all(d.basis for d in first.decisions)
    ward, _ = read_history(open_store(loop.out), unit_folder("", YEAR, "THACGIAN"))
    assert [r.source.via for _, r in ward] == ["drop"]  # picked up once, not again on the third run
    notes = loop.runs[1]["THACGIAN"]["review_notes"]
    assert notes == ["reviews/flags-THACGIAN-da-ra-soat.xlsx: ghi nhận 2 kết luận"]
    assert "review_notes" not in loop.runs[2]["THACGIAN"]
    assert (loop.out / str(YEAR) / "THACGIAN" / "reviews" / "flags-THACGIAN-da-ra-soat.xlsx").is_file()  # never deleted
    text = " ".join(loop.cli_output.split())
    for expected in ("flags-HQDN-doan1.xlsx", "doan2.xlsx", "doan3.xlsx", "Bỏ qua", "Chờ bổ sung", "Lê Thị Mai", "3 lần nhập, 4 kết luận"):
        assert expected in text


def test_a_hostile_import_loses_nothing_already_recorded(loop: Loop, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(loop.out, out)
    tg = loop.ids["THACGIAN"]
    flags = (out / str(YEAR) / "HQDN" / "flags.xlsx").read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(flags))
    ws = wb["Cảnh báo"]
    header = [c.value for c in ws[1]]
    id_col, decision_col, note_col = (header.index(n) + 1 for n in ("Mã cảnh báo", "Kết luận", "Ghi chú"))
    ws.cell(row=2, column=decision_col).value = "Đồng ý"  # not a decision
    ws.cell(row=3, column=decision_col).value = '=IF(1,"Bỏ qua","Xác nhận")'  # a formula
    ws.cell(row=4, column=id_col).value = tg["6:DOC_TYPE_MISMATCH"]  # another unit's flag
    ws.cell(row=4, column=decision_col).value = "Bỏ qua"
    ws.cell(row=5, column=id_col).value = "HQDN-2024-0123456789abcdef"  # no such flag
    ws.cell(row=5, column=decision_col).value = "Bỏ qua"
    ws.cell(row=6, column=decision_col).value = "Bỏ qua"
    ws.cell(row=6, column=note_col).value = "Đoàn đã xem lại bản gốc"
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "ra-soat.xlsx"
    path.write_bytes(buf.getvalue())
    before, _ = read_history(open_store(out), unit_folder("", YEAR, "HQDN"))
    done = runner.invoke(app, ["review", "import", str(path), "--out", str(out), "--year", "2024", "--unit", "HQDN", "--by", "X"])
    text = " ".join(done.output.split())
    assert done.exit_code == 5, done.output  # partly applied
    assert "dòng 2, cột L (Kết luận): 'Đồng ý' không phải kết luận hợp lệ" in text
    assert "dòng 3, cột L (Kết luận): ô chứa công thức" in text
    assert "thuộc đơn vị THACGIAN" in text and "dòng 4, cột K (Mã cảnh báo)" in text
    assert "dòng 5, cột K (Mã cảnh báo)" in text and "không có trong báo cáo nào đã lập cho đơn vị HQDN" in text
    assert "Đã ghi nhận 1 kết luận" in text
    damaged = tmp_path / "hong.xlsx"
    damaged.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    broken = runner.invoke(app, ["review", "import", str(damaged), "--out", str(out), "--year", "2024", "--unit", "HQDN"])
    assert broken.exit_code == 2 and "không mở được tệp .xlsx" in broken.output
    nobody = runner.invoke(app, ["review", "import", str(path), "--out", str(out), "--year", "2024", "--unit", "SYTX"])
    assert nobody.exit_code == 2 and "chưa có báo cáo của đơn vị SYTX năm 2024" in " ".join(nobody.output.split())
    escape = runner.invoke(app, ["review", "import", str(path), "--out", str(out), "--year", "2024", "--unit", ".."])
    assert escape.exit_code == 2 and "không hợp lệ" in escape.output
    after, _ = read_history(open_store(out), unit_folder("", YEAR, "HQDN"))
    assert [n for n, _ in before] == [n for n, _ in after][: len(before)]  # appended, nothing rewritten
    assert all(a.model_dump() == b.model_dump() for (_, a), (_, b) in zip(before, after, strict=False))
    assert len(after) == len(before) + 2
    # The one good row (row 6) was recorded, for the flag listed there.
    partial = next(r for _, r in after[len(before) :] if r.source.file == "ra-soat.xlsx")
    assert [(d.row, d.id, d.decision.value) for d in partial.decisions] == [(6, ws.cell(row=6, column=id_col).value, "dismissed")]
    assert len(partial.problems) == 4


def test_a_decision_on_a_list_older_than_the_evidence_is_kept_as_stale(loop: Loop, tmp_path):
    """A team still holds the first night's list; the plan's file has changed since. Its
    decision is recorded (the id was ours) and comes back stale beside the flag's new id."""
    out = tmp_path / "out"
    shutil.copytree(loop.out, out)
    old_id = loop.ids["HQDN"]["2:DATE_OUTSIDE_PERIOD"]
    path = tmp_path / "danh-sach-cu.xlsx"
    path.write_bytes(fill_like_excel(loop.first_list, {old_id: ("Xác nhận", "Ngày ngoài kỳ", "Đoàn 5")}, author="E"))
    done = runner.invoke(app, ["review", "import", str(path), "--out", str(out), "--year", str(YEAR), "--unit", "HQDN"])
    assert done.exit_code == 0, done.output
    assert "1 kết luận cho cảnh báo đã thay đổi từ khi lập flags.xlsx" in " ".join(done.output.split())
    flags = [Flag.model_validate(f) for f in loop.runs[2]["HQDN"]["flags"]]
    state = load_unit_reviews(open_store(out), prefix="", year=YEAR, unit="HQDN").state
    date = next(f for f in apply_reviews(flags, state) if f.code == "DATE_OUTSIDE_PERIOD")
    assert date.id != old_id and date.review.stale and date.review.decision == "confirmed" and date.review.by == "Đoàn 5"


# ---------------------------------------------------------------- in a real browser

# Backgrounds of the decision badges (html_base.CSS): each appears only where its decision is shown.
BADGE_RGB = {"confirmed": (0xF9, 0xC9, 0xC4), "pending": (0xFF, 0xE8, 0xB3), "stale": (0xE7, 0xD4, 0xF5)}


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("KIEMCHUNG_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (scripts/setup.sh --test installs it)")
        pytest.skip("chromium not installed")
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=3000",
    ]  # fmt: skip
    done = subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _colours(shot: Path) -> set[tuple[int, int, int]]:
    with Image.open(shot) as image:
        return {rgb for _, rgb in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}


def test_report_html_shows_decisions_and_filters_in_chromium(loop: Loop, tmp_path):
    report = loop.out / str(YEAR) / "HQDN" / "report.html"
    # The filter follows the address: #loc-stale shows the stale decision and nothing else.
    dom = _chromium(tmp_path, "--dump-dom", report.as_uri() + "#loc-stale").stdout
    rows = re.findall(r'<tr class="sev-\w+" data-review="(\w+)"( hidden="")?', dom)
    assert sorted(state for state, _ in rows) == ["confirmed", "confirmed", "pending", "stale", "unreviewed"]
    assert [state for state, hidden in rows if not hidden] == ["stale"]
    assert re.search(r'data-filter="stale" aria-pressed="true"', dom) and "1 cảnh báo" in dom
    shots = {}
    for view in ("", "#loc-confirmed"):
        shots[view] = tmp_path / f"hqdn{view.replace('#', '-') or '-all'}.png"
        _chromium(tmp_path, "--window-size=1280,2600", f"--screenshot={shots[view]}", report.as_uri() + view)
    every, confirmed_only = _colours(shots[""]), _colours(shots["#loc-confirmed"])
    assert len(every) > 50  # a page, not a blank
    assert {BADGE_RGB["confirmed"], BADGE_RGB["pending"], BADGE_RGB["stale"]} <= every
    assert BADGE_RGB["confirmed"] in confirmed_only
    assert BADGE_RGB["pending"] not in confirmed_only and BADGE_RGB["stale"] not in confirmed_only


# ---------------------------------------------------------------- the same through S3


def _s3_json(client, bucket: str, key: str) -> dict:
    return json.loads(client.get_object(bucket, key).read())


def _put(client, bucket: str, key: str, data: bytes) -> None:
    client.put_object(bucket, key, io.BytesIO(data), len(data))


@pytest.mark.s3
def test_the_review_loop_through_s3(prefect_harness, s3_env, tmp_path):
    client, bucket = s3_env.client(), s3_env.new_bucket()
    root = make_root(tmp_path / "root")
    for path in sorted(root.rglob("*")):
        if path.is_file():
            client.fput_object(bucket, f"evidence/{path.relative_to(root).as_posix()}", str(path))
    evidence, reports = f"s3://{bucket}/evidence", f"s3://{bucket}/reports"
    assert not prescreen(root=evidence, year=YEAR, out=reports).failed
    first = {u: _s3_json(client, bucket, f"reports/{YEAR}/{u}/report.json") for u in UNITS}
    hq, tg = flag_ids(first["HQDN"]), flag_ids(first["THACGIAN"])
    flags_hq = client.get_object(bucket, f"reports/{YEAR}/HQDN/flags.xlsx").read()
    team_a = tmp_path / "doan1.xlsx"
    team_a.write_bytes(fill_like_excel(flags_hq, {hq["2:DATE_OUTSIDE_PERIOD"]: ("Bỏ qua", "Hợp lệ", None)}, author="A"))
    done = runner.invoke(app, ["review", "import", str(team_a), "--out", reports, "--year", str(YEAR), "--unit", "HQDN", "--by", "Đoàn 1"])
    assert done.exit_code == 0, done.output
    team_b = fill_like_excel(flags_hq, {hq["4:SIGNER_NOT_FOUND"]: ("Xác nhận", None, "Đoàn 2")}, author="B")
    team_c = fill_like_excel(flags_hq, {hq["5:NUMBER_NOT_FOUND"]: ("Chờ bổ sung", None, "Đoàn 3")}, author="C")
    barrier, errors = threading.Barrier(2), []

    def one(data: bytes, name: str) -> None:
        try:
            barrier.wait(timeout=30)
            import_review(open_store(reports), prefix="", year=YEAR, unit="HQDN", data=data, source=name)
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(team_b, "doan2.xlsx")), threading.Thread(target=one, args=(team_c, "doan3.xlsx"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    flags_tg = client.get_object(bucket, f"reports/{YEAR}/THACGIAN/flags.xlsx").read()
    dropped = fill_like_excel(flags_tg, {tg["6:DOC_TYPE_MISMATCH"]: ("Xác nhận", None, "Đoàn 4")}, author="D")
    _put(client, bucket, f"reports/{YEAR}/THACGIAN/reviews/ket-luan.xlsx", dropped)

    assert not prescreen(root=evidence, year=YEAR, out=reports).failed
    second = {u: _s3_json(client, bucket, f"reports/{YEAR}/{u}/report.json") for u in UNITS}
    decisions = {f["id"]: f["review"]["decision"] for u in UNITS for f in second[u]["flags"] if f["review"]}
    assert decisions == {
        hq["2:DATE_OUTSIDE_PERIOD"]: "dismissed",
        hq["4:SIGNER_NOT_FOUND"]: "confirmed",
        hq["5:NUMBER_NOT_FOUND"]: "pending",
        tg["6:DOC_TYPE_MISMATCH"]: "confirmed",
    }
    s = second["HQDN"]["summary"]
    assert (s["supported_score"], s["points_confirmed_lost"], s["points_at_risk"], s["rank_supported"]) == (31, 8, 0, "Khá")

    plan = f"evidence/{YEAR}/HQDN/tai-lieu/KH-152-ung-cuu-su-co.pdf"
    _put(client, bucket, plan, client.get_object(bucket, plan).read() + b"\n% ban dong dau lai\n")
    assert not prescreen(root=evidence, year=YEAR, out=reports).failed
    third = _s3_json(client, bucket, f"reports/{YEAR}/HQDN/report.json")
    date = next(f for f in third["flags"] if f["code"] == "DATE_OUTSIDE_PERIOD")
    assert date["review"]["stale"] and date["review"]["decision"] == "dismissed"
    assert third["summary"]["supported_score"] == 27 and third["summary"]["stale"] == 1

    history = [o.object_name for o in client.list_objects(bucket, prefix=f"reports/{YEAR}/HQDN/reviews/history/", recursive=True)]
    assert len(history) == 3
    printed = runner.invoke(app, ["review", "history", "--out", reports, "--year", str(YEAR), "--unit", "THACGIAN", "--json"])
    assert printed.exit_code == 0, printed.output
    ward = json.loads(printed.stdout)
    assert [(r["source"]["file"], r["source"]["via"]) for r in ward] == [("reviews/ket-luan.xlsx", "drop")]
    assert s3_env.secret_key not in printed.output and s3_env.secret_key not in done.output
