"""What every extractor returns, and the protocol it implements.

An extractor turns one file into pages of text lines with positions. Field parsing happens
afterwards, in pure functions over those lines (``extractors.fields``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom; PDF points (pixels for images)


@dataclass
class Line:
    text: str
    page: int  # 1-based
    method: str  # text | ocr | docx
    bbox: BBox | None = None
    confidence: float = 1.0


@dataclass
class Page:
    number: int
    method: str  # text | ocr | docx | skipped
    lines: list[Line] = field(default_factory=list)
    width: float | None = None
    height: float | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class RawDocument:
    """Pages of one file, read lazily: field parsing asks for page 1 and the last page first and
    only reads further pages when a field is still missing (targeted OCR)."""

    def __init__(
        self,
        kind: str,
        page_count: int,
        loader: Callable[[int], Page],
        *,
        workers: int = 1,
        signatures: list[dict] | None = None,
        notes: list[str] | None = None,
    ) -> None:
        self.kind = kind
        self.page_count = page_count
        self.signatures = signatures or []
        self.notes = notes or []
        self._loader = loader
        self._workers = max(1, workers)
        self._pages: dict[int, Page] = {}
        self._lock = threading.Lock()

    def page(self, number: int) -> Page:
        if number not in self._pages:
            loaded = self._loader(number)
            with self._lock:
                self._pages.setdefault(number, loaded)
        return self._pages[number]

    def prefetch(self, numbers: list[int]) -> None:
        """Load several pages, in parallel when OCR is involved (Tesseract runs as a subprocess)."""
        wanted = [n for n in dict.fromkeys(numbers) if 1 <= n <= self.page_count and n not in self._pages]
        if len(wanted) <= 1 or self._workers == 1:
            for n in wanted:
                self.page(n)
            return
        with ThreadPoolExecutor(max_workers=min(self._workers, len(wanted))) as pool:
            list(pool.map(self.page, wanted))

    @property
    def loaded(self) -> list[Page]:
        return [self._pages[n] for n in sorted(self._pages)]

    def page_methods(self) -> list[str]:
        return [self._pages[n].method if n in self._pages else "skipped" for n in range(1, self.page_count + 1)]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    max_page_points: float = 14400.0  # 200 inches: larger pages are not rendered
    max_image_pixels: int = 120_000_000
    archive_max_members: int = 200
    archive_max_total_bytes: int = 500 * 1024 * 1024
    archive_max_ratio: float = 200.0
    archive_max_depth: int = 2


@dataclass(frozen=True)
class ExtractContext:
    """Settings an extractor needs, resolved once by the caller (never read from env here)."""

    ocr_lang: str = "vie"
    ocr_dpi: int = 200
    ocr_workers: int = 2
    ocr_all_pages: bool = False  # False: page 1 and the last page only (targeted OCR)
    tesseract_cmd: str = "tesseract"
    limits: Limits = field(default_factory=Limits)
    # Called with (done, total) pages so a CLI can show progress; optional.
    on_page: Callable[[int, int], None] | None = None


class Extractor(Protocol):
    name: str
    kinds: tuple[str, ...]
    version: str

    def is_available(self) -> bool: ...

    def open(self, path: Path, kind: str, ctx: ExtractContext) -> AbstractContextManager[RawDocument]:
        """Open the file; pages load lazily while the context is open. Raises ExtractionError."""
        ...
