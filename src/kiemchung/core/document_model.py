"""What was read off a file: the document, its fields with provenance (page, box, method,
confidence, each reader's own reading) and its digital signatures."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydField

from kiemchung.core.strict_model import StrictModel


class Reading(BaseModel):
    """What one reader made of a field's crop, kept beside the combined value (provenance)."""

    model_config = ConfigDict(extra="forbid")

    reader: str  # tesseract | ppocr
    value: str | None = None
    confidence: float | None = None
    bbox: list[float] | None = None


class Field(BaseModel):
    """A value read off a document, with where and how it was read (provenance)."""

    model_config = ConfigDict(extra="forbid")

    value: str | None = None
    page: int | None = None
    bbox: list[float] | None = None  # [x0, top, x1, bottom] in PDF points, top-left origin
    method: str | None = None  # text | ocr | docx | ocr+ppocr | ppocr (the readers that agree)
    confidence: float | None = None
    unit: str | None = None  # issuer only: the matched unit code
    # Each reader's own reading where more than one read the crop (scanned numbers and dates).
    readings: list[Reading] | None = None

    @property
    def values_read(self) -> list[str]:
        """The combined value and every reader's own: a claim equal to any of them is not wrong."""
        found = [self.value] + [r.value for r in self.readings or []]
        return [v for v in dict.fromkeys(found) if v]


class DigitalSignature(StrictModel):
    field: str | None = None
    signer: str | None = None  # certificate common name
    signing_time: str | None = None
    intact: bool | None = None
    covers_whole_file: bool | None = None
    # The signature value over the signed attributes checks out with the certificate's key
    # (None: not checked). Separate from `intact`: a byte-exact copy can carry a bad value.
    signature_valid: bool | None = None
    error: str | None = None


class Document(StrictModel):
    file: str
    sha256: str
    pages: int = 0
    method: str | None = None  # text | ocr | docx | mixed
    kind: str | None = None  # sniffed type: pdf, docx, jpeg, png, tiff, zip, ...
    fields: dict[str, Field] = PydField(default_factory=dict)
    page_methods: list[str] = PydField(default_factory=list)
    signatures: list[DigitalSignature] = PydField(default_factory=list)
    draft: bool = False
    error_code: str | None = None  # UNREADABLE_FILE | UNSUPPORTED_FILE when it could not be read
    error: str | None = None  # Vietnamese message for the user
    extractor_version: str | None = None
    members: list[Document] | None = None  # archive members, each read on its own

    def field_value(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f else None

    @property
    def readable(self) -> bool:
        return self.error_code is None
