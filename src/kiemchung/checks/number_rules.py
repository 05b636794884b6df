"""The document number rule: the claimed number against the one read, or against the printed
symbol alone when the handwritten digits stay unread.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiemchung.checks.certainty import confidence_pct, is_ocr, is_trusted, readings_text
from kiemchung.checks.row_context import RowContext
from kiemchung.core.model import Field, Flag, FlagCode
from kiemchung.extractors.fields.number import number_key


def _same_number(claimed: str, found: Field, value: str) -> bool:
    ocr = is_ocr(found)
    return number_key(claimed, ocr=ocr) == number_key(value, ocr=ocr)


def _claimed_symbol(claimed: str) -> str:
    return number_key(claimed, ocr=True).partition("/")[2]


def check_number(ctx: RowContext) -> Iterable[Flag]:
    found = ctx.field("number")
    claimed = ctx.claim.doc_number
    if found is None:
        symbol = ctx.field("symbol")
        if claimed and symbol and is_ocr(symbol) and "/" in claimed:
            # The digits were written by hand and stay unread: verify what is printed.
            same = number_key("0/" + symbol.value, ocr=True).partition("/")[2] == _claimed_symbol(claimed)
            variant = "symbol_matches" if same else "symbol_differs"
            yield ctx.flag(FlagCode.NUMBER_UNCERTAIN, field=symbol, variant=variant, claimed=claimed, found=symbol.value)
        else:
            yield ctx.flag(FlagCode.NUMBER_NOT_FOUND)
        return
    if not claimed or _same_number(claimed, found, found.value or ""):
        return
    if any(_same_number(claimed, found, v) for v in found.values_read):
        # One reader read the claim, the combination chose another reading: not wrong, not sure.
        yield ctx.flag(FlagCode.NUMBER_UNCERTAIN, field=found, variant="readers_disagree", claimed=claimed, found=readings_text(found))
        return
    if is_trusted(found):
        yield ctx.flag(FlagCode.NUMBER_MISMATCH, field=found, claimed=claimed, found=found.value)
    else:
        yield ctx.flag(FlagCode.NUMBER_UNCERTAIN, field=found, claimed=claimed, found=readings_text(found), confidence=confidence_pct(found))
