"""PDF: the text layer with pypdfium2 where it is usable, else the page rendered and OCR'd."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from kiemchung.core.errors import ExtractionError, LimitExceededError
from kiemchung.extractors.base import PDFIUM_LOCK, BBox, ExtractContext, Line, Page, RawDocument
from kiemchung.extractors.ocr import ocr_lines, ocr_page, read_band_in_page, scanned_document
from kiemchung.extractors.textlayer import judge_text_layer
from kiemchung.extractors.textlines import numeric_tokens, text_lines

# A second look at a small region (the signature block) is cheap: render it finer.
REGION_DPI = 300


def _open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        # pdfium keeps its last error per thread: a broken file read after an encrypted one
        # can report "password" again, so believe it only when the file has an /Encrypt.
        if "password" in text and _has_encrypt_entry(path):
            raise ExtractionError(
                "Tệp PDF được mã hóa bằng mật khẩu mở tệp; không đọc được nội dung. "
                "Đề nghị đơn vị nộp bản không đặt mật khẩu."
            ) from exc
        raise ExtractionError(f"Tệp PDF bị hỏng, không mở được ({exc}).") from exc


def _has_encrypt_entry(path: Path) -> bool:
    with path.open("rb") as fh:
        tail = b""
        while block := fh.read(1 << 20):
            if b"/Encrypt" in tail + block:
                return True
            tail = block[-16:]
    return False


def _text_page(pdf: pdfium.PdfDocument, number: int, own_text: str, size: tuple, legacy: str | None) -> Page:
    """Lines of a usable text layer, with numbers and days that e-office systems stamp into
    signature widgets merged back in (they are only visible once annotations are flattened,
    in memory only; the file is never written). The caller flattened the page and closed it:
    pdfium shows the flattened content only to a page loaded again."""
    width, height = size
    page = pdf[number - 1]
    textpage = page.get_textpage()
    try:
        full = textpage.get_text_range()
        stamped = numeric_tokens(textpage, full, len(own_text), len(full), height)
        lines = text_lines(textpage, own_text, number, height, stamped, legacy)
    finally:
        textpage.close()
        page.close()
    return Page(number, "text", lines, width, height)


def _render(page: pdfium.PdfPage, dpi: int, size: tuple[float, float], box: tuple | None) -> Image.Image:
    """The page, or the `box` (x0, top, x1, bottom in points from the top-left) of it, as an image."""
    width, height = size
    crop = (0, 0, 0, 0) if box is None else (box[0], height - box[3], width - box[2], box[1])
    bitmap = page.render(scale=dpi / 72, crop=crop)
    try:
        return bitmap.to_pil().copy()
    finally:
        bitmap.close()


def _read_or_render(pdf: pdfium.PdfDocument, number: int, ctx: ExtractContext, *, band: float = 1.0):
    """The page's text lines when its text layer is usable, else (image, width, height) to OCR;
    `band` < 1 renders only that top fraction of the page (the header of page 1).

    Every pdfium object is closed here, under the caller's lock: pdfium is not thread-safe.
    """
    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            own_text = textpage.get_text_range()
            verdict = judge_text_layer(own_text, first_page=number == 1)
            if verdict.usable and pdfium_c.FPDFPage_GetAnnotCount(page.raw) == 0:
                lines = text_lines(textpage, own_text, number, height, [], verdict.legacy)
                return Page(number, "text", lines, width, height)
        finally:
            textpage.close()
        if verdict.usable:  # annotations may hold stamped numbers: read them flattened
            pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
            page.close()
            return _text_page(pdf, number, own_text, (width, height), verdict.legacy)
        if max(width, height) > ctx.limits.max_page_points:
            raise LimitExceededError(
                f"Trang {number} có kích thước {width:.0f} × {height:.0f} pt, quá lớn để nhận dạng."
            )
        box = None if band >= 1 else (0, 0, width, height * band)
        return _render(page, ctx.ocr_dpi, (width, height), box), width, height
    finally:
        page.close()


def _render_region(pdf: pdfium.PdfDocument, number: int, box: tuple, dpi: int) -> Image.Image:
    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        x0, top, x1, bottom = max(0, box[0]), max(0, box[1]), min(width, box[2]), min(height, box[3])
        return _render(page, dpi, (width, height), (x0, top, x1, bottom))
    finally:
        page.close()


class PdfExtractor:
    name = "pdf"
    kinds = ("pdf",)
    version = "pdf-11"  # a place-date line wrapped before its year; signatures read natively, signature_valid; union and party headings; number lines whose Số: OCR lost

    def is_available(self) -> bool:
        return True

    @contextmanager
    def open(self, path: Path, kind: str, ctx: ExtractContext) -> Iterator[RawDocument]:
        lock = PDFIUM_LOCK  # OCR runs outside the lock
        with lock:
            pdf = _open_pdf(path)
        try:
            count = len(pdf)
            if count == 0:
                raise ExtractionError("Tệp PDF không có trang nào.")
            if count > ctx.limits.max_pages:
                raise LimitExceededError(
                    f"Tệp PDF có {count} trang, vượt giới hạn {ctx.limits.max_pages} trang."
                )

            def load(number: int, band: float = 1.0) -> Page:
                with lock:
                    page = _read_or_render(pdf, number, ctx, band=band)
                if isinstance(page, Page):
                    return page
                image, width, height = page
                lines = ocr_page(image, ctx, page=number, scale=72 / ctx.ocr_dpi)
                return Page(number, "ocr", lines, width, height)

            def region(number: int, box: tuple, *, keep_red: bool = False) -> list[Line]:
                with lock:
                    image = _render_region(pdf, number, box, REGION_DPI)
                scale = 72 / REGION_DPI
                origin = (max(0.0, box[0]), max(0.0, box[1]))
                return ocr_lines(image, ctx, page=number, scale=scale, origin=origin, psm=6, keep_red=keep_red)

            def band(number: int, box: BBox, alphabet: str | None = None) -> list[tuple[str, float, BBox]]:
                with lock:
                    # The scan's own resolution: 300 dpi read the same digits on the real scans, slower.
                    image = _render_region(pdf, number, box, ctx.ocr_dpi)
                origin = (max(0.0, box[0]), max(0.0, box[1]))
                return read_band_in_page(image, scale=72 / ctx.ocr_dpi, origin=origin, alphabet=alphabet)

            yield scanned_document(kind, count, load, ctx, region_loader=region, band_reader=band)
        finally:
            with lock:
                pdf.close()
