"""YAML loading with errors that name the file, the line and the key (rules as data)."""

from __future__ import annotations

from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kiemchung.core.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def _node_at(node: yaml.Node | None, loc: tuple) -> yaml.Node | None:
    """The YAML node a pydantic error location points to, for its line number."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return node


def parse_yaml(text: str, *, file: str) -> tuple[Any, yaml.Node | None]:
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise ConfigError(f"YAML không hợp lệ: {getattr(exc, 'problem', exc)}", file=file, row=row) from exc


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
        loc = loc_prefix + tuple(first["loc"])
        target = _node_at(node, loc)
        row = target.start_mark.line + 1 if target is not None else None
        more = f" (và {len(exc.errors()) - 1} lỗi khác)" if len(exc.errors()) > 1 else ""
        raise ConfigError(f"{first['msg']}{more}", file=file, row=row, key=_key_path(loc)) from exc
