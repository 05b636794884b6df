"""The shared data model: every other package speaks in these types.

Imports nothing of ours outside core/. Pydantic models so that loaders validate once and reports
serialise exactly as the contract (../shared/contracts.md) says. The registry, the framework and the
dossier are here; what was read off a file (`document_model`), the flag codes (`flag_codes`) and
the outcomes (`report_model`) live beside it and are imported from here like the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field as PydField

from kiemchung.core.document_model import DigitalSignature, Document, Field, Reading
from kiemchung.core.flag_codes import FLAG_SEVERITY, FlagCode, Severity
from kiemchung.core.report_model import (
    REPORT_SCHEMA,
    SUMMARY_SCHEMA,
    ClaimResult,
    ClaimStatus,
    Flag,
    FlagBasis,
    Processing,
    Review,
    ReviewDecision,
    Summary,
    UnitRef,
    UnitReport,
)
from kiemchung.core.strict_model import StrictModel

UNIT_GROUPS = ("so-nganh", "don-vi-truc-thuoc", "trung-uong", "quan-huyen", "phuong-xa")
UnitGroup = Literal["so-nganh", "don-vi-truc-thuoc", "trung-uong", "quan-huyen", "phuong-xa"]


# ---------------------------------------------------------------- registry: units.yaml


class Alias(StrictModel):
    name: str
    symbol: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


class Leader(StrictModel):
    name: str
    role: str | None = None
    head: bool = False


class Unit(StrictModel):
    code: str
    name: str
    group: UnitGroup
    symbol: str | None = None
    aliases: list[Alias] = PydField(default_factory=list)
    leaders: list[Leader] = PydField(default_factory=list)


# ---------------------------------------------------------------- the index: framework YAML


class Rank(StrictModel):
    name: str
    min: float


class CustomPeriod(StrictModel):
    start: str  # "MM-DD", falls in year - 1 when after `end`
    end: str


class EvidenceRule(StrictModel):
    doc_types: list[str] | None = None
    issuer: Literal["self", "any"] = "any"
    signer: Literal["leader", "any"] = "any"
    in_period: bool = False
    title_keywords: list[str] | None = None
    min_documents: int = 0


class Criterion(StrictModel):
    code: str
    area: str | None = None
    title: str
    max_points: float
    applies_to: list[UnitGroup] | None = None
    evidence: EvidenceRule = PydField(default_factory=EvidenceRule)


class Framework(StrictModel):
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


class Claim(StrictModel):
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




__all__ = [
    "UNIT_GROUPS",
    "UnitGroup",
    "Alias",
    "Leader",
    "Unit",
    "Rank",
    "CustomPeriod",
    "EvidenceRule",
    "Criterion",
    "Framework",
    "Claim",
    "Reading",
    "Field",
    "DigitalSignature",
    "Document",
    "Severity",
    "FlagCode",
    "FLAG_SEVERITY",
    "REPORT_SCHEMA",
    "SUMMARY_SCHEMA",
    "ReviewDecision",
    "Review",
    "FlagBasis",
    "Flag",
    "ClaimStatus",
    "ClaimResult",
    "UnitRef",
    "Summary",
    "Processing",
    "UnitReport",
]
