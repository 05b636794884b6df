"""Whether words read like Vietnamese: the shape of a syllable (onset, vowels, final consonant),
at most one tone mark, one case pattern.

Two uses: a text layer left by scanner software (OmniPage, Adobe Scan) reads `S& 5?AD`,
`CONG HOA xA HQI CilU NGHIA` - far fewer of its words are syllables than in any real page;
and words glued together by a text layer without spaces (`MÔITRƯỜNG`) are not one syllable.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# On a word without its tone mark (vowel marks kept: â ê ô ă ơ ư), lower case, đ -> d: onset,
# one of the vowel clusters Vietnamese spells, final consonant. `gi` and `qu` take the vowel's
# place when nothing follows them (gì, quá). The test is whether a word could be a syllable at
# all, not a spelling check.
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_VOWELS = (
    "iêu|yêu|uyê|uya|uyu|ươi|ươu|uôi|oai|oay|oeo|uây|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(_ONSET + "(?:" + _VOWELS + r")(?:ch|nh|ng|[cmnpt])?|gi|qu")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWEL_MARKS = {"\u0302", "\u0306", "\u031b"}  # â ê ô, ă, ơ ư
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
# Longer runs of letters are words glued together: abbreviations stop at 8 (`NCKSTTHC`).
_LONGEST_WORD = 10
# Letters a Vietnamese word may be made of (besides the precomposed vowels and đ).
_ASCII_VIET = set("abcdeghiklmnopqrstuvxy")


def _fold_letters(word: str) -> tuple[str, int, bool] | None:
    """(word without tone marks, NFC; tone marks; foreign letter seen), or None when it is not
    only letters."""
    tones, foreign, out = 0, False, []
    for ch in unicodedata.normalize("NFD", word.lower().replace("đ", "d")):
        if unicodedata.combining(ch):
            tones += ch in _TONES
            foreign |= ch not in _TONES and ch not in _VOWEL_MARKS
            if ch in _VOWEL_MARKS:
                out.append(ch)
            continue
        if not ch.isalpha():
            return None
        foreign |= ch not in _ASCII_VIET
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tones, foreign


def _one_case(word: str) -> bool:
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())


@functools.lru_cache(maxsize=16384)
def is_syllable(word: str) -> bool:
    """`Hạnh`, `NGHĨA`, `tỉnh`: yes. `HQI`, `CilU`, `SÑg8`, `MÔITRƯỜNG`: no."""
    folded = _fold_letters(word)
    if folded is None:
        return False
    letters, tones, foreign = folded
    return bool(letters) and not foreign and tones <= 1 and _one_case(word) and bool(_SYLLABLE.fullmatch(letters))


@functools.lru_cache(maxsize=16384)
def _token_verdicts(token: str) -> tuple[bool, ...]:
    """One verdict per syllable-like part of a whitespace token (`-` splits parts); none for
    numbers and symbols with digits or slashes (`2536/QĐ-UBND`, `C04`), which are not syllables
    in any text."""
    word = _EDGE.sub("", token)
    if not word or "/" in word or any(ch.isdigit() for ch in word) or not any(ch.isalpha() for ch in word):
        return ()
    return tuple(is_syllable(part) for part in word.split("-") if part)


def syllable_share(text: str, *, limit: int = 200) -> tuple[float, int]:
    """Share of words that are Vietnamese syllables, and how many were judged (the first `limit`
    tokens are enough to tell). Abbreviations in capitals (UBND, CNTT) count against, which real
    pages can afford."""
    verdicts = [v for token in text.split()[:limit] for v in _token_verdicts(token)]
    if not verdicts:
        return 0.0, 0
    return sum(verdicts) / len(verdicts), len(verdicts)


@functools.lru_cache(maxsize=16384)
def glued_syllables(word: str) -> bool:
    """A run of letters that is no syllable but splits into several (`SỞVĂNHÓA`, `Tựdo`,
    `MÔITRƯỜNG`), or longer than any word (`UBNDTHÀNHPHỐ`): syllables printed without the spaces
    between them. Abbreviations (`UBND`, `SVHTTDL`) do not split into syllables."""
    if len(word) > _LONGEST_WORD:
        return True
    if len(word) < 3 or is_syllable(word):
        return False
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(
            reachable[end - size] and is_syllable(word[end - size : end]) for size in range(1, min(7, end) + 1)
        )
    return reachable[-1]
