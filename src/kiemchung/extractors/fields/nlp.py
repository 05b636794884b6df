"""The signature block's vocabulary as spaCy token patterns, in one place.

Authority prefixes (TM./KT./TL./TUQ./Q.) and signer roles (GIÁM ĐỐC, PHÓ CHỦ TỊCH, CHÁNH VĂN
PHÒNG …) are matched token by token on a folded form of each token (lower case, no diacritics,
no edge punctuation), so OCR's wrong tone marks (GIÁM ĐÓC) still count while word boundaries are
respected: "BỘ TRƯỞNG" is a role of its own, not "TRƯỞNG" found inside it.

One blank Vietnamese pipeline is built once per process (spaCy imports lazily: a process that
never reads a signature block never pays for it). Its tokenizer splits on spaces only (no pyvi),
so matches map back to character offsets of the lines exactly.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiemchung.core.text import fold

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher

AUTHORITIES = ("TM", "KT", "TL", "TUQ", "Q")
# Roles as Decree 30 spells them. Longer roles win over the shorter ones inside them
# (PHÓ CHÁNH VĂN PHÒNG over CHÁNH VĂN PHÒNG, BỘ TRƯỞNG over TRƯỞNG); any role may take PHÓ.
ROLES = (
    "GIÁM ĐỐC",
    "TỔNG GIÁM ĐỐC",
    "CHỦ TỊCH",
    "CHÁNH VĂN PHÒNG",
    "CHÁNH THANH TRA",
    "CHỦ NHIỆM",
    "BÍ THƯ",
    "THỦ TƯỚNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "TỔNG CỤC TRƯỞNG",
    "CỤC TRƯỞNG",
    "CHI CỤC TRƯỞNG",
    "VỤ TRƯỞNG",
    "VIỆN TRƯỞNG",
    "HIỆU TRƯỞNG",
    "TRƯỞNG",  # TRƯỞNG BAN, TRƯỞNG PHÒNG …: the rest of the line follows it
)
DEPUTY = "PHÓ"

_EDGE_PUNCT = ".,;:()[]\"'“”"
_LETTERS = re.compile(r"[^\W\d_]+")


def _role_pattern(role: str) -> list[dict]:
    words = [{"NORM": word} for word in fold(role).split()]
    # The words of the line after a role, while they are capitals: "GIÁM ĐỐC SỞ NỘI VỤ".
    return [{"NORM": fold(DEPUTY), "OP": "?"}, *words, {"IS_UPPER": True, "IS_ALPHA": True, "OP": "*"}]


# label -> token patterns. NORM is a token's folded letters (`token_norm`): "KT." is `kt`,
# "ĐÓC," is `doc`, OCR residue glued in front ("_W6.HIỆU") is dropped (`hieu`).
PATTERNS: dict[str, list[list[dict]]] = {
    "AUTHORITY": [[{"NORM": {"IN": [fold(a) for a in AUTHORITIES]}}]],  # the dot is checked after
    "ROLE": [_role_pattern(role) for role in ROLES],
}
_ROLE_BY_FOLD = {fold(role): role for role in ROLES}
_AUTHORITY_AT = re.compile(r"(" + "|".join(AUTHORITIES) + r")\s*[.,]\s*")
_UPPER = "".join(ch for ch in map(chr, range(0x41, 0x1EFA)) if ch.isalpha() and ch.isupper())
_TWO_CAPITALS = re.compile(f"[{_UPPER}]{{2}}")


@dataclass(frozen=True)
class Mention:
    """One match in one line: `label`, the line's index, char offsets in it, and the value
    (`KT.`, or the role as Decree 30 spells it with any words after it as printed)."""

    label: str
    line: int
    start: int
    end: int
    value: str


@functools.cache
def pipeline() -> tuple[Language, Matcher]:
    """The blank Vietnamese tokenizer and the matcher of `PATTERNS`, built once."""
    import spacy  # noqa: PLC0415 - heavy; only when a signature block is read this way
    from spacy.attrs import NORM  # noqa: PLC0415
    from spacy.matcher import Matcher  # noqa: PLC0415

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    # Computed once per distinct word (lexeme), not per token of every document.
    nlp.vocab.lex_attr_getters[NORM] = token_norm
    matcher = Matcher(nlp.vocab)
    for label, patterns in PATTERNS.items():
        matcher.add(label, patterns, greedy="LONGEST")
    return nlp, matcher


def token_norm(text: str) -> str:
    """A token's last run of letters, folded: what the patterns' NORM compares."""
    runs = _LETTERS.findall(fold(text))
    return runs[-1] if runs else text


def _role_value(span_text: str) -> str:
    """The role in its Decree-30 spelling (tones as printed may be OCR's), words after it as printed."""
    words = span_text.replace(",", " ").split()
    deputy = fold(words[0]) == fold(DEPUTY)
    rest = words[1:] if deputy else words
    for n in range(len(rest), 0, -1):
        role = _ROLE_BY_FOLD.get(fold(" ".join(rest[:n])))
        if role:
            return " ".join([DEPUTY] * deputy + [role, *rest[n:]])
    return " ".join(words)


def _candidates(texts: list[str]) -> list[int]:
    """Lines with two capitals in a row: only they can hold an authority or a role in capitals
    (body prose is most of a signature page and never reaches the tokenizer)."""
    return [i for i, text in enumerate(texts) if _TWO_CAPITALS.search(text)]


def _mention(label: str, line: int, text: str, start: int, end: int) -> Mention | None:
    if label == "AUTHORITY":
        m = _AUTHORITY_AT.match(text, start)
        if m is None or not text[m.end() : m.end() + 1].isupper():
            return None  # "Q. 1", "TL" without its dot, or prose after it: no role follows
        return Mention(label, line, start, start + len(m.group(0).rstrip()), m.group(1) + ".")
    token = text[start:end].split()[0]
    start += token.rfind(_LETTERS.findall(token)[-1])  # past residue glued in front: "_W6.HIỆU"
    end = start + len(text[start:end].rstrip(_EDGE_PUNCT))
    return Mention(label, line, start, end, _role_value(text[start:end]))


def find_mentions(texts: list[str]) -> list[Mention]:
    """Authority and role mentions in lines of text, in reading order. Roles are not checked for
    capitals here: the caller decides what counts as printed in capitals."""
    kept = _candidates(texts)
    if not kept:
        return []
    nlp, matcher = pipeline()
    starts = [0]
    for i in kept[:-1]:
        starts.append(starts[-1] + len(texts[i]) + 1)
    doc = nlp.make_doc("\n".join(texts[i] for i in kept))
    found = []
    for match_id, begin, end in matcher(doc):
        span = doc[begin:end]
        k = bisect.bisect_right(starts, span.start_char) - 1
        line = kept[k]
        mention = _mention(nlp.vocab.strings[match_id], line, texts[line], span.start_char - starts[k], span.end_char - starts[k])
        if mention is not None:
            found.append(mention)
    found.sort(key=lambda m: (m.line, m.start))
    return found
