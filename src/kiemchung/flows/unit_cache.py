"""The unit cache: a unit's checks kept in the output store, keyed by everything they depend on.

A nightly re-run takes an unchanged unit's checks from here instead of checking it again, and a
work-pool worker leaves its unit's checks here for the parent flow to collect.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

from kiemchung.core.model import Processing, Unit
from kiemchung.extractors.readers import extractor_versions
from kiemchung.flows.root import RootInputs, UnitFiles
from kiemchung.flows.unit_check import UnitCheck
from kiemchung.storage import JsonCache


@functools.cache
def code_version() -> str:
    """Changes whenever the checks, their messages or an extractor change."""
    digest = hashlib.sha256(extractor_versions().encode())
    package = resources.files("kiemchung.checks")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".py", ".yaml")):
            digest.update(entry.name.encode() + entry.read_bytes())
    return digest.hexdigest()[:16]


def unit_fingerprint(listing: UnitFiles, registry_sha256: str) -> str:
    """Everything a unit's checks depend on: its files and dossier, the registry, the code."""
    digest = hashlib.sha256(f"{registry_sha256}|{code_version()}".encode())
    objects = ([listing.dossier] if listing.dossier else []) + [listing.files[k] for k in sorted(listing.files)]
    for info in objects:
        digest.update(f"|{info.key}|{info.etag}|{info.size}".encode())
    return digest.hexdigest()


class UnitCache:
    """Checks of the year's units by fingerprint; without a JsonCache it keeps nothing."""

    def __init__(self, cache: JsonCache | None, inputs: RootInputs) -> None:
        self.cache = cache
        self.namespace = f"units-{inputs.year}"
        self.registry_sha256 = inputs.registry_sha256

    def fingerprint(self, listing: UnitFiles) -> str:
        return unit_fingerprint(listing, self.registry_sha256)

    def kept(self, unit: Unit, listing: UnitFiles, *, as_reuse: bool = True) -> UnitCheck | None:
        """The unit's checks from an earlier run (or left by a worker) for this listing."""
        if self.cache is None:
            return None
        data = self.cache.get(self.namespace, f"{unit.code}-{self.fingerprint(listing)}")
        if data is None:
            return None
        try:
            outcome = UnitCheck.from_json(unit, data)
        except (KeyError, ValueError):
            return None
        if as_reuse:
            outcome.processing = Processing(reused=[d.file for d in outcome.documents], checks_reused=True)
        return outcome

    def keep(self, outcome: UnitCheck, listing: UnitFiles) -> None:
        """Only a complete check is kept: an error or a failed file is tried again next run."""
        if self.cache is None or outcome.error or outcome.processing.failed:
            return
        self.cache.put(self.namespace, f"{outcome.unit.code}-{self.fingerprint(listing)}", outcome.to_json())
