"""The document source: proof files read once, from the content-hash cache when it has them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiemchung.core.digest import sha256_file, sha256_hex
from kiemchung.core.model import Document
from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.readers import extractor_versions
from kiemchung.extractors.reading import read_document
from kiemchung.extractors.snippets import render_snippets
from kiemchung.storage import JsonCache, ObjectInfo, ObjectStore

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
        return sha256_hex(f"{self.store.root}|{info.key}|{info.etag}|{info.size}".encode())

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
