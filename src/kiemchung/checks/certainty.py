"""How sure a reading is, so that an error-severity mismatch stands only on a trustworthy one.

A text layer or a Word file says what the document says. OCR can misread a printed digit (2388 as
2287) and cannot read ink well: its reading decides an error only when its confidence is at least
TRUSTED_OCR or when two readers agree; otherwise the mismatch is a warning that sends the
inspector to the crop. How the threshold was chosen is in the README ("Handwritten fill-ins").
"""

from __future__ import annotations

import difflib
import functools
from importlib import resources

import yaml

from kiemchung.core.model import Field
from kiemchung.core.text import canonical, fold

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


@functools.cache
def _family_names() -> frozenset[str]:
    text = (resources.files("kiemchung.checks") / "family_names.yaml").read_text(encoding="utf-8")
    return frozenset(canonical(name) for name in yaml.safe_load(text)["family_names"])


def seal_hid_family_name(claimed: str, found: str) -> bool:
    """The claimed name read under the red seal: its middle and given names exactly (two words at
    least), its family name lost (`Hồng Hà` for `Trần Hồng Hà`), read with another tone (`Trấn`),
    or misread into a word that is no Vietnamese family name (`Em Minh Chính`). Another person's
    full name (`Lê Thị Thu Hà` for `Trần Thị Thu Hà`) is not."""
    a, b = canonical(claimed).split(), canonical(found).split()
    given = a[1:]
    if len(given) < 2:
        return False
    if b == given:
        return True
    if len(b) != len(a) or b[1:] != given:
        return False
    return fold(b[0]) == fold(a[0]) or b[0] not in _family_names()


def confidence_pct(field: Field) -> str:
    return f"{round((field.confidence or 0) * 100)}%"


_READER_NAMES = {"tesseract": "Tesseract", "ppocr": "bộ đọc chữ viết tay"}


def reader_name(reader: str) -> str:
    """A reader as the report names it."""
    return _READER_NAMES.get(reader, reader)


def readings_text(field: Field) -> str:
    """The value read, and what each reader read when they differ: `190/CĐ-TTg (Tesseract: 19/CĐ-TTg)`."""
    others = [f"{reader_name(r.reader)}: {r.value}" for r in field.readings or [] if r.value and r.value != field.value]
    return f"{field.value} ({'; '.join(others)})" if others else str(field.value)
