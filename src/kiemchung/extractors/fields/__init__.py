"""Field parsing: pure functions from positioned lines to `Field`s (number, date, type, issuer,
title, signer, role, authority) plus the draft marker.

`read_fields` drives targeted OCR: the header band of page 1 and the last page first; the
signature block's search (`signature_search`) reads further pages only while it is missing.
"""

from __future__ import annotations

from kiemchung.core.model import Field
from kiemchung.extractors.base import Page, RawDocument
from kiemchung.extractors.fields.fillin import read_fill_ins
from kiemchung.extractors.fields.header import DRAFT_BLANK, HeaderFields, parse_header
from kiemchung.extractors.fields.signature import SignatureFields, parse_signature
from kiemchung.extractors.fields.signature_search import find_signature

# The signature block's value when a scan shows where it is but nothing of it could be read.
UNREAD_BLOCK = "(khối chữ ký không đọc được)"


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


def _co_signers(names: list[Field]) -> Field:
    """Joint documents: the other signers, left to right, as one field (`; ` between names)."""
    first = names[0]
    confidence = min((n.confidence for n in names if n.confidence is not None), default=None)
    return Field(value="; ".join(n.value or "" for n in names), page=first.page, method=first.method, confidence=confidence)


def read_fields(raw: RawDocument) -> tuple[dict[str, Field], bool]:
    """All fields of a document and whether it is a draft. Reads page 1 and the last page first."""
    raw.prefetch([1, raw.page_count], heads=(1,))
    head = raw.head(1)
    header: HeaderFields = parse_header(head.lines)
    symbol = _apply_fill_ins(raw, head, header)
    signature: SignatureFields = find_signature(raw)
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
    if signature.where is not None:  # located on a scan, its name unread
        fields["signature_block"] = signature.where.model_copy(update={"value": signature.block or UNREAD_BLOCK})
    elif signature.block:
        fields["signature_block"] = Field(value=signature.block)
    if signature.co_signers:
        fields["co_signers"] = _co_signers(signature.co_signers)
    return fields, header.draft is not None


__all__ = ["read_fields", "parse_header", "parse_signature"]
