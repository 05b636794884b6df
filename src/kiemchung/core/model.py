"""The shared data model: every other package speaks in these types.

Imports nothing of ours. Pydantic models so that loaders validate once and reports serialise
exactly as the contract (../shared/contracts.md) says.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydField

REPORT_SCHEMA = "kiemchung.report/1"
SUMMARY_SCHEMA = "kiemchung.summary/1"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class FlagCode(StrEnum):
    MISSING_FILE = "MISSING_FILE"
    UNREADABLE_FILE = "UNREADABLE_FILE"
    UNSUPPORTED_FILE = "UNSUPPORTED_FILE"
    NUMBER_NOT_FOUND = "NUMBER_NOT_FOUND"
    NUMBER_MISMATCH = "NUMBER_MISMATCH"
    DATE_NOT_FOUND = "DATE_NOT_FOUND"
    DATE_MISMATCH = "DATE_MISMATCH"
    DATE_OUTSIDE_PERIOD = "DATE_OUTSIDE_PERIOD"
    SIGNER_NOT_FOUND = "SIGNER_NOT_FOUND"
    SIGNER_MISMATCH = "SIGNER_MISMATCH"
    SIGNER_NOT_AUTHORIZED = "SIGNER_NOT_AUTHORIZED"
    ISSUER_MISMATCH = "ISSUER_MISMATCH"
    DOC_TYPE_MISMATCH = "DOC_TYPE_MISMATCH"
    TITLE_MISMATCH = "TITLE_MISMATCH"
    DRAFT_DOCUMENT = "DRAFT_DOCUMENT"
    DUPLICATE_ACROSS_UNITS = "DUPLICATE_ACROSS_UNITS"
    SCORE_EXCEEDS_MAX = "SCORE_EXCEEDS_MAX"
    UNKNOWN_CRITERION = "UNKNOWN_CRITERION"
    CRITERION_NOT_APPLICABLE = "CRITERION_NOT_APPLICABLE"
    INSUFFICIENT_EVIDENCE = "INSUFFICIENT_EVIDENCE"
    # Extension (issue 3): a PDF signature that no longer matches the bytes it signed.
    DIGITAL_SIGNATURE_BROKEN = "DIGITAL_SIGNATURE_BROKEN"
    # Contract section 6: the reading differs from the claim but is not trustworthy (handwriting,
    # low-confidence OCR, readers that disagree): a person looks at the crop. ISSUER_UNCERTAIN is
    # our extension, for an issuer header read without confidence.
    NUMBER_UNCERTAIN = "NUMBER_UNCERTAIN"
    DATE_UNCERTAIN = "DATE_UNCERTAIN"
    SIGNER_UNCERTAIN = "SIGNER_UNCERTAIN"
    ISSUER_UNCERTAIN = "ISSUER_UNCERTAIN"


FLAG_SEVERITY: dict[FlagCode, Severity] = {
    code: Severity.WARNING
    if code
    in {
        FlagCode.NUMBER_NOT_FOUND,
        FlagCode.DATE_NOT_FOUND,
        FlagCode.TITLE_MISMATCH,
        FlagCode.DUPLICATE_ACROSS_UNITS,
        FlagCode.NUMBER_UNCERTAIN,
        FlagCode.DATE_UNCERTAIN,
        FlagCode.SIGNER_UNCERTAIN,
        FlagCode.ISSUER_UNCERTAIN,
    }
    else Severity.ERROR
    for code in FlagCode
}

UNIT_GROUPS = ("so-nganh", "don-vi-truc-thuoc", "trung-uong", "quan-huyen", "phuong-xa")
UnitGroup = Literal["so-nganh", "don-vi-truc-thuoc", "trung-uong", "quan-huyen", "phuong-xa"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# ---------------------------------------------------------------- registry: units.yaml


class Alias(_Model):
    name: str
    symbol: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


class Leader(_Model):
    name: str
    role: str | None = None
    head: bool = False


class Unit(_Model):
    code: str
    name: str
    group: UnitGroup
    symbol: str | None = None
    aliases: list[Alias] = PydField(default_factory=list)
    leaders: list[Leader] = PydField(default_factory=list)


# ---------------------------------------------------------------- the index: framework YAML


class Rank(_Model):
    name: str
    min: float


class CustomPeriod(_Model):
    start: str  # "MM-DD", falls in year - 1 when after `end`
    end: str


class EvidenceRule(_Model):
    doc_types: list[str] | None = None
    issuer: Literal["self", "any"] = "any"
    signer: Literal["leader", "any"] = "any"
    in_period: bool = False
    title_keywords: list[str] | None = None
    min_documents: int = 0


class Criterion(_Model):
    code: str
    area: str | None = None
    title: str
    max_points: float
    applies_to: list[UnitGroup] | None = None
    evidence: EvidenceRule = PydField(default_factory=EvidenceRule)


class Framework(_Model):
    id: str
    name: str
    valid_years: list[int] = PydField(default_factory=list)
    period: Literal["calendar_year"] | CustomPeriod = "calendar_year"
    ranks: list[Rank]
    criteria: list[Criterion]
    source: str | None = None  # free text: where the criteria come from

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)


# ---------------------------------------------------------------- the dossier


class Claim(_Model):
    """One data row of a unit's dossier: a document cited for a criterion."""

    row: int
    stt: str | None = None
    criterion: str
    self_score: float | None = None
    doc_number: str | None = None
    doc_date: dt.date | None = None
    doc_date_raw: str | None = None
    doc_title: str | None = None
    signer: str | None = None
    file: str | None = None


# ---------------------------------------------------------------- what was read off a file


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


class DigitalSignature(_Model):
    field: str | None = None
    signer: str | None = None  # certificate common name
    signing_time: str | None = None
    intact: bool | None = None
    covers_whole_file: bool | None = None
    # The signature value over the signed attributes checks out with the certificate's key
    # (None: not checked). Separate from `intact`: a byte-exact copy can carry a bad value.
    signature_valid: bool | None = None
    error: str | None = None


class Document(_Model):
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


# ---------------------------------------------------------------- outcomes


class ReviewDecision(StrEnum):
    """What an inspection team decided about a flag (flags.xlsx: Xác nhận, Bỏ qua, Chờ bổ sung)."""

    CONFIRMED = "confirmed"  # the problem is real: the claim loses its points
    DISMISSED = "dismissed"  # a false alarm: the flag no longer counts
    PENDING = "pending"  # the unit must supply evidence before the visit


class Review(_Model):
    """The current decision on a flag, carried over from the review history."""

    decision: ReviewDecision
    note: str | None = None
    by: str | None = None
    at: str | None = None  # when it was recorded (ISO 8601)
    # The flag's evidence (file bytes, the claim's row) changed since the decision: shown as
    # "Cần xem lại" with the old decision beside it, and counted as not reviewed.
    stale: bool = False
    stale_reason: str | None = None


class FlagBasis(_Model):
    """What a flag's evidence was, to tell whether a decision still fits it (digests)."""

    file_sha256: str | None = None  # the cited file's bytes (row flags), or all the criterion's
    claim: str | None = None  # digest of the claim row's values (or of the criterion's rows)


class Flag(_Model):
    row: int | None
    criterion: str | None
    file: str | None
    code: FlagCode
    severity: Severity
    message: str
    claimed: str | None = None
    found: str | None = None
    page: int | None = None
    # Review loop (issue 12): a stable id (unit, year, criterion, code, the cited file's SHA-256
    # and the claimed value; not the row), what it was computed on, and the team's decision.
    id: str | None = None
    basis: FlagBasis | None = None
    review: Review | None = None


ClaimStatus = Literal["ok", "flagged", "missing"]


class ClaimResult(_Model):
    row: int
    criterion: str
    file: str | None
    status: ClaimStatus
    self_score: float | None
    supported_score: float


class UnitRef(_Model):
    code: str
    name: str
    group: str


class Summary(_Model):
    claims: int = 0
    flagged: int = 0
    errors: int = 0
    warnings: int = 0
    self_score: float = 0
    supported_score: float = 0
    rank_self: str | None = None
    rank_supported: str | None = None
    points_at_risk: float = 0  # self-assessed points lost to errors nobody has decided on yet
    # Review progress: flags with a current decision, without one, and whose decision is stale.
    reviewed: int = 0
    unreviewed: int = 0
    stale: int = 0
    points_confirmed_lost: float = 0  # self-assessed points lost to confirmed flags


class Processing(_Model):
    """How the report was made: what was read afresh, what came from the cache, what failed."""

    processed: list[str] = PydField(default_factory=list)
    reused: list[str] = PydField(default_factory=list)
    failed: list[str] = PydField(default_factory=list)
    # True when nothing the unit's checks depend on changed since the last run, so its checks
    # were taken over as they were (files, dossier, units.yaml, framework and code unchanged).
    checks_reused: bool = False


class UnitReport(_Model):
    schema_: str = PydField(default=REPORT_SCHEMA, alias="schema")
    unit: UnitRef
    year: int
    framework: str
    generated_at: str
    claims: list[ClaimResult] = PydField(default_factory=list)
    flags: list[Flag] = PydField(default_factory=list)
    documents: list[Document] = PydField(default_factory=list)
    summary: Summary = PydField(default_factory=Summary)
    processing: Processing = PydField(default_factory=Processing)
    error: str | None = None  # the unit could not be checked at all (bad dossier, ...)
    # What happened to review files picked up by this run (imported rows, rejected rows).
    review_notes: list[str] = PydField(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json_dict(self) -> dict[str, Any]:
        """The contract's JSON: `row: null` stays on flags, absent fields are left out."""
        out = self.model_dump(mode="json", by_alias=True, exclude={"documents"})
        out["documents"] = [d.model_dump(mode="json", exclude_none=True) for d in self.documents]
        if out.get("error") is None:
            out.pop("error", None)
        if not out.get("review_notes"):
            out.pop("review_notes", None)
        return out
