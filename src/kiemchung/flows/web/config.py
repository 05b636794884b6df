"""The web app's limits, resolved once from the environment (KIEMCHUNG_WEB_*)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiemchung.core.errors import ConfigError

ENV_PREFIX = "KIEMCHUNG_WEB_"


class WebSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_upload_mb: int = Field(200, ge=1, description="one upload, all files together")
    max_files: int = Field(300, ge=1, description="files in one upload (a ZIP counts as one)")
    keep_minutes: float = Field(30, gt=0, description="reports are deleted this long after the check")
    workers: int = Field(2, ge=1, le=16, description="dossiers checked at the same time")
    queue: int = Field(4, ge=0, le=100, description="dossiers that may wait for a worker")
    sweep_seconds: float = Field(30, gt=0, description="how often expired jobs are deleted")
    jobs_dir: Path | None = Field(None, description="where uploads and reports live (default: a temp folder)")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebSettings:
        environ = os.environ if environ is None else environ
        values = {n: environ[ENV_PREFIX + n.upper()] for n in cls.model_fields if ENV_PREFIX + n.upper() in environ}
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ConfigError(f"giá trị cấu hình không hợp lệ: {first['msg']}", key=ENV_PREFIX + str(first["loc"][0]).upper()) from exc

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024
