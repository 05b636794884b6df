"""Vietnamese text normalisation for matching: NFC, confusables, tone placement, folding; and
numbers written the Vietnamese way.

Pure functions; used by field parsers, loaders and checks alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Tone marks in NFD. Where a tone sits in a syllable differs between the old and new rules
# (hoà / hòa, uỷ / ủy), so matching strips the tone and re-attaches it to the syllable's end.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}

# Look-alikes that OCR, PDFs and careless typing produce. U+00D0 is what Tesseract writes for Đ.
_CONFUSABLES = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð -> Đ
        "\u00f0": "\u0111",  # ð -> đ
        "\u0189": "\u0110",  # Ɖ -> Đ
        "\u00a0": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2215": "/",
        "\uff0f": "/",
        "\u200b": "",
        "\ufeff": "",
        "\u00ad": "",
    }
)

# Cyrillic letters that look Latin; replaced only inside otherwise-Latin words.
_CYRILLIC_LATIN = str.maketrans(
    "АВЕКМНОРСТХаеорсухіјѕԁ",
    "ABEKMHOPCTXaeopcyxijsd",
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"\S+")


def _fix_cyrillic_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _CYRILLIC.search(word):
        return word
    latin = sum(1 for ch in word if ch.isalpha() and not _CYRILLIC.match(ch))
    return word.translate(_CYRILLIC_LATIN) if latin else word


def clean(text: str) -> str:
    """NFC with confusables mapped; keeps case, tones and line breaks."""
    text = unicodedata.normalize("NFC", text).translate(_CONFUSABLES)
    if _CYRILLIC.search(text):
        text = _WORD.sub(_fix_cyrillic_word, text)
    return unicodedata.normalize("NFC", text)


def _canonical_syllable(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tone = ""
    kept = []
    for ch in decomposed:
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def canonical(text: str) -> str:
    """Lower case, single spaces, tone moved to the syllable's end: equal for old/new placement."""
    words = clean(text).lower().split()
    return " ".join(_canonical_syllable(w) for w in words)


@functools.lru_cache(maxsize=8192)  # header and signature parsers fold the same lines many times
def fold(text: str) -> str:
    """Lower case without any diacritics, đ -> d, single spaces: for header and keyword matching."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def same_name(a: str | None, b: str | None) -> bool:
    """Names equal after case, spacing and tone-placement normalisation."""
    if not a or not b:
        return False
    return canonical(a) == canonical(b)


def contains_folded(haystack: str, needle: str) -> bool:
    return fold(needle) in fold(haystack)


def fold_chars(text: str) -> str:
    """Like `fold` but one output char per input char (no space folding), to map spans back."""
    out = []
    for ch in text.lower():
        base = unicodedata.normalize("NFD", ch.replace("đ", "d"))[:1] or ch
        out.append(base)
    return "".join(out)


def vn_thousands(number: float) -> str:
    """A number rounded to a whole one, thousands marked the Vietnamese way: 120.000.000."""
    return f"{number:,.0f}".replace(",", ".")
