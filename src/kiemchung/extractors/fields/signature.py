"""The signature block: authority (TM./KT./TL./TUQ./Q.), the signer's role, and the name.

Decree 30 puts it at the bottom right of the document's last page, beside `Nơi nhận:`. Real files
add appendices, a second document or an attached draft after it, and joint documents print
several blocks side by side. `signature_blocks` finds every block on a run of lines (one page,
or a whole Word file) in reading order; `fields.signature_search` decides which is the claimed
document's. Text layers may put both columns on one line, so authority and role are searched
inside lines and the name at a line's end.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kiemchung.core.model import Field
from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import BBox, Line
from kiemchung.extractors.fields import nlp
from kiemchung.extractors.fields.signature_columns import (
    LOOSE_AUTHORITY,
    Span,
    column_spans,
    in_span,
    words_in,
)

# Which prefix decides who signed, when a block has several (TM. … / KT. … / …): TL. and TUQ.
# make the signer not a leader whatever precedes them; KT. is a deputy signing for the head.
AUTHORITY_PRIORITY = ("TL.", "TUQ.", "KT.", "Q.", "TM.")
# How far below its role lines a block's name may be (signature image, seal, recipients beside).
NAME_WINDOW = 12
# An OCR'd name that does not start with a family name was probably read under the seal (`Thành
# Long` for `Lê Thành Long`): this confidence sends it to a person (checks/certainty.py).
UNDER_SEAL_CONFIDENCE = 0.5
_NAME_WORD = r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]+"
# À-Ỹ also spans lower-case letters (ủ): a name starts at a word start, each word capitalised.
_NAME_AT_END = re.compile(r"(?<![^\W_])(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){1,4})\s*$")
# The marks Vietnamese letters carry (tones, circumflex, breve, horn); OCR adds others (Đöàn).
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
# Academic and professional titles printed before the name (`PGS.TS. Nguyễn Văn A`).
_TITLES = re.compile(r"(?<!\S)(?:(?:GS|PGS|TSKH|TS|ThS|Ths|BSCKII|BSCKI|BS|DS|KS|CN|LS|NGƯT|NGND)\.\s*)+")
# Police and army ranks (`Trung tá Ngô Văn Công`), on folded text so OCR's lost tones still count.
_RANK = re.compile(r"\b(?:dai|thuong|trung|thieu)\s+(?:tuong|ta|uy)\s+")
_NOT_NAMES = re.compile(
    r"^(nơi nhận|như trên|lưu|kính gửi|ủy ban|uỷ ban|sở|ban|bộ|phòng|văn phòng|trung tâm|cục|chi cục|"
    r"tổng cục|viện|hội đồng|thành phố|tỉnh|huyện|quận|xã|phường|đài|báo|cổng|website|công an|"
    r"đà nẵng|việt nam|hạnh phúc|độc lập|cộng hòa|đảng|chủ tịch|giám đốc|trân trọng|trang|ghi chú)\b",
    re.IGNORECASE,
)
# A Vietnamese syllable, folded: prose words are syllables, OCR residue of a seal mostly is not.
_SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$")
# Words that lead into a name in prose or a recipient item, never in a signature block.
_LEAD_INS = frozenset({"ong", "ba", "chi", "cua", "va", "voi", "cho", "tai", "theo", "gui"})
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


def _field(value: str, line: Line, confidence: float | None = None) -> Field:
    return Field(
        value=value,
        page=line.page,
        bbox=list(line.bbox) if line.bbox else None,
        method=line.method,
        confidence=round(line.confidence if confidence is None else confidence, 3),
    )


# The most common Vietnamese family names: OCR often glues seal or stroke residue in front of a
# name ("Si Đoàn Thị Thu Hương"); a name starts at its family name when one is there.
SURNAMES = frozenset(
    fold(s)
    for s in ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đoàn", "Đào", "Đinh", "Lâm", "Lương", "Mai", "Trịnh", "Trương", "Tô", "Tạ", "Cao", "Hà", "Quách", "Thái", "Triệu", "Lưu", "Châu", "Văn", "Kiều", "Mạc", "Tăng", "Nghiêm", "Khúc", "Hứa", "Giang", "Từ", "La", "Thân", "Vương", "Kim", "Chu", "Diệp", "Tôn", "Lục", "Ông", "Âu", "Phùng", "Hàn", "Nông", "Tống", "Lã", "Lò", "Hầu", "Đàm", "Phí", "Doãn", "Khổng", "Bạch", "Giáp", "Thạch", "Cù", "Bế"]
)


def starts_with_surname(name: str) -> bool:
    return fold(name.split()[0]) in SURNAMES


def _from_surname(name: str) -> str:
    words = name.split()
    start = next((i for i, w in enumerate(words) if fold(w) in SURNAMES), 0)
    return " ".join(words[start:]) if len(words) - start >= 2 else name


def _prose_before(before: list[str]) -> bool:
    """Lower-case words right before a name make it prose ("… đề nghị của Nguyễn Văn An", "ông
    Trần Văn Lâu"); one stray syllable or a non-word is residue of the signature or of the seal
    over the family name ("hài Tân Duy Đông")."""

    def syllable(word: str) -> bool:
        return word.isalpha() and word.islower() and bool(_SYLLABLE.match(fold(word)))

    if not before or not syllable(before[-1]):
        return False
    return fold(before[-1]) in _LEAD_INS or (len(before) >= 2 and syllable(before[-2]))


def _vietnamese_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = (ch for ch in decomposed if not unicodedata.combining(ch) or ch in _VIETNAMESE_MARKS)
    return unicodedata.normalize("NFC", "".join(kept))


def name_in_line(text: str) -> str | None:
    """A personal name standing at the end of a line (after any recipient text), or None."""
    text = _vietnamese_letters(text.strip().rstrip(" .,;:-_|'\""))  # OCR residue after the name
    rank = _RANK.search(fold_chars(text))  # police and army signers print their rank first
    if rank:
        text = text[: rank.start()] + text[rank.end() :]
    text = _TITLES.sub("", text)
    m = _NAME_AT_END.search(text)
    if not m:
        return None
    name = _from_surname(m.group(1).strip())
    if len(name.split()) < 2 or _NOT_NAMES.match(name) or not all(w[0].isupper() for w in name.split()):
        return None
    before = text[: m.start()].split()
    # A recipient item is no name ("- Bộ Công Thương;"); a name after one is ("- Lưu: VT. Trần An").
    if before in (["-"], ["+"], ["–"]):
        return None
    return None if _prose_before(before) else name


def name_field(name: str, line: Line) -> Field:
    """The signer as read; an OCR'd name without a family name in front is less sure."""
    if line.method == "ocr" and not starts_with_surname(name):
        return _field(name, line, confidence=min(line.confidence, UNDER_SEAL_CONFIDENCE))
    return _field(name, line)


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) >= 0.8


def is_prose(text: str) -> bool:
    """A line of body text: the end of a signature block's reach (a heading's role line such as
    `THỦ TƯỚNG CHÍNH PHỦ` above `Căn cứ …` is no block)."""
    words = text.split()
    if len(words) < _PROSE_WORDS or text.lstrip()[:1] in "-+–•*":
        return False
    lower = sum(1 for w in words if w[:1].islower())
    return lower * 2 >= len(words)


def _mentions(lines: list[Line]) -> list[nlp.Mention]:
    """Authority prefixes and roles printed in capitals (`fields.nlp` patterns): the capitals keep
    body prose ("Giám đốc Sở chỉ đạo …") out."""
    found = nlp.find_mentions([line.text for line in lines])
    return [
        m
        for m in found
        if m.label == "AUTHORITY" or _capitals(lines[m.line].text[m.start : m.end])
    ]


def _groups(mentions: list[nlp.Mention], lines: list[Line]) -> list[list[nlp.Mention]]:
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


def _role_and_authority(group: list[nlp.Mention], lines: list[Line]) -> tuple[Field | None, Field | None]:
    """The authority that decides (AUTHORITY_PRIORITY) and the signer's own role: the first role
    below the last authority line (`TM. HỘI ĐỒNG / CHỦ TỊCH / GIÁM ĐỐC SỞ …`: CHỦ TỊCH, the
    post below being held concurrently), else the role on the authority line itself."""
    roles = [m for m in group if m.label == "ROLE"]
    authorities = [m for m in group if m.label == "AUTHORITY"] or _spoiled_authorities(roles, lines)
    authority = None
    if authorities:
        primary = next(p for p in AUTHORITY_PRIORITY if p in {a.value for a in authorities})
        authority = _field(primary, lines[next(a.line for a in authorities if a.value == primary)])
    last_authority = max((a.line for a in authorities), default=-1)
    below = [r for r in roles if r.line > last_authority]
    chosen = below[0] if below else (roles[-1] if roles else None)
    return (_field(chosen.value, lines[chosen.line]) if chosen else None), authority


def split_names(text: str, count: int) -> list[str] | None:
    """`count` names printed side by side and read as one line ("Lê Minh Trí Tống Anh Hào"):
    the split whose parts have 2-4 words and start with family names, when there is one."""
    words = text.split()

    def splits(rest: list[str], k: int) -> list[list[list[str]]]:
        if k == 1:
            return [[rest]] if 2 <= len(rest) <= 4 else []
        return [[rest[:n], *tail] for n in range(2, 5) for tail in splits(rest[n:], k - 1)]

    good = [parts for parts in splits(words, count) if all(fold(p[0]) in SURNAMES for p in parts)]
    return [" ".join(p) for p in good[0]] if len(good) == 1 else None


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


def _column_names(line: Line, columns: list[Span]) -> list[Field | None]:
    """The names on a line that merged blocks side by side, one per block left to right (None
    where unread): the words under each block (OCR word boxes), else a split of the text into
    family-name-first names."""
    texts = [words_in(line, span) for span in columns]
    if any(t is None for t in texts):
        texts = split_names(line.text.strip().rstrip(" .,;:"), len(columns)) or [None] * len(columns)
    names = [name_in_line(text) if text else None for text in texts]
    return [name_field(name, line) if name else None for name in names]


def joint_signers(names: list[Field | None]) -> tuple[Field | None, list[Field]]:
    """The main signer of blocks side by side, the right-most, and the co-signers. When the
    right-most name stayed unread, the right-most read one stands in, less sure: the main block's
    signer is not known."""
    read = [n for n in names if n is not None]
    if not read:
        return None, []
    main = read[-1]
    if names[-1] is None:
        main = main.model_copy(update={"confidence": min(main.confidence or 0.0, UNDER_SEAL_CONFIDENCE)})
    return main, read[:-1]


def _block(group: list[nlp.Mention], lines: list[Line], stop: int) -> Block | None:
    first, last = group[0].line, group[-1].line
    columns = column_spans(group, lines)
    # Of several blocks side by side the right-most is the main one: its own role and authority.
    own = [m for m in group if in_span(m, lines, columns[-1])] if columns else group
    role, authority = _role_and_authority(own or group, lines)
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
    main, others = joint_signers(_column_names(lines[index], columns)) if columns else (None, [])
    if main is not None:
        found.signer, found.co_signers = main, others
    out.last = index
    return out


def signature_blocks(lines: list[Line], start: int = 0, stop: int | None = None) -> list[Block]:
    """Every signature block in lines[start:stop], complete (with a name) or not, in reading
    order. Role lines followed by body prose are a heading, not a block."""
    stop = len(lines) if stop is None else stop
    groups = _groups([m for m in _mentions(lines) if start <= m.line < stop], lines)
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
            return _field(name, line, confidence=min(line.confidence, 0.6))
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
