"""The second reader: PP-OCRv4 (RapidOCR on onnxruntime's CPU build) for the handwriting-prone
crops of a scan, the number between `Số:` and the printed symbol and the day and month of the
place-date line, which clerks fill in by hand.

Its models ship inside the `rapidocr-onnxruntime` wheel (nothing is downloaded at run time). They
know no Vietnamese diacritics, so only digits and the symbol are taken from what it reads; Tesseract
stays the reader for the words. The engine is loaded once per process, on first use, so reader
workers that never see a scan never pay for it.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from kiemchung.extractors.base import DIGITS

log = logging.getLogger(__name__)

READER_NAME = "ppocr"  # provenance of a reading made by this reader
_LOCK = threading.Lock()  # one inference at a time per process: onnxruntime sessions are big
_SHARED: dict[str, int] = {}  # "fd": a lock file also held by sibling processes, when shared


def share_inference_lock(path: str) -> None:
    """Run inferences one at a time across every process that names the same lock file.

    The detection network needs ~100-250 MB of buffers for a header band while it runs (issue 13);
    reader workers that take turns never need them at the same moment. The kernel drops the lock
    of a worker killed mid-inference."""
    _SHARED["fd"] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def _one_inference() -> Iterator[None]:
    with _LOCK:
        fd = _SHARED.get("fd")
        if fd is None:
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


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
    with _one_inference():
        result, _ = engine(pixels, use_cls=False)
    boxes = []
    for points, text, score in result or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        boxes.append(TextBox(str(text), float(score), (min(xs), min(ys), max(xs), max(ys))))
    return boxes


# A blank holds writing when this share of its pixels is dark and the dark part stands this tall
# (of the crop's height): a typed blank's paper noise or a row of dots is neither.
_INK_SHARE = 0.006
_INK_HEIGHT = 0.35


def has_ink(image: Image.Image) -> bool:
    """Whether a crop holds writing rather than an empty blank: asked only where the reader is
    forced to read digits, which it would otherwise make out of noise."""
    dark = np.asarray(image.convert("L")) < 128
    if dark.mean() < _INK_SHARE:
        return False
    rows = np.flatnonzero(dark.sum(axis=1) >= 2)
    return rows.size > 0 and (rows[-1] - rows[0] + 1) >= _INK_HEIGHT * dark.shape[0]


def read_line(image: Image.Image, alphabet: str) -> TextBox | None:
    """Recognise a crop as one text line, decoding only the characters of `alphabet`.

    The model reads a handwritten 2 as `V` or a 4 as `A` when letters are allowed; where the crop
    can only hold digits (the day between `ngày` and `tháng`) or digits and a known symbol, the
    same network's output restricted to those characters reads them (greedy CTC over the allowed
    columns). Its score is the mean probability of the kept characters among the allowed ones:
    how sure the model is of *which* digit, given that a digit is there (the model may have
    preferred a letter: that is why it is asked again). None when unavailable or nothing is read.
    """
    if image.width < 4 or image.height < 4 or not has_ink(image):
        return None
    return _decode(image, alphabet)


def _decode(image: Image.Image, alphabet: str) -> TextBox | None:
    """The recogniser's greedy CTC reading of a crop restricted to `alphabet` (see read_line)."""
    engine = _engine()
    if engine is None:
        return None
    rec = engine.text_rec
    pixels = np.asarray(image.convert("RGB"))
    _, height, width = rec.rec_image_shape
    norm = rec.resize_norm_img(pixels, max(width / height, pixels.shape[1] / pixels.shape[0]))
    with _one_inference():
        probs = rec.session(norm[np.newaxis].astype(np.float32))[0][0]
    characters = rec.postprocess_op.character
    columns = [0] + [i for i, ch in enumerate(characters) if ch in alphabet and i]  # 0 = CTC blank
    picked = probs[:, columns]
    picked = picked / np.maximum(picked.sum(axis=1, keepdims=True), 1e-9)
    best = picked.argmax(axis=1)
    text, scores, previous = [], [], 0
    for step, column in enumerate(best):
        if column and column != previous:
            text.append(characters[columns[column]])
            scores.append(float(picked[step, column]))
        previous = column
    if not text:
        return None
    return TextBox("".join(text), sum(scores) / len(scores), (0.0, 0.0, float(image.width), float(image.height)))


# Crops of one blank's ink read by read_digits: tight and loose, above and beside (of the ink's
# height). The recogniser is sensitive to where a crop ends (`23` read `3` one way, `23` another).
_VERTICAL_PADS = (0.1, 0.25, 0.45)
_SIDE_PADS = (0.15, 0.5)
# Ink strokes stand at least this share of the blank's height; shorter marks are the printed dots
# of the blank (`ngày ....`) or paper noise.
_STROKE_HEIGHT = 0.22
_STROKE_PIXELS = 6
_MIN_CONTRAST = 60  # grey levels between the darkest ink and the paper


def _ink_cut(grey: np.ndarray) -> float | None:
    """The grey level between ink and paper (halfway from the darkest ink to the paper's median),
    or None when nothing stands out of the paper: grey ink on a grey scan is ink too."""
    ink, paper = float(np.percentile(grey, 1)), float(np.median(grey))
    return (ink + paper) / 2 if paper - ink >= _MIN_CONTRAST else None


def ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The box around the writing in a blank's crop, without its printed dots; None if empty."""
    grey = np.asarray(image.convert("L"))
    return _ink_box(grey, _ink_cut(grey))


def _ink_box(grey: np.ndarray, cut: float | None) -> tuple[int, int, int, int] | None:
    import cv2  # opencv comes with rapidocr; only this reader needs it

    if cut is None:
        return None
    dark = (grey < cut).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    strokes = [s for s in stats[1:] if s[3] >= _STROKE_HEIGHT * grey.shape[0] and s[4] >= _STROKE_PIXELS]
    if not strokes:
        return None
    return (
        int(min(s[0] for s in strokes)),
        int(min(s[1] for s in strokes)),
        int(max(s[0] + s[2] for s in strokes)),
        int(max(s[1] + s[3] for s in strokes)),
    )


def read_digits(image: Image.Image, alphabet: str = DIGITS) -> list[TextBox]:
    """The handwritten number in a blank's crop, read from several crops of its ink (tight and
    loose, binarised) with digits only, and voted: one candidate per value
    (`06` and `6` are one), best first. A candidate's score is the sum of its crops' scores over
    the number of crops, so a value most crops read surely scores near 1 and one read once
    scores low. With a `/` in `alphabet` (a number's blank, which may end on the printed slash),
    the digits before the first slash are the value. [] when the blank holds no ink or the
    reader is unavailable."""
    grey = np.asarray(image.convert("L"))
    cut = _ink_cut(grey)
    box = _ink_box(grey, cut)
    if box is None or cut is None or _engine() is None:
        return []
    x0, y0, x1, y1 = box
    height = y1 - y0
    # Binarised at the ink/paper cut (ink black, paper white): the crops as scanned read no
    # better (16 of 22 real blank crops right against 17, and 17 with both) at twice the reads.
    binarised = Image.fromarray(np.where(grey < cut, 0, 255).astype(np.uint8))
    votes: dict[str, float] = {}
    crops = 0
    for up in _VERTICAL_PADS:
        for side in _SIDE_PADS:
            edges = (x0 - side * height, y0 - up * height, x1 + side * height, y1 + up * height)
            crop = binarised.crop((max(0, round(edges[0])), max(0, round(edges[1])), min(image.width, round(edges[2])), min(image.height, round(edges[3]))))
            crops += 1
            read = _decode(ImageOps.expand(crop, border=max(1, height // 10), fill=255).convert("RGB"), alphabet)
            digits = read.text.split("/")[0] if read else ""
            if read and digits:
                value = digits.lstrip("0") or "0"
                votes[value] = votes.get(value, 0.0) + read.score
    ranked = sorted(votes.items(), key=lambda item: -item[1])
    return [TextBox(value, round(total / crops, 3), (float(x0), float(y0), float(x1), float(y1))) for value, total in ranked]
