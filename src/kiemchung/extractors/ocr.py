"""Tesseract OCR of one page image into positioned lines.

Tesseract runs as a subprocess with one thread (``OMP_THREAD_LIMIT=1``): pages in parallel beat
one page with many threads on a small machine. Red is removed first, because seals cover the
signature block and incoming-mail stamps ("ĐẾN Số: … Ngày: …") carry a second number and date.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

import numpy as np
import pytesseract
from PIL import Image, ImageOps

from kiemchung.core.errors import SetupError
from kiemchung.core.text import clean
from kiemchung.extractors.base import BBox, ExtractContext, Line

# A pixel counts as red ink when its red channel clearly dominates green and blue.
_RED_MARGIN = 60
# Words Tesseract is less sure of than this are still kept; confidence is recorded, not hidden.
_MIN_WORD_CONF = 0


@functools.cache
def available_languages(tesseract_cmd: str = "tesseract") -> frozenset[str]:
    exe = shutil.which(tesseract_cmd)
    if not exe:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def ensure_ocr_ready(ctx: ExtractContext) -> None:
    """Fail at start, with what to install, rather than on file 400 (a setup error)."""
    langs = available_languages(ctx.tesseract_cmd)
    if not langs:
        raise SetupError(
            "Không tìm thấy Tesseract OCR. Cài đặt: apt-get install tesseract-ocr tesseract-ocr-vie "
            "tesseract-ocr-script-viet (hoặc chạy scripts/setup.sh)."
        )
    missing = [lang for lang in ctx.ocr_lang.split("+") if lang not in langs]
    if missing:
        raise SetupError(
            f"Tesseract thiếu dữ liệu ngôn ngữ {', '.join(missing)}. Cài đặt: apt-get install "
            "tesseract-ocr-vie tesseract-ocr-script-viet."
        )


def remove_red(image: Image.Image) -> Image.Image:
    """Paint red seals and stamps white, keep black and blue ink; returns greyscale."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    mask = (red - np.maximum(green, blue)) > _RED_MARGIN
    grey = np.asarray(image.convert("L")).copy()
    grey[mask] = 255
    return Image.fromarray(grey, mode="L")


def prepare(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA", "P", "CMYK"):
        return remove_red(image)
    return ImageOps.grayscale(image) if image.mode != "L" else image


def _group_lines(data: dict[str, list], *, page: int, scale: float) -> list[Line]:
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if not str(word).strip() or float(data["conf"][i]) < _MIN_WORD_CONF:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups.setdefault(key, []).append(i)
    lines: list[Line] = []
    for idx in groups.values():
        x0 = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        x1 = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        confs = [float(data["conf"][i]) for i in idx]
        bbox: BBox = (x0 * scale, top * scale, x1 * scale, bottom * scale)
        text = clean(" ".join(str(data["text"][i]) for i in idx))
        lines.append(Line(text, page, "ocr", bbox, round(sum(confs) / len(confs) / 100, 3)))
    return lines


def ocr_lines(image: Image.Image, ctx: ExtractContext, *, page: int, scale: float = 1.0) -> list[Line]:
    """OCR a page image; `scale` converts pixels to the bbox unit (72/dpi for rendered PDF pages)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    pytesseract.pytesseract.tesseract_cmd = ctx.tesseract_cmd
    data = pytesseract.image_to_data(
        prepare(image), lang=ctx.ocr_lang, config="--psm 3", output_type=pytesseract.Output.DICT
    )
    return _group_lines(data, page=page, scale=scale)
