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
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytesseract
from PIL import Image, ImageOps

from kiemchung.core.errors import SetupError
from kiemchung.core.text import clean
from kiemchung.extractors import handwriting
from kiemchung.extractors.base import (
    DIGITS,
    BandReader,
    BBox,
    ExtractContext,
    Line,
    Page,
    RawDocument,
    RegionLoader,
)
from kiemchung.extractors.deskew import deskew, unrotate_box

# Targeted OCR: the number, date, type and title of a Decree-30 document sit in the top of page 1.
HEAD_BAND = 0.45
# A pixel counts as red ink when its red channel clearly dominates green and blue.
_RED_MARGIN = 60
# Words Tesseract is less sure of than this are still kept; confidence is recorded, not hidden.
_MIN_WORD_CONF = 0
# Photos whose shorter side is below this many pixels are enlarged (A4 at ~200 dpi is 1654).
_MIN_SHORT_SIDE = 1600
_MAX_UPSCALE = 2.0  # beyond this OCR time grows faster than accuracy
# Photos whose shorter side is above this (12 MP phones: ~3000) are reduced to it for page OCR:
# Tesseract's time grows with the pixels; on 12 MP photos 1700 read as well as 2200 or the full
# size (bench/ocr.py --big-photos) in 80-85% of the time. Crops re-read for a field keep full size.
_MAX_SHORT_SIDE = 1700
# Fewer letters than this: a blank page (scanned backs), not a sideways one.
_BLANK_LETTERS = 30
# Mean line confidence under which a page is suspected of being rotated.
_BAD_MEAN_CONF = 0.55


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


def _group_lines(
    data: dict[str, list],
    *,
    page: int,
    scale: float,
    origin: tuple[float, float],
    levelled: tuple[float, tuple[int, int]] = (0.0, (0, 0)),
) -> list[Line]:
    """Words into lines; boxes in page units. `levelled` = (angle, size) when the image was
    deskewed before OCR, so boxes are turned back onto the page as it is."""
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if not str(word).strip() or float(data["conf"][i]) < _MIN_WORD_CONF:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups.setdefault(key, []).append(i)
    lines: list[Line] = []
    ox, oy = origin
    def on_page(box: tuple[float, float, float, float]) -> BBox:
        x0, top, x1, bottom = unrotate_box(box, *levelled)
        return (ox + x0 * scale, oy + top * scale, ox + x1 * scale, oy + bottom * scale)

    for idx in groups.values():
        x0 = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        x1 = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        confs = [float(data["conf"][i]) for i in idx]
        text = clean(" ".join(str(data["text"][i]) for i in idx))
        words = [(clean(str(data["text"][i])), round(float(data["conf"][i]) / 100, 3)) for i in idx]
        boxes = [
            on_page((data["left"][i], data["top"][i], data["left"][i] + data["width"][i], data["top"][i] + data["height"][i]))
            for i in idx
        ]
        bbox = on_page((x0, top, x1, bottom))
        lines.append(Line(text, page, "ocr", bbox, round(sum(confs) / len(confs) / 100, 3), words, boxes))
    return lines


def _tesseract(image: Image.Image, ctx: ExtractContext, psm: int) -> dict[str, list]:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    pytesseract.pytesseract.tesseract_cmd = ctx.tesseract_cmd
    # Handing pytesseract a PIL image makes it PNG-compress a temp file (a third of a photo's
    # time); an uncompressed PGM/PPM path costs almost nothing to write and Tesseract reads it.
    with tempfile.TemporaryDirectory(prefix="kiemchung-ocr-") as folder:
        path = Path(folder) / ("page.pgm" if image.mode in ("L", "1") else "page.ppm")
        image.convert("L" if image.mode in ("L", "1") else "RGB").save(path, format="PPM")
        return pytesseract.image_to_data(
            str(path), lang=ctx.ocr_lang, config=f"--psm {psm}", output_type=pytesseract.Output.DICT
        )


def ocr_lines(
    image: Image.Image,
    ctx: ExtractContext,
    *,
    page: int,
    scale: float = 1.0,
    origin: tuple[float, float] = (0.0, 0.0),
    psm: int = 3,
    keep_red: bool = False,
) -> list[Line]:
    """OCR an image; `scale` converts pixels to the bbox unit (72/dpi for rendered PDF pages) and
    `origin` is where the image's top-left corner sits on the page (for cropped regions).

    psm 3 finds the columns of a whole page; psm 6 reads a cropped block (a signature block)
    without letting the recipient list beside it swallow the signer's name."""
    prepared = ImageOps.grayscale(image) if keep_red else prepare(image)
    angle = 0.0
    if psm == 3:  # whole pages; cropped blocks are too small to measure a slant on
        prepared, angle = deskew(prepared)
    data = _tesseract(prepared, ctx, psm)
    return _group_lines(data, page=page, scale=scale, origin=origin, levelled=(angle, prepared.size))


def upscale_small(image: Image.Image) -> tuple[Image.Image, float]:
    """Low-resolution photos (web images, 960 px phone shots) read far better enlarged to about
    200 dpi for an A4 page, and 12 MP phone photos read as well reduced to it, in less time;
    returns the image and the factor applied."""
    short = min(image.size)
    if short > _MAX_SHORT_SIDE:
        factor = _MAX_SHORT_SIDE / short
    elif short >= _MIN_SHORT_SIDE:
        return image, 1.0
    else:
        factor = min(_MAX_UPSCALE, _MIN_SHORT_SIDE / short)
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS), factor


def reads_badly(lines: list[Line]) -> bool:
    """Few letters or low mean confidence: the page may be upside down or on its side."""
    letters = sum(ch.isalpha() for line in lines for ch in line.text)
    if letters < _BLANK_LETTERS:
        return False  # a blank back or a picture: nothing to turn
    if letters < 80:
        return True
    weight = sum(len(line.text) for line in lines)
    mean = sum(line.confidence * len(line.text) for line in lines) / max(weight, 1)
    return mean < _BAD_MEAN_CONF


def osd_rotation(image: Image.Image, ctx: ExtractContext) -> int:
    """Degrees (0, 90, 180, 270) Tesseract's orientation detection says to turn the image
    clockwise; 0 when it cannot tell (too little text, no osd data)."""
    pytesseract.pytesseract.tesseract_cmd = ctx.tesseract_cmd
    try:
        osd = pytesseract.image_to_osd(prepare(image), config="--psm 0 -c min_characters_to_try=10")
    except pytesseract.TesseractError:
        return 0
    for row in osd.splitlines():
        if row.startswith("Rotate:"):
            return int(row.split(":")[1]) % 360
    return 0


def ocr_page(image: Image.Image, ctx: ExtractContext, *, page: int, scale: float = 1.0) -> list[Line]:
    """A whole page: OCR, and when it reads badly, turn it as orientation detection says and
    keep whichever reading is better (EXIF orientation is already applied by the caller)."""
    lines = ocr_lines(image, ctx, page=page, scale=scale)
    if not reads_badly(lines) or "osd" not in available_languages(ctx.tesseract_cmd):
        return lines
    angle = osd_rotation(image, ctx)
    if angle == 0:
        return lines
    turned = ocr_lines(image.rotate(-angle, expand=True), ctx, page=page, scale=scale)
    letters = sum(ch.isalpha() for line in turned for ch in line.text)
    if letters > sum(ch.isalpha() for line in lines for ch in line.text):
        return turned  # bboxes now refer to the upright page
    return lines


def read_band_in_page(
    image: Image.Image, *, scale: float, origin: tuple[float, float], alphabet: str | None = None
) -> list[tuple[str, float, BBox]]:
    """The second reader over one band image; boxes back in page units. Red is removed first, as
    for Tesseract: the incoming-mail stamp often sits on the number line. With `alphabet`, the
    band is read as one line restricted to those characters (a blank's crop)."""
    ox, oy = origin
    clean = prepare(image).convert("RGB")
    if alphabet and set(alphabet) <= set(DIGITS + "/"):  # a blank's digits, best first
        found = handwriting.read_digits(clean, alphabet)
    elif alphabet is not None:
        one = handwriting.read_line(clean, alphabet)
        found = [one] if one else []
    else:
        found = handwriting.read_band(clean)
    return [
        (box.text, box.score, (ox + box.box[0] * scale, oy + box.box[1] * scale, ox + box.box[2] * scale, oy + box.box[3] * scale))
        for box in found
    ]


def scanned_document(
    kind: str,
    count: int,
    load: Callable[..., Page],
    ctx: ExtractContext,
    *,
    region_loader: RegionLoader,
    band_reader: BandReader,
) -> RawDocument:
    """Pages of a scan (PDF or image): OCR'd lazily, page 1's header band on its own first."""
    return RawDocument(
        kind,
        count,
        load,
        workers=ctx.ocr_workers,
        head_loader=functools.partial(load, band=HEAD_BAND),
        region_loader=region_loader,
        band_reader=band_reader,
    )
