"""Checking one unit: list its folder, read the cited files (cached), check its claims.

Plain functions over a Night (flows/night.py); flows/prescreen.py wraps them in Prefect and
flows/distributed.py runs them on work-pool workers. Cross-unit assembly is flows/assembly.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from kiemchung.checks.engine import check_claims, resolve_cited_file
from kiemchung.checks.unit_report import annotate_issuers
from kiemchung.core.errors import ConfigError, StorageError, describe_error
from kiemchung.core.model import Claim, Document, Processing, Unit
from kiemchung.flows.documents import DocumentSource
from kiemchung.flows.night import Night
from kiemchung.flows.root import UnitFiles, list_unit, read_dossier
from kiemchung.flows.unit_check import UnitCheck
from kiemchung.storage import ObjectStore

__all__ = ["Progress", "UnitCheck", "check_unit", "cited_files", "list_unit_files", "unchanged_unit"]

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


def list_unit_files(night: Night, unit: Unit) -> UnitFiles:
    return list_unit(night.root, night.year, unit.code)


def cited_files(claims: list[Claim], listing: UnitFiles) -> dict[str, str]:
    """Dossier path -> folder path of every cited file that exists in the unit folder."""
    available = set(listing.files)
    out = {}
    for claim in claims:
        resolved = resolve_cited_file(claim.file, available)
        if claim.file and resolved:
            out[claim.file] = resolved
    return out


def load_claims(store: ObjectStore, listing: UnitFiles, unit: Unit) -> tuple[list[Claim], list[str]]:
    """The unit's dossier claims. Raises ConfigError naming file and rows."""
    if listing.dossier is None:
        raise ConfigError(f"đơn vị {unit.code} chưa có tệp kê khai (dossier.xlsx hoặc dossier.csv) trong thư mục của đơn vị")
    result = read_dossier(store, listing.dossier)
    if not result.ok:
        lines = "; ".join(str(e) for e in result.errors[:20])
        more = f" (và {len(result.errors) - 20} lỗi khác)" if len(result.errors) > 20 else ""
        raise ConfigError(f"tệp kê khai không hợp lệ: {lines}{more}")
    return result.claims, result.warnings


def read_documents(
    source: DocumentSource,
    listing: UnitFiles,
    files: dict[str, str],
    *,
    workers: int,
    progress: Progress | None = None,
) -> tuple[dict[str, Document], Processing]:
    """Read every cited file once (in parallel), keyed by its dossier path."""
    processing = Processing()
    unique = sorted(set(files.values()))

    def read_one_file(rel: str) -> tuple[str, Document, bool]:
        try:
            doc, reused = source.read(listing.files[rel], rel)
        except StorageError:
            raise  # the store is down: retried by the caller, never reported as a bad file
        except Exception as exc:  # anything else with one file must not stop the unit
            log.exception("Không tải được tệp %s", rel)  # the report keeps the short message
            doc = Document(file=rel, sha256="", error_code="UNREADABLE_FILE", error=f"Không tải được tệp: {describe_error(exc)}")
            reused = False
            processing.failed.append(f"{rel}: {describe_error(exc)}")
        if progress:
            progress(1)
        return rel, doc, reused

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(read_one_file, unique))
    by_folder_path = {}
    for rel, doc, reused in results:
        by_folder_path[rel] = doc
        (processing.reused if reused else processing.processed).append(rel)
    documents = {}
    for cited, rel in files.items():
        doc = by_folder_path[rel]
        documents[cited] = doc if doc.file == cited else doc.model_copy(update={"file": cited})
    return documents, processing


def unchanged_unit(night: Night, unit: Unit) -> UnitCheck | None:
    """The unit's checks from the last run when nothing it depends on changed, else None.

    Cheap (one listing, one cache read), so a nightly re-run need not start a sub-flow for
    every unchanged unit. Any trouble means "not known unchanged": the unit is checked.
    """
    try:
        return night.unit_cache.kept(unit, list_unit_files(night, unit))
    except Exception:  # noqa: BLE001 - the full check will meet and report the same trouble
        return None


def check_unit(night: Night, unit: Unit, *, progress: Progress | None = None) -> UnitCheck:
    """One unit end to end except duplicates. Never raises for bad input: it becomes `error`.

    When nothing the unit depends on changed since the last run, its checks are taken from the
    unit cache (kept in the output store) instead of being run again.
    """
    outcome = UnitCheck(unit=unit)
    try:
        listing = list_unit_files(night, unit)
        cached = night.unit_cache.kept(unit, listing)
        if cached is not None:
            if progress:
                progress(len(listing.files))
            return cached
        claims, warnings = load_claims(night.root, listing, unit)
        outcome.claims, outcome.warnings = claims, warnings
        files = cited_files(claims, listing)
        documents, outcome.processing = read_documents(
            night.source, listing, files, workers=night.settings.workers, progress=progress
        )
        if progress:  # files in the folder that no row cites count as done
            progress(len(listing.files) - len(set(files.values())))
        unique_docs = list({id(d): d for d in documents.values()}.values())
        annotate_issuers(unique_docs, night.units)
        outcome.documents = sorted({d.file: d for d in documents.values()}.values(), key=lambda d: d.file)
        outcome.flags = check_claims(unit, night.framework, claims, documents, year=night.year)
        night.unit_cache.keep(outcome, listing)
    except StorageError:
        raise  # retried by the flow; after the last try the unit fails naming the store
    except Exception as exc:  # one broken unit must never stop the night
        log.exception("Không kiểm tra được đơn vị %s", unit.code)
        outcome.error = describe_error(exc)
    return outcome
