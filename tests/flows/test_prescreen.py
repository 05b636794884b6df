"""The whole pipeline, run as a Prefect flow on the bundled sample evidence."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES
from expected import actual_from_reports, differences, load_expected
from PIL import Image

from kiemchung.flows.prescreen import prescreen

YEAR = 2024
UNITS = {"SYT", "SKHCN", "PTTH", "HQDN", "THACGIAN"}


@pytest.fixture(scope="module")
def first_run(prefect_harness, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("out")
    result = prescreen(root=str(SAMPLES), year=YEAR, out=str(out))
    return out, result


def test_sample_evidence_gives_the_expected_flags(first_run):
    out, result = first_run
    assert {r.unit.code for r in result.reports} == UNITS
    assert not result.failed
    diff = differences(load_expected(SAMPLES / "expected_flags.csv"), actual_from_reports(out / str(YEAR)))
    assert diff == []


def test_every_output_of_the_contract_is_written(first_run):
    out, _ = first_run
    year_dir = out / str(YEAR)
    for code in UNITS:
        report = json.loads((year_dir / code / "report.json").read_text(encoding="utf-8"))
        assert report["schema"] == "kiemchung.report/1"
        assert report["unit"]["code"] == code
        assert report["summary"]["claims"] == len(report["claims"])
        wb = openpyxl.load_workbook(year_dir / code / "flags.xlsx")
        assert wb.worksheets[0].max_row == len(report["flags"]) + 1
        html = (year_dir / code / "report.html").read_text(encoding="utf-8")
        assert report["unit"]["name"] in html
    summary = json.loads((year_dir / "summary.json").read_text(encoding="utf-8"))
    assert {u["code"] for u in summary["units"]} == UNITS
    index = (year_dir / "index.html").read_text(encoding="utf-8")
    for code in UNITS:
        assert f"{code}/report.html" in index


def test_fields_carry_provenance(first_run):
    out, _ = first_run
    report = json.loads((out / str(YEAR) / "SYT" / "report.json").read_text(encoding="utf-8"))
    text_docs = [d for d in report["documents"] if d.get("method") == "text" and "number" in d["fields"]]
    assert text_docs
    number = text_docs[0]["fields"]["number"]
    assert number["page"] == 1 and number["method"] == "text" and len(number["bbox"]) == 4
    ocr_docs = [d for d in report["documents"] if d.get("method") == "ocr" and "number" in d["fields"]]
    assert ocr_docs and 0 < ocr_docs[0]["fields"]["number"]["confidence"] <= 1


def test_rerun_with_nothing_changed_reads_nothing_again(first_run):
    out, first = first_run
    second = prescreen(root=str(SAMPLES), year=YEAR, out=str(out))
    for report in second.reports:
        assert report.processing.processed == []
        assert report.processing.reused
        assert report.processing.checks_reused
    before = {r.unit.code: [f.model_dump() for f in r.flags] for r in first.reports}
    after = {r.unit.code: [f.model_dump() for f in r.flags] for r in second.reports}
    assert after == before


def test_a_malformed_dossier_skips_only_that_unit(prefect_harness, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(SAMPLES, root)
    dossier = next((root / "2024" / "THACGIAN").glob("dossier.*"))
    bad = root / "2024" / "THACGIAN" / "dossier.csv"
    dossier.unlink()
    bad.write_text(
        "\ufeffSTT,Mã tiêu chí,Điểm tự chấm,\"Số, ký hiệu văn bản\",Ngày ban hành,Trích yếu,Người ký,Tệp đính kèm\n"
        "1,1.1,3,05/KH-UBND,31/02/2024,Kế hoạch,Ai đó,a.pdf\n",
        encoding="utf-8",
    )
    (root / "2024" / "SYT").rename(root / "2024" / "SYT-OLD")
    result = prescreen(root=str(root), year=YEAR, out=str(tmp_path / "out"))
    failed = {r.unit.code: r.error for r in result.failed}
    assert set(failed) == {"THACGIAN", "SYT"}
    assert "dossier.csv" in failed["THACGIAN"] and "dòng 1" in failed["THACGIAN"] and "Ngày ban hành" in failed["THACGIAN"]
    assert "SYT-OLD" in result.unknown_folders
    ok = [r for r in result.reports if not r.error]
    assert {r.unit.code for r in ok} == UNITS - {"THACGIAN", "SYT"}
    # The cross-unit duplicate pass could not see the skipped units, and says so.
    assert all(any("SYT, THACGIAN" in f for f in r.processing.failed) for r in ok)
    summary = json.loads((tmp_path / "out" / "2024" / "summary.json").read_text(encoding="utf-8"))
    assert {u["code"]: u.get("error") for u in summary["units"]}["THACGIAN"] == failed["THACGIAN"]


def test_a_changed_registry_rechecks_units_without_rereading_files(prefect_harness, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(SAMPLES, root)
    out = tmp_path / "out"
    prescreen(root=str(root), year=YEAR, out=str(out))
    units_yaml = root / "units.yaml"
    units_yaml.write_text(units_yaml.read_text(encoding="utf-8").replace("Ngô Quang Hòa", "Ngô Quang Hải"), encoding="utf-8")
    second = prescreen(root=str(root), year=YEAR, out=str(out))
    for report in second.reports:
        assert not report.processing.checks_reused
        assert report.processing.processed == []


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found and os.environ.get("KIEMCHUNG_REQUIRE_BROWSER") == "1":
        pytest.fail("chromium is required (scripts/setup.sh --test installs it)")
    return found


def _headless(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--virtual-time-budget=3000",
    ]
    return subprocess.run([chromium, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


def test_reports_open_in_a_real_browser(first_run, tmp_path):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium not installed")
    out, _ = first_run
    index = out / str(YEAR) / "index.html"
    dom = _headless(chromium, tmp_path, "--dump-dom", index.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    for code in UNITS:
        assert f'href="{code}/report.html"' in dom.stdout
    report = out / str(YEAR) / "SYT" / "report.html"
    assert "data:image/png;base64," in report.read_text(encoding="utf-8")  # where each field was read
    for width, name in ((1280, "laptop"), (390, "phone")):
        shot = tmp_path / f"syt-{name}.png"
        done = _headless(chromium, tmp_path, f"--window-size={width},1600", f"--screenshot={shot}", report.as_uri())
        assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
        with Image.open(shot) as image:
            assert image.width == width
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50  # not blank
