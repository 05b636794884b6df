"""Field parsing: pure functions from positioned lines to `Field`s (number, date, type, issuer,
title, signer, role, authority) plus the draft marker."""

from __future__ import annotations

from kiemchung.core.model import Field
from kiemchung.extractors.base import RawDocument
from kiemchung.extractors.fields.header import HeaderFields, parse_header
from kiemchung.extractors.fields.signature import SignatureFields, parse_signature

# How many pages back from the last one to look for the signature (appendices, blank backs).
SIGNATURE_LOOKBACK = 3


def _signature(raw: RawDocument) -> SignatureFields:
    last = raw.page_count
    first_tried = None
    for number in range(last, max(0, last - SIGNATURE_LOOKBACK), -1):
        found = parse_signature(raw.page(number).lines)
        first_tried = first_tried or found
        if found.signer:
            return found
    return first_tried or SignatureFields()


def read_fields(raw: RawDocument) -> tuple[dict[str, Field], bool]:
    """All fields of a document and whether it is a draft. Reads page 1 and the last page first."""
    raw.prefetch([1, raw.page_count])
    header: HeaderFields = parse_header(raw.page(1).lines)
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
    if header.symbol:
        fields["symbol"] = Field(value=header.symbol, page=1)
    if signature.block:
        fields["signature_block"] = Field(value=signature.block)
    return fields, header.draft is not None


__all__ = ["read_fields", "parse_header", "parse_signature"]
