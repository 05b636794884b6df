"""One unit checks its own dossier before it submits: `kiemchung check` and the web page.

The same code path as the nightly run, without Prefect: the unit's folder (or its unpacked ZIP)
is mounted at ``<year>/<UNIT>`` and goes through `pipeline.check_unit`, `assembly.finish_reports`
and `outputs.write_unit_outputs` unchanged, in a `Night` of one unit without caches. Only
cross-unit duplicates cannot be seen from one unit.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kiemchung.checks.builtin_units import builtin_units
from kiemchung.checks.loaders import load_units, resolve_framework
from kiemchung.core.clock import now_iso
from kiemchung.core.errors import ConfigError
from kiemchung.core.model import Framework, Leader, Unit, UnitReport
from kiemchung.extractors.ocr import ensure_ocr_ready
from kiemchung.extractors.sniff import sniff_path
from kiemchung.flows.assembly import finish_reports
from kiemchung.flows.documents import DocumentSource
from kiemchung.flows.isolation import document_reader
from kiemchung.flows.night import Night
from kiemchung.flows.outputs import write_unit_outputs
from kiemchung.flows.pipeline import Progress, check_unit, list_unit_files
from kiemchung.flows.root import RootInputs
from kiemchung.flows.settings import Settings
from kiemchung.flows.unit_cache import UnitCache
from kiemchung.flows.unitzip import RefusedInput, unpack_unit_zip
from kiemchung.storage import LocalStore
from kiemchung.storage.mounted import MountedStore


@dataclass
class UnitChoice:
    """Where the unit's entry comes from: a units.yaml, the built-in list, or a name and group."""

    code: str
    units_file: Path | None = None
    name: str | None = None
    group: str | None = None
    leaders: list[str] = field(default_factory=list)  # "Họ tên" or "Họ tên, chức vụ"; the first is the head


def resolve_unit(choice: UnitChoice, year: int) -> tuple[Unit, list[Unit]]:
    """(the unit, every unit it is listed with). Raises ConfigError."""
    code = choice.code.strip()
    if choice.name or choice.group:
        if not (choice.name and choice.group):
            raise ConfigError("cần cả --unit-name và --group (nhóm: so-nganh, don-vi-truc-thuoc, trung-uong, quan-huyen, phuong-xa)")
        try:
            unit = Unit(code=code, name=choice.name, group=choice.group)
        except ValueError as exc:
            raise ConfigError(f"nhóm đơn vị '{choice.group}' không hợp lệ (so-nganh, don-vi-truc-thuoc, trung-uong, quan-huyen, phuong-xa)") from exc
        units = [unit]
    else:
        if choice.units_file is not None:
            units = load_units(choice.units_file.read_text(encoding="utf-8-sig"), file=str(choice.units_file))
        else:
            units = builtin_units(year)
        unit = next((u for u in units if u.code.casefold() == code.casefold()), None)
        if unit is None:
            where = str(choice.units_file) if choice.units_file else f"danh sách đơn vị có sẵn năm {year}"
            raise ConfigError(f"không có đơn vị mã '{code}' trong {where}")
    if choice.leaders:
        unit = unit.model_copy(update={"leaders": _leaders(choice.leaders)})
        units = [unit if u.code == unit.code else u for u in units]
    return unit, units


def _leaders(entries: list[str]) -> list[Leader]:
    leaders = []
    for i, entry in enumerate(e for e in entries if e.strip()):
        name, _, role = entry.partition(",")
        leaders.append(Leader(name=name.strip(), role=role.strip() or None, head=i == 0))
    return leaders


@dataclass
class CheckResult:
    report: UnitReport
    framework: Framework
    out_dir: Path
    snippets: dict[tuple[str, str], str] = field(default_factory=dict)


def default_out_dir(source: Path) -> Path:
    """A folder next to the input: `SYT/` -> `SYT-kiemchung/`, `SYT.zip` -> `SYT-kiemchung/`."""
    base = source.name[: -len(source.suffix)] if source.is_file() and source.suffix else source.name
    return source.resolve().parent / f"{base or 'hoso'}-kiemchung"


@contextlib.contextmanager
def unit_folder(source: Path, settings: Settings) -> Iterator[tuple[Path, dict[str, str], bool]]:
    """(folder to read, refused entries, whether the files stay after the run) for a folder or ZIP."""
    if source.is_dir():
        yield source, {}, True
        return
    if not source.is_file():
        raise RefusedInput(f"không tìm thấy thư mục hoặc tệp nén {source}")
    if sniff_path(source) != "zip":
        raise RefusedInput(f"{source.name} không phải thư mục hồ sơ hay tệp nén ZIP của thư mục đó")
    with tempfile.TemporaryDirectory(prefix="kiemchung-check-") as tmp:
        unpacked = unpack_unit_zip(source, Path(tmp), settings.extract_context().limits)
        yield unpacked.folder, unpacked.refused, False


def check_unit_folder(
    folder: Path,
    unit: Unit,
    units: list[Unit],
    *,
    year: int,
    framework: str | None,
    out_dir: Path,
    settings: Settings,
    refused: dict[str, str] | None = None,
    keep_links: bool = True,
    progress: Progress | None = None,
    expect: Progress | None = None,
) -> CheckResult:
    """Check one unit's folder like the nightly run does and write its three reports to `out_dir`."""
    chosen = resolve_framework(framework, year=year)
    ctx = settings.extract_context()
    ensure_ocr_ready(ctx)
    out_dir.mkdir(parents=True, exist_ok=True)
    mount = f"{year}/{unit.code}"
    store = MountedStore(LocalStore(folder), mount, refused=refused, links_from=str(out_dir.resolve()) if keep_links else None)
    source = DocumentSource(store, ctx, cache=None, reader=document_reader(settings))
    inputs = RootInputs(year=year, units=units, framework=chosen, registry_sha256="", unit_folders=frozenset({unit.code}))
    night = Night(
        inputs=inputs,
        settings=settings.model_copy(update={"reports_prefix": ""}),  # the reports sit in out_dir itself
        source=source,
        out=MountedStore(LocalStore(out_dir), mount),
        unit_cache=UnitCache(None, inputs),
        generated_at=now_iso(),
    )
    if expect is not None:
        expect(len(list_unit_files(night, unit).files))
    outcome = check_unit(night, unit, progress=progress)
    [report] = finish_reports(night, [outcome])
    write_unit_outputs(night, report, summary_href=None)  # one unit: no year summary beside it
    snippets = {(d.file, name): uri for d in report.documents for name, uri in source.snippets(d).items()}
    return CheckResult(report=report, framework=chosen, out_dir=out_dir, snippets=snippets)


def check_input(
    source: Path,
    choice: UnitChoice,
    *,
    year: int,
    framework: str | None = None,
    out_dir: Path | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    expect: Progress | None = None,
) -> CheckResult:
    """`kiemchung check SOURCE`: a unit folder or a ZIP of it. Raises KiemchungError."""
    settings = settings or Settings.from_env()
    unit, units = resolve_unit(choice, year)
    out_dir = out_dir or default_out_dir(source)
    with unit_folder(source, settings) as (folder, refused, keep):
        return check_unit_folder(
            folder, unit, units, year=year, framework=framework, out_dir=out_dir, settings=settings,
            refused=refused, keep_links=keep, progress=progress, expect=expect,
        )
