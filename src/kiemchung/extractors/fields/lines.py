"""Helpers over positioned lines shared by the header and title parsers: a `Field` from the
line it was read on, and the parts of an OCR line (words Tesseract was sure of, runs of words
standing apart), for telling a stamp's or a seal's words from the document's own."""

from __future__ import annotations

import re

from kiemchung.core.model import Field
from kiemchung.extractors.base import Line

# The national motto's two lines, on folded text; a party document prints `ĐẢNG CỘNG SẢN VIỆT
# NAM` there and a youth-union one `ĐOÀN TNCS HỒ CHÍ MINH` (only at a line's end and not after
# `BAN CHẤP HÀNH`: a union body's own name opens with it, `Đoàn TNCS Hồ Chí Minh thành phố …`,
# or wraps after it, `BAN CHẤP HÀNH ĐOÀN TNCS HỒ CHÍ MINH` / `TỈNH …`).
MOTTO = re.compile(
    r"cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc|dang cong san viet nam"
    r"|(?<!ban chap hanh )(?<!bch )doan (?:tncs|thanh nien cong san) ho chi minh(?=\W*$)"
)
# Tesseract's word confidence below which a word is taken for a stamp's or a seal's specks.
SURE_WORD = 0.5
# Words further apart than this many word heights stand in different columns (or a stamp).
_SEGMENT_GAP = 2.5
# A line centred under another: its middle within this share of its width (plus a few points)
# of the other's middle.
_CENTRED = 0.08
_CENTRED_SLACK = 8.0


def field_of(value: str, line: Line, *, confidence: float | None = None) -> Field:
    return Field(
        value=value,
        page=line.page,
        bbox=list(line.bbox) if line.bbox else None,
        method=line.method,
        confidence=round(confidence if confidence is not None else line.confidence, 3),
    )


def _has_word_boxes(line: Line) -> bool:
    return bool(line.boxes and line.words and len(line.boxes) == len(line.words))


def _part(line: Line, start: int, end: int) -> Line:
    """Words [start, end) of an OCR line as a line of their own."""
    words, boxes = line.words[start:end], line.boxes[start:end]  # type: ignore[index]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    confidence = sum(c for _, c in words) / len(words)
    return Line(" ".join(w for w, _ in words), line.page, line.method, box, confidence, words, boxes)


def sure_words(line: Line) -> str:
    """An OCR line without the words Tesseract barely saw: stamp text and specks beside a type
    line (`Kết: 23-10.025 5 - KẾ HOẠCH : :`)."""
    if line.method != "ocr" or not line.words:
        return line.text
    return " ".join(w for w, conf in line.words if conf >= SURE_WORD and (len(w) > 1 or w.isalnum()))


def is_noise(line: Line) -> bool:
    """An OCR line with no word read with any confidence (a seal, a stamp's border, the edge of
    the desk in a photo): it would only push the header's lines apart."""
    if line.method != "ocr" or not line.words:
        return False
    return not any(conf >= SURE_WORD and sum(ch.isalnum() for ch in w) >= 2 for w, conf in line.words)


def segments(line: Line) -> list[Line]:
    """An OCR line cut where its words stand far apart: Tesseract reads a stamp or a seal beside
    the type line into the same line (`UBND TỈNH LÂM ĐỒNG   KẾ HOẠCH`)."""
    if not _has_word_boxes(line) or len(line.boxes) < 2:  # type: ignore[arg-type]
        return [line]
    boxes = line.boxes or []
    height = sorted(b[3] - b[1] for b in boxes)[len(boxes) // 2]
    cuts = [k for k in range(1, len(boxes)) if boxes[k][0] - boxes[k - 1][2] > _SEGMENT_GAP * height]
    if not cuts:
        return [line]
    return [_part(line, a, b) for a, b in zip([0, *cuts], [*cuts, len(boxes)], strict=True)]


def centred_part(line: Line, centre: float) -> Line | None:
    """The longest run of an OCR line's words centred on `centre` (a title under its centred
    type line): without the words a stamp left at either end (`BỀN Ngày.ÁbÍ401 … của Ủy ban …`).
    None when no run is centred there (a stamp's own line beside the title)."""
    if not _has_word_boxes(line):
        return line
    boxes = line.boxes or []
    best: tuple[int, int] | None = None
    for i in range(len(boxes)):
        for j in range(len(boxes) - 1, i - 1, -1):
            if best is not None and j - i <= best[1] - best[0]:
                break
            x0, x1 = boxes[i][0], boxes[j][2]
            if abs((x0 + x1) / 2 - centre) <= _CENTRED * (x1 - x0) + _CENTRED_SLACK:
                best = (i, j)
                break
    if best is None:
        return None
    i, j = best
    return line if (i, j) == (0, len(boxes) - 1) else _part(line, i, j + 1)


def without_leading_marks(line: Line) -> Line:
    """An OCR line without the punctuation-only words before its first word (a stamp's border or
    dash read before a title: `- Ban hành Quy chế …`)."""
    if not _has_word_boxes(line):
        return line
    words = line.words or []
    start = next((k for k, (w, _) in enumerate(words) if any(ch.isalnum() for ch in w)), 0)
    return _part(line, start, len(words)) if start else line
