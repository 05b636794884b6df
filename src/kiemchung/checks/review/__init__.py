"""The review loop: inspectors' decisions on flags, kept as history and carried across runs.

`ids` gives every flag a stable id and records what it stood on; `history` folds the
append-only records into the current decision per flag and applies it; `importer` reads a
returned flags.xlsx. Pure functions: the flows read and write the records in the output store.
"""

from __future__ import annotations

from .history import (
    RECORD_SCHEMA,
    IssuedFlag,
    RecordedDecision,
    ReviewRecord,
    ReviewSource,
    ReviewState,
    apply_reviews,
    current_state,
    issued_from,
    parse_record,
    record_name,
)
from .ids import flag_slot, identify_flags, parse_flag_id
from .importer import ImportOutcome, ImportProblem, read_review_workbook

__all__ = [
    "RECORD_SCHEMA",
    "ImportOutcome",
    "ImportProblem",
    "IssuedFlag",
    "RecordedDecision",
    "ReviewRecord",
    "ReviewSource",
    "ReviewState",
    "apply_reviews",
    "current_state",
    "flag_slot",
    "identify_flags",
    "issued_from",
    "parse_flag_id",
    "parse_record",
    "read_review_workbook",
    "record_name",
]
