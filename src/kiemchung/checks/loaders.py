"""Loading units.yaml and framework YAML (built-in or a secretariat's own file)."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from kiemchung.checks.yamlfile import line_of, parse_yaml, validate
from kiemchung.core.errors import ConfigError
from kiemchung.core.model import CustomPeriod, Framework, Unit


class _UnitsFile(BaseModel):
    units: list[Unit]


def load_units(text: str, *, file: str = "units.yaml") -> list[Unit]:
    data, node = parse_yaml(text, file=file)
    if not isinstance(data, dict) or "units" not in data:
        raise ConfigError("thiếu khóa 'units' (danh sách đơn vị được đánh giá)", file=file, key="units")
    units = validate(_UnitsFile, data, file=file, node=node).units
    seen: set[str] = set()
    for i, unit in enumerate(units):
        where = {"file": file, "row": line_of(node, ("units", i, "code")), "key": f"units[{i}].code"}
        if unit.code in seen:
            raise ConfigError(f"mã đơn vị '{unit.code}' bị trùng", **where)
        if not unit.code or "/" in unit.code or unit.code in {".", ".."}:
            raise ConfigError(f"mã đơn vị '{unit.code}' không hợp lệ làm tên thư mục", **where)
        seen.add(unit.code)
    return units


def load_framework(text: str, *, file: str) -> Framework:
    data, node = parse_yaml(text, file=file)
    if not isinstance(data, dict):
        raise ConfigError("bộ chỉ số phải là một bảng khóa-giá trị YAML", file=file)
    framework = validate(Framework, data, file=file, node=node)
    seen: set[str] = set()
    for i, criterion in enumerate(framework.criteria):
        if criterion.code in seen:
            where = ("criteria", i, "code")
            raise ConfigError(
                f"mã tiêu chí '{criterion.code}' bị trùng", file=file, row=line_of(node, where), key=f"criteria[{i}].code"
            )
        seen.add(criterion.code)
    if isinstance(framework.period, CustomPeriod):
        _check_period(framework.period, file=file, node=node)
    return framework


def _check_period(period: CustomPeriod, *, file: str, node) -> None:
    """`start`/`end` must be real month-days ("12-01"): a bad one would fail every check later."""
    for key in ("start", "end"):
        value = getattr(period, key)
        try:
            month, day = (int(x) for x in value.split("-"))
            dt.date(2023, month, day)  # not a leap year: 02-29 would fail three years in four
        except ValueError as exc:
            raise ConfigError(
                f"kỳ đánh giá: '{value}' không phải ngày dạng MM-DD (ví dụ \"12-01\")",
                file=file,
                row=line_of(node, ("period", key)),
                key=f"period.{key}",
            ) from exc


def builtin_frameworks() -> dict[str, Framework]:
    folder = resources.files("kiemchung.checks") / "frameworks"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            framework = load_framework(entry.read_text(encoding="utf-8"), file=f"(có sẵn) {entry.name}")
            found[framework.id] = framework
    return found


def resolve_framework(choice: str | None, *, year: int, root_framework: str | None = None) -> Framework:
    """The framework for a run: the root's framework.yaml, else --framework ID|PATH, else the
    built-in one whose valid_years cover the year (contract section 1)."""
    if root_framework is not None:
        return load_framework(root_framework, file="framework.yaml")
    builtins = builtin_frameworks()
    if choice:
        if choice in builtins:
            return builtins[choice]
        path = Path(choice)
        if path.is_file():
            return load_framework(path.read_text(encoding="utf-8"), file=str(path))
        raise ConfigError(
            f"không có bộ chỉ số '{choice}' (có sẵn: {', '.join(builtins)}; hoặc đường dẫn tệp YAML)"
        )
    for framework in builtins.values():
        if year in framework.valid_years:
            return framework
    raise ConfigError(
        f"không có bộ chỉ số có sẵn cho năm {year}; chỉ định bằng --framework hoặc framework.yaml"
    )
