"""The signer rules: the claimed signer against the name read (the unit's own block of a joint
document), and whether a leader signed where the criterion asks for one.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiemchung.checks.certainty import (
    confidence_pct,
    is_ocr,
    is_trusted,
    names_close,
    seal_hid_family_name,
)
from kiemchung.checks.people import BY_ORDER, find_leader
from kiemchung.checks.row_context import RowContext
from kiemchung.core.model import Field, Flag, FlagCode
from kiemchung.core.text import same_name


def _units_signer(ctx: RowContext, signer: Field) -> Field:
    """A joint document carries several blocks (`co_signers`, joined with `; `, beside the main
    `signer`): the unit's own is the one it claims, else the one of its leaders."""
    co = ctx.field("co_signers")
    names = [name.strip() for name in co.value.split(";") if name.strip()] if co and co.value else []
    claimed = ctx.claim.signer
    if not names or (claimed and same_name(claimed, signer.value)):
        return signer
    own = next((n for n in names if claimed and same_name(claimed, n)), None)
    if own is None and find_leader(ctx.unit, signer.value) is None:
        own = next((n for n in names if find_leader(ctx.unit, n) is not None), None)
    return signer.model_copy(update={"value": own}) if own else signer


def check_signer(ctx: RowContext) -> Iterable[Flag]:
    signer = ctx.field("signer")
    if signer is None:
        block = ctx.field("signature_block")
        if block is not None and is_ocr(block) and block.page:
            # A scan's block located, its name under the seal or a script font: look, not a verdict.
            yield ctx.flag(FlagCode.SIGNER_UNCERTAIN, field=block, variant="unread")
        else:
            yield ctx.flag(FlagCode.SIGNER_NOT_FOUND)
        return
    claimed = ctx.claim.signer
    signer = _units_signer(ctx, signer)
    if claimed and is_ocr(signer) and seal_hid_family_name(claimed, signer.value):
        signer = signer.model_copy(update={"value": claimed})  # read as far as the seal lets
    if claimed and not same_name(claimed, signer.value):
        close = is_ocr(signer) and names_close(claimed, signer.value)
        # Another of the unit's leaders, read whole, is no misreading of the claimed name: a
        # signature block under a seal reads at low confidence even when it is right.
        sure = is_trusted(signer) or find_leader(ctx.unit, signer.value) is not None
        code = FlagCode.SIGNER_MISMATCH if sure and not close else FlagCode.SIGNER_UNCERTAIN
        yield ctx.flag(code, field=signer, claimed=claimed, found=signer.value, confidence=confidence_pct(signer))
    if ctx.criterion.evidence.signer != "leader":
        return
    authority = ctx.field("signer_authority")
    role = ctx.field("signer_role")
    if authority and authority.value in BY_ORDER:
        yield ctx.flag(
            FlagCode.SIGNER_NOT_AUTHORIZED,
            field=signer,
            variant="by_order",
            found=signer.value,
            authority=authority.value,
        )
    elif ctx.unit.leaders and find_leader(ctx.unit, signer.value) is None:  # no list of leaders: cannot tell
        if is_ocr(signer) and any(seal_hid_family_name(leader.name, signer.value) for leader in ctx.unit.leaders):
            return  # a leader's name, its family name under the seal
        if is_ocr(signer) and any(names_close(leader.name, signer.value) for leader in ctx.unit.leaders):
            # A leader's name misread (the seal over the family name): not a verdict on authority.
            if not (claimed and not same_name(claimed, signer.value)):  # already named above
                yield ctx.flag(FlagCode.SIGNER_UNCERTAIN, field=signer, variant="leader_close", found=signer.value, confidence=confidence_pct(signer))
            return
        yield ctx.flag(
            FlagCode.SIGNER_NOT_AUTHORIZED,
            field=signer,
            variant="not_leader",
            found=signer.value,
            role=role.value if role else "không rõ chức vụ",
            unit=ctx.unit.name,
        )
