"""The second reader: PP-OCRv4 (RapidOCR on onnxruntime's CPU build) for the handwriting-prone
crops of a scan, the number between `Số:` and the printed symbol and the day and month of the
place-date line, which clerks fill in by hand.

Its models ship inside the `rapidocr-onnxruntime` wheel (nothing is downloaded at run time). They
know no Vietnamese diacritics, so only digits and the symbol are taken from what it reads; Tesseract
stays the reader for the words. The engine is loaded once per process, on first use, so reader
workers that never see a scan never pay for it.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image

log = logging.getLogger(__name__)

READER_NAME = "ppocr"  # provenance of a reading made by this reader
_LOCK = threading.Lock()  # one inference at a time per process: onnxruntime sessions are big


@dataclass(frozen=True)
class TextBox:
    """One text line the reader found: its text, its score (0..1) and its box in crop pixels."""

    text: str
    score: float
    box: tuple[float, float, float, float]


@functools.cache
def _engine():
    """The RapidOCR engine, or None when the package is missing (then only Tesseract reads)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:  # an install without the second reader still runs, less sure on scans
        log.warning("rapidocr-onnxruntime is not installed: handwritten digits are read by Tesseract only")
        return None
    # One thread each: reader workers already run one file per core.
    # Detection keeps the band at its size (the default enlarges a line band to 736 px high:
    # five times slower, no better on these crops).
    return RapidOCR(
        intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False, det_limit_type="max", det_limit_side_len=2000
    )


def is_available() -> bool:
    return _engine() is not None


def read_band(image: Image.Image) -> list[TextBox]:
    """Detect and read the text lines of a crop (a header line band); [] when unavailable."""
    engine = _engine()
    if engine is None:
        return []
    pixels = np.asarray(image.convert("RGB"))
    with _LOCK:
        result, _ = engine(pixels, use_cls=False)
    boxes = []
    for points, text, score in result or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        boxes.append(TextBox(str(text), float(score), (min(xs), min(ys), max(xs), max(ys))))
    return boxes
