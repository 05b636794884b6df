"""Signature blocks printed side by side (joint documents) that a reader merged into one line.

OCR reads `KT. BỘ TRƯỞNG … KT. CHÁNH ÁN` and the names under them as single lines; its word boxes
show where one block ends and the next begins (a wide gap). Text layers of Word exports keep the
blocks apart (table cells come one after the other), but a merged line without boxes is cut at
its authority prefixes' share of the text. Geometry only: which words stand in which block.
"""

from __future__ import annotations

import re

from kiemchung.extractors.base import Line
from kiemchung.extractors.fields import nlp

# Prefixes are matched loosely here: OCR spoils the role after one (`KT. ào TRƯỜNG`) more than
# the prefix itself.
LOOSE_AUTHORITY = re.compile(r"(?<![A-Za-z])(TM|KT|TL|TUQ)\s?[.,:;]")
# A gap between two words wider than this many word heights (and this many points) parts blocks.
_GAP_HEIGHTS = 1.5
_GAP_MIN = 20.0
# The outer blocks' names may reach beyond their role lines by this share of the row's width.
_OUTER_MARGIN = 0.1

Span = tuple[float, float]


def _word_index(text: str, offset: int) -> int:
    return len(text[:offset].split())


def _segments(line: Line) -> list[tuple[int, int]]:
    """Runs of words (first, end) separated by wide gaps; [] without word boxes."""
    boxes = line.boxes
    if not boxes or len(boxes) != len(line.text.split()):
        return []
    heights = sorted(b[3] - b[1] for b in boxes)
    wide = max(_GAP_MIN, _GAP_HEIGHTS * heights[len(heights) // 2])
    cuts = [i for i in range(1, len(boxes)) if boxes[i][0] - boxes[i - 1][2] > wide]
    edges = [0, *cuts, len(boxes)]
    return list(zip(edges, edges[1:], strict=False))


def _spans_by_gaps(line: Line, words: set[int]) -> list[Span]:
    """The wide-gap segments of a line that hold an authority or role: one per block."""
    boxes = line.boxes or []
    return [(boxes[a][0], boxes[b - 1][2]) for a, b in _segments(line) if any(a <= w < b for w in words)]


def _cuts_by_text(line: Line) -> list[float]:
    """No word boxes: cut before each authority prefix after the first, at its share of the text."""
    if line.bbox is None:
        return []
    starts = [m.start() for m in LOOSE_AUTHORITY.finditer(line.text)]
    x0, _, x1, _ = line.bbox
    return [x0 + (x1 - x0) * start / max(len(line.text), 1) for start in starts[1:]]


def column_spans(group: list[nlp.Mention], lines: list[Line]) -> list[Span]:
    """Each block's span of x, left to right, when the group's lines hold several blocks side by
    side; [] for a single block (a block merged with the recipients column beside it is one)."""
    boxes = [lines[m.line].bbox for m in group if lines[m.line].bbox]
    if not boxes:
        return []
    best: list[float] = []
    for index in sorted({m.line for m in group}):
        line = lines[index]
        words = {_word_index(line.text, m.start) for m in group if m.line == index}
        words |= {_word_index(line.text, m.start()) for m in LOOSE_AUTHORITY.finditer(line.text)}
        if line.boxes:
            spans = _spans_by_gaps(line, words)
            cuts = [(a[1] + b[0]) / 2 for a, b in zip(spans, spans[1:], strict=False)]
        else:
            cuts = _cuts_by_text(line)
        if len(cuts) > len(best):
            best = cuts
    if not best:
        return []
    x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
    margin = _OUTER_MARGIN * (x1 - x0)
    edges = [x0 - margin, *best, x1 + margin]
    return list(zip(edges, edges[1:], strict=False))


def words_in(line: Line, span: Span) -> str | None:
    """The words of a merged line whose centres fall in `span`; None without word boxes."""
    if not line.boxes or len(line.boxes) != len(line.text.split()):
        return None
    words = line.text.split()
    return " ".join(w for w, b in zip(words, line.boxes, strict=True) if span[0] <= (b[0] + b[2]) / 2 < span[1])


def in_span(mention: nlp.Mention, lines: list[Line], span: Span) -> bool:
    """Whether a mention stands in that block (always, for lines without word boxes)."""
    line = lines[mention.line]
    if not line.boxes or len(line.boxes) != len(line.text.split()):
        return True
    box = line.boxes[min(_word_index(line.text, mention.start), len(line.boxes) - 1)]
    return span[0] <= (box[0] + box[2]) / 2 < span[1]
