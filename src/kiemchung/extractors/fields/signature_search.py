"""Which signature block is the claimed document's, wherever it is in the file.

Decree 30 puts the block on the document's last page, but files go on after it: appendices,
annexes and landscape tables, an attached draft with its drafted signer, a second document with
its own number and signer. The claimed document is the one page 1 starts; its block is the first
complete one (role lines and a name) after page 1's header.

- Text pages (and Word files) are cheap: read from page 1 on, the first complete block wins.
  A text file whose last page prints the file's page count is one document: its last page's
  block is taken without reading the pages between.
- Scans are searched back from the last page, guided by role lines and `Nơi nhận:`, with at most
  SIGNATURE_OCR_PAGES pages OCR'd; the first complete block that is not another document's wins.

A page belongs to another document when it starts one (its own `Số:` line at the top, or the
national motto again) or when its printed page number counts from a first page after page 1.
On a scanned page that shows the block's role or `Nơi nhận:` but no name, the block alone is
OCR'd again, closer (`RawDocument.region_loader`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemchung.core.model import Field
from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import BBox, Page, RawDocument
from kiemchung.extractors.fields.number import match_number
from kiemchung.extractors.fields.signature import (
    NAME_WINDOW,
    Block,
    SignatureFields,
    closes_body,
    first_complete,
    read_block,
    signature_blocks,
    unanchored_name,
)
from kiemchung.extractors.fields.signature_names import joint_signers

# Pages OCR'd at most while looking for the block, the last page included: a 20-page decision
# signed on page 14 before six pages of landscape tables needs seven. Blank backs count too.
SIGNATURE_OCR_PAGES = 8
_BLANK_LETTERS = 30
# The second look at a signature block spans from its first line down this share of the page
# (role, signature space, name) and from this share of the width rightwards.
_BLOCK_DEPTH = 0.3
_BLOCK_LEFT = 0.45
# An anchor line starting left of this share of the width was merged with the recipients column.
_MERGED_LEFT = 0.4
# A document's header: the number and date lines sit among its first lines, in the top of the page.
_HEADER_LINES = 15
_HEADER_SHARE = 0.35
# A printed page number: a lone number near the top centre, read with this confidence at least.
_PAGE_NUMBER_TOP = 0.12
_PAGE_NUMBER_CONFIDENCE = 0.85
_MOTTO = re.compile(r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia")
# A number line starts with its `Số` (a recipient `- Phó GĐ Sở: …` is none).
_NUMBER_FIRST = re.compile(r"^\W{0,3}s\s?[o0-9]")
_PAGE_NUMBER = re.compile(r"^-?\s*(\d{1,3})\s*-?$")


@dataclass
class _Span:
    """The lines of a page that may hold the claimed document's block: lines[start:stop]."""

    start: int
    stop: int
    foreign: bool  # the whole page belongs to another document
    # The file page where that other document starts, when its printed page number says so.
    other_start: int | None = None


def _blank(page: Page) -> bool:
    return sum(ch.isalpha() for ch in page.text) < _BLANK_LETTERS


def _top(page: Page, line_index: int, share: float) -> bool:
    box = page.lines[line_index].bbox
    return bool(box and page.height and box[1] < share * page.height)


def _printed_number(page: Page) -> int | None:
    """The page number printed at the top centre (pages 2 on of a Decree-30 document)."""
    for i, line in enumerate(page.lines[:3]):
        m = _PAGE_NUMBER.match(line.text.strip())
        box = line.bbox
        if not (m and box and page.width and _top(page, i, _PAGE_NUMBER_TOP)):
            continue
        centre = (box[0] + box[2]) / 2 / page.width
        if 0.35 < centre < 0.65 and line.confidence >= _PAGE_NUMBER_CONFIDENCE:
            return int(m.group(1))
    return None


def _motto(text: str) -> bool:
    """The national motto as a header prints it, in capitals (a preamble's "Hiến pháp nước Cộng
    hòa xã hội chủ nghĩa Việt Nam" is none)."""
    m = _MOTTO.search(fold_chars(text))
    letters = [ch for ch in text[m.start() : m.end()] if ch.isalpha()] if m else []
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _number_line(text: str) -> bool:
    """A `Số: …/…` line: its number and symbol parse, or are left blank (a draft)."""
    return bool(_NUMBER_FIRST.match(fold(text))) and match_number(text) is not None


def _header_end(page: Page) -> int:
    """Past page 1's header: after its last number, date or motto line among its first lines,
    in the top of the page."""
    end = 0
    for i, line in enumerate(page.lines[:_HEADER_LINES]):
        if line.bbox and page.height and not _top(page, i, _HEADER_SHARE):
            break
        folded = fold(line.text)
        if _number_line(line.text) or _motto(line.text) or re.search(r"ngay .{0,12}thang", folded):
            end = i + 1
    return end


def _another_document_from(page: Page, start: int) -> int | None:
    """The first line at or after `start` that opens another document: the national motto (past
    page 1's own), or a `Số:` line at the top of a page after the first. A text layer has the
    motto beside that line; OCR may have garbled it, so a scan's number line counts alone."""
    for i in range(start, len(page.lines)):
        text = page.lines[i].text
        if _motto(text) and not (page.number == 1 and i < _HEADER_LINES):
            return i
        if page.number > 1 and _number_line(text) and _top(page, i, _HEADER_SHARE):
            near = page.lines[max(0, i - 4) : i + 5]
            if page.method == "ocr" or any(_motto(line.text) for line in near):
                return i
    return None


def _span(page: Page) -> _Span:
    start = _header_end(page) if page.number == 1 else 0
    printed = _printed_number(page)
    if printed is not None and 1 < page.number - printed + 1 <= page.number:
        return _Span(start, start, foreign=True, other_start=page.number - printed + 1)
    other = _another_document_from(page, start)
    if other is not None and page.number > 1 and other <= 2:
        return _Span(0, 0, foreign=True)  # the page opens another document
    return _Span(start, len(page.lines) if other is None else other, foreign=False)


def _anchor(page: Page, block: Block | None, span: _Span) -> BBox | None:
    """Top-left of the signature block: its authority or role line, else the `Nơi nhận:` line
    it stands beside (OCR may miss a role line under the seal)."""
    if block is not None and block.bbox:
        return block.bbox
    line = next((ln for ln in page.lines[span.start : span.stop] if fold(ln.text).startswith("noi nhan")), None)
    if line is None or not line.bbox or not page.width:
        return None
    return (page.width * _BLOCK_LEFT, line.bbox[1], page.width, line.bbox[3])


def _region(page: Page, anchor: BBox, span: tuple[float, float] | None = None) -> BBox | None:
    """Where the signer's name should be: from the role line down, right of the recipients; with
    `span`, between those x (one of several blocks side by side)."""
    if not page.width or not page.height:
        return None
    top = max(0.0, anchor[1] - 0.02 * page.height)
    bottom = min(page.height, top + _BLOCK_DEPTH * page.height)
    if span is not None:
        return (max(0.0, span[0]), top, min(page.width, span[1]), bottom)
    x0 = anchor[0] - 0.05 * page.width
    if anchor[0] < _MERGED_LEFT * page.width:  # the line holds the recipients column too
        x0 = _BLOCK_LEFT * page.width
    return (max(0.0, min(x0, _BLOCK_LEFT * page.width)), top, page.width, bottom)


def _read_region(raw: RawDocument, page: Page, region: BBox) -> SignatureFields:
    """Re-OCR one block alone (psm 6, finer); then with red kept, for the rare name printed in
    red ink that seal removal erased."""
    found = SignatureFields()
    for keep_red in (False, True):
        found = read_block(raw.region_loader(page.number, region, keep_red=keep_red))
        if found.signer:
            return found
    return found


def _second_look(raw: RawDocument, page: Page, found: SignatureFields, anchor: BBox | None) -> SignatureFields:
    region = _region(page, anchor) if anchor and raw.region_loader and page.method == "ocr" else None
    if region is None:
        return found
    again = _read_region(raw, page, region)
    if not again.signer:
        return found
    role, authority = found.role or again.role, found.authority or again.authority
    return SignatureFields(again.signer, role, authority, found.block or again.block, again.co_signers)


def _joint_second_look(raw: RawDocument, page: Page, block: Block) -> SignatureFields:
    """Blocks side by side that OCR merged into one line: each column read alone. The right-most
    name read is the main signer (with its role and authority), the others co-signers."""
    found = block.fields
    if found.co_signers or not block.bbox or not raw.region_loader or page.method != "ocr":
        return found
    reads = [_read_region(raw, page, region) for span in block.columns if (region := _region(page, block.bbox, span))]
    signer, co_signers = joint_signers([r.signer for r in reads])
    if signer is None:
        return found
    main = next(r for r in reads if r.signer is not None and r.signer.value == signer.value)
    main.signer = signer
    main.role, main.authority = main.role or found.role, main.authority or found.authority
    main.block, main.co_signers = found.block, co_signers
    return main


def _on_page(raw: RawDocument, page: Page, span: _Span) -> tuple[SignatureFields | None, bool]:
    """The claimed document's block on this page, and whether the page is its signature page
    (a role or `Nơi nhận:` line is there even when the name stays unreadable)."""
    lines = page.lines
    blocks = signature_blocks(lines, span.start, span.stop)
    found = first_complete(blocks, lines)
    if found is not None:
        block = next(b for b in blocks if b.fields is found)
        return (_joint_second_look(raw, page, block) if block.columns else found), True
    partial = blocks[-1] if blocks else None
    if partial is not None and partial.columns and page.method == "ocr":
        joint = _joint_second_look(raw, page, partial)
        if joint.signer:
            return joint, True
    if partial is not None and page.method != "ocr" and not closes_body(lines, span.start, partial.last + NAME_WINDOW):
        partial = None  # capitals in a text page's body ("TRÁCH NHIỆM CỦA GIÁM ĐỐC SỞ"), no block
    fields = partial.fields if partial else SignatureFields()
    fields.signer = unanchored_name(lines[: span.stop], span.start)
    anchor = _anchor(page, partial, span)
    if not fields.signer and page.method == "ocr":
        fields = _second_look(raw, page, fields, anchor)
    if not fields.signer and anchor is not None and page.method == "ocr":
        # The block is here but its name stays unread (seal, signature, a script font): where
        # to look, for the inspector, rather than a verdict that the document is unsigned.
        region = _region(page, anchor) or anchor
        fields.where = Field(value=fields.block, page=page.number, bbox=list(region), method="ocr", confidence=0.0)
    if fields.signer or anchor is not None:
        return fields, True
    return None, False


def _order(raw: RawDocument) -> tuple[list[int], bool]:
    """Pages in search order and whether it is the scan order (back from the end)."""
    last = raw.page(raw.page_count)
    if last.method == "ocr":
        return list(range(raw.page_count, 0, -1)), True
    return list(range(1, raw.page_count + 1)), False


def _whole_file_is_one_document(raw: RawDocument) -> SignatureFields | None:
    """A text file whose last page prints the file's page count as its number is one document
    from page 1 to the end: its block there is the document's, and the pages between need no
    reading."""
    last = raw.page(raw.page_count)
    if raw.page_count == 1 or last.method == "ocr" or _printed_number(last) != raw.page_count:
        return None
    span = _span(last)
    if span.foreign or span.stop < len(last.lines):
        return None
    blocks = signature_blocks(last.lines, span.start, span.stop)
    return first_complete(blocks, last.lines)


def find_signature(raw: RawDocument) -> SignatureFields:
    """The claimed document's signature block (see the module's doc); empty when none is read."""
    if (whole := _whole_file_is_one_document(raw)) is not None:
        return whole
    order, backwards = _order(raw)
    ocr_pages, skip_to = 0, None
    for number in order:
        if ocr_pages >= SIGNATURE_OCR_PAGES:
            break
        if skip_to is not None and number >= skip_to:
            continue  # inside another document whose first page is known
        page = raw.page(number)
        ocr_pages += page.method == "ocr"  # text pages cost nothing
        if _blank(page):
            continue
        span = _span(page)
        if span.foreign:
            if backwards:
                skip_to = span.other_start
                continue
            break  # reading forward, another document has begun: ours ended unsigned
        found, signature_page = _on_page(raw, page, span)
        if signature_page:
            return found or SignatureFields()
        if not backwards and span.stop < len(page.lines):
            break
    return SignatureFields()
