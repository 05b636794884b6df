"""The signer's name in a signature block: a personal name at a line's end (titles, ranks and OCR
residue of the seal or the signature stripped), names printed side by side and read as one line,
and which of several blocks' names is the main signer.
"""

from __future__ import annotations

import re
import unicodedata

from kiemchung.core.model import Field
from kiemchung.core.text import fold, fold_chars
from kiemchung.extractors.base import Line
from kiemchung.extractors.fields.signature_columns import Span, words_in

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


def line_field(value: str, line: Line, confidence: float | None = None) -> Field:
    """A value read on `line`, with the line's page, box, method and (unless given) confidence."""
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
        return line_field(name, line, confidence=min(line.confidence, UNDER_SEAL_CONFIDENCE))
    return line_field(name, line)


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


def column_names(line: Line, columns: list[Span]) -> list[Field | None]:
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

