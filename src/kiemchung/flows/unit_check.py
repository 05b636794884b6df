"""What checking one unit leaves: handed to assembly, kept by the unit cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiemchung.core.model import Claim, Document, Flag, Processing, Unit


@dataclass
class UnitCheck:
    """A unit after its own checks, before cross-unit duplicates."""

    unit: Unit
    claims: list[Claim] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    processing: Processing = field(default_factory=Processing)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "claims": [c.model_dump(mode="json") for c in self.claims],
            "documents": [d.model_dump(mode="json") for d in self.documents],
            "flags": [f.model_dump(mode="json") for f in self.flags],
            "warnings": self.warnings,
            "processing": self.processing.model_dump(mode="json"),
        }

    @classmethod
    def from_json(cls, unit: Unit, data: dict[str, Any]) -> UnitCheck:
        """Raises KeyError or ValueError when `data` is not what `to_json` wrote."""
        return cls(
            unit=unit,
            claims=[Claim.model_validate(c) for c in data["claims"]],
            documents=[Document.model_validate(d) for d in data["documents"]],
            flags=[Flag.model_validate(f) for f in data["flags"]],
            warnings=list(data.get("warnings", [])),
            processing=Processing.model_validate(data.get("processing", {})),
        )
