"""The `kiemchung` command line: validate and extract (prescreen runs in test_prescreen)."""

from __future__ import annotations

import json
import shutil

from conftest import SAMPLES
from typer.testing import CliRunner

from kiemchung.flows.cli import app

runner = CliRunner()


def test_validate_passes_on_the_sample():
    result = runner.invoke(app, ["validate", str(SAMPLES), "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert "Không có lỗi định dạng" in result.output


def test_validate_names_file_row_and_column(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(SAMPLES, root)
    for old in (root / "2024" / "HQDN").glob("dossier.*"):
        old.unlink()
    (root / "2024" / "HQDN" / "dossier.csv").write_text(
        "Mã tiêu chí,Ngày ban hành,Tệp đính kèm\n1.1,18/09/2024,a.pdf\n2.1,hôm qua,b.pdf\n", encoding="utf-8"
    )
    (root / "2024" / "PTTH").rename(root / "2024" / "XYZ")
    for old in (root / "2024" / "SYT").glob("dossier.*"):
        old.unlink()
    (root / "2024" / "SYT" / "dossier.csv").write_text("STT,Ngày ban hành\n1,18/09/2024\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(root), "--year", "2024"])
    assert result.exit_code == 2
    out = " ".join(result.output.split())
    assert "2024/HQDN/dossier.csv, dòng 2" in out and "hôm qua" in out
    assert "2024/XYZ/" in out and "không có trong units.yaml" in out
    assert "2024/SYT/dossier.csv" in out and "Mã tiêu chí" in out


def test_validate_reports_a_broken_units_yaml(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(SAMPLES, root)
    (root / "units.yaml").write_text("units:\n  - code: SYT\n    name: Sở Y tế\n    group: so-khac\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(root), "--year", "2024"])
    assert result.exit_code == 2
    assert "units.yaml" in result.output and "dòng 4" in result.output and "group" in result.output


def test_extract_prints_fields_with_provenance_as_json():
    pdf = next(p for p in sorted((SAMPLES / "2024" / "SYT").rglob("*.pdf")))
    result = runner.invoke(app, ["extract", str(pdf), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kind"] == "pdf" and doc["sha256"]
    assert {"page", "method", "confidence"} <= set(doc["fields"]["date"])
