"""`kiemchung check`: one unit's folder or ZIP gives the flags the nightly run gives that unit; links
that leave a unit's folder are refused in a local root and in a ZIP."""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from kiemchung.core.model import FlagCode
from kiemchung.flows.cli import app
from kiemchung.flows.night import start_night
from kiemchung.flows.pipeline import check_unit
from kiemchung.flows.root import load_root
from kiemchung.flows.settings import Settings
from kiemchung.flows.unitcheck import UnitChoice, check_input
from kiemchung.storage import LocalStore

YEAR = 2024
UNIT = "THACGIAN"
runner = CliRunner()


def _flags(report_json: Path) -> list[dict]:
    report = json.loads(report_json.read_text(encoding="utf-8"))
    return [f for f in report["flags"] if f["code"] != "DUPLICATE_ACROSS_UNITS"]


def zip_folder(folder: Path, target: Path, *, top: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, top + path.relative_to(folder).as_posix())
    return target


@pytest.fixture(scope="module")
def prescreened(prefect_harness, tmp_path_factory) -> Path:
    """The nightly run's report.json for the unit, on a root holding that unit only."""
    from kiemchung.flows.prescreen import prescreen

    root = tmp_path_factory.mktemp("root")
    shutil.copy(SAMPLES / "units.yaml", root / "units.yaml")
    shutil.copytree(SAMPLES / str(YEAR) / UNIT, root / str(YEAR) / UNIT)
    out = tmp_path_factory.mktemp("out")
    prescreen(root=str(root), year=YEAR, out=str(out))
    return out / str(YEAR) / UNIT / "report.json"


def test_check_on_the_unit_folder_gives_the_nightly_flags(prescreened, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["check", str(SAMPLES / str(YEAR) / UNIT), "--unit", UNIT, "--year", str(YEAR),
                                 "--units", str(SAMPLES / "units.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = _flags(prescreened)
    assert expected and _flags(out / "report.json") == expected
    assert {"report.html", "flags.xlsx", "report.json"} <= {p.name for p in out.iterdir()}
    # Grouped by criterion with the points at risk, in Vietnamese.
    assert "Tiêu chí 1.2" in result.output and "có thể mất" in result.output
    assert result.output.index("Tiêu chí 1.2") < result.output.index("Tiêu chí 3.1")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Thạc Gián" in html and "data:image/png;base64," in html
    assert "Về trang tổng hợp" not in html  # no year summary is written for one unit


def test_check_on_a_zip_of_the_folder_gives_the_same_flags(prescreened, tmp_path):
    archive = zip_folder(SAMPLES / str(YEAR) / UNIT, tmp_path / "THACGIAN.zip", top="THACGIAN/")
    result = check_input(archive, UnitChoice(code=UNIT, units_file=SAMPLES / "units.yaml"), year=YEAR)
    assert result.out_dir == tmp_path / "THACGIAN-kiemchung"  # next to the input by default
    assert _flags(result.out_dir / "report.json") == _flags(prescreened)


def test_builtin_list_and_name_group_choose_the_unit(tmp_path):
    out = tmp_path / "o"
    bad = runner.invoke(app, ["check", str(SAMPLES / str(YEAR) / UNIT), "--unit", "NOWHERE", "--year", "2024", "--out", str(out)])
    assert bad.exit_code == 2 and "NOWHERE" in bad.output
    half = runner.invoke(app, ["check", str(tmp_path), "--unit", "X", "--year", "2024", "--unit-name", "Phường X"])
    assert half.exit_code == 2 and "--group" in half.output
    not_zip = tmp_path / "hoso.pdf"
    not_zip.write_bytes(b"%PDF-1.4 not a folder")
    refused = runner.invoke(app, ["check", str(not_zip), "--unit", UNIT, "--year", "2024"])
    assert refused.exit_code == 2 and "không phải thư mục hồ sơ" in refused.output


def _dossier(rows: list[tuple[str, str]]) -> str:
    head = "\ufeffMã tiêu chí,Điểm tự chấm,\"Số, ký hiệu văn bản\",Ngày ban hành,Trích yếu,Người ký,Tệp đính kèm\n"
    return head + "".join(f"{crit},3,05/KH-UBND,05/03/2024,Kế hoạch chuyển đổi số,Lê Văn Hiệp,{file}\n" for crit, file in rows)


def _link_flags(flags) -> dict[str, str]:
    return {f.file: f.message for f in flags if f.code == FlagCode.UNREADABLE_FILE and "liên kết tượng trưng" in f.message}


def test_links_out_of_the_unit_folder_are_refused_in_a_local_root(tmp_path):
    root = tmp_path / "root"
    secret = tmp_path / "secret.pdf"
    shutil.copy(SAMPLES / "2024" / "THACGIAN" / "files" / "KH-05-CDS-2024.pdf", secret)
    (root / "2024" / "THACGIAN" / "files").mkdir(parents=True)
    (root / "units.yaml").write_bytes((SAMPLES / "units.yaml").read_bytes())
    other = root / "2024" / "SYT"
    shutil.copytree(SAMPLES / "2024" / "SYT", other)
    files = root / "2024" / "THACGIAN" / "files"
    shutil.copy(SAMPLES / "2024" / "THACGIAN" / "files" / "KH-05-CDS-2024.pdf", files / "own.pdf")
    (files / "inside.pdf").symlink_to("own.pdf")  # stays in the unit's folder: read
    (files / "other-unit.pdf").symlink_to(next(other.rglob("*.pdf")))
    (files / "outside-root.pdf").symlink_to(secret)
    (root / "2024" / "THACGIAN" / "dossier.csv").write_text(
        _dossier([("1.1", "files/inside.pdf"), ("1.1", "files/other-unit.pdf"), ("1.1", "files/outside-root.pdf")]), encoding="utf-8"
    )
    outcome = _check_thacgian(root, tmp_path / "out")
    assert outcome.error is None
    refused = _link_flags(outcome.flags)
    assert set(refused) == {"files/other-unit.pdf", "files/outside-root.pdf"}
    assert "ra ngoài thư mục hồ sơ của đơn vị" in refused["files/other-unit.pdf"]
    docs = {d.file: d for d in outcome.documents}
    assert docs["files/inside.pdf"].readable
    assert docs["files/other-unit.pdf"].sha256 == "" and not docs["files/other-unit.pdf"].fields


def _check_thacgian(root: Path, out: Path):
    """The nightly run's check of THACGIAN in `root` (no cache, read in this process)."""
    store = LocalStore(root)
    night = start_night(load_root(store, YEAR, None), root=store, out=LocalStore(out, create=True), settings=Settings(isolate=False, cache=False, workers=1))
    return check_unit(night, next(u for u in night.units if u.code == UNIT))


def test_a_dossier_that_is_a_link_out_of_the_unit_is_refused(tmp_path):
    root = tmp_path / "root"
    (root / "2024" / "THACGIAN").mkdir(parents=True)
    (root / "units.yaml").write_bytes((SAMPLES / "units.yaml").read_bytes())
    (root / "2024" / "THACGIAN" / "dossier.xlsx").symlink_to(SAMPLES / "2024" / "THACGIAN" / "dossier.xlsx")
    outcome = _check_thacgian(root, tmp_path / "out")
    assert outcome.error and "liên kết tượng trưng" in outcome.error


def test_links_in_a_unit_zip_are_refused(tmp_path):
    archive = tmp_path / "hoso.zip"
    pdf = (SAMPLES / "2024" / "THACGIAN" / "files" / "KH-05-CDS-2024.pdf").read_bytes()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("dossier.csv", _dossier([("1.1", "files/kh.pdf"), ("1.1", "files/link.pdf")]))
        zf.writestr("files/kh.pdf", pdf)
        link = zipfile.ZipInfo("files/link.pdf")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "../../../../etc/passwd")
    result = check_input(archive, UnitChoice(code=UNIT, units_file=SAMPLES / "units.yaml"), year=YEAR,
                         out_dir=tmp_path / "out", settings=Settings(isolate=False))
    refused = _link_flags(result.report.flags)
    assert list(refused) == ["files/link.pdf"]
    assert "trong tệp nén là liên kết tượng trưng" in refused["files/link.pdf"]
    assert {d.file: d.readable for d in result.report.documents} == {"files/kh.pdf": True, "files/link.pdf": False}
