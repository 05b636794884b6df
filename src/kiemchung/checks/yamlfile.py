"""YAML loading with errors that name the file, the line and the key (rules as data)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kiemchung.core.errors import ConfigError

M = TypeVar("M", bound=BaseModel)

# pydantic puts the member of a union it tried into error locations ("literal['calendar_year']",
# "CustomPeriod"); they are not keys of the file.
_UNION_TAG = re.compile(r"^(?:[a-z-]+\[.*\]|[A-Z]\w*)$")


def _locate(node: yaml.Node | None, loc: tuple) -> tuple[yaml.Node | None, tuple]:
    """The YAML node a pydantic error location points to (for its line) and the location
    trimmed to keys of the file: a missing key stays, union tags and parts under a scalar go."""
    kept: list = []
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
            if child is None and isinstance(part, str) and _UNION_TAG.match(part):
                continue
            kept.append(part)
            if child is None:
                break
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            kept.append(part)
            node = node.value[part]
        else:
            break
    return node, tuple(kept) or loc


def line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """1-based line of the value at `loc` (or of the nearest enclosing node)."""
    target, _ = _locate(node, loc)
    return target.start_mark.line + 1 if target is not None else None


# libyaml's loader when PyYAML was built with it: the same nodes and marks, ~10x faster (the two
# built-in frameworks cost 0.3 s of every run's start in pure Python).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _bad_scalar(node: yaml.Node | None) -> tuple[yaml.Node, Exception] | None:
    """The first scalar the constructor rejects (a timestamp like 2025-02-30), for its line."""
    if isinstance(node, yaml.ScalarNode):
        try:
            yaml.SafeLoader("").construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            return node, exc
        return None
    children = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    for child in children:
        found = _bad_scalar(child)
        if found:
            return found
    return None


def parse_yaml(text: str, *, file: str) -> tuple[Any, yaml.Node | None]:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise ConfigError(f"YAML không hợp lệ: {getattr(exc, 'problem', exc)}", file=file, row=row) from exc
    try:
        return yaml.load(text, Loader=_LOADER), node  # noqa: S506 - a safe loader
    except (ValueError, yaml.YAMLError) as exc:
        # The constructor fails without a position (e.g. `until: 2025-02-30`): find the value.
        bad = _bad_scalar(node)
        row = bad[0].start_mark.line + 1 if bad else None
        value = f" '{bad[0].value}'" if bad else ""
        raise ConfigError(f"giá trị{value} không hợp lệ: {exc}", file=file, row=row) from exc


def _key_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(model: type[M], data: Any, *, file: str, node: yaml.Node | None, loc_prefix: tuple = ()) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        target, loc = _locate(node, loc_prefix + tuple(first["loc"]))
        row = target.start_mark.line + 1 if target is not None else None
        more = f" (và {len(exc.errors()) - 1} lỗi khác)" if len(exc.errors()) > 1 else ""
        raise ConfigError(f"{first['msg']}{more}", file=file, row=row, key=_key_path(loc)) from exc
