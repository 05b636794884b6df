"""Images (phone photos, scanner output): EXIF orientation, then OCR. TIFF frames are pages."""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from kiemchung.core.errors import ExtractionError, LimitExceededError
from kiemchung.core.text import vn_thousands
from kiemchung.extractors.base import BBox, ExtractContext, Line, Page, RawDocument
from kiemchung.extractors.ocr import (
    ocr_lines,
    ocr_page,
    read_band_in_page,
    scanned_document,
    upscale_small,
)

# A region already big enough is still enlarged 2x for its second look: psm 6 on small text.
_REGION_UPSCALE = 2.0


def _bomb_message(pixels: int, limit: int) -> str:
    return (
        f"Ảnh có {vn_thousands(pixels)} điểm ảnh, vượt giới hạn {vn_thousands(limit)} (nghi là ảnh 'bom giải nén'); "
        "không xử lý để bảo vệ hệ thống."
    )


@contextmanager
def _open_image(path: Path, limit: int) -> Iterator[Image.Image]:
    Image.MAX_IMAGE_PIXELS = limit  # Pillow's own guard stays on; we only set its threshold
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))  # Pillow: "Image size (N pixels) exceeds…"
        raise LimitExceededError(_bomb_message(int(found.group(1)) if found else limit + 1, limit)) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ExtractionError(f"Ảnh bị hỏng, không mở được ({exc}).") from exc
    try:
        width, height = image.size
        if width * height > limit:
            raise LimitExceededError(_bomb_message(width * height, limit))
        yield image
    finally:
        image.close()


class ImageExtractor:
    name = "image"
    kinds = ("jpeg", "png", "tiff", "gif", "bmp")
    version = "image-8"  # a place-date line wrapped before its year; union and party headings; number lines whose Số: OCR lost

    def is_available(self) -> bool:
        return True

    @contextmanager
    def open(self, path: Path, kind: str, ctx: ExtractContext) -> Iterator[RawDocument]:
        with _open_image(path, ctx.limits.max_image_pixels) as image:
            count = getattr(image, "n_frames", 1)
            if count > ctx.limits.max_pages:
                raise LimitExceededError(f"Ảnh TIFF có {count} trang, vượt giới hạn {ctx.limits.max_pages}.")
            lock = threading.Lock()

            def frame_of(number: int) -> Image.Image:
                with lock:
                    return page_image(image, number)

            def load(number: int, band: float = 1.0) -> Page:
                frame = frame_of(number)
                width, height = float(frame.width), float(frame.height)
                if band < 1:
                    frame = frame.crop((0, 0, frame.width, round(frame.height * band)))
                big, factor = upscale_small(frame)
                lines = ocr_page(big, ctx, page=number, scale=1 / factor)
                return Page(number, "ocr", lines, width, height)

            def region(number: int, box: tuple, *, keep_red: bool = False) -> list[Line]:
                frame = frame_of(number)
                x0, top = max(0, round(box[0])), max(0, round(box[1]))
                crop = frame.crop((x0, top, min(frame.width, round(box[2])), min(frame.height, round(box[3]))))
                big, factor = upscale_small(crop)
                factor_extra = _REGION_UPSCALE if factor == 1.0 else 1.0
                if factor_extra != 1.0:
                    big = big.resize((round(big.width * factor_extra), round(big.height * factor_extra)), Image.Resampling.LANCZOS)
                scale = 1 / (factor * factor_extra)
                return ocr_lines(big, ctx, page=number, scale=scale, origin=(x0, top), psm=6, keep_red=keep_red)

            def band(number: int, box: BBox, alphabet: str | None = None) -> list[tuple[str, float, BBox]]:
                frame = frame_of(number)
                x0, top = max(0, round(box[0])), max(0, round(box[1]))
                crop = frame.crop((x0, top, min(frame.width, round(box[2])), min(frame.height, round(box[3]))))
                return read_band_in_page(crop, scale=1.0, origin=(x0, top), alphabet=alphabet)

            yield scanned_document(kind, count, load, ctx, region_loader=region, band_reader=band)


def page_image(image: Image.Image, number: int) -> Image.Image:
    """Frame `number` (TIFF pages are frames) upright as EXIF says, detached from the file."""
    try:
        image.seek(number - 1)
        frame = ImageOps.exif_transpose(image.copy()) or image.copy()
        frame.load()
    except (OSError, ValueError, EOFError) as exc:
        raise ExtractionError(f"Trang {number} của ảnh bị hỏng ({exc}).") from exc
    return _eight_bit(frame)


def _eight_bit(frame: Image.Image) -> Image.Image:
    """16-bit and float greyscale (some scanners' PNG and TIFF) stretched to 8 bits: converted
    as they are, every value above 255 would turn white and the page blank."""
    if frame.mode not in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        return frame
    values = np.asarray(frame, dtype=np.float64)
    low, high = float(values.min()), float(values.max())
    scaled = (values - low) * (255.0 / (high - low)) if high > low else np.full(values.shape, 255.0)
    return Image.fromarray(scaled.round().astype(np.uint8), mode="L")
