"""The review loop in the output store: importing returned flag lists, reading the history.

Layout, beside each unit's reports (`OUT/<year>/<UNIT>/`, under KIEMCHUNG_REPORTS_PREFIX):

    reviews/<any name>.xlsx                            a returned flags.xlsx, picked up by the next run
    reviews/history/<UTC time>-<random>.json           one immutable record per import
    reviews/issued-ids.json                            every flag id issued for the unit (derived)

Records are only ever added (a unique name, one atomic write each), so two imports at once both
land, a killed run loses nothing, and the current decision on a flag is the one in the latest
record. Plain functions over an ObjectStore: the CLI and the flow's task share them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from kiemchung.checks.review import (
    ImportOutcome,
    IssuedFlag,
    ReviewRecord,
    ReviewSource,
    ReviewState,
    current_state,
    issued_from,
    parse_record,
    read_review_workbook,
    record_name,
)
from kiemchung.checks.review.importer import MAX_WORKBOOK_BYTES
from kiemchung.core.clock import now_iso
from kiemchung.core.digest import sha256_hex
from kiemchung.core.errors import ConfigError, UnsafeKeyError
from kiemchung.core.model import Flag
from kiemchung.storage import (
    ObjectInfo,
    ObjectNotFoundError,
    ObjectStore,
    ObjectTooLargeError,
    safe_key,
)

REVIEWS = "reviews"
HISTORY = "history"
ISSUED = "issued-ids.json"
MAX_RECORD_BYTES = 8 * 1024 * 1024
MAX_REPORT_BYTES = 256 * 1024 * 1024
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def unit_folder(prefix: str, year: int, code: str) -> str:
    """Where a unit's reports (and its reviews) live in the output store."""
    if not code or "/" in code or code in (".", ".."):
        raise ConfigError(f"mã đơn vị '{code}' không hợp lệ", key="--unit")
    try:
        return safe_key(*(p for p in (prefix.strip("/"), str(year), code) if p))
    except UnsafeKeyError as exc:
        raise ConfigError(f"mã đơn vị '{code}' không hợp lệ: {exc}", key="--unit") from exc


def history_prefix(folder: str) -> str:
    return f"{folder}/{REVIEWS}/{HISTORY}"


def _records(out: ObjectStore, infos: list[ObjectInfo]) -> tuple[list[tuple[str, ReviewRecord]], list[str]]:
    records, warnings = [], []
    for info in infos:
        name = PurePosixPath(info.key).name
        try:
            records.append((name, parse_record(out.read_bytes(info.key, max_bytes=MAX_RECORD_BYTES))))
        except (ValueError, ObjectTooLargeError, ObjectNotFoundError) as exc:
            warnings.append(f"Bỏ qua bản ghi rà soát {info.key}: {exc}")
    records.sort(key=lambda nr: nr[0])
    return records, warnings


def _listing(out: ObjectStore, folder: str) -> tuple[list[ObjectInfo], list[ObjectInfo]]:
    """(workbooks dropped straight into reviews/, history records): one listing for both.
    Excel's `~$` lock files and hidden files are not workbooks."""
    base = f"{folder}/{REVIEWS}/"
    dropped, history = [], []
    for info in out.list(base):
        rel = info.key[len(base) :]
        if rel.startswith(f"{HISTORY}/") and rel.endswith(".json") and rel.count("/") == 1:
            history.append(info)
        elif "/" not in rel and not rel.startswith(("~$", ".")) and rel.lower().endswith(WORKBOOK_SUFFIXES):
            dropped.append(info)
    return dropped, history


def read_history(out: ObjectStore, folder: str) -> tuple[list[tuple[str, ReviewRecord]], list[str]]:
    """Every record of the unit, oldest first, and a warning per record that cannot be read
    (skipped, never deleted: a person can look at it)."""
    return _records(out, _listing(out, folder)[1])


def latest_flags(out: ObjectStore, folder: str) -> list[Flag] | None:
    """The flags of the unit's last report.json (those its flags.xlsx was made from), or None.

    Only the flags are read, leniently: keys a newer writer added are ignored, so an old
    command can still import into a newer report."""
    try:
        data = out.read_bytes(f"{folder}/report.json", max_bytes=MAX_REPORT_BYTES)
    except ObjectNotFoundError:
        return None
    try:
        flags = json.loads(data.decode("utf-8"))["flags"]
        return [Flag.model_validate({k: v for k, v in f.items() if k in Flag.model_fields}) for f in flags]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"báo cáo {folder}/report.json hỏng, không đối chiếu được kết luận ({type(exc).__name__})") from exc


def read_issued(out: ObjectStore, folder: str) -> dict[str, IssuedFlag]:
    """Every flag id issued for the unit so far; a damaged or missing list reads as empty."""
    try:
        data = json.loads(out.read_bytes(f"{folder}/{REVIEWS}/{ISSUED}", max_bytes=MAX_REPORT_BYTES))
        return {k: IssuedFlag.model_validate(v) for k, v in data["ids"].items()}
    except ObjectNotFoundError:
        return {}
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # derived data: the next run writes it again from its flags


def remember_issued(out: ObjectStore, folder: str, flags: list[Flag]) -> None:
    """Add this run's flag ids to the unit's issued list (written only when some are new), so
    a decision returned on a list made before the evidence changed is still recognised."""
    issued = read_issued(out, folder)
    new = {k: v for k, v in issued_from(flags).items() if k not in issued}
    if not new:
        return
    issued.update(new)
    data = {"ids": {k: v.model_dump(mode="json") for k, v in sorted(issued.items())}}
    out.write_bytes(f"{folder}/{REVIEWS}/{ISSUED}", json.dumps(data, ensure_ascii=False).encode("utf-8"), content_type="application/json")


@dataclass
class ImportResult:
    """One import: the record written (None when nothing was written) and what it carried."""

    source: str
    key: str | None
    record: ReviewRecord
    outcome: ImportOutcome

    @property
    def applied(self) -> int:
        return len(self.record.decisions)

    def summary(self) -> str:
        """One Vietnamese line for logs, the CLI and report.html."""
        text = f"{self.source}: ghi nhận {self.applied} kết luận"
        if self.outcome.outdated:
            text += f" ({self.outcome.outdated} cho cảnh báo đã thay đổi từ khi lập danh sách: sẽ hiện 'Cần xem lại')"
        if self.outcome.unchanged:
            text += f", {self.outcome.unchanged} dòng giữ nguyên kết luận đã có"
        if self.record.problems:
            text += f"; {len(self.record.problems)} dòng/lỗi không nhập được: " + "; ".join(self.record.problems[:10])
            if len(self.record.problems) > 10:
                text += f" (và {len(self.record.problems) - 10} lỗi khác)"
        return text


def import_review(
    out: ObjectStore,
    *,
    prefix: str,
    year: int,
    unit: str,
    data: bytes,
    source: str,
    by: str | None = None,
    via: str = "cli",
    etag: str | None = None,
    flags: list[Flag] | None = None,
    records: list[tuple[str, ReviewRecord]] | None = None,
) -> ImportResult:
    """Read a returned flags.xlsx against the unit's last report and append one history record.

    A record is written even when every row was refused: the history then says what was tried,
    and a file dropped into reviews/ is not tried again night after night.
    """
    folder = unit_folder(prefix, year, unit)
    flags = flags if flags is not None else latest_flags(out, folder)
    if flags is None:
        raise ConfigError(f"chưa có báo cáo của đơn vị {unit} năm {year} trong {out.root}: hãy chạy prescreen trước", key="--unit")
    if records is None:
        records, _ = read_history(out, folder)
    outcome = read_review_workbook(
        data,
        unit=unit,
        year=year,
        flags=flags,
        current=current_state(records),
        default_by=by,
        issued=read_issued(out, folder),
    )
    record = ReviewRecord(
        unit=unit,
        year=year,
        at=now_iso(),
        by=by,
        source=ReviewSource(file=source, sha256=sha256_hex(data), via=via, etag=etag),
        decisions=outcome.decisions,
        problems=[str(p) for p in outcome.problems],
    )
    key = f"{history_prefix(folder)}/{record_name()}"
    out.write_bytes(key, record.to_bytes(), content_type="application/json")
    return ImportResult(source=source, key=key, record=record, outcome=outcome)


@dataclass
class UnitReviews:
    """What a run applies to a unit: the current decisions, and what happened while loading."""

    state: ReviewState = field(default_factory=ReviewState)
    notes: list[str] = field(default_factory=list)
    imported: list[ImportResult] = field(default_factory=list)


def _pick_up(
    out: ObjectStore, prefix: str, year: int, unit: str, dropped: list[ObjectInfo], records: list[tuple[str, ReviewRecord]], result: UnitReviews
) -> None:
    """Import the workbooks not imported before (same name and fingerprint, or same bytes)."""
    seen = {(r.source.file, r.source.etag) for _, r in records if r.source.etag}
    fresh = [i for i in dropped if (f"{REVIEWS}/{i.key.rsplit('/', 1)[-1]}", i.etag) not in seen]
    if not fresh:
        return
    flags = latest_flags(out, unit_folder(prefix, year, unit))
    if flags is None:
        return  # nothing to check the ids against yet
    done = {r.source.sha256 for _, r in records}
    for info in fresh:
        name = f"{REVIEWS}/{info.key.rsplit('/', 1)[-1]}"
        try:
            data = out.read_bytes(info.key, max_bytes=MAX_WORKBOOK_BYTES)
        except ObjectTooLargeError:
            result.notes.append(f"{name}: tệp quá lớn (trên {MAX_WORKBOOK_BYTES // 2**20} MB), không nhập")
            continue
        if sha256_hex(data) in done:
            continue  # the same bytes were imported before, through the command or another name
        imported = import_review(
            out, prefix=prefix, year=year, unit=unit, data=data, source=name, via="drop", etag=info.etag, flags=flags, records=records
        )
        records.append((imported.key.rsplit("/", 1)[-1], imported.record))
        done.add(imported.record.source.sha256)
        result.imported.append(imported)
        result.notes.append(imported.summary())


def load_unit_reviews(out: ObjectStore, *, prefix: str, year: int, unit: str) -> UnitReviews:
    """Import workbooks dropped into the unit's reviews/ folder, then fold the whole history.

    Dropped files are read against the unit's last report (the flags they were filled from),
    so this runs before the new reports are written. A unit without reviews costs one listing.
    """
    folder = unit_folder(prefix, year, unit)
    result = UnitReviews()
    dropped, history = _listing(out, folder)
    records, result.notes = _records(out, history)
    try:
        _pick_up(out, prefix, year, unit, dropped, records, result)
    except ConfigError as exc:  # a damaged last report: the history still applies
        result.notes.append(f"Không nhập được tệp kết luận mới: {exc}")
    records.sort(key=lambda nr: nr[0])
    result.state = current_state(records)
    return result
