"""The review history: append-only records of imported decisions, and what they add up to.

Every import is one immutable record (who, when, from which file and its SHA-256, the decisions
it carried and the rows it refused). Records are never edited; the current decision on a flag
is the one in the latest record that mentions its id. Two teams importing at once write two
records, and both are kept. Pure: the flows read and write the records.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic import Field as PydField

from kiemchung.core.model import Flag, FlagBasis, Review, ReviewDecision

from .ids import flag_slot

RECORD_SCHEMA = "kiemchung.review/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a newer writer may add keys: keep reading


class RecordedDecision(_Model):
    """One flag's decision as imported, with what the flag stood on at the time."""

    id: str
    decision: ReviewDecision
    note: str | None = None
    by: str
    slot: str
    basis: FlagBasis | None = None
    row: int | None = None  # the spreadsheet row it came from
    criterion: str | None = None
    code: str | None = None


class IssuedFlag(_Model):
    """A flag id the pipeline has issued for a unit, with what the id stood on: a team may
    return a decision on it after the evidence changed (the id is then outdated, not unknown)."""

    slot: str
    basis: FlagBasis | None = None
    criterion: str | None = None
    code: str


def issued_from(flags: list[Flag]) -> dict[str, IssuedFlag]:
    return {
        f.id: IssuedFlag(slot=flag_slot(f), basis=f.basis, criterion=f.criterion, code=f.code.value) for f in flags if f.id
    }


class ReviewSource(_Model):
    file: str
    sha256: str
    via: Literal["cli", "drop"] = "cli"
    etag: str | None = None  # a dropped file's store fingerprint: not downloaded again


class ReviewRecord(_Model):
    schema_: str = PydField(default=RECORD_SCHEMA, alias="schema")
    unit: str
    year: int
    at: str  # ISO 8601, Viet Nam time
    by: str | None = None  # the importer's --by, when given
    source: ReviewSource
    decisions: list[RecordedDecision] = PydField(default_factory=list)
    problems: list[str] = PydField(default_factory=list)  # rows refused, "dòng 5, cột …: …"

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def to_bytes(self) -> bytes:
        data = self.model_dump(mode="json", by_alias=True)
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def parse_record(data: bytes) -> ReviewRecord:
    """A record from its stored bytes; ValueError naming what is wrong."""
    try:
        return ReviewRecord.model_validate(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        raise ValueError(f"bản ghi rà soát hỏng ({type(exc).__name__})") from exc


def record_name(now: dt.datetime | None = None) -> str:
    """`<UTC timestamp to the microsecond>-<random>.json`: names sort by time, never collide."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return f"{moment.strftime('%Y%m%dT%H%M%S.%fZ')}-{secrets.token_hex(4)}.json"


@dataclass
class Current:
    """A flag's latest decision and the record it came from."""

    decision: RecordedDecision
    at: str


@dataclass
class ReviewState:
    """The latest decision per flag id, and per slot for flags whose evidence changed."""

    by_id: dict[str, Current] = field(default_factory=dict)
    by_slot: dict[str, list[Current]] = field(default_factory=dict)  # oldest first

    @property
    def empty(self) -> bool:
        return not self.by_id


def current_state(records: list[tuple[str, ReviewRecord]]) -> ReviewState:
    """Fold records (name, record) in name order, i.e. by time: later decisions win."""
    state = ReviewState()
    for _, record in sorted(records, key=lambda nr: nr[0]):
        for decision in record.decisions:
            current = Current(decision=decision, at=record.at)
            state.by_id[decision.id] = current
            state.by_slot.setdefault(decision.slot, []).append(current)
    return state


def _stale_reason(old: FlagBasis | None, new: FlagBasis | None) -> str | None:
    if old is None or new is None or old == new:
        return None
    reasons = []
    if old.file_sha256 != new.file_sha256:
        reasons.append("tệp minh chứng đã thay đổi")
    if old.claim != new.claim:
        reasons.append("dòng kê khai đã được sửa")
    return " và ".join(reasons) or "căn cứ của cảnh báo đã thay đổi"


def _review(current: Current, *, stale_reason: str | None) -> Review:
    d = current.decision
    return Review(
        decision=d.decision, note=d.note, by=d.by, at=current.at, stale=stale_reason is not None, stale_reason=stale_reason
    )


def apply_reviews(flags: list[Flag], state: ReviewState | None) -> list[Flag]:
    """Copies of `flags` (already identified) with their current decision.

    A decision taken on the same id whose basis since changed, or taken on a flag that is gone
    but sat in the same slot (the file was replaced, the claimed value corrected), comes back
    stale: the old decision is shown beside "Cần xem lại" and no longer counts.
    """
    if state is None or state.empty:
        return flags
    ids = {f.id for f in flags}
    slots: dict[str, int] = {}
    for flag in flags:
        slots[flag_slot(flag)] = slots.get(flag_slot(flag), 0) + 1
    out = []
    for flag in flags:
        review = None
        if flag.id in state.by_id:
            current = state.by_id[flag.id]
            review = _review(current, stale_reason=_stale_reason(current.decision.basis, flag.basis))
        elif slots[flag_slot(flag)] == 1:
            gone = [c for c in state.by_slot.get(flag_slot(flag), []) if c.decision.id not in ids]
            if gone:
                reason = _stale_reason(gone[-1].decision.basis, flag.basis) or "căn cứ của cảnh báo đã thay đổi"
                review = _review(gone[-1], stale_reason=reason)
        out.append(flag.model_copy(update={"review": review}) if review else flag)
    return out
