"""Building flags from the message templates in messages.yaml."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from kiemchung.core.model import FLAG_SEVERITY, Flag, FlagCode


@functools.cache
def _templates() -> dict[str, dict[str, str]]:
    text = (resources.files("kiemchung.checks") / "messages.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def message(code: FlagCode, variant: str = "default", **values: Any) -> str:
    template = _templates()[code.value].get(variant) or next(iter(_templates()[code.value].values()))
    shown = {k: ("?" if v is None else v) for k, v in values.items()}
    return template.format_map(_Blank(shown))


def make_flag(
    code: FlagCode,
    *,
    row: int | None,
    criterion: str | None,
    file: str | None,
    variant: str = "default",
    claimed: Any = None,
    found: Any = None,
    page: int | None = None,
    **values: Any,
) -> Flag:
    text = message(code, variant, file=file, claimed=claimed, found=found, page=page, criterion=criterion, **values)
    return Flag(
        row=row,
        criterion=criterion,
        file=file,
        code=code,
        severity=FLAG_SEVERITY[code],
        message=text,
        claimed=None if claimed is None else str(claimed),
        found=None if found is None else str(found),
        page=page,
    )
