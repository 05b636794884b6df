"""One exception base with exit codes and Vietnamese messages (after OCRmyPDF's exceptions.py).

Third-party errors are wrapped with ``raise ... from e``; the CLI turns them into exit codes.
"""

from __future__ import annotations


class KiemchungError(Exception):
    """Base of every error the tool raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(KiemchungError):
    """An input file (units.yaml, framework, dossier) is malformed. Carries where."""

    exit_code = 2

    def __init__(
        self, message: str, *, file: str | None = None, row: int | None = None, key: str | None = None
    ) -> None:
        self.file, self.row, self.key = file, row, key
        super().__init__(message)

    @property
    def location(self) -> str:
        parts = [p for p in (self.file, f"dòng {self.row}" if self.row else None) if p]
        if self.key:
            parts.append(f"cột/khóa '{self.key}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class SetupError(KiemchungError):
    """The machine lacks a tool or language pack the run needs (Tesseract, vie data)."""

    exit_code = 3


class StorageError(KiemchungError):
    """Bytes could not be read from or written to the evidence store."""

    exit_code = 4


class UnsafeKeyError(StorageError):
    """An object key or archive member tries to leave its unit's folder."""


class ExtractionError(KiemchungError):
    """A file could not be read to usable text; becomes an UNREADABLE_FILE flag."""

    flag_code = "UNREADABLE_FILE"


class UnsupportedFileError(ExtractionError):
    """Not a PDF, Word, image or archive of those; becomes an UNSUPPORTED_FILE flag."""

    flag_code = "UNSUPPORTED_FILE"


class LimitExceededError(ExtractionError):
    """A file exceeded a configured size, page, pixel, time or memory limit."""


def describe_error(exc: BaseException) -> str:
    """The message a report shows for an exception: ours as written, anything else with its type."""
    if isinstance(exc, KiemchungError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
