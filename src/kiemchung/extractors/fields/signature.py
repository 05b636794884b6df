"""The signature block: authority (TM./KT./TL./TUQ./Q.), the signer's role, and the name.

Bottom right of the last page, beside the `Nơi nhận:` list; text layers may put both columns on
one line, so authority and role are searched inside lines and the name at a line's end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemchung.core.model import Field
from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import Line
from kiemchung.extractors.fields import nlp

# Which prefix decides who signed, when a block has several (TM. … / KT. … / …): TL. and TUQ.
# make the signer not a leader whatever precedes them; KT. is a deputy signing for the head.
AUTHORITY_PRIORITY = ("TL.", "TUQ.", "KT.", "Q.", "TM.")
_NAME_WORD = r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]+"
# À-Ỹ also spans lower-case letters (ủ): a name starts at a word start, each word capitalised.
_NAME_AT_END = re.compile(r"(?<!\w)(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){1,4})\s*$")
_TITLE_PREFIX = re.compile(
    r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy)|Đại\s+úy|PGS\.?\s*TS\.?|GS\.?\s*TS\.?|TS\.|ThS\.|BS\.|KS\.)\s+"
)
# Matched on folded text, so OCR's lost tones (Thiêu tướng) still count.
_RANK = re.compile(r"\b(?:dai|thuong|trung|thieu)\s+(?:tuong|ta|uy)\s+")
_NOT_NAMES = re.compile(
    r"^(nơi nhận|như trên|lưu|kính gửi|ủy ban|sở|ban|phòng|văn phòng|trung tâm|cục|chi cục|thành phố|"
    r"đà nẵng|việt nam|hạnh phúc|độc lập|cộng hòa|đảng|chủ tịch|giám đốc|trân trọng|trang|ghi chú)",
    re.IGNORECASE,
)


@dataclass
class SignatureFields:
    signer: Field | None = None
    role: Field | None = None
    authority: Field | None = None
    block: str | None = None  # the authority and role lines as printed


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
    for s in ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đoàn", "Đào", "Đinh", "Lâm", "Lương", "Mai", "Trịnh", "Trương", "Tô", "Tạ", "Cao", "Hà", "Quách", "Thái", "Triệu", "Lưu", "Châu", "Văn", "Kiều", "Mạc", "Tăng", "Nghiêm", "Khúc", "Hứa", "Giang", "Từ", "La", "Thân", "Vương", "Kim", "Chu", "Diệp", "Tôn", "Lục", "Ông", "Âu", "Phùng", "Hàn", "Nông"]
)


def _from_surname(name: str) -> str:
    words = name.split()
    start = next((i for i, w in enumerate(words) if fold(w) in SURNAMES), 0)
    return " ".join(words[start:]) if len(words) - start >= 2 else name


def name_in_line(text: str) -> str | None:
    """A personal name standing at the end of a line (after any recipient text), or None."""
    text = text.strip().rstrip(" .,;:-_|'\"")  # OCR residue after the name
    rank = _RANK.search(fold_chars(text))  # police and army signers print their rank first
    if rank:
        text = text[: rank.start()] + text[rank.end() :]
    m = _NAME_AT_END.search(text)
    if not m:
        return None
    name = _from_surname(_TITLE_PREFIX.sub("", m.group(1)).strip())
    if len(name.split()) < 2 or _NOT_NAMES.match(name) or not all(w[0].isupper() for w in name.split()):
        return None
    # A name right after a lower-case word ("… của Nguyễn Văn An") is prose, not a signature;
    # one stray letter before it is OCR residue of the signature or seal.
    before = text[: m.start()].split()
    if before and before[-1].isalpha() and before[-1].islower() and len(before[-1]) >= 2:
        return None
    return name


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) >= 0.8


def _authorities_and_role(lines: list[Line]) -> tuple[list[tuple[int, str, Line]], tuple[int, str, Line] | None]:
    """Every authority prefix and the last role printed in capitals (`fields.nlp` patterns): the
    capitals keep body prose ("Giám đốc Sở chỉ đạo …") out."""
    mentions = nlp.find_mentions([line.text for line in lines])
    authorities = [(m.line, m.value, lines[m.line]) for m in mentions if m.label == "AUTHORITY"]
    roles = [
        (m.line, m.value, lines[m.line])
        for m in mentions
        if m.label == "ROLE" and _capitals(lines[m.line].text[m.start : m.end])
    ]
    return authorities, (roles[-1] if roles else None)


def parse_signature(lines: list[Line]) -> SignatureFields:
    out = SignatureFields()
    authorities, role = _authorities_and_role(lines)
    anchor = max([a[0] for a in authorities] + ([role[0]] if role else []), default=None)
    if authorities:
        prefixes = {a[1] for a in authorities}
        primary = next(p for p in AUTHORITY_PRIORITY if p in prefixes)
        line = next(a[2] for a in authorities if a[1] == primary)
        out.authority = _field(primary, line)
    if role:
        out.role = _field(role[1], role[2])
    block_start = min([a[0] for a in authorities] + ([role[0]] if role else []), default=None)
    if block_start is not None and anchor is not None:
        out.block = " / ".join(line.text.strip() for line in lines[block_start : anchor + 1])
    if anchor is not None:
        names = [(name, line) for line in lines[anchor + 1 : anchor + 12] if (name := name_in_line(line.text))]
        # OCR reads a handwritten signature as a name-like word pair ("Fbxs Eiresena"): the
        # printed name under it starts with a family name.
        names.sort(key=lambda pair: fold(pair[0].split()[0]) not in SURNAMES)  # stable: order kept
        if names:
            out.signer = _field(*names[0])
        return out
    # No authority or role line at all: the last name-like line near the bottom, less sure.
    for line in reversed(lines[-10:]):
        name = name_in_line(line.text)
        # Without a role line to anchor it, only a name that starts with a family name counts
        # ("Quyết định" at the end of an appendix line is not a signer).
        if name and fold(name.split()[0]) in SURNAMES and not fold(line.text).startswith(("-", "noi nhan")):
            out.signer = _field(name, line, confidence=min(line.confidence, 0.6))
            break
    return out
