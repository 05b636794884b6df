"""The one place that decides whether a PDF page's text layer can be trusted or must be OCR'd."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Bytes of TCVN3 (.VnTime) fonts read as Latin-1: µ ¸ ¶ · ¹ ¨ » ¾ ¼ ½ Æ © Ç Ê È É Ë Ì ...
_TCVN3_MARKS = set("µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉËÌÎÏÑÓÒÔÕÖ×ØÜÞßãåæçèéëìíîïñòóôõöøùúûüý")
# VNI fonts put tone marks as separate Latin-1 letters after the vowel: "chaøo", "Vieät".
_VNI_PAIR = re.compile(r"[aeiouyAEIOUY][øùúûõïñöòóôáàäâãå]")
_VIET_LETTER = re.compile(r"[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class TextLayerVerdict:
    usable: bool
    reason: str  # empty | garbage | legacy-tcvn3 | legacy-vni | no-diacritics | ok


def judge_text_layer(text: str) -> TextLayerVerdict:
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 20:
        return TextLayerVerdict(False, "empty")
    odd = sum(1 for ch in text if ch == "\ufffd" or ("\ue000" <= ch <= "\uf8ff") or (ord(ch) < 32 and ch not in "\r\n\t"))
    if odd / max(len(text), 1) > 0.05:
        return TextLayerVerdict(False, "garbage")
    words = _WORD.findall(text)
    if len(words) >= 15:
        tcvn3 = sum(1 for w in words if any(ch in _TCVN3_MARKS for ch in w))
        if tcvn3 / len(words) > 0.15:
            return TextLayerVerdict(False, "legacy-tcvn3")
        if len(_VNI_PAIR.findall(text)) / len(words) > 0.15:
            return TextLayerVerdict(False, "legacy-vni")
        # Vietnamese prose has diacritics on most syllables; an OCR layer that lost them
        # (e.g. "S6: 463Y SGDDT") reads worse than our own OCR.
        with_marks = sum(1 for w in words if _VIET_LETTER.search(w))
        if with_marks / len(words) < 0.12:
            return TextLayerVerdict(False, "no-diacritics")
    return TextLayerVerdict(True, "ok")
