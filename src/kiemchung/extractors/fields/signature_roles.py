"""The authority and role lines of a signature block (`KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC`): authority
prefixes and roles printed in capitals, grouped into blocks, and which authority decides who signed.
"""

from __future__ import annotations

from kiemchung.core.model import Field
from kiemchung.extractors.base import Line
from kiemchung.extractors.fields import nlp
from kiemchung.extractors.fields.signature_columns import LOOSE_AUTHORITY
from kiemchung.extractors.fields.signature_names import line_field, name_in_line

# Which prefix decides who signed, when a block has several (TM. … / KT. … / …): TL. and TUQ.
# make the signer not a leader whatever precedes them; KT. is a deputy signing for the head.
AUTHORITY_PRIORITY = ("TL.", "TUQ.", "KT.", "Q.", "TM.")


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) >= 0.8


def signature_mentions(lines: list[Line]) -> list[nlp.Mention]:
    """Authority prefixes and roles printed in capitals (`fields.nlp` patterns): the capitals keep
    body prose ("Giám đốc Sở chỉ đạo …") out."""
    found = nlp.find_mentions([line.text for line in lines])
    return [
        m
        for m in found
        if m.label == "AUTHORITY" or _capitals(lines[m.line].text[m.start : m.end])
    ]


def mention_groups(mentions: list[nlp.Mention], lines: list[Line]) -> list[list[nlp.Mention]]:
    """Mentions on consecutive lines (one line between allowed: a role's continuation) make one
    block; a name between them, or an authority prefix below a role-only line, starts the next
    (blocks side by side that a reader gives one after the other)."""
    groups: list[list[nlp.Mention]] = []
    for m in mentions:
        if groups:
            last = groups[-1][-1]
            prefixed = {x.line for x in groups[-1] if x.label == "AUTHORITY"}
            gap = lines[last.line + 1 : m.line]
            next_block = m.label == "AUTHORITY" and m.line > last.line and last.line not in prefixed
            if m.line <= last.line + 2 and not next_block and not any(name_in_line(g.text) for g in gap):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _spoiled_authorities(roles: list[nlp.Mention], lines: list[Line]) -> list[nlp.Mention]:
    """Prefixes OCR spoiled (`.KT: GIÁM ĐỐC`, `KT..GIAM ĐỐC`) right before a role."""
    found = []
    for role in roles:
        text = lines[role.line].text
        for m in LOOSE_AUTHORITY.finditer(text):
            if 0 <= role.start - m.end() <= 3 and not text[m.end() : role.start].strip(" .,:;"):
                found.append(nlp.Mention("AUTHORITY", role.line, m.start(), m.end(), m.group(1) + "."))
    return found


def role_and_authority(group: list[nlp.Mention], lines: list[Line]) -> tuple[Field | None, Field | None]:
    """The authority that decides (AUTHORITY_PRIORITY) and the signer's own role: the first role
    below the last authority line (`TM. HỘI ĐỒNG / CHỦ TỊCH / GIÁM ĐỐC SỞ …`: CHỦ TỊCH, the
    post below being held concurrently), else the role on the authority line itself."""
    roles = [m for m in group if m.label == "ROLE"]
    authorities = [m for m in group if m.label == "AUTHORITY"] or _spoiled_authorities(roles, lines)
    authority = None
    if authorities:
        primary = next(p for p in AUTHORITY_PRIORITY if p in {a.value for a in authorities})
        authority = line_field(primary, lines[next(a.line for a in authorities if a.value == primary)])
    last_authority = max((a.line for a in authorities), default=-1)
    below = [r for r in roles if r.line > last_authority]
    chosen = below[0] if below else (roles[-1] if roles else None)
    return (line_field(chosen.value, lines[chosen.line]) if chosen else None), authority
