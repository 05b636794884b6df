"""The steps of a pre-screen run as plain functions; flows/prescreen.py wraps them in Prefect.

Order: load the root -> per unit: dossier, documents, checks -> across units: duplicates ->
reports written (each file atomically, report.json last) -> summary and index last of all.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kiemchung.checks.duplicates import duplicate_flags
from kiemchung.checks.engine import check_claims, resolve_cited_file
from kiemchung.checks.report import (
    render_flags_xlsx,
    render_index_html,
    render_report_html,
    render_report_json,
    render_summary_json,
    render_summary_xlsx,
)
from kiemchung.checks.unit_report import annotate_issuers, assemble_report, failed_report
from kiemchung.core.errors import ConfigError, StorageError
from kiemchung.core.model import Claim, Document, Flag, Framework, Processing, Unit, UnitReport
from kiemchung.flows.evidence import (
    DocumentSource,
    UnitFiles,
    describe_error,
    list_unit,
    read_dossier,
    unit_fingerprint,
)
from kiemchung.flows.reviews import UnitReviews, remember_issued
from kiemchung.storage import JsonCache, LocalStore, ObjectStore, safe_key

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


def now_iso() -> str:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds")


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

    def one(rel: str) -> tuple[str, Document, bool]:
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
        results = list(pool.map(one, unique))
    by_folder_path = {}
    for rel, doc, reused in results:
        by_folder_path[rel] = doc
        (processing.reused if reused else processing.processed).append(rel)
    documents = {}
    for cited, rel in files.items():
        doc = by_folder_path[rel]
        documents[cited] = doc if doc.file == cited else doc.model_copy(update={"file": cited})
    return documents, processing


def cached_check(cache: JsonCache | None, unit: Unit, year: int, fingerprint: str, *, as_reuse: bool = True) -> UnitCheck | None:
    """A unit's checks kept from an earlier run (or left by a worker) for this fingerprint."""
    if cache is None:
        return None
    data = cache.get(f"units-{year}", f"{unit.code}-{fingerprint}")
    if data is None:
        return None
    try:
        outcome = UnitCheck(
            unit=unit,
            claims=[Claim.model_validate(c) for c in data["claims"]],
            documents=[Document.model_validate(d) for d in data["documents"]],
            flags=[Flag.model_validate(f) for f in data["flags"]],
            warnings=list(data.get("warnings", [])),
            processing=Processing.model_validate(data.get("processing", {})),
        )
    except (KeyError, ValueError):
        return None
    if as_reuse:
        outcome.processing = Processing(reused=[d.file for d in outcome.documents], checks_reused=True)
    return outcome


def _remember_check(cache: JsonCache | None, outcome: UnitCheck, year: int, fingerprint: str) -> None:
    if cache is None or outcome.error or outcome.processing.failed:
        return
    cache.put(
        f"units-{year}",
        f"{outcome.unit.code}-{fingerprint}",
        {
            "claims": [c.model_dump(mode="json") for c in outcome.claims],
            "documents": [d.model_dump(mode="json") for d in outcome.documents],
            "flags": [f.model_dump(mode="json") for f in outcome.flags],
            "warnings": outcome.warnings,
            "processing": outcome.processing.model_dump(mode="json"),
        },
    )


def unchanged_unit(
    store: ObjectStore, source: DocumentSource, unit: Unit, year: int, registry_sha256: str
) -> UnitCheck | None:
    """The unit's checks from the last run when nothing it depends on changed, else None.

    Cheap (one listing, one cache read), so a nightly re-run need not start a sub-flow for
    every unchanged unit. Any trouble means "not known unchanged": the unit is checked.
    """
    try:
        listing = list_unit(store, year, unit.code)
        return cached_check(source.cache, unit, year, unit_fingerprint(listing, registry_sha256))
    except Exception:  # noqa: BLE001 - the full check will meet and report the same trouble
        return None


def check_unit(
    store: ObjectStore,
    source: DocumentSource,
    unit: Unit,
    units: list[Unit],
    framework: Framework,
    year: int,
    *,
    workers: int,
    registry_sha256: str = "",
    progress: Progress | None = None,
) -> UnitCheck:
    """One unit end to end except duplicates. Never raises for bad input: it becomes `error`.

    When nothing the unit depends on changed since the last run, its checks are taken from the
    cache (kept in the output store) instead of being run again.
    """
    outcome = UnitCheck(unit=unit)
    try:
        listing = list_unit(store, year, unit.code)
        fingerprint = unit_fingerprint(listing, registry_sha256)
        cached = cached_check(source.cache, unit, year, fingerprint)
        if cached is not None:
            if progress:
                progress(len(listing.files))
            return cached
        claims, warnings = load_claims(store, listing, unit)
        outcome.claims, outcome.warnings = claims, warnings
        files = cited_files(claims, listing)
        documents, outcome.processing = read_documents(source, listing, files, workers=workers, progress=progress)
        if progress:  # files in the folder that no row cites count as done
            progress(len(listing.files) - len(set(files.values())))
        unique_docs = list({id(d): d for d in documents.values()}.values())
        annotate_issuers(unique_docs, units)
        outcome.documents = sorted({d.file: d for d in documents.values()}.values(), key=lambda d: d.file)
        outcome.flags = check_claims(unit, framework, claims, documents, year=year)
        _remember_check(source.cache, outcome, year, fingerprint)
    except StorageError:
        raise  # retried by the flow; after the last try the unit fails naming the store
    except Exception as exc:  # one broken unit must never stop the night
        log.exception("Không kiểm tra được đơn vị %s", unit.code)
        outcome.error = describe_error(exc)
    return outcome


def finish_reports(
    checks: list[UnitCheck],
    framework: Framework,
    year: int,
    generated_at: str,
    reviews: dict[str, UnitReviews] | None = None,
) -> list[UnitReport]:
    """Add cross-unit duplicate flags, apply each unit's review decisions and score every unit."""
    reviews = reviews or {}
    preliminary = [
        assemble_report(c.unit, framework, c.claims, c.documents, c.flags, year=year, generated_at=generated_at)
        for c in checks
        if c.error is None
    ]
    extra = duplicate_flags(preliminary)
    unchecked = [c.unit.code for c in checks if c.error is not None]
    reports = []
    for c in checks:
        if c.error is not None:
            reports.append(failed_report(c.unit, framework, year=year, generated_at=generated_at, error=c.error))
            continue
        flags = c.flags + extra.get(c.unit.code, [])
        processing = c.processing.model_copy(deep=True)
        if unchecked:  # never let a partial cross-unit pass look complete
            processing.failed.append(
                f"Đối chiếu trùng lặp giữa các đơn vị chưa đầy đủ: chưa kiểm tra được {', '.join(unchecked)}"
            )
        unit_reviews = reviews.get(c.unit.code, UnitReviews())
        reports.append(
            assemble_report(
                c.unit,
                framework,
                c.claims,
                c.documents,
                flags,
                year=year,
                generated_at=generated_at,
                processing=processing,
                reviews=unit_reviews.state,
                review_notes=unit_reviews.notes,
            )
        )
    return reports


def _file_links(report: UnitReport, root: ObjectStore, out: ObjectStore, out_dir_key: str, year: int) -> dict[str, str]:
    links = {}
    base_dir = None
    if isinstance(out, LocalStore) and isinstance(root, LocalStore):
        base_dir = str(Path(out.root) / out_dir_key)
    for doc in report.documents:
        key = safe_key(str(year), report.unit.code, doc.file)
        try:
            if base_dir:
                links[doc.file] = os.path.relpath(str(Path(root.root) / key), base_dir)
            else:
                links[doc.file] = root.url_for(key)
        except Exception:  # a link is a convenience: the report stands without it
            log.exception("Không tạo được liên kết tới tệp %s của đơn vị %s", doc.file, report.unit.code)
            continue
    return links


def report_snippets(report: UnitReport, source: DocumentSource | None) -> dict[tuple[str, str], str]:
    if source is None:
        return {}
    return {(d.file, name): uri for d in report.documents for name, uri in source.snippets(d).items()}


def write_unit_report(
    report: UnitReport, *, root: ObjectStore, out: ObjectStore, prefix: str = "", source: DocumentSource | None = None
) -> str:
    """Write one unit's files; report.json last, so its presence means the set is complete."""
    folder = safe_key(*(p for p in (prefix.strip("/"), str(report.year), report.unit.code) if p))
    links = _file_links(report, root, out, folder, report.year)
    snippets = report_snippets(report, source)
    out.write_bytes(f"{folder}/flags.xlsx", render_flags_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    out.write_bytes(f"{folder}/report.html", render_report_html(report, file_links=links, snippets=snippets).encode("utf-8"), content_type="text/html; charset=utf-8")
    out.write_bytes(f"{folder}/report.json", render_report_json(report), content_type="application/json")
    remember_issued(out, folder, report.flags)
    return folder


def write_year_outputs(reports: list[UnitReport], *, out: ObjectStore, year: int, framework: str, generated_at: str, prefix: str = "") -> str:
    folder = safe_key(*(p for p in (prefix.strip("/"), str(year)) if p))
    out.write_bytes(f"{folder}/summary.xlsx", render_summary_xlsx(reports))
    out.write_bytes(
        f"{folder}/index.html",
        render_index_html(reports, year=year, framework=framework, generated_at=generated_at).encode("utf-8"),
        content_type="text/html; charset=utf-8",
    )
    out.write_bytes(
        f"{folder}/summary.json",
        render_summary_json(reports, year=year, framework=framework, generated_at=generated_at),
        content_type="application/json",
    )
    return folder
