"""Small-angle deskew of scanned pages (a sheet fed a little crooked), by projection profile.

Tesseract's orientation detection (OSD) only knows quarter turns; a page a few degrees off
makes its lines slant across Tesseract's line finder and costs accuracy. The angle whose
rotation makes the ink rows sharpest (highest variance of row sums) is the skew.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageFilter

# Phone photos of a sheet on a desk come a few degrees further off than fed scans.
MAX_DEGREES = 6.0
COARSE_STEP = 0.5  # searched over the whole range, then refined around the best by STEP_DEGREES
STEP_DEGREES = 0.25
MIN_CORRECTION = 0.5  # below this, rotating costs more than it gains
_WORK_WIDTH = 700
_PAPER_RADIUS = 12  # px of the work image: wider than a stroke, narrower than a margin
_INK_MARGIN = 40


def estimate_skew(gray: Image.Image) -> float:
    """Degrees to rotate the page counter-clockwise (PIL's sense) to make its lines level."""
    factor = _WORK_WIDTH / max(1, gray.width)
    small = gray.resize((_WORK_WIDTH, max(1, round(gray.height * factor)))) if factor < 1 else gray
    # Ink is what is clearly darker than the paper around it: a photo's desk, dark all over, is
    # no ink (a fixed threshold took it for some and found no slant at all).
    grey = small.convert("L")
    paper = np.asarray(grey.filter(ImageFilter.BoxBlur(_PAPER_RADIUS)), dtype=np.int16)
    ink = Image.fromarray(((np.asarray(grey, dtype=np.int16) < paper - _INK_MARGIN) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST)).sum(axis=1, dtype=np.float64)
        return float(np.var(rows))

    coarse = max(np.arange(-MAX_DEGREES, MAX_DEGREES + 1e-9, COARSE_STEP), key=lambda a: sharpness(float(a)))
    fine = np.arange(coarse - COARSE_STEP, coarse + COARSE_STEP + 1e-9, STEP_DEGREES)
    return float(max((a for a in fine if abs(a) <= MAX_DEGREES), key=lambda a: sharpness(float(a))))


def deskew(gray: Image.Image) -> tuple[Image.Image, float]:
    """The page levelled (white fill) and the angle applied; angle 0 when not worth it."""
    angle = estimate_skew(gray)
    if abs(angle) < MIN_CORRECTION:
        return gray, 0.0
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255), angle


def unrotate_box(box: tuple[float, float, float, float], angle: float, size: tuple[int, int]) -> tuple[float, float, float, float]:
    """A box found on the levelled image, as the box enclosing it on the original image."""
    if not angle:
        return box
    cx, cy = size[0] / 2, size[1] / 2
    # PIL rotates counter-clockwise on screen (y down): undo it with the opposite turn.
    theta = math.radians(angle)
    cos, sin = math.cos(theta), math.sin(theta)
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * cos - dy * sin)
        ys.append(cy + dx * sin + dy * cos)
    return (min(xs), min(ys), max(xs), max(ys))
