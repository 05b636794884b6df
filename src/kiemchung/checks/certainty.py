"""How sure a reading is, so that an error-severity mismatch stands only on a trustworthy one.

A text layer or a Word file says what the document says. OCR can misread a printed digit (2388 as
2287) and cannot read ink well: its reading decides an error only when its confidence is at least
TRUSTED_OCR or when two readers agree; otherwise the mismatch is a warning that sends the
inspector to the crop. How the threshold was chosen is in the README ("Handwritten fill-ins").
"""

from __future__ import annotations

import difflib

from kiemchung.core.model import Field
from kiemchung.core.text import fold

# Tesseract's word confidence (0..1) from which an OCR'd number, date or signer decides an
# error: on the scans of shared/realdocs no wrong reading of a number or day scored above 0.90
# and most right ones of printed digits did (README, "Handwritten fill-ins").
TRUSTED_OCR = 0.90
# Methods whose value is what the file says: a text layer, a Word file, two OCR readers agreeing.
_EXACT_METHODS = {None, "text", "docx", "ocr+ppocr"}
# Two names this similar (folded, 0..1) that share the given name are one name read badly, as
# when the red seal covers the family name (`Em Minh Chính` for `Lê Minh Chính`).
_NAME_SIMILAR = 0.6


def is_trusted(field: Field) -> bool:
    if field.method in _EXACT_METHODS:
        return True
    return (field.confidence or 0.0) >= TRUSTED_OCR


def is_ocr(field: Field) -> bool:
    return field.method not in {None, "text", "docx"}


def names_close(claimed: str, found: str) -> bool:
    """The same person's name with the family name (or a letter) misread: same given name and
    mostly the same letters."""
    a, b = fold(claimed).split(), fold(found).split()
    if not a or not b or a[-1] != b[-1]:
        return False
    return difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= _NAME_SIMILAR or a[-2:] == b[-2:]
