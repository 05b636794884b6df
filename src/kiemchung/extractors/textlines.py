"""Lines of a PDF text layer from pdfium's text and character boxes, saying what the page says.

pdfium gives the page's characters in content-stream order, split into lines. Three things it
does not do, which e-office and scanner software make necessary:

- digits that e-office systems stamp into a finished document - the number, the day, sometimes
  the month - are drawn in a signature widget or appended at the end of the content stream, in
  another font: they come out after everything else, or only once annotations are flattened.
  They are put back into the line whose blank they fill, by position;
- a layer that positions each word without a space character (ABBYY FineReader exports) reads
  `SỞVĂNHÓA,THỂTHAOVÀDULỊCH`: spaces are put back where the gap between two characters is wider
  than the gaps inside the line's words;
- a legacy 8-bit encoding (TCVN3, VNI) is converted to Unicode.
"""

from __future__ import annotations

import re
import statistics

import pypdfium2.raw as pdfium_c

from kiemchung.core.text import clean, fold
from kiemchung.extractors.base import BBox, Line
from kiemchung.extractors.font_encodings import to_unicode
from kiemchung.extractors.syllables import glued_syllables

Token = tuple[str, BBox]
_NUMERIC = re.compile(r"\d{1,6}")
_NUMERIC_LINE = re.compile(r"\s*\d{1,6}(?:\s+\d{1,6})*\s*")
# A line with a blank for the clerk: the number line or the place-date line (folded).
_FILL_PLACE = re.compile(r"\bso\s*:|\bngay\b|\bthang\b|\bnam\b")
_LETTER_RUN = re.compile(r"[^\W\d_]{3,}")
# Extra gap, in font sizes, beyond the usual gap between a line's letters that means a space.
_WORD_GAP = 0.1


def line_bbox(textpage, start: int, end: int, page_height: float) -> BBox | None:
    """Box of chars [start, end) in top-left-origin points, from the first and last glyphs."""
    boxes = []
    for index in (start, end - 1):
        try:
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
        except Exception:  # noqa: BLE001 - pdfium raises bare errors for odd glyphs
            continue
        boxes.append((left, bottom, right, top))
    if not boxes:
        return None
    x0 = min(b[0] for b in boxes)
    x1 = max(b[2] for b in boxes)
    top = page_height - max(b[3] for b in boxes)
    bottom = page_height - min(b[1] for b in boxes)
    return (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) char indices of each line; pdfium separates lines with \r\n (2 chars)."""
    out, offset = [], 0
    for chunk in text.split("\r\n"):
        out.append((offset, offset + len(chunk)))
        offset += len(chunk) + 2
    return out


def numeric_tokens(textpage, text: str, start: int, end: int, height: float) -> list[Token]:
    """The digit tokens of text[start:end] with their boxes (stamped numbers, days, months)."""
    tokens = []
    for m in re.finditer(r"\S+", text[start:end]):
        if not _NUMERIC.fullmatch(m.group(0)):
            continue
        at = start + m.start()
        box = line_bbox(textpage, at, at + len(m.group(0)), height)
        if box:
            tokens.append((m.group(0), box))
    return tokens


def _fill_in(textpage, start: int, end: int, tokens: list[Token]) -> str:
    """Merge stamped tokens into a line at their x position (`Số: /QĐ-UBND` + 2536)."""
    pieces = []
    for index in range(start, end):
        try:
            left, _, _, _ = textpage.get_charbox(index, loose=True)
        except Exception:  # noqa: BLE001
            continue
        pieces.append((left, textpage.get_text_range(index, 1)))
    pieces += [(box[0], f" {token} ") for token, box in tokens]
    pieces.sort(key=lambda piece: piece[0])
    return " ".join("".join(text for _, text in pieces).split())


def _inside(token_box: BBox, line_box: BBox) -> bool:
    """A stamped token belongs to a line when it sits on its band, within it or just after it
    (a stamped year follows `năm`)."""
    middle = (token_box[1] + token_box[3]) / 2
    return line_box[1] - 2 <= middle <= line_box[3] + 2 and line_box[0] - 2 <= token_box[0] <= line_box[2] + 40


def _needs_spaces(chunk: str) -> bool:
    """Syllables run together: a layer that placed its words without space characters."""
    return any(glued_syllables(run) for run in _LETTER_RUN.findall(chunk))


def _respaced(textpage, start: int, end: int) -> str | None:
    """The line rebuilt from its characters' boxes, with a space wherever the gap to the next
    character is wider than the line's usual gap between letters by a tenth of the font size
    (the rule pdftotext applies)."""
    chars: list[tuple[str, float, float, float]] = []  # char, left, right, font size
    for index in range(start, end):
        try:
            left, _, right, _ = textpage.get_charbox(index, loose=True)
        except Exception:  # noqa: BLE001
            return None
        chars.append((textpage.get_text_range(index, 1), left, right, pdfium_c.FPDFText_GetFontSize(textpage.raw, index)))
    gaps = [b[1] - a[2] for a, b in zip(chars, chars[1:], strict=False) if not a[0].isspace() and not b[0].isspace()]
    if len(gaps) < 3:
        return None
    usual = statistics.median(gaps)
    out = [chars[0][0]]
    for a, b in zip(chars, chars[1:], strict=False):
        wide = b[1] - a[2] - usual > _WORD_GAP * max(a[3], b[3], 1.0)
        if wide and not a[0].isspace() and not b[0].isspace():
            out.append(" ")
        out.append(b[0])
    return "".join(out)


def _fill_place(chunk: str) -> bool:
    return bool(_FILL_PLACE.search(fold(chunk)))


def text_lines(
    textpage, text: str, number: int, height: float, stamped: list[Token], legacy: str | None
) -> list[Line]:
    """The page's lines with boxes. `stamped`: digits found only once annotations were flattened.
    A line of nothing but digits (drawn apart from the text, after it) lends them to the number
    or place-date line whose band they sit on; digits that fill no blank stay where they were."""
    rows = [(s, e) for s, e in spans(text) if text[s:e].strip()]
    boxes = [line_bbox(textpage, s, e, height) for s, e in rows]
    loose: dict[int, list[Token]] = {
        i: numeric_tokens(textpage, text, s, e, height) for i, (s, e) in enumerate(rows) if _NUMERIC_LINE.fullmatch(text[s:e])
    }
    lent: set[tuple[int, int]] = set()  # (loose row, token index) merged elsewhere
    lines: list[Line | None] = []
    for i, (start, end) in enumerate(rows):
        if i in loose:
            lines.append(None)  # filled in below with what was not lent
            continue
        chunk, bbox = text[start:end], boxes[i]
        mine = [t for t in stamped if bbox and _inside(t[1], bbox)]
        stamped = [t for t in stamped if t not in mine]
        if loose and bbox and _fill_place(chunk):
            for row, tokens in loose.items():
                for k, token in enumerate(tokens):
                    if (row, k) not in lent and _inside(token[1], bbox):
                        mine.append(token)
                        lent.add((row, k))
        if mine:
            chunk = _fill_in(textpage, start, end, mine)
        elif _needs_spaces(chunk):
            chunk = _respaced(textpage, start, end) or chunk
        lines.append(_line(chunk, number, bbox, legacy))
    for row, tokens in loose.items():
        kept = [token for k, token in enumerate(tokens) if (row, k) not in lent]
        if kept:
            start, end = rows[row]
            box = boxes[row] if len(kept) == len(tokens) else _union([t[1] for t in kept])
            lines[row] = _line(" ".join(t[0] for t in kept), number, box, legacy)
    return [line for line in lines if line is not None]


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _line(chunk: str, number: int, bbox: BBox | None, legacy: str | None) -> Line:
    if legacy:  # before clean(): TCVN3 writes ư as 0xAD, a soft hyphen clean() drops
        chunk = to_unicode(chunk, legacy)
    return Line(clean(chunk), number, "text", bbox)
