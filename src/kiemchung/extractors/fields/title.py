"""The trích yếu: the title under a type line (`KẾ HOẠCH` / `Chuyển đổi số năm 2024 …`) or a
công văn's `V/v …` under its number, as positioned lines give it.

On scans and photos a stamp (`ĐẾN Số: … Ngày: …`, the portal's `CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH
PHỦ`) often sits beside or over the title and OCR reads its words into the title's lines: only
the run of words centred under the type line is kept, and a stamp's fields at either end go.
"""

from __future__ import annotations

import re

from kiemchung.core.model import Field
from kiemchung.core.text import fold
from kiemchung.extractors.base import Line
from kiemchung.extractors.fields.dates import match_place_date
from kiemchung.extractors.fields.lines import (
    MOTTO,
    centred_part,
    field_of,
    is_noise,
    without_leading_marks,
)
from kiemchung.extractors.fields.marks import is_stamp_line
from kiemchung.extractors.fields.number import match_number

RULE = re.compile(r"^[\s\-_=*.]+$")
# Lines that end the trích yếu and start the body.
BODY_START = re.compile(
    r"^(can cu|kinh gui|thuc hien|theo\b|nham\b|tren co so|xet\b|de\b(?! (an|nghi|xuat|cuong|tai)\b)|dieu \d|"
    r"(chuong|phan|muc) ([ivxlc]+|\d+)\b|"
    r"i\.|ii\.|1\.|1\)|a\)|- |\+ )"
)
# The authority a decision speaks for (`CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …`) opens its body; set in
# capitals, unlike a title that names the same body (`… Chủ tịch Ủy ban nhân dân thành phố …`).
_AUTHORITY_LINE = re.compile(
    r"^(chu tich|giam doc|cuc truong|bo truong|thu tuong|hieu truong|truong ban|uy ban nhan dan (thanh pho|tinh|quan|huyen|phuong|xa))"
)
VV = re.compile(r"\b[Vv]\s*/\s*[vVwy]\b.*")  # OCR reads V/v as V/w, V/y
# A stamp's field read into a title line by OCR: `Số: 17026`, `Ngày: 23-10-2025`, `Giờ: …`.
_STAMP_FIELD = re.compile(r"^\W*(?:ngay|gio|chuyen|so|den)\s*[:;]\s*\S")
# Tokens a stamp leaves at either end of a title line: `sø:17026`, `23-10-2025`, `ĐẾN`, its
# border; a dash or a comma may end a wrapped title line (`Đài Phát thanh -`) and stays there.
_STAMP_TOKEN = r"(?:\S*[:;.]\S*\d\S*|\d{1,2}[\-.]\d{1,2}[\-.]\d{2,4}\S*|[ĐD][ẾE]N|[=|~_]+)"
_STAMP_EDGES = re.compile(rf"^(?:{_STAMP_TOKEN}\s+)+|(?:\s+{_STAMP_TOKEN})+$")
_LEADING_MARKS = re.compile(r"^(?:[.,:;\-]+\s+)+")  # before a title's first word only
# A title line further below the one above it than this many line heights: the body has begun.
_TITLE_GAP = 1.2
# A one-word line continues the title only centred under it: within this share of its width.
_TITLE_CENTRED = 0.15


def is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _continues_title(prev: Line, line: Line) -> bool:
    """Whether `line` carries on the title whose last line so far is `prev`. Title lines are set
    close together and centred; the body starts after a gap (the rule under the title), at the
    margin. A one-word line is only a wrapped title's last word when it is centred under it,
    which Word paragraphs (no positions) never show."""
    if prev.bbox and line.bbox:
        height = prev.bbox[3] - prev.bbox[1]
        if height > 0 and line.bbox[1] - prev.bbox[3] > _TITLE_GAP * height:
            return False
    if len(line.text.split()) > 1:
        return True
    if not (prev.bbox and line.bbox):
        return False
    offset = abs((prev.bbox[0] + prev.bbox[2]) - (line.bbox[0] + line.bbox[2])) / 2
    return offset <= _TITLE_CENTRED * (prev.bbox[2] - prev.bbox[0])


def _ends_title(line: Line) -> bool:
    """A line no title runs into: the body's opening, a number or date line, a stamp's text
    (`ĐẾN Số: … Ngày: …` beside the title), `Kính gửi` that OCR merged with a stamp."""
    folded = fold(line.text)
    return bool(
        BODY_START.match(folded)
        or (_AUTHORITY_LINE.match(folded) and is_caps(line.text))
        or _STAMP_FIELD.match(folded)
        or "kinh gui" in folded
        or is_stamp_line(line.text, folded=folded)
        or match_place_date(line.text)
        or match_number(line.text)
    )


def _wrapped_at_a_dash(prev: Line, line: Line) -> bool:
    """`- Truyền hình Đà Nẵng` under `… Đài Phát thanh`: a title wrapped before its dash, not a
    bullet of the body (which stands at the margin, after a gap)."""
    return line.text.lstrip().startswith("-") and bool(prev.bbox and line.bbox) and _continues_title(prev, line) and (
        abs((prev.bbox[0] + prev.bbox[2]) - (line.bbox[0] + line.bbox[2])) / 2 <= _TITLE_CENTRED * (prev.bbox[2] - prev.bbox[0])  # type: ignore[index]
    )


def title_lines(lines: list[Line], start: int, heading: Line) -> list[Line]:
    """The trích yếu under the type line `heading` (lines[start - 1]): up to three lines set
    close together, centred under it."""
    centre = (heading.bbox[0] + heading.bbox[2]) / 2 if heading.bbox else None
    taken: list[Line] = []
    for whole in lines[start : start + 6]:
        line = centred_part(whole, centre) if centre is not None else whole
        if line is not None and not taken:
            line = without_leading_marks(line)
        if line is None or not fold(line.text) or RULE.match(line.text) or is_noise(line):
            if taken:
                break
            continue  # a stamp's own line, a rule, a seal's specks
        if _ends_title(line) and not (taken and _wrapped_at_a_dash(taken[-1], line)):
            break
        if taken and is_caps(line.text) and not is_caps(taken[-1].text):
            break  # "CỤC TRƯỞNG CỤC HẢI QUAN …" under a sentence-case title opens the body
        if taken and not _continues_title(taken[-1], line):
            break
        taken.append(line)
        if len(taken) == 3:
            break
    return taken


def _same_column(first: Line, line: Line) -> bool:
    """A wrapped `V/v` line stays under the first one (the left column), never in the motto's."""
    if not (first.bbox and line.bbox):
        return True
    overlap = min(first.bbox[2], line.bbox[2]) - max(first.bbox[0], line.bbox[0])
    return overlap > 0.5 * min(first.bbox[2] - first.bbox[0], line.bbox[2] - line.bbox[0])


def vv_title_lines(lines: list[Line]) -> tuple[int | None, list[Line]]:
    """A công văn's subject (`V/v …` under the number, wrapped over up to five lines) and the
    index of its first line."""
    for i, line in enumerate(lines):
        if not VV.search(line.text):
            continue
        taken = [line]
        for nxt in lines[i + 1 : i + 6]:
            if _ends_title(nxt) or MOTTO.search(fold(nxt.text)) or len(nxt.text) > 80:
                break
            if not _same_column(line, nxt) or not _continues_title(taken[-1], nxt):
                break
            taken.append(nxt)
        return i, taken
    return None, []


def _title_text(line: Line, *, first: bool) -> str:
    """A title line as printed; from OCR without a stamp's field at either end and its border
    (`|`) that cuts a word, nor, on the first line, a dash before the first word."""
    text = line.text.strip()
    if line.method != "ocr":
        return text
    text = _STAMP_EDGES.sub("", " ".join(text.replace("|", " ").split())).strip()
    return _LEADING_MARKS.sub("", text) if first else text


def title_field(taken: list[Line], *, vv: bool) -> Field | None:
    if not taken:
        return None
    texts = [_title_text(line, first=k == 0) for k, line in enumerate(taken)]
    if vv:
        match = VV.search(taken[0].text)
        texts[0] = match.group(0) if match else texts[0]
    text = " ".join(" ".join(texts).split()).lstrip("_|~=")  # a rule's or a stamp's end before it
    return field_of(text, taken[0], confidence=min(line.confidence for line in taken))
