"""Fixed cost on the bundled sample root (issue 13, target 4): a first run and a re-run with
nothing changed, for this checkout and, with --ref, for a git commit, back to back.

    .venv/bin/python bench/rerun.py [--ref ff948bc] [--root sample_evidence] [--json]

Each side gets a fresh Prefect home and output store (so the first run pays Prefect's cold
start and reads every file); the re-run reuses both. The CLI runs in a subprocess exactly as a
user runs it; wall time, CPU of the tree and its peak memory (RSS and PSS summed over the CLI
and every descendant, sampled every 0.2 s) come from `year.run_cli`. Target: re-run <= 15% of
the first run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from common import machine, machine_line, snapshot_src, write_result
from year import run_cli

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "bench" / "work"


def export_ref(ref: str) -> Path:
    """src/ of a commit, unpacked once under bench/work/ (read-only git calls)."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", ref], capture_output=True, text=True, check=True)
    target = WORK / f"ref-{sha.stdout.strip()}"
    if not (target / "src" / "kiemchung").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "src"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "src"


def one_side(label: str, src: Path, root: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"rerun-{label}-") as tmp:
        home, out = Path(tmp) / "prefect", Path(tmp) / "out"
        first = run_cli(root, out, home, Path(tmp) / "first.log", src)
        rerun = run_cli(root, out, home, Path(tmp) / "rerun.log", src)
    return {"side": label, "first": first, "rerun": rerun, "ratio": rerun["wall_s"] / first["wall_s"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ref", help="also measure this git commit (the baseline), first")
    parser.add_argument("--root", default=str(REPO / "sample_evidence"))
    parser.add_argument("--json", action="store_true", help="write bench/results/rerun.json")
    args = parser.parse_args()
    info = machine()
    print(machine_line(info))
    WORK.mkdir(parents=True, exist_ok=True)
    sides = ([(args.ref, export_ref(args.ref))] if args.ref else []) + [("this checkout", snapshot_src(WORK))]
    results = [one_side(label.replace(" ", "-"), src, Path(args.root)) for label, src in sides]
    print("| code | first run | CPU s | peak tree RSS (PSS) | re-run | CPU s | peak tree RSS (PSS) | re-run / first |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        f, x = r["first"], r["rerun"]
        print(
            f"| {r['side']} | {f['wall_s']:.1f} s | {f['cpu_s']:.1f} | {f['peak_tree_rss_mb']:.0f} ({f['peak_tree_pss_mb']:.0f}) MB"
            f" | {x['wall_s']:.1f} s | {x['cpu_s']:.1f} | {x['peak_tree_rss_mb']:.0f} ({x['peak_tree_pss_mb']:.0f}) MB"
            f" | {r['ratio']:.1%} |"
        )
        print(f"  peak parts, first run: {f['peak_parts_mb']}")
    if args.json:
        print(f"wrote {write_result('rerun', {'machine': info, 'results': results})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
