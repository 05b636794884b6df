"""The outcomes: flags with their review decisions, each claim's result, and the unit's report
with its summary and how it was made (the JSON of ../shared/contracts.md)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import ConfigDict
from pydantic import Field as PydField

from kiemchung.core.document_model import Document
from kiemchung.core.flag_codes import FlagCode, Severity
from kiemchung.core.strict_model import StrictModel

REPORT_SCHEMA = "kiemchung.report/1"
SUMMARY_SCHEMA = "kiemchung.summary/1"


class ReviewDecision(StrEnum):
    """What an inspection team decided about a flag (flags.xlsx: Xác nhận, Bỏ qua, Chờ bổ sung)."""

    CONFIRMED = "confirmed"  # the problem is real: the claim loses its points
    DISMISSED = "dismissed"  # a false alarm: the flag no longer counts
    PENDING = "pending"  # the unit must supply evidence before the visit


class Review(StrictModel):
    """The current decision on a flag, carried over from the review history."""

    decision: ReviewDecision
    note: str | None = None
    by: str | None = None
    at: str | None = None  # when it was recorded (ISO 8601)
    # The flag's evidence (file bytes, the claim's row) changed since the decision: shown as
    # "Cần xem lại" with the old decision beside it, and counted as not reviewed.
    stale: bool = False
    stale_reason: str | None = None


class FlagBasis(StrictModel):
    """What a flag's evidence was, to tell whether a decision still fits it (digests)."""

    file_sha256: str | None = None  # the cited file's bytes (row flags), or all the criterion's
    claim: str | None = None  # digest of the claim row's values (or of the criterion's rows)


class Flag(StrictModel):
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


class ClaimResult(StrictModel):
    row: int
    criterion: str
    file: str | None
    status: ClaimStatus
    self_score: float | None
    supported_score: float


class UnitRef(StrictModel):
    code: str
    name: str
    group: str


class Summary(StrictModel):
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


class Processing(StrictModel):
    """How the report was made: what was read afresh, what came from the cache, what failed."""

    processed: list[str] = PydField(default_factory=list)
    reused: list[str] = PydField(default_factory=list)
    failed: list[str] = PydField(default_factory=list)
    # True when nothing the unit's checks depend on changed since the last run, so its checks
    # were taken over as they were (files, dossier, units.yaml, framework and code unchanged).
    checks_reused: bool = False


class UnitReport(StrictModel):
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
