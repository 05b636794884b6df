"""Helpers shared by the benchmarks: the machine, medians, result files, field parsing of plain
text (what baselines get) and field comparison with the truth."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
from pathlib import Path

import psutil

from kiemchung.extractors.base import Line, Page, RawDocument
from kiemchung.extractors.fields import read_fields

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
FIELDS = ("number", "date", "signer", "type")


def machine() -> dict:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "tesseract": (tesseract.stdout or tesseract.stderr).splitlines()[0] if tesseract.returncode == 0 else None,
        # Other work on this shared machine inflates timings: the load at start says how much.
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "code": _code_state(),
    }


def _code_state() -> str:
    """The commit measured, and whether src/ had uncommitted changes (read-only git calls)."""
    git = ["git", "-C", str(REPO)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "src"], capture_output=True, text=True, check=False)
    changed = len(dirty.stdout.splitlines())
    return f"{head.stdout.strip() or '?'}" + (f" + {changed} uncommitted files in src/" if changed else "")


def snapshot_src(work: Path) -> Path:
    """A frozen copy of src/kiemchung for subprocess runs (put it first on PYTHONPATH).

    Others edit src/ while a long benchmark runs; an extractor version bump between the first
    run and the re-run would make the re-run read everything again. The copy is named by a hash
    of its contents, so identical code shares one snapshot.
    """
    package = REPO / "src" / "kiemchung"
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for p in files:
        digest.update(str(p.relative_to(package)).encode() + b"\0" + p.read_bytes())
    target = work / f"src-{digest.hexdigest()[:12]}"
    if not (target / "kiemchung").is_dir():
        tmp = work / f"{target.name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(package, tmp / "kiemchung", ignore=shutil.ignore_patterns("__pycache__"))
        tmp.rename(target)
    return target


def machine_line(info: dict) -> str:
    return (
        f"machine: {info['nproc']} cores, {info['cpu']}, {info['ram_gb']} GB RAM, Python {info['python']}, "
        f"{info['tesseract']}; load average at start {info['loadavg_at_start']}; code {info['code']}"
    )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def write_result(name: str, data: dict) -> Path:
    """bench/results/<name>.json (latest) plus a timestamped copy."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{name}-{stamp}.json").write_text(text, encoding="utf-8")
    latest = RESULTS / f"{name}.json"
    latest.write_text(text, encoding="utf-8")
    return latest


def fields_from_text(pages: list[str], method: str) -> dict[str, str | None]:
    """The project's own field parsers (header of page 1, signature from the last pages) over
    plain page texts, as a baseline script would call them after extracting every page."""

    def load(number: int) -> Page:
        lines = [Line(t.strip(), number, method) for t in pages[number - 1].splitlines() if t.strip()]
        return Page(number, method, lines)

    raw = RawDocument("pdf", max(1, len(pages)), load if pages else (lambda n: Page(n, method, [])))
    fields, _ = read_fields(raw)
    return {name: (fields[name].value if name in fields else None) for name in FIELDS}


def same_field(field: str, truth: str | None, got: str | None) -> bool:
    from accuracy import _equal  # bench/accuracy.py: the comparison rules of the accuracy table

    return _equal(field, truth, got)


def accuracy_cells(rows: list[tuple[dict, dict]]) -> dict[str, list[int]]:
    """rows of (truth, got) -> field -> [hits, total]."""
    cells = {f: [0, 0] for f in FIELDS}
    for truth, got in rows:
        for f in FIELDS:
            cells[f][0] += same_field(f, truth.get(f), got.get(f))
            cells[f][1] += 1
    return cells


def share(cells: dict[str, list[int]]) -> float:
    hits = sum(c[0] for c in cells.values())
    total = sum(c[1] for c in cells.values())
    return hits / total if total else float("nan")
