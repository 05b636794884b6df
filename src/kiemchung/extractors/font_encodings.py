"""Legacy 8-bit Vietnamese font encodings in text layers: TCVN3 (ABC, `.VnTime`) and VNI.

Old PDFs embed fonts whose glyphs sit on Latin-1 code points, so the text layer reads
`Céng hoµ x· héi chñ nghÜa ViÖt Nam` (TCVN3) or `Coäng hoøa xaõ hoäi` (VNI). Python has no codec
for either; these tables convert such text back to Unicode so the page need not be OCR'd.

Only words made of ASCII and Latin-1/cp1252 characters are converted: a word with a real
Unicode Vietnamese letter (e.g. an e-signature stamp added later) is already right.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

# TCVN 5712:1993 bytes 0x80..0xFF as glibc iconv's TCVN5712-1 decodes them ("?" = no letter:
# 0xB0-0xB4 are combining tones there, unused by ABC fonts). ABC (VN3) fonts use the lower-case
# letters of this table; `.VnTimeH` fonts draw capitals from the same lower-case codes.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ?????àảãáạẲằẳẵắẴ"
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)


def _tcvn3_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for offset, letter in enumerate(_TCVN3_HIGH):
        byte = 0x80 + offset
        if letter in "?\u00a0":
            continue
        table[chr(byte)] = letter  # read as Latin-1
        with contextlib.suppress(UnicodeDecodeError):  # Windows-1252 reading of 0x80-0x9F
            table.setdefault(bytes([byte]).decode("cp1252"), letter)
    return table


TCVN3_TO_UNICODE = _tcvn3_table()

# VNI: a base letter followed by a Latin-1 letter that carries the mark(s).
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_VNI_MARKS = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK, "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}  # fmt: skip
# Letters VNI sets as one Latin-1 character of their own.
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI_VOWELS = "aeiouyơư"
_VNI_MARK_RE = re.compile("[" + "".join(_VNI_MARKS) + "]", re.IGNORECASE)

# Latin-1 letters Unicode Vietnamese uses; every other high Latin-1 character in a word is a
# legacy-font code (TCVN3: µ ¸ § Ü Ö …).
_VIET_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_TCVN3_ONLY = {chr(b) for b in range(0xA1, 0x100)} - _VIET_LATIN1 - {"\u00ad"}
# Letters only Unicode Vietnamese has (ă, đ, ơ, ư and the precomposed tones): a real Unicode layer.
_UNICODE_VIET = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_VNI_PAIR = re.compile(r"[aeiouyAEIOUY][øùúûõïñöòóôáàäâãåêéèëü]")
_WORD = re.compile(r"\S+")
_LATIN = re.compile(r"[\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122\ufffe]+")


def _all_caps(text: str, minimum: int) -> bool:
    """`.VnTimeH` capitals come out as lower-case codes beside capital ASCII letters (CéNG): a
    run whose ASCII letters are all capitals was set in an H font."""
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    return len(letters) >= minimum and all(ch.isupper() for ch in letters)


# TCVN3 sets ư as 0xAD, a soft hyphen: pdfium gives "-" inside a word or U+FFFE at a line's end.
_SOFT_HYPHENS = "-\u00ad\ufffe"


def _tcvn3_letter(word: str, i: int) -> str:
    ch = word[i]
    if ch in _SOFT_HYPHENS and i > 0 and i + 1 < len(word):
        before, after = TCVN3_TO_UNICODE.get(word[i - 1], word[i - 1]), TCVN3_TO_UNICODE.get(word[i + 1], word[i + 1])
        if before.isalpha() and after.isalpha() and after.islower():  # "H-¬ng", not "Q§-UBND"
            return "ư"
    if ch in "\u00ad\ufffe":
        return "ư"
    return TCVN3_TO_UNICODE.get(ch, ch)


def _caps_word(word: str) -> bool:
    """A capital ASCII letter after the first one (CéNG, §èC) only happens in an H-font word."""
    return any(ch.isascii() and ch.isupper() for ch in word[1:]) and not any(
        ch.isascii() and ch.islower() for ch in word
    )


def _tcvn3_word(word: str) -> str:
    out = "".join(_tcvn3_letter(word, i) for i in range(len(word)))
    return out.upper() if _caps_word(word) else out


def _vni_word(word: str) -> str:
    out: list[str] = []
    for ch in word:
        lower = ch.lower()
        if lower in _VNI_MARKS and out and out[-1][:1].lower() in _VNI_VOWELS:
            out[-1] += _VNI_MARKS[lower]
        elif lower in _VNI_LETTERS:
            letter = _VNI_LETTERS[lower]
            out.append(letter.upper() if ch.isupper() else letter)
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def detect_legacy(text: str) -> str | None:
    """`tcvn3`, `vni` or None, from character statistics of a run of text (a line or a page)."""
    words = [w for w in _WORD.findall(text) if any(ch.isalpha() for ch in w)]
    if len(words) < 2:
        return None
    if sum(1 for w in words if _UNICODE_VIET.search(w)) / len(words) > 0.3:
        return None
    tcvn3 = sum(1 for w in words if any(ch in _TCVN3_ONLY for ch in w))
    vni = sum(1 for w in words if _VNI_PAIR.search(w))
    if tcvn3 / len(words) > 0.15 and tcvn3 >= vni:
        return "tcvn3"
    if vni / len(words) > 0.15:
        return "vni"
    return None


def to_unicode(text: str, scheme: str) -> str:
    """Convert the legacy-encoded words of `text` (scheme `tcvn3` or `vni`) to NFC Unicode."""
    convert = _tcvn3_word if scheme == "tcvn3" else _vni_word

    def convert_latin_word(match: re.Match[str]) -> str:
        word = match.group(0)
        return convert(word) if _LATIN.fullmatch(word) else word

    lines = []
    for line in text.split("\n"):
        converted = _WORD.sub(convert_latin_word, line)
        lines.append(converted.upper() if scheme == "tcvn3" and _all_caps(line, 4) else converted)
    return unicodedata.normalize("NFC", "\n".join(lines))
