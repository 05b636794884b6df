"""Configuration, resolved once from the environment (OCRmyPDF-style: one validated model).

Credentials are not here: the S3 store reads them itself and never prints them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiemchung.core.errors import ConfigError
from kiemchung.extractors.base import ExtractContext, Limits

ENV_PREFIX = "KIEMCHUNG_"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ocr_lang: str = Field("vie", description="Tesseract language: vie or Vietnamese")
    ocr_dpi: int = Field(200, ge=100, le=600)
    workers: int = Field(2, ge=1, le=64, description="files read in parallel (one Tesseract thread each)")
    ocr_all_pages: bool = False
    deep_signatures: bool = Field(False, description="read digital signatures with pyHanko instead of natively (slow)")
    max_file_mb: int = Field(200, ge=1)
    max_pages: int = Field(2000, ge=1)
    file_timeout_s: int = Field(300, ge=5, description="per-file time limit for reading and OCR")
    file_memory_mb: int = Field(2048, ge=256, description="per-file memory limit when isolated")
    # On by default: a hostile file costs only its own worker, and two worker processes read
    # faster than two threads sharing one interpreter (measured: 45 sample files 15-18 s vs 28-30 s).
    isolate: bool = Field(True, description="read each file in a child process that can be killed")
    cache: bool = True
    reports_prefix: str = Field("", description="key prefix of reports inside --out")
    unit_deployment: str = Field(
        "", description="run units on a work pool through this deployment (prescreen-unit-worker/NAME)"
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values = {}
        for name in cls.model_fields:
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw is not None:
                values[name] = raw
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ENV_PREFIX + str(first["loc"][0]).upper()
            raise ConfigError(f"giá trị cấu hình không hợp lệ: {first['msg']}", key=key) from exc

    def extract_context(self) -> ExtractContext:
        return ExtractContext(
            ocr_lang=self.ocr_lang,
            ocr_dpi=self.ocr_dpi,
            ocr_workers=1,  # files run in parallel already; pages of one file go one by one
            ocr_all_pages=self.ocr_all_pages,
            deep_signatures=self.deep_signatures,
            limits=Limits(max_bytes=self.max_file_mb * 1024 * 1024, max_pages=self.max_pages),
        )
