"""The signature block: authority (TM./KT./TL./TUQ./Q.), the signer's role, and the name.

Decree 30 puts it at the bottom right of the document's last page, beside `Nơi nhận:`. Real files
add appendices, a second document or an attached draft after it, and joint documents print
several blocks side by side. `signature_blocks` finds every block on a run of lines (one page,
or a whole Word file) in reading order; `fields.signature_search` decides which is the claimed
document's. Text layers may put both columns on one line, so authority and role are searched
inside lines and the name at a line's end.

Authority and role lines: `signature_roles`; the name: `signature_names`; this module finds the
blocks and picks the claimed one's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiemchung.core.model import Field
from kiemchung.core.text import fold
from kiemchung.extractors.base import BBox, Line
from kiemchung.extractors.fields import nlp
from kiemchung.extractors.fields.signature_columns import Span, column_spans, in_span
from kiemchung.extractors.fields.signature_names import (
    column_names,
    joint_signers,
    line_field,
    name_field,
    name_in_line,
    starts_with_surname,
)
from kiemchung.extractors.fields.signature_roles import (
    mention_groups,
    role_and_authority,
    signature_mentions,
)

# How far below its role lines a block's name may be (signature image, seal, recipients beside).
NAME_WINDOW = 12
# Body prose: many words, mostly lower-case, not a recipient item.
_PROSE_WORDS = 9


@dataclass
class SignatureFields:
    signer: Field | None = None
    role: Field | None = None
    authority: Field | None = None
    block: str | None = None  # the authority and role lines as printed
    # Joint documents: the other blocks' signers, left to right (the main one is in `signer`).
    co_signers: list[Field] = field(default_factory=list)
    # A scan's block found without a readable name: its page and region.
    where: Field | None = None


@dataclass
class Block:
    """One signature block on a run of lines: its fields and where it sits."""

    fields: SignatureFields
    first: int  # index of its first authority or role line
    last: int  # index of its name line, else of its last role line
    bbox: BBox | None = None  # of its first authority or role line
    # Blocks printed side by side whose lines the reader merged (`KT. BỘ TRƯỞNG KT. CHÁNH ÁN`):
    # each one's span of x (page units), left to right, for a closer look at each.
    columns: list[Span] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.fields.signer is not None


def is_prose(text: str) -> bool:
    """A line of body text: the end of a signature block's reach (a heading's role line such as
    `THỦ TƯỚNG CHÍNH PHỦ` above `Căn cứ …` is no block)."""
    words = text.split()
    if len(words) < _PROSE_WORDS or text.lstrip()[:1] in "-+–•*":
        return False
    lower = sum(1 for w in words if w[:1].islower())
    return lower * 2 >= len(words)


def _name_after(lines: list[Line], start: int, stop: int) -> tuple[tuple[str, int] | None, bool]:
    """The block's name in lines[start:stop] (name, line index) and whether body prose came
    before any name (the role lines were a heading)."""
    names = []
    for i in range(start, min(stop, len(lines))):
        if is_prose(lines[i].text):
            if not names:
                return None, True
            break
        if name := name_in_line(lines[i].text):
            names.append((name, i))
    # OCR reads a handwritten signature as a name-like word pair ("Fbxs Eiresena"): the
    # printed name under it starts with a family name.
    names.sort(key=lambda pair: not starts_with_surname(pair[0]))  # stable: order kept
    return (names[0] if names else None), False


def _block(group: list[nlp.Mention], lines: list[Line], stop: int) -> Block | None:
    first, last = group[0].line, group[-1].line
    columns = column_spans(group, lines)
    # Of several blocks side by side the right-most is the main one: its own role and authority.
    own = [m for m in group if in_span(m, lines, columns[-1])] if columns else group
    role, authority = role_and_authority(own or group, lines)
    block_text = " / ".join(line.text.strip() for line in lines[first : last + 1])
    found = SignatureFields(role=role, authority=authority, block=block_text)
    out = Block(found, first, last, lines[first].bbox, columns)
    named, heading = _name_after(lines, last + 1, min(stop, last + 1 + NAME_WINDOW))
    if heading:
        return None
    if named is None:
        return out
    name, index = named
    found.signer = name_field(name, lines[index])
    main, others = joint_signers(column_names(lines[index], columns)) if columns else (None, [])
    if main is not None:
        found.signer, found.co_signers = main, others
    out.last = index
    return out


def signature_blocks(lines: list[Line], start: int = 0, stop: int | None = None) -> list[Block]:
    """Every signature block in lines[start:stop], complete (with a name) or not, in reading
    order. Role lines followed by body prose are a heading, not a block."""
    stop = len(lines) if stop is None else stop
    groups = mention_groups([m for m in signature_mentions(lines) if start <= m.line < stop], lines)
    blocks = []
    for i, group in enumerate(groups):
        # A block's name lies before the next block's role lines.
        until = groups[i + 1][0].line if i + 1 < len(groups) else stop
        if (found := _block(group, lines, until)) is not None:
            blocks.append(found)
    return blocks


def _same_row(a: Block, b: Block, lines: list[Line]) -> bool:
    """Blocks side by side: `b` starts right after `a`'s name and, where positions are known, its
    role line is level with `a`'s block rather than below its name."""
    if b.first > a.last + 2 or not b.complete:
        return False
    name_box = lines[a.last].bbox
    return b.bbox is None or name_box is None or b.bbox[1] < name_box[1]


def first_complete(blocks: list[Block], lines: list[Line]) -> SignatureFields | None:
    """The first block with a name, with the blocks printed beside it as co-signers; the main
    signer is the right-most (the last in reading order where positions are unknown)."""
    i = next((k for k, b in enumerate(blocks) if b.complete), None)
    if i is None:
        return None
    row = [blocks[i]]
    while i + len(row) < len(blocks) and _same_row(row[-1], blocks[i + len(row)], lines):
        row.append(blocks[i + len(row)])
    if len(row) == 1:
        return blocks[i].fields
    main = max(row, key=lambda b: (b.bbox[0] if b.bbox else 0.0, b.first))
    others = [b for b in sorted(row, key=lambda b: (b.bbox[0] if b.bbox else 0.0, b.first)) if b is not main]
    fields = main.fields
    fields.co_signers = [s for b in others for s in (*b.fields.co_signers, b.fields.signer) if s is not None]
    return fields


def _body_end(lines: list[Line], start: int) -> int | None:
    """The line that closes the body: `Nơi nhận:` or the `./.` after the last sentence."""
    for i in range(start, len(lines)):
        text = lines[i].text.strip()
        if fold(text).startswith("noi nhan") or text.endswith(("./.", "/.")):
            return i
    return None


def closes_body(lines: list[Line], start: int, until: int) -> bool:
    """Whether the body ends (`Nơi nhận:`, `./.`) in lines[start:until]: a block without a name
    is a signature block only where a body ends."""
    end = _body_end(lines, start)
    return end is not None and end < until


def unanchored_name(lines: list[Line], start: int = 0) -> Field | None:
    """No role line was read: the last name that starts with a family name, near the bottom and
    after the body's end (`Nơi nhận:`, `./.`), less sure. An appendix table's last line ("…
    Nguyễn Hải Ninh") has neither before it."""
    end = _body_end(lines, start)
    if end is None:
        return None
    for line in reversed(lines[max(end, len(lines) - NAME_WINDOW) :]):
        name = name_in_line(line.text)
        if name and starts_with_surname(name) and not fold(line.text).startswith(("-", "noi nhan")):
            return line_field(name, line, confidence=min(line.confidence, 0.6))
    return None


def parse_signature(lines: list[Line]) -> SignatureFields:
    """The first complete block on these lines; else the last block without a name (its role
    and authority, to look closer at); else a name below the body's end without a role line."""
    blocks = signature_blocks(lines)
    found = first_complete(blocks, lines)
    if found is not None:
        return found
    out = blocks[-1].fields if blocks else SignatureFields()
    out.signer = unanchored_name(lines)
    return out


def read_block(lines: list[Line]) -> SignatureFields:
    """A signature block OCR'd alone (a second, closer look): its first complete block, else its
    role lines and the bottom-most name-like line, less sure (the role may be lost under the
    seal, and with it the anchor; the family name too, which `name_field` marks)."""
    found = parse_signature(lines)
    if found.signer:
        return found
    for line in reversed(lines):
        if name := name_in_line(line.text):
            signer = name_field(name, line)
            signer.confidence = min(signer.confidence or 0.0, 0.6)
            found.signer = signer
            break
    return found
