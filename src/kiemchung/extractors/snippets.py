"""Small images of where each field was read, with the field's box drawn, for report.html:
the inspector sees the evidence without opening the file."""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageOps

from kiemchung.core.model import Document, Field
from kiemchung.extractors.base import PDFIUM_LOCK

log = logging.getLogger(__name__)

SNIPPET_FIELDS = ("number", "symbol", "date", "date_partial", "issuer", "title", "signer", "signature_block")
RENDER_SCALE = 1.5  # 108 dpi: legible, small
MARGIN_PT = 14.0
MAX_WIDTH_PX = 760
MAX_PAGE_PT = 14400.0


def _data_uri(image: Image.Image) -> str:
    if image.width > MAX_WIDTH_PX:
        image = image.resize((MAX_WIDTH_PX, max(1, round(image.height * MAX_WIDTH_PX / image.width))))
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=32).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _crop_with_box(page: Image.Image, bbox: list[float], scale: float) -> Image.Image:
    x0, top, x1, bottom = (v * scale for v in bbox)
    margin = MARGIN_PT * scale
    left, upper = max(0, int(x0 - margin)), max(0, int(top - margin))
    right, lower = min(page.width, int(x1 + margin)), min(page.height, int(bottom + margin))
    crop = page.crop((left, upper, right, lower)).convert("RGB")
    draw = ImageDraw.Draw(crop)
    draw.rectangle((x0 - left - 2, top - upper - 2, x1 - left + 2, bottom - upper + 2), outline=(220, 38, 38), width=2)
    return crop


def _wanted(doc: Document) -> dict[str, Field]:
    return {n: f for n in SNIPPET_FIELDS if (f := doc.fields.get(n)) and f.value and f.bbox and f.page}


def _render_pages(path: Path, numbers: list[int]) -> dict[int, Image.Image]:
    """Page images, all pdfium work under the process-wide lock (the flow renders snippets of
    several units' files in threads; pdfium crashes when two threads call it)."""
    images: dict[int, Image.Image] = {}
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
        try:
            for number in numbers:
                page = pdf[number - 1]
                try:
                    if max(page.get_size()) > MAX_PAGE_PT:
                        continue
                    bitmap = page.render(scale=RENDER_SCALE)
                    images[number] = bitmap.to_pil().copy()
                    bitmap.close()
                finally:
                    page.close()
        finally:
            pdf.close()
    return images


def _pdf_snippets(path: Path, fields: dict[str, Field]) -> dict[str, str]:
    images = _render_pages(path, sorted({f.page for f in fields.values() if f.page}))
    return {
        name: _data_uri(_crop_with_box(images[field.page], field.bbox, RENDER_SCALE))
        for name, field in fields.items()
        if field.page in images
    }


def _image_snippets(path: Path, fields: dict[str, Field]) -> dict[str, str]:
    out: dict[str, str] = {}
    with Image.open(path) as image:
        for number in sorted({f.page for f in fields.values()}):
            image.seek(number - 1)
            frame = ImageOps.exif_transpose(image.copy()) or image.copy()
            for name, field in fields.items():
                if field.page == number:
                    out[name] = _data_uri(_crop_with_box(frame, field.bbox, 1.0))
    return out


def render_snippets(path: Path, doc: Document) -> dict[str, str]:
    """Field name -> PNG data URI of the region it was read from (empty when not applicable)."""
    fields = _wanted(doc)
    if not fields or not doc.readable:
        return {}
    try:
        if doc.kind == "pdf":
            return _pdf_snippets(path, fields)
        if doc.kind in ("jpeg", "png", "tiff", "gif", "bmp"):
            return _image_snippets(path, fields)
    except Exception as exc:  # an illustration must never cost the report
        log.warning("no snippets for %s: %s", doc.file, exc)
    return {}
