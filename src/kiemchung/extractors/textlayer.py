"""The one place that decides whether a PDF page's text layer can be trusted or must be OCR'd.

A layer in a legacy 8-bit Vietnamese encoding (TCVN3, VNI) is usable: it is converted to Unicode
(`extractors.legacy`) rather than OCR'd, which is slower and less exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemchung.extractors.legacy import detect_legacy

_VIET_LETTER = re.compile(r"[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class TextLayerVerdict:
    usable: bool
    reason: str  # empty | garbage | legacy-tcvn3 | legacy-vni | no-diacritics | ok

    @property
    def legacy(self) -> str | None:
        """`tcvn3` or `vni` when the layer must be converted from that encoding."""
        return self.reason.removeprefix("legacy-") if self.reason.startswith("legacy-") else None


def judge_text_layer(text: str) -> TextLayerVerdict:
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 20:
        return TextLayerVerdict(False, "empty")
    odd = sum(1 for ch in text if ch == "\ufffd" or ("\ue000" <= ch <= "\uf8ff") or (ord(ch) < 32 and ch not in "\r\n\t"))
    if odd / max(len(text), 1) > 0.05:
        return TextLayerVerdict(False, "garbage")
    words = _WORD.findall(text)
    if len(words) >= 15:
        legacy = detect_legacy(text)
        if legacy:
            return TextLayerVerdict(True, f"legacy-{legacy}")
        # Vietnamese prose has diacritics on most syllables; an OCR layer that lost them
        # (e.g. "S6: 463Y SGDDT") reads worse than our own OCR.
        with_marks = sum(1 for w in words if _VIET_LETTER.search(w))
        if with_marks / len(words) < 0.12:
            return TextLayerVerdict(False, "no-diacritics")
    return TextLayerVerdict(True, "ok")
