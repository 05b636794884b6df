"""The evidence root as stored: registry, framework, unit folders, dossiers and proof files.

Plain functions over an ObjectStore (no Prefect), so the CLI's `validate`, the flow's tasks and
the tests share them. Keys never leave `<year>/<UNIT>/`: every key is built with `safe_key`.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kiemchung.checks.dossier import DossierResult, load_dossier
from kiemchung.checks.registry import load_units, resolve_framework
from kiemchung.core.errors import ConfigError, KiemchungError
from kiemchung.core.model import Document, Framework, Unit
from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.reading import read_document, sha256_file
from kiemchung.extractors.registry import extractor_versions
from kiemchung.extractors.snippets import render_snippets
from kiemchung.storage import JsonCache, ObjectInfo, ObjectStore, safe_key
from kiemchung.storage.keys import relative_to

DOSSIER_NAMES = ("dossier.xlsx", "dossier.csv")
MAX_DOSSIER_BYTES = 20 * 1024 * 1024
MAX_REGISTRY_BYTES = 5 * 1024 * 1024


@dataclass
class RootInputs:
    units: list[Unit]
    framework: Framework
    registry_sha256: str
    unit_folders: set[str] = field(default_factory=set)  # codes that have a folder under <year>/
    file_count: int = 0  # objects under <year>/ other than dossiers: what a run may read

    @property
    def unknown_folders(self) -> list[str]:
        known = {u.code for u in self.units}
        return sorted(self.unit_folders - known)


def _read_text(store: ObjectStore, key: str) -> str:
    data = store.read_bytes(key, max_bytes=MAX_REGISTRY_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError("tệp không phải UTF-8", file=key) from exc


def load_root(store: ObjectStore, year: int, framework_choice: str | None) -> RootInputs:
    """units.yaml, the framework and the unit folders of the year. Raises ConfigError."""
    if not store.exists("units.yaml"):
        raise ConfigError(f"không có units.yaml ở thư mục gốc {store.root}", file="units.yaml")
    units_text = _read_text(store, "units.yaml")
    units = load_units(units_text, file="units.yaml")
    root_framework = _read_text(store, "framework.yaml") if store.exists("framework.yaml") else None
    framework = resolve_framework(framework_choice, year=year, root_framework=root_framework)
    keys = [relative_to(str(year), info.key) for info in store.list(f"{year}/")]
    folders = {key.split("/", 1)[0] for key in keys}
    files = sum(1 for key in keys if key.rsplit("/", 1)[-1].lower() not in DOSSIER_NAMES)
    digest = hashlib.sha256(units_text.encode() + framework.model_dump_json().encode()).hexdigest()
    return RootInputs(units=units, framework=framework, registry_sha256=digest, unit_folders=folders, file_count=files)


def unit_prefix(year: int, code: str) -> str:
    return safe_key(str(year), code)


@dataclass
class UnitFiles:
    dossier: ObjectInfo | None
    files: dict[str, ObjectInfo]  # path relative to the unit folder -> object


def list_unit(store: ObjectStore, year: int, code: str) -> UnitFiles:
    prefix = unit_prefix(year, code)
    dossier = None
    files: dict[str, ObjectInfo] = {}
    for info in store.list(prefix + "/"):
        rel = relative_to(prefix, info.key)
        if rel.lower() in DOSSIER_NAMES and info.refused:
            raise ConfigError(f"tệp kê khai không đọc được: {info.refused}", file=info.key)
        if rel.lower() in DOSSIER_NAMES and (dossier is None or rel.lower().endswith(".xlsx")):
            dossier = info
        else:
            files[rel] = info
    return UnitFiles(dossier, files)


def read_dossier(store: ObjectStore, info: ObjectInfo) -> DossierResult:
    data = store.read_bytes(info.key, max_bytes=MAX_DOSSIER_BYTES)
    return load_dossier(data, file=info.key)


Reader = Callable[[Path, str, ExtractContext], Document]


def _direct_reader(path: Path, file: str, ctx: ExtractContext) -> Document:
    return read_document(path, file, ctx)


class DocumentSource:
    """Documents of proof files, from the content-hash cache when it has them.

    The cache lives in the output store (survives machines and Prefect homes) and is keyed by
    content hash and extractor version: a new extractor version reads everything again. An
    index by object key and ETag avoids even downloading unchanged files.
    """

    def __init__(self, store: ObjectStore, ctx: ExtractContext, *, cache: JsonCache | None, reader: Reader | None = None):
        self.store = store
        self.ctx = ctx
        self.cache = cache
        self.reader = reader or _direct_reader
        self.version = extractor_versions()
        self._snippets: dict[str, dict[str, str]] = {}  # when there is no cache

    def snippets(self, doc: Document) -> dict[str, str]:
        """Field name -> image of where it was read, made when the file was read."""
        if not doc.sha256:
            return {}
        if self.cache is None:
            return self._snippets.get(doc.sha256, {})
        return self.cache.get(f"snip-{self.version}", doc.sha256) or {}

    def _keep_snippets(self, path: Path, doc: Document) -> None:
        images = render_snippets(path, doc)
        if self.cache is None:
            self._snippets[doc.sha256] = images
        elif images:
            self.cache.put(f"snip-{self.version}", doc.sha256, images)

    def _etag_key(self, info: ObjectInfo) -> str:
        return hashlib.sha256(f"{self.store.root}|{info.key}|{info.etag}|{info.size}".encode()).hexdigest()

    def _cached(self, sha256: str, file: str) -> Document | None:
        if self.cache is None:
            return None
        data = self.cache.get(f"doc-{self.version}", sha256)
        if data is None:
            return None
        try:
            return Document.model_validate({**data, "file": file})
        except ValueError:
            return None

    def read(self, info: ObjectInfo, file: str) -> tuple[Document, bool]:
        """(document, reused from cache)."""
        if info.refused:  # a link out of the unit's folder: its target is never read
            return Document(file=file, sha256="", error_code="UNREADABLE_FILE", error=info.refused), False
        if self.cache is not None:
            known = self.cache.get("etag", self._etag_key(info))
            if known and (doc := self._cached(known["sha256"], file)):
                return doc, True
        if info.size > self.ctx.limits.max_bytes:
            return self._too_large(info, file), False
        with self.store.local_path(info.key) as path:
            sha256 = sha256_file(path)
            doc = self._cached(sha256, file)
            reused = doc is not None
            if doc is None:
                doc = self.reader(path, file, self.ctx)
                self._keep_snippets(path, doc)
        if self.cache is not None:
            if not reused:
                self.cache.put(f"doc-{self.version}", sha256, doc.model_dump(mode="json", exclude={"file"}))
            self.cache.put("etag", self._etag_key(info), {"sha256": sha256})
        return doc, reused

    def _too_large(self, info: ObjectInfo, file: str) -> Document:
        limit = self.ctx.limits.max_bytes
        return Document(
            file=file,
            sha256="",
            error_code="UNREADABLE_FILE",
            error=f"Tệp dung lượng {info.size / 2**20:.0f} MB, vượt giới hạn {limit / 2**20:.0f} MB; không tải về để đọc.",
        )


@functools.cache
def code_version() -> str:
    """Changes whenever the checks, their messages or an extractor change."""
    digest = hashlib.sha256(extractor_versions().encode())
    package = resources.files("kiemchung.checks")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".py", ".yaml")):
            digest.update(entry.name.encode() + entry.read_bytes())
    return digest.hexdigest()[:16]


def unit_fingerprint(listing: UnitFiles, registry_sha256: str) -> str:
    """Everything a unit's checks depend on: its files and dossier, the registry, the code."""
    digest = hashlib.sha256(f"{registry_sha256}|{code_version()}".encode())
    objects = ([listing.dossier] if listing.dossier else []) + [listing.files[k] for k in sorted(listing.files)]
    for info in objects:
        digest.update(f"|{info.key}|{info.etag}|{info.size}".encode())
    return digest.hexdigest()


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, KiemchungError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
