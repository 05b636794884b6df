"""Targets 3 and 4: a whole year of a synthetic city through the CLI, then a re-run with nothing
changed, then a run after one file changed; repeated at several city sizes.

    .venv/bin/python bench/year.py --units 10 30 [--files 40] [--json] [--py-spy DIR]

Each size: the city is built (or taken from bench/work/, see bench/city.py), then
`kiemchung prescreen ROOT --year 2024 --out OUT` runs in a subprocess three times with the same
output store and Prefect home (fresh for the first run, so it includes Prefect's cold start):

1. first run: everything read;
2. re-run, nothing changed: everything must come from the cache (report.json `processing`);
3. one scanned PDF changed (bytes appended after %%EOF): exactly that file must be read again.
   The file is restored afterwards, so the cached city stays as generated.

Measured: wall time, files/s, pages/s (pages of the documents), CPU seconds of the process tree,
and peak memory: the largest sum of RSS over the CLI and all its descendants (Prefect, Tesseract
children), sampled every 0.2 s (shared pages are counted once per process, so this errs high).
Targets: first run of 130 units <= 45 min on 2 cores, peak <= 1 GB, re-run <= 5% of the first.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import city
import psutil
from common import machine, machine_line, snapshot_src, write_result

REPO = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "kiemchung"
RUNS = city.WORK / "runs"


def _tree_memory(proc: psutil.Process) -> tuple[int, int, dict[str, int]]:
    """(sum of RSS over the tree, sum of PSS, RSS per process name) at this moment.

    PSS shares each shared page among the processes mapping it, so its sum does not count
    shared libraries twice; RSS does. Both are reported."""
    rss, pss, parts = 0, 0, {}
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0, {}
    for p in procs:
        try:
            info = p.memory_full_info()
            name = p.name()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        key = "tesseract" if name == "tesseract" else f"{name}[{p.pid}]"
        parts[key] = parts.get(key, 0) + info.rss
    return rss, pss, parts


def run_cli(root: Path, out: Path, prefect_home: Path, log: Path, src: Path, profile: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH=str(src))
    cmd = [str(CLI), "prescreen", str(root), "--year", str(city.YEAR), "--out", str(out)]
    if profile:
        py_spy = Path(sys.executable).parent / "py-spy"
        cmd = [str(py_spy), "record", "--subprocesses", "--format", "raw", "-r", "20", "-o", str(profile), "--", *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with log.open("wb") as fh:
        proc = psutil.Popen(cmd, stdout=fh, stderr=fh, env=env)
        peak, peak_pss, peak_at, peak_parts = 0, 0, 0.0, {}
        while proc.poll() is None:
            rss, pss, parts = _tree_memory(proc)
            if rss > peak:
                peak, peak_at, peak_parts = rss, time.perf_counter() - start, parts
            peak_pss = max(peak_pss, pss)
            time.sleep(0.2)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 5):
        raise SystemExit(f"prescreen failed with exit code {proc.returncode}; see {log}")
    return {
        "wall_s": wall,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_tree_rss_mb": peak / 2**20,
        "peak_tree_pss_mb": peak_pss / 2**20,
        "peak_at_s": peak_at,
        "peak_parts_mb": {k: round(v / 2**20) for k, v in peak_parts.items()},
        "peak_single_rss_mb": after.ru_maxrss / 1024,  # largest single descendant so far
        "exit_code": proc.returncode,
        "log": str(log),
    }


def processing(out: Path) -> dict[str, dict[str, list[str]]]:
    found = {}
    for report in sorted((out / str(city.YEAR)).glob("*/report.json")):
        data = json.loads(report.read_text(encoding="utf-8"))
        proc = data.get("processing") or {}
        found[report.parent.name] = {k: proc.get(k, []) for k in ("processed", "reused", "failed")}
    return found


def _counts(found: dict) -> dict[str, int]:
    return {k: sum(len(v[k]) for v in found.values()) for k in ("processed", "reused", "failed")}


def _victim(truth: dict) -> tuple[str, str]:
    codes = sorted(truth)
    code = codes[len(codes) // 2]
    item = next((t for t in truth[code] if t["kind"] == "scan"), truth[code][0])
    return code, item["file"]


def one_size(units: int, files: int, py_spy: Path | None, src: Path) -> dict:
    folder = city.build_city(units, files)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    root = folder / "root"
    rows = [t for unit in truth.values() for t in unit]
    pages = sum(t["pages"] for t in rows)
    scanned = sum(t["kind"] in ("scan", "photo") for t in rows)
    work = RUNS / folder.name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    out = work / "out"
    result: dict = {"units": len(truth), "files": len(rows), "pages": pages, "scanned_files": scanned, "city": str(root)}
    with tempfile.TemporaryDirectory(prefix="kiemchung-bench-prefect-") as home:
        for name in ("first", "rerun"):
            prof = py_spy / f"{folder.name}-{name}.txt" if py_spy else None
            print(f"  {folder.name}: {name} run ...", flush=True)
            result[name] = run_cli(root, out, Path(home), work / f"{name}.log", src, prof)
            result[name]["counts"] = _counts(processing(out))
            print(f"    {_brief(result[name], len(rows), pages)}", flush=True)
        code, rel = _victim(truth)
        path = root / str(city.YEAR) / code / rel
        original = path.read_bytes()
        try:
            path.write_bytes(original + b"\n%bench: one file changed\n")
            print(f"  {folder.name}: one file changed ({code}/{rel}) ...", flush=True)
            result["one_changed"] = run_cli(root, out, Path(home), work / "one_changed.log", src)
        finally:
            path.write_bytes(original)
        found = processing(out)
        result["one_changed"]["counts"] = _counts(found)
        reread = [(c, f) for c, v in found.items() for f in v["processed"]]
        result["one_changed"]["reread"] = reread
        result["one_changed"]["exactly_that_file"] = reread == [(code, rel)]
        print(f"    {_brief(result['one_changed'], len(rows), pages)}; re-read: {reread}", flush=True)
    result["rerun_share"] = result["rerun"]["wall_s"] / result["first"]["wall_s"]
    return result


def _brief(r: dict, files: int, pages: int) -> str:
    return (
        f"{r['wall_s']:.1f} s wall, {files / r['wall_s']:.2f} files/s, {pages / r['wall_s']:.1f} pages/s, "
        f"CPU {r['cpu_s']:.0f} s, peak tree RSS {r['peak_tree_rss_mb']:.0f} MB "
        f"(PSS {r.get('peak_tree_pss_mb', float('nan')):.0f} MB, at {r.get('peak_at_s', 0):.0f} s: {r.get('peak_parts_mb')}); "
        f"{r['counts']}"
    )


def print_table(results: list[dict]) -> None:
    print("\n| units | files (scanned) | pages | first run | files/s | pages/s | CPU s | peak RSS (tree) | re-run | re-run / first | one changed | only that file re-read |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        f, re_, one = r["first"], r["rerun"], r["one_changed"]
        print(
            f"| {r['units']} | {r['files']} ({r['scanned_files']}) | {r['pages']} | {f['wall_s'] / 60:.1f} min | "
            f"{r['files'] / f['wall_s']:.2f} | {r['pages'] / f['wall_s']:.1f} | {f['cpu_s']:.0f} | {f['peak_tree_rss_mb']:.0f} MB | "
            f"{re_['wall_s']:.1f} s | {r['rerun_share']:.1%} | {one['wall_s']:.1f} s | {'yes' if one['exactly_that_file'] else 'NO'} |"
        )
    if len(results) >= 2:
        a, b = results[0], results[-1]
        slope = (b["first"]["wall_s"] - a["first"]["wall_s"]) / (b["files"] - a["files"])
        fixed = a["first"]["wall_s"] - slope * a["files"]
        print(f"\nlinear fit of first-run time: {fixed:.0f} s fixed + {slope:.3f} s per file")
        print(f"projected 130 units x 40 files: {(fixed + slope * 5200) / 60:.1f} min")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--json", action="store_true", help="write bench/results/year-u<N...>.json")
    parser.add_argument("--py-spy", type=Path, help="profile first run and re-run with py-spy into DIR")
    args = parser.parse_args()
    info = machine()
    print(machine_line(info))
    if args.py_spy:
        args.py_spy.mkdir(parents=True, exist_ok=True)
    src = snapshot_src(city.WORK)  # the code measured, frozen while others edit src/
    print(f"code under test: {src}")
    results = []
    for n in args.units:
        results.append(one_size(n, args.files, args.py_spy, src))
        if args.json:  # after each size, so a long run leaves figures behind as it goes
            data = {"machine": info, "src_snapshot": str(src), "results": results}
            write_result("year-u" + "-".join(map(str, args.units)), data)
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
