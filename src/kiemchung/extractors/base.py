"""What every extractor returns, and the protocol it implements.

An extractor turns one file into pages of text lines with positions. Field parsing happens
afterwards, in pure functions over those lines (``extractors.fields``).
"""

from __future__ import annotations

import functools
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
    # OCR only: each word with Tesseract's confidence (0..1), to judge the digits of a number
    # or a day by their own confidence rather than the line's mean.
    words: list[tuple[str, float]] | None = None
    # OCR only: the box of each of `words` (page units), to tell a stamp's words from the
    # type line or title they were read into, and where side-by-side signature blocks part.
    boxes: list[BBox] | None = None


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


# Re-reads one region of a page (page units, top-left origin) more carefully: OCR'd formats
# only. `keep_red` keeps red ink, for the rare signer's name printed in red.
RegionLoader = Callable[..., list[Line]]
# pdfium is not thread-safe, not even across documents: every call in a process goes through this
# lock (the reader's pages and the report's snippets may run in threads of one process).
PDFIUM_LOCK = threading.RLock()

# Reads one band of a page (page units, top-left origin) with the second reader (handwriting-prone
# digits): (text, score 0..1, box in page units) per text line it finds. OCR'd formats only.
# With an alphabet, the band is one line read with only those characters (a blank's crop).
BandReader = Callable[..., list[tuple[str, float, BBox]]]
# The alphabet that asks a band reader for a blank's handwritten digits (with "/" added: a
# number's blank, whose digits end at the printed slash).
DIGITS = "0123456789"


class RawDocument:
    """Pages of one file, read lazily: field parsing asks for page 1 and the last page first and
    only reads further pages when a field is still missing (targeted OCR).

    OCR'd formats may also give `head_loader` (just the header band of a page: Decree-30 fields
    live in the top of page 1, so the rest of a multi-page scan's first page is not worth OCR)
    and `region_loader` (a second, closer look at one region, e.g. the signature block)."""

    def __init__(
        self,
        kind: str,
        page_count: int,
        loader: Callable[[int], Page],
        *,
        workers: int = 1,
        signatures: list[dict] | None = None,
        notes: list[str] | None = None,
        head_loader: Callable[[int], Page] | None = None,
        region_loader: RegionLoader | None = None,
        band_reader: BandReader | None = None,
    ) -> None:
        self.kind = kind
        self.page_count = page_count
        self.signatures = signatures or []
        self.notes = notes or []
        self._loader = loader
        self._head_loader = head_loader
        self.region_loader = region_loader
        self.band_reader = band_reader
        self._workers = max(1, workers)
        self._pages: dict[int, Page] = {}
        self._heads: dict[int, Page] = {}
        self._lock = threading.Lock()

    def head(self, number: int) -> Page:
        """The header band of a page: the whole page when it is loaded anyway or no band loader."""
        if number in self._pages or self._head_loader is None or number == self.page_count:
            return self.page(number)
        if number not in self._heads:
            loaded = self._head_loader(number)
            with self._lock:
                if loaded.method == "text":  # a text layer is read whole: it is the page
                    self._pages.setdefault(number, loaded)
                    return self._pages[number]
                self._heads.setdefault(number, loaded)
        return self._heads[number]

    def page(self, number: int) -> Page:
        if number not in self._pages:
            loaded = self._loader(number)
            with self._lock:
                self._pages.setdefault(number, loaded)
        return self._pages[number]

    def prefetch(self, numbers: list[int], *, heads: tuple[int, ...] = ()) -> None:
        """Load several pages (`heads`: only their header band), in parallel when OCR is involved
        (Tesseract runs as a subprocess)."""
        jobs: list[Callable[[], Page]] = []
        for n in dict.fromkeys(numbers):
            if 1 <= n <= self.page_count and n not in self._pages and n not in self._heads:
                jobs.append(functools.partial(self.head if n in heads else self.page, n))
        if len(jobs) <= 1 or self._workers == 1:
            for job in jobs:
                job()
            return
        with ThreadPoolExecutor(max_workers=min(self._workers, len(jobs))) as pool:
            list(pool.map(lambda job: job(), jobs))

    @property
    def loaded(self) -> list[Page]:
        heads = [self._heads[n] for n in sorted(self._heads) if n not in self._pages]
        return [self._pages[n] for n in sorted(self._pages)] + heads

    def page_methods(self) -> list[str]:
        loaded = {**self._heads, **self._pages}
        return [loaded[n].method if n in loaded else "skipped" for n in range(1, self.page_count + 1)]


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
    # Read PDF signatures with pyHanko instead of natively (slow: a pure-Python parse of the file).
    deep_signatures: bool = False
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
