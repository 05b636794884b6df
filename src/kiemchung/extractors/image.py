"""Images (phone photos, scanner output): EXIF orientation, then OCR. TIFF frames are pages."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from kiemchung.core.errors import ExtractionError, LimitExceededError
from kiemchung.extractors.base import ExtractContext, Page, RawDocument
from kiemchung.extractors.ocr import ocr_lines


def _bomb_message(pixels: int, limit: int) -> str:
    return (
        f"Ảnh có {pixels:,} điểm ảnh, vượt giới hạn {limit:,} (nghi là ảnh 'bom giải nén'); "
        "không xử lý để bảo vệ hệ thống."
    ).replace(",", ".")


@contextmanager
def _open_image(path: Path, limit: int) -> Iterator[Image.Image]:
    Image.MAX_IMAGE_PIXELS = limit  # Pillow's own guard stays on; we only set its threshold
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise LimitExceededError(_bomb_message(0, limit).split(";")[0] + ".") from exc
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
    version = "image-1"

    def is_available(self) -> bool:
        return True

    @contextmanager
    def open(self, path: Path, kind: str, ctx: ExtractContext) -> Iterator[RawDocument]:
        with _open_image(path, ctx.limits.max_image_pixels) as image:
            count = getattr(image, "n_frames", 1)
            if count > ctx.limits.max_pages:
                raise LimitExceededError(f"Ảnh TIFF có {count} trang, vượt giới hạn {ctx.limits.max_pages}.")
            lock = threading.Lock()

            def load(number: int) -> Page:
                with lock:
                    try:
                        image.seek(number - 1)
                        frame = ImageOps.exif_transpose(image.copy()) or image.copy()
                        frame.load()
                    except (OSError, ValueError, EOFError) as exc:
                        raise ExtractionError(f"Trang {number} của ảnh bị hỏng ({exc}).") from exc
                lines = ocr_lines(frame, ctx, page=number)
                return Page(number, "ocr", lines, float(frame.width), float(frame.height))

            yield RawDocument(kind, count, load, workers=ctx.ocr_workers)
