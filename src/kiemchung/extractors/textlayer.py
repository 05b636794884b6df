"""The one place that decides whether a PDF page's text layer can be trusted or must be OCR'd.

A layer in a legacy 8-bit Vietnamese encoding (TCVN3, VNI) is usable: it is converted to Unicode
(`extractors.font_encodings`) rather than OCR'd, which is slower and less exact. A layer that scanner or
phone-scan software (OmniPage, Adobe Scan) made by its own OCR is often garbled (`S& 5?AD
/UBND-SGDDT`, `CONG HOA xA HQI CilU NGHIA`): our OCR of the page image reads better.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemchung.core.text import fold
from kiemchung.extractors.font_encodings import detect_legacy, to_unicode
from kiemchung.extractors.syllables import syllable_share

_VIET_LETTER = re.compile(r"[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")
# Judged on at least this many words; below it a page (a signature page, a table) says too little.
_JUDGED_WORDS = 40
# Real pages, e-office and Word exports, score 0.91-1.00 (English terms and abbreviations in
# capitals count against); the garbled layers seen scored 0.57-0.68.
_GARBLED_SHARE = 0.75
# Page 1 of an administrative document carries the motto, a `Số` line or a place-date line; a
# layer that shows none of them while its words read only so-so is a bad OCR of the page.
_FIRST_PAGE_SHARE = 0.9
_HEADER_MARKS = re.compile(
    r"cong hoa xa hoi chu nghia|doc lap\s*-\s*tu do|\bso\s*:\s*\d*\s*/|,\s*ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}"
)


@dataclass(frozen=True)
class TextLayerVerdict:
    usable: bool
    reason: str  # empty | garbage | garbled | legacy-tcvn3 | legacy-vni | no-diacritics | ok

    @property
    def legacy(self) -> str | None:
        """`tcvn3` or `vni` when the layer must be converted from that encoding."""
        return self.reason.removeprefix("legacy-") if self.reason.startswith("legacy-") else None


def _garbled(text: str, *, first_page: bool) -> bool:
    share, judged = syllable_share(text)
    if judged < _JUDGED_WORDS:
        return False
    if share < _GARBLED_SHARE:
        return True
    return first_page and share < _FIRST_PAGE_SHARE and not _HEADER_MARKS.search(fold(text))


def judge_text_layer(text: str, *, first_page: bool = False) -> TextLayerVerdict:
    """Whether a page's text layer can be read as it is. `first_page`: page 1, where a
    document's header should be legible in it."""
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 20:
        return TextLayerVerdict(False, "empty")
    odd = sum(1 for ch in text if ch == "\ufffd" or ("\ue000" <= ch <= "\uf8ff") or (ord(ch) < 32 and ch not in "\r\n\t"))
    if odd / max(len(text), 1) > 0.05:
        return TextLayerVerdict(False, "garbage")
    words = _WORD.findall(text)
    if len(words) < 15:
        return TextLayerVerdict(True, "ok")
    legacy = detect_legacy(text)
    if legacy:
        # Adobe Scan layers with broken font maps pass for TCVN3: the converted text must read.
        if _garbled(to_unicode(text, legacy), first_page=first_page):
            return TextLayerVerdict(False, "garbled")
        return TextLayerVerdict(True, f"legacy-{legacy}")
    # Vietnamese prose has diacritics on most syllables; an OCR layer that lost them
    # (e.g. "S6: 463Y SGDDT") reads worse than our own OCR.
    with_marks = sum(1 for w in words if _VIET_LETTER.search(w))
    if with_marks / len(words) < 0.12:
        return TextLayerVerdict(False, "no-diacritics")
    if _garbled(text, first_page=first_page):
        return TextLayerVerdict(False, "garbled")
    return TextLayerVerdict(True, "ok")
