"""Field parsing: pure functions from positioned lines to `Field`s (number, date, type, issuer,
title, signer, role, authority) plus the draft marker.

`read_fields` drives targeted OCR: the header band of page 1 and the last page first, further
pages only while the signer is missing, and a closer second look at the signature block when
the page OCR found its role line but not the name under it.
"""

from __future__ import annotations

from kiemchung.core.model import Field
from kiemchung.core.text import fold
from kiemchung.extractors.base import Page, RawDocument
from kiemchung.extractors.fields.fillin import read_fill_ins
from kiemchung.extractors.fields.header import DRAFT_BLANK, HeaderFields, parse_header
from kiemchung.extractors.fields.signature import SignatureFields, parse_signature

# How many pages back from the last one to look for the signature (appendices, blank backs).
SIGNATURE_LOOKBACK = 3
SIGNATURE_MAX_PAGES = 6  # blank backs included
_BLANK_LETTERS = 30
# The second look at a signature block spans from its first line down this share of the page
# (role, signature space, name) and from this share of the width rightwards.
_BLOCK_DEPTH = 0.3
_BLOCK_LEFT = 0.45


def _anchor(page: Page, found: SignatureFields) -> list[float] | None:
    """Top-left of the signature block: its authority or role line, else the `Nơi nhận:` line
    it stands beside (OCR may miss a role line under the seal)."""
    field = found.authority or found.role
    if field is not None and field.bbox:
        return field.bbox
    line = next((ln for ln in page.lines if fold(ln.text).startswith("noi nhan")), None)
    if line is None or not line.bbox or not page.width:
        return None
    return [page.width * _BLOCK_LEFT, line.bbox[1], page.width, line.bbox[3]]


def _block_region(page: Page, found: SignatureFields) -> tuple[float, float, float, float] | None:
    """Where the signer's name should be: right half of the page, from the role line down."""
    anchor = _anchor(page, found)
    if anchor is None or not page.width or not page.height:
        return None
    x0 = min(anchor[0] - 0.05 * page.width, page.width * _BLOCK_LEFT)
    top = anchor[1] - 0.02 * page.height
    return (max(0.0, x0), max(0.0, top), page.width, min(page.height, top + _BLOCK_DEPTH * page.height))


def _second_look(raw: RawDocument, page: Page, found: SignatureFields) -> SignatureFields:
    """Re-OCR the signature block alone (psm 6, finer); then with red kept, for the rare name
    printed in red ink that seal removal erased."""
    region = _block_region(page, found) if raw.region_loader and page.method == "ocr" else None
    if region is None:
        return found
    for keep_red in (False, True):
        again = parse_signature(raw.region_loader(page.number, region, keep_red=keep_red))
        if again.signer:
            role, authority = found.role or again.role, found.authority or again.authority
            return SignatureFields(again.signer, role, authority, found.block or again.block)
    return found


def _blank(page: Page) -> bool:
    return sum(ch.isalpha() for ch in page.text) < _BLANK_LETTERS


def _signature(raw: RawDocument) -> SignatureFields:
    """The last page's signature block; further back past appendices, and past blank backs of
    duplex scans without counting them."""
    first_tried, tried = None, 0
    for number in range(raw.page_count, max(0, raw.page_count - SIGNATURE_MAX_PAGES), -1):
        page = raw.page(number)
        if _blank(page):
            continue
        found = parse_signature(page.lines)
        anchored = _anchor(page, found) is not None
        if not found.signer and page.method == "ocr":
            found = _second_look(raw, page, found)
        first_tried = first_tried or found
        tried += 1
        # A page with the block's role or `Nơi nhận:` line is the signature page even when the
        # name stays unreadable (a script font): earlier pages are body text, not worth OCR.
        if found.signer or anchored or tried == SIGNATURE_LOOKBACK:
            return found if found.signer else first_tried
    return first_tried or SignatureFields()


def _apply_fill_ins(raw: RawDocument, head: Page, header: HeaderFields) -> Field | None:
    """On a scanned page 1, number and date as both readers made them out (handwritten blanks).
    Returns the printed symbol with its line's box, for the checks when the digits stay unread."""
    found = read_fill_ins(raw, head)
    if found is None:
        return None
    if found.number is not None:
        header.number = found.number
        header.number_blank = False
    if found.date is not None:
        header.date = found.date
    elif found.partial is not None:
        # Tesseract's own full date, when it had one, is no better than the parts both agree on.
        header.date, header.date_partial = None, found.partial
    if header.draft is not None and header.draft.value == DRAFT_BLANK and (header.number or header.date):
        header.draft = None  # the blanks were filled in by hand
    return found.symbol


def read_fields(raw: RawDocument) -> tuple[dict[str, Field], bool]:
    """All fields of a document and whether it is a draft. Reads page 1 and the last page first."""
    raw.prefetch([1, raw.page_count], heads=(1,))
    head = raw.head(1)
    header: HeaderFields = parse_header(head.lines)
    symbol = _apply_fill_ins(raw, head, header)
    signature = _signature(raw)
    fields: dict[str, Field] = {}
    candidates = {
        "number": header.number,
        "date": header.date,
        "type": header.doc_type,
        "issuer": header.issuer,
        "title": header.title,
        "signer": signature.signer,
        "signer_role": signature.role,
        "signer_authority": signature.authority,
        "draft": header.draft,
    }
    for name, value in candidates.items():
        if value is not None:
            fields[name] = value
    if header.parent:
        fields["issuer_parent"] = Field(value=header.parent, page=1)
    if symbol is not None:
        fields["symbol"] = symbol
    elif header.symbol:
        fields["symbol"] = Field(value=header.symbol, page=1)
    if header.date_partial is not None and "date" not in fields:
        fields["date_partial"] = header.date_partial
    if signature.block:
        fields["signature_block"] = Field(value=signature.block)
    return fields, header.draft is not None


__all__ = ["read_fields", "parse_header", "parse_signature"]
