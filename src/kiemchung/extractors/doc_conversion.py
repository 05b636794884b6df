"""Legacy Word `.doc`: converted to PDF by LibreOffice headless, then read as a PDF.

LibreOffice is optional (~250 MB; `scripts/setup.sh` installs it only with `--test`, so the
tests read a real .doc): without `soffice` or `libreoffice` on PATH the file is refused with a
message the unit can act on.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiemchung.core.errors import ExtractionError, UnsupportedFileError
from kiemchung.extractors.base import ExtractContext, RawDocument
from kiemchung.extractors.pdf import PdfExtractor

NO_LIBREOFFICE = (
    "Tệp Word cũ (.doc) cần LibreOffice để đọc nhưng máy chưa cài; đề nghị nộp bản PDF hoặc .docx."
)
# A 1.5 s job on a normal file; a hung or hostile conversion is stopped.
CONVERT_TIMEOUT_S = 90


def libreoffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(path: Path, out_dir: Path, exe: str) -> Path:
    """`path` converted into `out_dir`; its own profile dir so parallel runs do not collide."""
    profile = (out_dir / "profile").as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(out_dir), str(path)]  # fmt: skip
    try:
        subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(f"Chuyển đổi tệp .doc quá {CONVERT_TIMEOUT_S} giây; tệp có thể bị hỏng.") from exc
    produced = sorted(out_dir.glob("*.pdf"))
    if not produced:
        raise ExtractionError("Tệp Word cũ (.doc) bị hỏng: LibreOffice không chuyển đổi được.")
    return produced[0]


class LegacyWordExtractor:
    name = "doc"
    kinds = ("doc",)
    version = "doc-2"  # read through pdf-11

    def is_available(self) -> bool:
        return libreoffice_path() is not None

    @contextmanager
    def open(self, path: Path, kind: str, ctx: ExtractContext) -> Iterator[RawDocument]:
        exe = libreoffice_path()
        if exe is None:
            raise UnsupportedFileError(NO_LIBREOFFICE)
        with tempfile.TemporaryDirectory(prefix="kiemchung-doc-") as tmp:
            # A plain copy name: LibreOffice derives the output name from the input's.
            source = Path(tmp) / "input.doc"
            shutil.copyfile(path, source)
            pdf = convert_to_pdf(source, Path(tmp), exe)
            with PdfExtractor().open(pdf, "pdf", ctx) as raw:
                raw.kind = kind
                yield raw
