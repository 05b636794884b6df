"""`kiemchung validate`: format errors of units.yaml, the framework and every dossier, with
file and row, without reading any proof file."""

from __future__ import annotations

from kiemchung.flows.pipeline import cited_files
from kiemchung.flows.root import list_unit, load_root, read_dossier
from kiemchung.storage import open_store


def validate_root(root: str, year: int, framework: str | None) -> tuple[list[str], list[str]]:
    """(problems, warnings). Raises ConfigError only when units.yaml or the framework is bad."""
    store = open_store(root)
    inputs = load_root(store, year, framework)
    problems: list[str] = []
    warnings: list[str] = []
    for folder in inputs.unknown_folders:
        problems.append(f"{year}/{folder}/: thư mục đơn vị không có trong units.yaml")
    for unit in inputs.units:
        listing = list_unit(store, year, unit.code)
        if listing.dossier is None:
            problems.append(f"{year}/{unit.code}/: chưa có tệp kê khai (dossier.xlsx hoặc dossier.csv)")
            continue
        result = read_dossier(store, listing.dossier)
        problems.extend(str(e) for e in result.errors)
        warnings.extend(result.warnings)
        found = cited_files(result.claims, listing)
        for claim in result.claims:
            if claim.file and claim.file not in found:
                warnings.append(f"{listing.dossier.key}, dòng {claim.row}: không thấy tệp '{claim.file}' trong thư mục đơn vị")
            if inputs.framework.criterion(claim.criterion) is None:
                warnings.append(f"{listing.dossier.key}, dòng {claim.row}: mã tiêu chí '{claim.criterion}' không có trong bộ chỉ số {inputs.framework.id}")
    return problems, warnings

