"""One run's shared context, fixed at the top of the flow and only read below it.

The stages of a night, each in its module and each given this context once:
load the root (flows/root.py) -> per unit: list, read (cached), check (flows/pipeline.py, with
flows/documents.py and flows/unit_cache.py) -> assemble across units (flows/assembly.py) ->
write each unit's outputs, then the year's (flows/outputs.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiemchung.core.clock import now_iso
from kiemchung.core.model import Framework, Unit
from kiemchung.flows.documents import DocumentSource
from kiemchung.flows.isolation import document_reader
from kiemchung.flows.root import RootInputs
from kiemchung.flows.settings import Settings
from kiemchung.flows.unit_cache import UnitCache
from kiemchung.storage import JsonCache, ObjectStore


@dataclass(frozen=True)
class Night:
    """The year's root inputs, the settings, where documents come from and reports go."""

    inputs: RootInputs
    settings: Settings
    source: DocumentSource  # reads proof files from the evidence root
    out: ObjectStore
    unit_cache: UnitCache
    generated_at: str

    @property
    def year(self) -> int:
        return self.inputs.year

    @property
    def framework(self) -> Framework:
        return self.inputs.framework

    @property
    def units(self) -> list[Unit]:
        return self.inputs.units

    @property
    def root(self) -> ObjectStore:
        return self.source.store


def start_night(inputs: RootInputs, *, root: ObjectStore, out: ObjectStore, settings: Settings) -> Night:
    """The context for checking `inputs`' units; caches (when on) live in the output store."""
    cache = JsonCache(out) if settings.cache else None
    source = DocumentSource(root, settings.extract_context(), cache=cache, reader=document_reader(settings))
    return Night(
        inputs=inputs,
        settings=settings,
        source=source,
        out=out,
        unit_cache=UnitCache(cache, inputs),
        generated_at=now_iso(),
    )
