"""Nothing escapes: archive members stay in a temp folder, Word files fetch and expand nothing,
keys and cited paths never leave the unit's folder, oversized objects are never downloaded."""

from __future__ import annotations

import http.server
import io
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import corpus
import pytest

from kiemchung.core.errors import UnsafeKeyError
from kiemchung.core.model import Claim
from kiemchung.extractors.reading import read_document
from kiemchung.extractors.word import DocxExtractor
from kiemchung.flows.documents import DocumentSource
from kiemchung.flows.pipeline import cited_files
from kiemchung.flows.root import list_unit
from kiemchung.flows.settings import Settings
from kiemchung.storage import LocalStore, S3Config, S3Store, safe_key

pytestmark = pytest.mark.hostile

CTX = Settings().extract_context()


# ---------------------------------------------------------------- archives


def test_zip_members_never_leave_the_temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work, scratch = tmp_path / "cwd" / "a" / "b", tmp_path / "scratch"
    work.mkdir(parents=True)
    scratch.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    archive = corpus.traversal_zip(tmp_path / "cwd")
    before = {p for p in tmp_path.rglob("*")}
    absolute = Path("/tmp/tuyet-doi.pdf")
    assert not absolute.exists()

    doc = read_document(archive, "leo-thu-muc.zip", CTX)

    assert {p for p in tmp_path.rglob("*")} == before  # nothing new anywhere, temp folder gone
    assert not absolute.exists()
    assert doc.error is None and doc.field_value("number") == corpus.NUMBER  # the safe member
    unsafe = {m.file.split("/", 1)[1]: m for m in doc.members if m.error_code}
    assert len(unsafe) == 4
    assert all(m.error_code == "UNSUPPORTED_FILE" for m in unsafe.values())
    assert "có đường dẫn '..' trỏ ra ngoài thư mục" in unsafe["../../thoat-ra.pdf"].error
    assert "có đường dẫn tuyệt đối" in unsafe["tmp/tuyet-doi.pdf"].error
    assert "có đường dẫn tuyệt đối" in unsafe["C:/Windows/o-dia.pdf"].error
    assert "'..'" in unsafe["../../gach-nguoc.pdf"].error  # backslashes are separators too


def test_a_zip_bomb_is_refused_before_decompressing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    import zipfile

    bombs = [make(tmp_path) for make in (corpus.ratio_bomb_zip, corpus.size_bomb_zip, corpus.many_members_zip)]
    opened: list[str] = []
    original = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name)) or original(self, name, *a, **k))
    for bomb in bombs:
        doc = read_document(bomb, bomb.name, CTX)
        assert doc.error_code == "UNREADABLE_FILE"
    assert opened == []  # refused from the central directory alone
    assert list(scratch.iterdir()) == []


def _lying_zip(path: Path, real: bytes, declared: int) -> Path:
    """One deflated member whose local header and central directory both declare `declared`
    bytes while its stream inflates to len(real)."""
    import struct
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("tep.bin", date_time=(2024, 1, 1, 0, 0, 0)), real, compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(buffer.getvalue())
    struct.pack_into("<I", data, 22, declared)  # local file header: uncompressed size
    struct.pack_into("<I", data, data.rindex(b"PK\x01\x02") + 24, declared)  # central directory
    path.write_bytes(bytes(data))
    return path


def test_a_lying_header_is_caught_while_decompressing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Declared 100 KB (within every limit), real output 16 MB: refused while decompressing,
    and nothing of it is left on disk."""
    import zipfile
    from dataclasses import replace

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    ctx = replace(CTX, limits=replace(CTX.limits, archive_max_total_bytes=3 * corpus.MB))
    path = _lying_zip(tmp_path / "noi-doi.zip", bytes(range(256)) * 4096 * 16, declared=100_000)
    with zipfile.ZipFile(path) as zf:
        assert zf.infolist()[0].file_size == 100_000  # the header lies, and is believed up front
    doc = read_document(path, path.name, ctx)
    assert doc.error_code == "UNREADABLE_FILE"
    assert [(m.file, m.error_code) for m in doc.members or []] == [("noi-doi.zip/tep.bin", "UNREADABLE_FILE")]
    assert list(scratch.iterdir()) == []


def test_a_member_is_copied_only_up_to_the_budget(tmp_path: Path) -> None:
    """Whatever a member declares, the copy counts what really comes out and stops at the
    budget (a defence beside zipfile's own stop at the declared size)."""
    from dataclasses import replace

    import kiemchung.extractors.archive as archive

    ctx = replace(CTX, limits=replace(CTX.limits, archive_max_total_bytes=3 * corpus.MB))
    path = corpus.zip_of(tmp_path, "ba-tep.zip", {f"tep-{i}.bin": bytes(range(256)) * 4096 * 2 for i in range(2)})
    doc = read_document(path, "ba-tep.zip", ctx)
    assert doc.error_code is not None  # 2 x 2 MB declared > 3 MB: refused up front
    budget = archive._Budget(members=10, bytes=1 * corpus.MB)
    import zipfile

    with zipfile.ZipFile(path) as zf, pytest.raises(archive.LimitExceededError, match="vượt giới hạn 3 MB"):
        archive._copy_member(zf, zf.infolist()[0], tmp_path / "out.bin", budget, ctx.limits)
    assert (tmp_path / "out.bin").stat().st_size <= 1 * corpus.MB


# ---------------------------------------------------------------- Word files


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"DA-TAI-VE")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_docx_external_entities_and_remote_templates_are_neither_fetched_nor_expanded(
    tmp_path: Path, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("BI-MAT-CUA-MAY-CHU", encoding="utf-8")
    path = corpus.docx_external_refs(tmp_path, url, secret)

    doc = read_document(path, path.name, CTX)
    with DocxExtractor().open(path, "docx", CTX) as raw:
        text = raw.page(1).text

    assert hits == []
    assert "BI-MAT" not in text and "DA-TAI-VE" not in text
    assert doc.error is None and doc.field_value("number") == corpus.NUMBER


# ---------------------------------------------------------------- names and keys


def _unit_root(tmp_path: Path) -> tuple[LocalStore, Path]:
    root = tmp_path / "root"
    unit = root / "2024" / "SYT"
    unit.mkdir(parents=True)
    return LocalStore(root), unit


def test_nfd_names_spaces_and_dots_resolve_and_read(tmp_path: Path) -> None:
    store, unit = _unit_root(tmp_path)
    nfc = "Kế hoạch  chuyển đổi số..2024 .pdf"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    corpus.good_pdf(unit, nfd)  # the name on disk is NFD, as macOS and some zip tools write
    listing = list_unit(store, 2024, "SYT")
    claims = [Claim(row=1, criterion="1.1", file=nfc), Claim(row=2, criterion="1.1", file=nfd)]
    files = cited_files(claims, listing)
    assert files == {nfc: nfc, nfd: nfc}
    doc, _ = DocumentSource(store, CTX, cache=None).read(listing.files[nfc], nfc)
    assert doc.error is None and doc.field_value("number") == corpus.NUMBER


def test_cited_paths_never_climb_out_of_the_unit_folder(tmp_path: Path) -> None:
    store, unit = _unit_root(tmp_path)
    other = unit.parent / "SKHCN"
    other.mkdir()
    corpus.good_pdf(other, "cua-don-vi-khac.pdf")
    (unit.parent.parent / "units.yaml").write_text("units: []\n", encoding="utf-8")
    corpus.good_pdf(unit, "cua-minh.pdf")
    listing = list_unit(store, 2024, "SYT")
    claims = [
        Claim(row=1, criterion="1.1", file="../SKHCN/cua-don-vi-khac.pdf"),
        Claim(row=2, criterion="1.1", file="../../units.yaml"),
        Claim(row=3, criterion="1.1", file="/etc/passwd"),
        Claim(row=4, criterion="1.1", file="..\\SKHCN\\cua-don-vi-khac.pdf"),
    ]
    assert cited_files(claims, listing) == {}  # each becomes MISSING_FILE, nothing else is read
    with pytest.raises(UnsafeKeyError):
        safe_key("2024/SYT", "../SKHCN/cua-don-vi-khac.pdf")


@pytest.mark.s3
def test_an_s3_object_key_climbing_out_of_its_unit_is_never_listed_nor_read(s3_server) -> None:
    """SeaweedFS itself refuses such keys (other servers store them): the names are injected
    into a real listing to show that the store skips them, and reads fail before any request."""
    bucket = s3_server.new_bucket()
    client = s3_server.client()
    client.put_object(bucket, "goc/2024/SYT/ok.pdf", io.BytesIO(b"%PDF-1.4"), 8)
    config = S3Config(s3_server.endpoint, s3_server.access_key, s3_server.secret_key, secure=False, attempts=1)
    store = S3Store(f"s3://{bucket}/goc", config)
    real_list = store._client.list_objects
    hostile = ["goc/2024/SYT/../SKHCN/leo.pdf", "goc/2024/SYT/..\\..\\x.pdf", "goc/2024/SYT//etc/passwd"]

    def with_hostile(*args: object, **kwargs: object) -> Iterator[object]:
        from minio.datatypes import Object

        yield from real_list(*args, **kwargs)
        for name in hostile:
            yield Object(bucket, name, size=8, etag="x")

    store._client.list_objects = with_hostile
    assert set(list_unit(store, 2024, "SYT").files) == {"ok.pdf"}
    for key in ("2024/SYT/../SKHCN/leo.pdf", "2024/SYT/..\\x.pdf", "/2024/SYT/ok.pdf"):
        with pytest.raises(UnsafeKeyError):
            store.read_bytes(key)


# ---------------------------------------------------------------- size


def test_an_oversized_object_is_never_downloaded(tmp_path: Path) -> None:
    store, unit = _unit_root(tmp_path)
    corpus.sparse_file(unit)
    listing = list_unit(store, 2024, "SYT")

    def never(*args: object) -> None:
        raise AssertionError("the reader must not be called")

    source = DocumentSource(store, CTX, cache=None, reader=never)
    source.store = _NoDownload(store)
    doc, reused = source.read(listing.files["300mb.pdf"], "300mb.pdf")
    assert (doc.error_code, reused) == ("UNREADABLE_FILE", False)
    assert doc.error == "Tệp dung lượng 300 MB, vượt giới hạn 200 MB; không tải về để đọc."


class _NoDownload:
    def __init__(self, store: LocalStore) -> None:
        self._store, self.root = store, store.root

    def local_path(self, key: str):
        raise AssertionError(f"{key} must not be downloaded")
