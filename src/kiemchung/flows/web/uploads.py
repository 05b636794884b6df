"""An upload laid out as a unit's folder: one ZIP of the folder, or the dossier and its files.

Browsers send file names only (no folders), while the dossier cites paths such as
`files/kh.pdf`: each uploaded file is placed at every path the dossier cites with its name, and
under its own name otherwise. Names never become paths as sent: `safe_key` and a check that the
result stays in the folder. Types are told from the bytes, not the names.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kiemchung.checks.dossier import load_dossier
from kiemchung.core.errors import UnsafeKeyError
from kiemchung.extractors.base import Limits
from kiemchung.extractors.sniff import KIND_LABELS, sniff_path
from kiemchung.flows.unitzip import RefusedInput, unpack_unit_zip
from kiemchung.storage import safe_key

PROOF_KINDS = {"pdf", "docx", "doc", "jpeg", "png", "tiff", "zip"}
DOSSIER_KINDS = {"xlsx": ".xlsx", "text": ".csv"}


@dataclass
class Upload:
    name: str  # as the browser sent it
    stream: BinaryIO


@dataclass
class PreparedUpload:
    folder: Path
    refused: dict[str, str] = field(default_factory=dict)


def _base_name(name: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name.strip()
    try:
        return safe_key(base) if base else ""
    except UnsafeKeyError as exc:
        raise RefusedInput(f"Tên tệp '{base}' không dùng được: {exc.message}") from exc


def _save(upload: Upload, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        shutil.copyfileobj(upload.stream, out, 1 << 20)
    return target


def _kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def prepare_zip(upload: Upload, folder: Path, limits: Limits) -> PreparedUpload:
    """The unit's folder from one ZIP: unpacked under the pipeline's archive rules."""
    archive = _save(upload, folder.parent / "upload.zip")
    try:
        kind = sniff_path(archive)
        if kind != "zip":
            raise RefusedInput(f"Tệp '{_base_name(upload.name)}' là {_kind_label(kind)}, không phải tệp nén ZIP của thư mục hồ sơ.")
        folder.mkdir()
        unpacked = unpack_unit_zip(archive, folder, limits)
    finally:
        archive.unlink(missing_ok=True)
    return PreparedUpload(folder=unpacked.folder, refused=unpacked.refused)


def prepare_files(dossier: Upload, files: Sequence[Upload], folder: Path) -> PreparedUpload:
    """The unit's folder from the dossier and its proof files."""
    folder.mkdir()
    staged = folder.parent / "staged"
    staged.mkdir()
    dossier_path = _save(dossier, staged / "dossier")
    kind = sniff_path(dossier_path)
    if kind not in DOSSIER_KINDS:
        raise RefusedInput(
            f"Tệp kê khai '{_base_name(dossier.name)}' là {_kind_label(kind)}; hãy tải lên dossier.xlsx (Excel) hoặc dossier.csv (UTF-8)."
        )
    dossier_name = "dossier" + DOSSIER_KINDS[kind]
    shutil.move(dossier_path, folder / dossier_name)
    by_name: dict[str, Path] = {}
    for i, upload in enumerate(files):
        name = _base_name(upload.name)
        if not name:
            continue
        path = _save(upload, staged / f"f{i:04d}")
        kind = sniff_path(path)
        if kind not in PROOF_KINDS:
            raise RefusedInput(
                f"Tệp '{name}' là {_kind_label(kind)}: chỉ nhận PDF, Word (.docx, .doc), ảnh (JPEG, PNG, TIFF) hoặc ZIP của các tệp đó."
            )
        if name in by_name:
            raise RefusedInput(f"Có hai tệp cùng tên '{name}'; hãy đổi tên một tệp hoặc tải lên một tệp ZIP của thư mục hồ sơ.")
        by_name[name] = path
    _place(by_name, _cited_paths(folder / dossier_name), folder)
    shutil.rmtree(staged, ignore_errors=True)
    return PreparedUpload(folder=folder)


def _cited_paths(dossier: Path) -> list[str]:
    """The paths the dossier cites (none when it cannot be read: the check will say why)."""
    result = load_dossier(dossier.read_bytes(), file=dossier.name)
    return [c.file for c in result.claims if c.file]


def _place(by_name: dict[str, Path], cited: list[str], folder: Path) -> None:
    placed: set[str] = set()
    for path in cited:
        name = PurePosixPath(path.replace("\\", "/")).name
        source = by_name.get(name)
        if source is None:
            continue
        try:
            target = folder / safe_key(path.replace("\\", "/").lstrip("./"))
        except UnsafeKeyError:
            continue  # a cited path that leaves the folder: the check reports the row's file missing
        if not target.resolve().is_relative_to(folder.resolve()) or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        placed.add(name)
    for name, source in by_name.items():
        if name not in placed and not (folder / name).exists():
            shutil.copyfile(source, folder / name)
