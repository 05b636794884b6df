"""The built-in lists of Da Nang's evaluated units (checks/units/*.yaml), chosen by year.

For units that check their own dossier (`kiemchung check`, `kiemchung web`) without the city's
units.yaml. Each file is a units.yaml plus the `valid_years` it covers.
"""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from kiemchung.checks.loaders import load_units
from kiemchung.core.errors import ConfigError
from kiemchung.core.model import Unit


@functools.cache
def _lists() -> tuple[tuple[tuple[int, ...], tuple[Unit, ...]], ...]:
    folder = resources.files("kiemchung.checks") / "units"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        text = entry.read_text(encoding="utf-8")
        years = tuple(yaml.safe_load(text).get("valid_years") or ())
        units = load_units(text.replace("valid_years:", "# valid_years:", 1), file=f"(có sẵn) {entry.name}")
        found.append((years, tuple(units)))
    return tuple(found)


def builtin_years() -> list[int]:
    return sorted(year for years, _ in _lists() for year in years)


def builtin_units(year: int) -> list[Unit]:
    """The built-in units evaluated in `year`. Raises ConfigError for a year without a list."""
    for years, units in _lists():
        if year in years:
            return list(units)
    known = ", ".join(str(y) for y in builtin_years())
    raise ConfigError(f"không có danh sách đơn vị có sẵn cho năm {year} (có sẵn: {known}); dùng --units hoặc --unit-name và --group")
