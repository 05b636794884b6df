"""The evidence root as stored: registry, framework, unit folders and dossiers.

Plain functions over an ObjectStore (no Prefect), so the CLI's `validate`, the flow's tasks and
the tests share them. Keys never leave `<year>/<UNIT>/`: every key is built with `safe_key`.
Proof files are read by flows/documents.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiemchung.checks.dossier import DossierResult, load_dossier
from kiemchung.checks.loaders import load_units, resolve_framework
from kiemchung.core.digest import sha256_hex
from kiemchung.core.errors import ConfigError
from kiemchung.core.model import Framework, Unit
from kiemchung.storage import ObjectInfo, ObjectStore, safe_key
from kiemchung.storage.keys import relative_to

DOSSIER_NAMES = ("dossier.xlsx", "dossier.csv")
MAX_DOSSIER_BYTES = 20 * 1024 * 1024
MAX_REGISTRY_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RootInputs:
    """What the root says about one year: the only place the run's year enters."""

    year: int
    units: list[Unit]
    framework: Framework
    registry_sha256: str
    unit_folders: frozenset[str] = field(default_factory=frozenset)  # codes with a folder under <year>/
    file_count: int = 0  # objects under <year>/ other than dossiers: what a run may read

    @property
    def unknown_folders(self) -> list[str]:
        known = {u.code for u in self.units}
        return sorted(self.unit_folders - known)


def _read_text(store: ObjectStore, key: str) -> str:
    data = store.read_bytes(key, max_bytes=MAX_REGISTRY_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError("tệp không phải UTF-8", file=key) from exc


def load_root(store: ObjectStore, year: int, framework_choice: str | None) -> RootInputs:
    """units.yaml, the framework and the unit folders of the year. Raises ConfigError."""
    if not store.exists("units.yaml"):
        raise ConfigError(f"không có units.yaml ở thư mục gốc {store.root}", file="units.yaml")
    units_text = _read_text(store, "units.yaml")
    units = load_units(units_text, file="units.yaml")
    root_framework = _read_text(store, "framework.yaml") if store.exists("framework.yaml") else None
    framework = resolve_framework(framework_choice, year=year, root_framework=root_framework)
    keys = [relative_to(str(year), info.key) for info in store.list(f"{year}/")]
    folders = frozenset(key.split("/", 1)[0] for key in keys)
    files = sum(1 for key in keys if key.rsplit("/", 1)[-1].lower() not in DOSSIER_NAMES)
    digest = sha256_hex(units_text.encode() + framework.model_dump_json().encode())
    return RootInputs(
        year=year, units=units, framework=framework, registry_sha256=digest, unit_folders=folders, file_count=files
    )


def unit_prefix(year: int, code: str) -> str:
    return safe_key(str(year), code)


@dataclass
class UnitFiles:
    dossier: ObjectInfo | None
    files: dict[str, ObjectInfo]  # path relative to the unit folder -> object


def list_unit(store: ObjectStore, year: int, code: str) -> UnitFiles:
    prefix = unit_prefix(year, code)
    dossier = None
    files: dict[str, ObjectInfo] = {}
    for info in store.list(prefix + "/"):
        rel = relative_to(prefix, info.key)
        if rel.lower() in DOSSIER_NAMES and info.refused:
            raise ConfigError(f"tệp kê khai không đọc được: {info.refused}", file=info.key)
        if rel.lower() in DOSSIER_NAMES and (dossier is None or rel.lower().endswith(".xlsx")):
            dossier = info
        else:
            files[rel] = info
    return UnitFiles(dossier, files)


def read_dossier(store: ObjectStore, info: ObjectInfo) -> DossierResult:
    data = store.read_bytes(info.key, max_bytes=MAX_DOSSIER_BYTES)
    return load_dossier(data, file=info.key)
