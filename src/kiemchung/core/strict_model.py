"""The base of the data model's records: unknown keys are refused, so a loader validates once and
fails with the key named instead of carrying a misspelt field along."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)
