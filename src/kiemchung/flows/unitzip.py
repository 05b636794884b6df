"""A unit's folder sent as one ZIP (`kiemchung check FILE.zip`, the web upload), unpacked safely.

The archive rules of the pipeline (extractors/archive.py) apply before anything is decompressed:
member count, declared size and compression ratio; while decompressing the bytes actually written
are counted, because a header can lie. A member whose name leaves the folder (absolute, '..',
control characters) refuses the whole ZIP; a member that is a symbolic link is not unpacked and
is reported as refused, so a dossier row citing it gets its own flag. Proof files that are
themselves ZIPs stay packed: the pipeline reads them member by member like any other.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kiemchung.core.errors import ConfigError, LimitExceededError, UnsafeKeyError
from kiemchung.extractors.archive import (
    display_name,
    is_junk_member,
    is_link_member,
    member_name_problem,
    refuse_unsafe_directory,
)
from kiemchung.extractors.base import Limits
from kiemchung.flows.root import DOSSIER_NAMES
from kiemchung.storage import safe_key

_CHUNK = 1 << 16


class RefusedInput(ConfigError):
    """An upload or input ZIP refused as a whole (exit code 2), with a message for the unit."""


@dataclass
class UnpackedUnit:
    folder: Path  # holds dossier.xlsx|csv and the files, as the unit laid them out
    refused: dict[str, str] = field(default_factory=dict)  # path in the folder -> why not unpacked


def link_member_refusal(name: str) -> str:
    return (
        f"'{name}' trong tệp nén là liên kết tượng trưng (symbolic link), có thể trỏ ra ngoài thư mục hồ sơ "
        "của đơn vị; không giải nén, không đọc. Hãy nén chính tệp minh chứng."
    )


def unpack_unit_zip(archive: Path, target: Path, limits: Limits) -> UnpackedUnit:
    """Unpack `archive` into the empty folder `target`. Raises RefusedInput."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RefusedInput(f"Tệp nén ZIP bị hỏng hoặc không phải ZIP, không mở được ({exc}).") from exc
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and not is_junk_member(i.filename)]
        if not infos:
            raise RefusedInput("Tệp nén không chứa tệp nào.")
        for info in infos:
            if problem := member_name_problem(info.filename):
                raise RefusedInput(problem.replace("đã bỏ qua, không giải nén", "không nhận tệp nén này"))
        try:
            refuse_unsafe_directory(infos, limits)
        except LimitExceededError as exc:
            raise RefusedInput(exc.message) from exc
        strip = _common_folder([display_name(i.filename) for i in infos])
        unpacked = UnpackedUnit(folder=target)
        budget = limits.archive_max_total_bytes
        for info in infos:
            rel = display_name(info.filename)[len(strip) :]
            if is_link_member(info):
                unpacked.refused[rel] = link_member_refusal(rel)
                continue
            budget -= _copy(zf, info, _member_path(target, rel), budget, limits)
    return unpacked


def _common_folder(names: list[str]) -> str:
    """'SYT/' when every member is inside one folder and the dossier is right under it."""
    tops = {PurePosixPath(n).parts[0] for n in names}
    if len(tops) != 1 or any("/" not in n for n in names):
        return ""
    top = tops.pop()
    has_dossier = any(n.lower() in {f"{top}/{d}".lower() for d in DOSSIER_NAMES} for n in names)
    return f"{top}/" if has_dossier else ""


def _member_path(target: Path, rel: str) -> Path:
    try:
        path = target / safe_key(rel)
    except UnsafeKeyError as exc:
        raise RefusedInput(f"Tên tệp '{rel}' trong tệp nén không dùng được: {exc.message}") from exc
    if not path.resolve().is_relative_to(target.resolve()):
        raise RefusedInput(f"Tệp '{rel}' trong tệp nén trỏ ra ngoài thư mục; không nhận tệp nén này.")
    if path.exists():
        raise RefusedInput(f"Tệp '{rel}' có hai lần trong tệp nén; không nhận tệp nén này.")
    return path


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, budget: int, limits: Limits) -> int:
    """Stream one member; stop as soon as the real output passes what is left of the budget."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with zf.open(info) as src, path.open("xb") as dst:
            while block := src.read(_CHUNK):
                written += len(block)
                if written > budget:
                    raise RefusedInput(
                        f"Tệp nén khi giải nén vượt giới hạn {limits.archive_max_total_bytes // 2**20} MB "
                        "(nghi là 'bom nén'); đã dừng giải nén."
                    )
                dst.write(block)
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise RefusedInput(f"Tệp '{display_name(info.filename)}' trong tệp nén được đặt mật khẩu; hãy nén lại không mật khẩu.") from exc
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError, OSError) as exc:
        raise RefusedInput(f"Không giải nén được '{display_name(info.filename)}' ({exc}).") from exc
    return written
