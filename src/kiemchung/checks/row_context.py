"""What every document rule is given: one claim row with its criterion, the unit, the document read
off the cited file and the assessment period, and a way to raise a flag pointing at the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kiemchung.checks.flags import make_flag
from kiemchung.core.model import Claim, Criterion, Document, Field, Flag, FlagCode, Framework, Unit


@dataclass(frozen=True)
class RowContext:
    claim: Claim
    criterion: Criterion
    unit: Unit
    doc: Document
    framework: Framework
    period: tuple[dt.date, dt.date]

    def flag(self, code: FlagCode, *, field: Field | None = None, **values) -> Flag:
        return make_flag(
            code,
            row=self.claim.row,
            criterion=self.claim.criterion,
            file=self.claim.file,
            page=field.page if field else None,
            **values,
        )

    def field(self, name: str) -> Field | None:
        f = self.doc.fields.get(name)
        return f if f and f.value else None

    @property
    def doc_date(self) -> dt.date | None:
        f = self.field("date")
        return dt.date.fromisoformat(f.value) if f else None


Rule = Callable[[RowContext], Iterable[Flag]]
