"""Where the handwritten fill-ins sit on a scanned page 1: the number and place-date lines, the
full-width bands the second reader reads around them, the reader's boxes joined into printed rows,
and the empty blank between the printed words when the reader saw no ink there.
"""

from __future__ import annotations

import re

from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import BBox, Line, Page
from kiemchung.extractors.fields.dates import match_date_parts
from kiemchung.extractors.fields.header import date_rank
from kiemchung.extractors.fields.number import looks_like_number_line

_BAND_PAD = 0.6  # of a line's height, above and below: handwriting overflows the printed line
_SAME_BAND = 3.0  # number and date lines closer than this many line heights share one band
_COLUMN_GAP = 5.0  # of a line's height: a wider gap between two pieces of a row is a column gap
_PLACE_DATE_START = re.compile(r"[a-z][a-z .]*,\s*ngay")


def number_line(lines: list[Line]) -> int | None:
    for i, line in enumerate(lines):
        if looks_like_number_line(line.text):
            return i
    return None


_DATE_SPAN = re.compile(r"ngay.*?nam\s*(?:19|20)\d\d")


def date_line(lines: list[Line]) -> int | None:
    """The place-date line, its day or month perhaps unread; never a date inside a sentence
    (`… báo cáo trước ngày 15 tháng 12 năm 2024.`, a cited decree's), which two readers would
    read alike and so be trusted."""
    for i, line in enumerate(lines):
        span = _DATE_SPAN.search(fold_chars(line.text)) if match_date_parts(line.text) else None
        if span and date_rank(line.text, span.start(), span.end()) > 0:
            return i
    return None


def _padded(line: Line, width: float) -> BBox:
    x0, top, x1, bottom = line.bbox or (0, 0, width, 0)
    pad = (bottom - top) * _BAND_PAD
    return (0.0, max(0.0, top - pad), width, bottom + pad)


def bands(lines: list[Line], page: Page, at: list[int]) -> list[BBox]:
    """Full-width bands around the number and date lines: one when they are close (same line,
    or the date just above the number), else one each."""
    found = [lines[i] for i in dict.fromkeys(at) if lines[i].bbox]
    if not found or not page.width:
        return []
    boxes = [_padded(line, page.width) for line in found]
    if len(boxes) == 2:
        height = max(line.bbox[3] - line.bbox[1] for line in found)  # type: ignore[index]
        if abs(boxes[0][1] - boxes[1][1]) <= _SAME_BAND * height:
            return [(0.0, min(b[1] for b in boxes), page.width, max(b[3] for b in boxes))]
    return boxes


Box = tuple[str, float, BBox]


def rows(boxes: list[Box]) -> list[Box]:
    """The reader's boxes joined into printed lines, left to right: it often splits a line at the
    handwriting (`Số: 2388` | `/KH-SYT`, `ngày` | `23` | `tháng 11 năm 2025`). A row's score is
    its weakest box's; its box is the union."""
    joined = []
    for row in row_pieces(boxes):
        text = " ".join(b[0].strip() for b in row)
        union = (min(b[2][0] for b in row), min(b[2][1] for b in row), max(b[2][2] for b in row), max(b[2][3] for b in row))
        joined.append((text, min(b[1] for b in row), union))
    return joined


def row_pieces(boxes: list[Box]) -> list[list[Box]]:
    """The reader's boxes grouped into rows (one header column each), left to right."""
    out: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b[2][1] + b[2][3]) / 2):
        mid = (box[2][1] + box[2][3]) / 2
        row = next((r for r in out if abs(mid - _mid(r)) <= _row_height(r) * 0.5), None)
        if row is None:
            out.append([box])
        else:
            row.append(box)
    return [segment for r in out for segment in _segments(r)]


# The printed words on either side of a blank the clerk fills in (folded reader text).
_BLANKS = {
    "number": (re.compile(r"s\s?[o0]\s*[:;.]?$"), re.compile(r"^/")),
    "day": (re.compile(r"ngay$"), re.compile(r"^thang")),
    "month": (re.compile(r"thang$"), re.compile(r"^nam")),
}
_BLANK_MIN_WIDTH = 0.4  # of the line's height: narrower is a space between words, not a blank
_BLANK_PAD = 0.35  # of the line's height, above and below: ink overflows the printed line


def blank_between(boxes: list[Box], which: str) -> BBox | None:
    """The empty stretch between the printed words around a fill-in, when the reader's detector
    found no ink there (a thin single digit) and so read nothing."""
    before, after = _BLANKS[which]
    for row in row_pieces(boxes):
        for i, (left, _, lbox) in enumerate(row):
            if not before.search(fold(left).strip()):
                continue
            # Between the words, at most ink the reader made no digits of (`了` for a 3).
            rest = iter(row[i + 1 :])
            right, rbox = next(((t, b) for t, _, b in rest if after.search(fold(t).strip()) or re.search(r"\d", t)), ("", None))
            if rbox is not None and after.search(fold(right).strip()):
                height = max(lbox[3] - lbox[1], rbox[3] - rbox[1])
                if rbox[0] - lbox[2] < _BLANK_MIN_WIDTH * height:
                    return None
                pad = _BLANK_PAD * height
                return (lbox[2], min(lbox[1], rbox[1]) - pad, rbox[0], max(lbox[3], rbox[3]) + pad)
    return None


def _segments(row: list[Box]) -> list[list[Box]]:
    """A row cut between the header's two columns: where the place-date begins (`Đà Nẵng,
    ngày`), or at a gap too wide for a blank (a blank left for the day is wide too)."""
    row = sorted(row, key=lambda b: b[2][0])
    heights = sorted(b[2][3] - b[2][1] for b in row)
    gap = _COLUMN_GAP * heights[len(heights) // 2]  # the print's height: ink pieces stand taller
    out = [[row[0]]]
    for box in row[1:]:
        if _PLACE_DATE_START.match(fold(box[0]).strip()) or box[2][0] - out[-1][-1][2][2] > gap:
            out.append([box])
        else:
            out[-1].append(box)
    return out


def _mid(row: list[Box]) -> float:
    return sum((b[2][1] + b[2][3]) / 2 for b in row) / len(row)


def _row_height(row: list[Box]) -> float:
    return max(b[2][3] - b[2][1] for b in row)



# The printed words on either side of a blank as Tesseract reads them (folded): it reads print
# well and splits words at spaces, so its boxes place the blank even where the second reader's
# line box runs through it. Tesseract may glue the ink to a word (`ngày99`, `Số:20`).
_WORD_ANCHORS = {
    "number": re.compile(r"^s[o0]\s*[:;.]?"),
    "day": re.compile(r"^ngay"),
    "month": re.compile(r"^thang"),
}
_WORD_AFTER = {"day": re.compile(r"^thang"), "month": re.compile(r"^nam")}
# Where the printed symbol begins in a number's word: a slash before letters (or before the year
# and letters, `/2025/TT-BKHCN`), or capitals before a hyphen (`12BCA-C04`, the slash lost). A
# lone `/` is ink (a handwritten 1), and so are capitals alone (`ZZ⁄⁄` for 511).
_SYMBOL_START = re.compile(r"/\s*(?:(?:19|20)\d\d\s*/\s*)?[A-ZĐ]|[A-ZĐ]{2}[A-Za-zĐđ]*-")
_WORD_BLANK_PAD = 0.5  # of the words' height, above and below: ink overflows the line
_WORD_BLANK_MIN = 0.3  # of the words' height: narrower is a space between words, not a blank


def word_blank(line: Line, which: str) -> BBox | None:
    """The blank between the printed words around a fill-in, from Tesseract's word boxes of the
    number or place-date line: from where `Số:` / `ngày` / `tháng` ends to where the symbol /
    `tháng` / `năm` begins (inside a word, by the share of its characters)."""
    if not line.words or not line.boxes or len(line.words) != len(line.boxes):
        return None
    words = list(zip([w for w, _ in line.words], line.boxes, strict=True))
    for i, (word, box) in enumerate(words):
        start = _WORD_ANCHORS[which].match(fold(word))
        if not start:
            continue
        left = _split_at(word, box, start.end())
        for later, later_box in words[i + 1 :]:
            cut = _right_edge(which, later)
            if cut is None:
                continue
            right = _split_at(later, later_box, cut)
            height = max(box[3] - box[1], later_box[3] - later_box[1])
            if right - left < _WORD_BLANK_MIN * height:
                return None
            pad = _WORD_BLANK_PAD * height
            return (left, min(box[1], later_box[1]) - pad, right, max(box[3], later_box[3]) + pad)
        return None
    return None


def _right_edge(which: str, word: str) -> int | None:
    """Where in `word` the print after the blank begins, or None if it is not that word."""
    if which == "number":
        m = _SYMBOL_START.search(word)
        return m.start() if m else None
    return 0 if _WORD_AFTER[which].match(fold(word)) else None


def _split_at(word: str, box: BBox, index: int) -> float:
    """The x where character `index` of a word starts, by the share of its characters."""
    if index >= len(word):
        return box[2]
    return box[0] + (box[2] - box[0]) * index / max(1, len(word))
