"""`kiemchung web` started for real on a free port: uploads over HTTP multipart as a browser posts
them, the result page and xlsx fetched, hostile uploads refused, uploads gone after the limit,
and the pages screenshot in headless Chromium at laptop and phone widths."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import openpyxl
import pytest
import uvicorn
from conftest import SAMPLES
from expected import load_expected, table_of
from PIL import Image

from kiemchung.flows.settings import Settings
from kiemchung.flows.web.app import create_app
from kiemchung.flows.web.config import WebSettings

UNIT_DIR = SAMPLES / "2024" / "THACGIAN"
LEADERS = "Lê Văn Hiệp, Chủ tịch\nTrần Thị Thúy Hằng, Phó Chủ tịch\nVõ Văn Quang, Phó Chủ tịch"


@dataclass
class Site:
    base: str
    jobs: Path


@contextmanager
def running_site(jobs: Path, **limits) -> Iterator[Site]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(WebSettings(jobs_dir=jobs, **limits), Settings())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", jobs)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("jobs"), max_upload_mb=5, max_files=12, sweep_seconds=0.5) as s:
        yield s


def wait_for_result(base: str, location: str, timeout: float = 240) -> httpx.Response:
    deadline = time.time() + timeout
    while time.time() < deadline:
        page = httpx.get(base + location)
        if 'http-equiv="refresh"' not in page.text:
            return page
        time.sleep(1)
    raise AssertionError("the check did not finish")


@pytest.fixture(scope="module")
def checked(site) -> tuple[str, httpx.Response]:
    """The sample ward's dossier and files posted as a browser posts a form with file inputs."""
    files = [("ke_khai", ("dossier.xlsx", (UNIT_DIR / "dossier.xlsx").read_bytes(), "application/octet-stream"))]
    files += [("tep", (p.name, p.read_bytes(), "application/octet-stream")) for p in sorted((UNIT_DIR / "files").rglob("*.*"))]
    posted = httpx.post(f"{site.base}/tai-len", data={"nam": "2024", "don_vi": "THACGIAN", "lanh_dao": LEADERS}, files=files)
    assert posted.status_code == 303, posted.text
    location = posted.headers["location"]
    assert re.fullmatch(r"/ket-qua/[A-Za-z0-9_-]{32}", location)
    return location, wait_for_result(site.base, location)


def test_upload_page_lists_the_builtin_units(site):
    page = httpx.get(f"{site.base}/?nam=2024")
    assert page.status_code == 200
    assert 'value="THACGIAN"' in page.text and "Sở Y tế" in page.text
    assert "bị xóa" in page.text  # the deletion is said on the page
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_result_page_and_downloads_match_the_nightly_flags(site, checked):
    location, page = checked
    assert page.status_code == 200 and "Thạc Gián" in page.text and "flags.xlsx" in page.text
    assert "sẽ bị xóa lúc" in page.text
    report = httpx.get(f"{site.base}{location}/report.json").json()
    expected = {k: v for k, v in load_expected(SAMPLES / "expected_flags.csv").items() if k[0] == "THACGIAN"}
    assert table_of([report]) == expected
    xlsx = httpx.get(f"{site.base}{location}/flags.xlsx")
    assert xlsx.status_code == 200 and "THACGIAN-2024-flags.xlsx" in xlsx.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.max_row == len(report["flags"]) + 1
    full = httpx.get(f"{site.base}{location}/bao-cao")
    assert "data:image/png;base64," in full.text  # the field crops
    # The uploaded files are gone and there is no year summary: no link may lead to them.
    assert "Về trang tổng hợp" not in full.text and 'href="files/' not in full.text
    assert 'class="val">files/' in full.text  # the files are still named
    assert not any(p.name == "upload" for p in site.jobs.rglob("upload"))  # uploads deleted after the check


def _zip(entries: dict[str, bytes], *, links: dict[str, str] | None = None, level: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", level) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return buf.getvalue()


def _post_zip(site: Site, data: bytes, name: str = "hoso.zip") -> httpx.Response:
    return httpx.post(f"{site.base}/tai-len", data={"nam": "2024", "don_vi": "THACGIAN"}, files={"ho_so": (name, data, "application/zip")})


def test_a_link_in_an_uploaded_zip_is_refused_with_its_message(site):
    dossier = (
        "\ufeffMã tiêu chí,Điểm tự chấm,\"Số, ký hiệu văn bản\",Ngày ban hành,Trích yếu,Người ký,Tệp đính kèm\n"
        "1.1,3,05/KH-UBND,05/03/2024,Kế hoạch chuyển đổi số,Lê Văn Hiệp,files/link.pdf\n"
    )
    posted = _post_zip(site, _zip({"dossier.csv": dossier.encode()}, links={"files/link.pdf": "/etc/passwd"}))
    assert posted.status_code == 303
    page = wait_for_result(site.base, posted.headers["location"])
    report = httpx.get(f"{site.base}{posted.headers['location']}/report.json").json()
    assert [f["code"] for f in report["flags"] if "liên kết tượng trưng" in f["message"]] == ["UNREADABLE_FILE"]
    assert page.status_code == 200


HOSTILE = {
    "bomb": (lambda: _zip({"dossier.csv": b"x", "files/zeros.pdf": b"\0" * (60 << 20)}), "bom nén", 400),
    "traversal": (lambda: _zip({"dossier.csv": b"x", "../../evil.pdf": b"%PDF-1.4"}), "trỏ ra ngoài thư mục; không nhận tệp nén này", 400),
    "wrong type": (lambda: b"%PDF-1.4 a PDF, not a ZIP\n" * 10, "không phải tệp nén ZIP", 400),
    "too large": (lambda: os.urandom(6 << 20), "vượt giới hạn 5 MB", 413),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_uploads_are_refused_with_their_message(site, case):
    make, message, status = HOSTILE[case]
    before = set(site.jobs.iterdir())
    refused = _post_zip(site, make())
    assert refused.status_code == status
    assert message in refused.text and "Traceback" not in refused.text
    assert set(site.jobs.iterdir()) == before  # nothing of it kept


def test_too_many_files_and_wrong_proof_types_are_refused(site):
    dossier = ("ke_khai", ("dossier.csv", b"\xef\xbb\xbfM\xc3\xa3 ti\xc3\xaau ch\xc3\xad\n", "text/csv"))
    many = [("tep", (f"f{i}.pdf", b"%PDF-1.4\n", "application/pdf")) for i in range(14)]
    refused = httpx.post(f"{site.base}/tai-len", data={"nam": "2024", "don_vi": "THACGIAN"}, files=[dossier, *many])
    assert refused.status_code == 413 and "quá nhiều tệp" in refused.text
    exe = [("tep", ("ke-hoach.pdf", b"MZ\x90\x00" + b"\0" * 64, "application/pdf"))]
    refused = httpx.post(f"{site.base}/tai-len", data={"nam": "2024", "don_vi": "THACGIAN"}, files=[dossier, *exe])
    assert refused.status_code == 400 and "tệp chương trình" in refused.text


def test_unknown_results_and_bad_forms_get_a_vietnamese_page(site):
    gone = httpx.get(f"{site.base}/ket-qua/{'A' * 32}")
    assert gone.status_code == 404 and "đã bị xóa" in gone.text
    traversal = httpx.get(f"{site.base}/ket-qua/..%2F..%2Fetc/flags.xlsx")
    assert traversal.status_code == 404 and "Traceback" not in traversal.text
    no_unit = httpx.post(f"{site.base}/tai-len", data={"nam": "2024", "don_vi": "NOWHERE"}, files={"ho_so": ("a.zip", b"PK", "application/zip")})
    assert no_unit.status_code == 400 and "Hãy chọn năm đánh giá và đơn vị" in no_unit.text


def test_uploads_and_reports_are_gone_after_the_limit(tmp_path):
    dossier = (UNIT_DIR / "dossier.xlsx").read_bytes()
    with running_site(tmp_path / "jobs", keep_minutes=0.03, sweep_seconds=0.2) as short:
        posted = httpx.post(f"{short.base}/tai-len", data={"nam": "2024", "don_vi": "THACGIAN"},
                            files={"ke_khai": ("dossier.xlsx", dossier, "application/octet-stream")})
        location = posted.headers["location"]
        folder = short.jobs / location.rsplit("/", 1)[1]
        wait_for_result(short.base, location)
        deadline = time.time() + 15
        while folder.exists() and time.time() < deadline:
            time.sleep(0.2)
        assert not folder.exists()
        assert list(short.jobs.iterdir()) == []
        gone = httpx.get(short.base + location)
        assert gone.status_code == 404 and "đã bị xóa" in gone.text


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found and os.environ.get("KIEMCHUNG_REQUIRE_BROWSER") == "1":
        pytest.fail("chromium is required (scripts/setup.sh --test installs it)")
    return found


def _screenshot(chromium: str, tmp_path: Path, url: str, width: int, shot: Path) -> None:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=3000", "--hide-scrollbars", f"--window-size={width},1400", f"--screenshot={shot}"]
    done = subprocess.run([chromium, *flags, url], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]


def test_pages_in_headless_chromium_at_laptop_and_phone_widths(site, checked, tmp_path):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium not installed")
    location, _ = checked
    for page, url in (("upload", f"{site.base}/?nam=2024"), ("result", site.base + location)):
        for width, name in ((1280, "laptop"), (390, "phone")):
            shot = tmp_path / f"{page}-{name}.png"
            _screenshot(chromium, tmp_path, url, width, shot)
            with Image.open(shot) as image:
                assert image.width == width
                rgb = image.convert("RGB")
                assert len(rgb.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50  # not blank
                # The brand bar is drawn: the stylesheet loaded under the CSP.
                assert rgb.getpixel((5, 5)) == (11, 92, 173)
    assert json.loads(httpx.get(f"{site.base}{location}/report.json").text)["unit"]["code"] == "THACGIAN"
