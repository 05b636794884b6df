"""Target 1: born-digital PDFs, pages per second of full field extraction, against pdfplumber.

    .venv/bin/python bench/text_pdf.py [--files 200] [--repeat 3] [--json]

Both sides run in this one process, one file at a time, on the same files, in the same run:

- kiemchung: `read_document` (sniff, SHA-256, pypdfium2 text of page 1 and the last page, field
  parsing, PDF signature dictionaries), the settings `prescreen` uses;
- baseline: pdfplumber `extract_text()` of every page, then the same field parsers
  (`read_fields` over the lines, header from page 1, signature from the last pages).

Files: generated born-digital PDFs of 1-6 pages (bench/city.py's document maker, cached under
bench/work/) and the real text PDFs of ../shared/realdocs when present. Pages/s counts the
pages of the documents, whichever pages each side actually read. Figures are medians of
`--repeat` runs. Target: >= 500 pages/s and >= 20x the baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from common import (
    FIELDS,
    accuracy_cells,
    fields_from_text,
    machine,
    machine_line,
    median,
    share,
    write_result,
)

from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.reading import read_document

REPO = Path(__file__).resolve().parents[1]
REALDOCS = REPO.parent / "shared" / "realdocs"


def generated_pdfs(count: int) -> list[dict]:
    """`count` distinct born-digital PDFs (own unit, number, date, 1-6 pages), cached."""
    import city

    folder = city.WORK / f"textpdf-{count}"
    index = folder / "truth.json"
    if index.is_file():
        return json.loads(index.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    units = city.make_units(130)
    rng = random.Random(7)
    rows = []
    for i in range(count):
        unit = units[i % len(units)]
        pages = city._pick(rng, city.PAGE_WEIGHTS)
        spec, truth = city.make_spec(unit, city._criterion(rng, unit.group), i + 1, rng, pages)
        path = folder / f"{i:03d}.pdf"
        city.make_pdf(spec, path)
        rows.append({"path": str(path), "pages": pages, **{f: getattr(truth, f) for f in FIELDS}})
    index.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return rows


def real_pdfs() -> list[dict]:
    if not (REALDOCS / "MANIFEST.tsv").is_file():
        return []
    from accuracy import _truth_realdocs

    rows = []
    for row in _truth_realdocs(REALDOCS):
        if row["kind"] != "text-pdf":
            continue
        try:
            pdf = pdfium.PdfDocument(str(row["path"]))
        except pdfium.PdfiumError:
            continue  # the encrypted copy: neither side can read it
        pages = len(pdf)
        pdf.close()
        rows.append({**row, "path": str(row["path"]), "pages": pages})
    return rows


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract, if a page is OCR'd)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def ours(rows: list[dict], *, deep_signatures: bool = False) -> tuple[float, float, list[dict], int]:
    """(wall seconds, CPU seconds, fields per file, files with a page sent to OCR)."""
    ctx = ExtractContext(ocr_workers=1, deep_signatures=deep_signatures)
    got, ocr_files = [], 0
    cpu = _cpu()
    start = time.perf_counter()
    for row in rows:
        path = Path(row["path"])
        doc = read_document(path, path.name, ctx)
        got.append({f: doc.field_value(f) for f in FIELDS})
        ocr_files += "ocr" in doc.page_methods
    return time.perf_counter() - start, _cpu() - cpu, got, ocr_files


def pdfplumber_baseline(rows: list[dict]) -> tuple[float, float, list[dict]]:
    got = []
    cpu = _cpu()
    start = time.perf_counter()
    for row in rows:
        with pdfplumber.open(row["path"]) as pdf:
            texts = [page.extract_text() or "" for page in pdf.pages]
        got.append(fields_from_text(texts, "text"))
    return time.perf_counter() - start, _cpu() - cpu, got


def measure(name: str, rows: list[dict], repeat: int, *, with_pyhanko: bool = False) -> dict:
    pages = sum(r["pages"] for r in rows)
    ours(rows[:3])  # warm imports and fonts so the first run is not charged for them
    runs_ours, runs_base, cpu_ours, cpu_base, runs_deep = [], [], [], [], []
    if with_pyhanko:
        ours(rows[:3], deep_signatures=True)
    for _ in range(repeat):
        if with_pyhanko:  # the signatures read with pyHanko, as before issue 13
            runs_deep.append(ours(rows, deep_signatures=True)[0])
        seconds, cpu, got_ours, ocr_files = ours(rows)
        runs_ours.append(seconds)
        cpu_ours.append(cpu)
        seconds, cpu, got_base = pdfplumber_baseline(rows)
        runs_base.append(seconds)
        cpu_base.append(cpu)
    t_ours, t_base = median(runs_ours), median(runs_base)
    c_ours, c_base = median(cpu_ours), median(cpu_base)
    acc_ours = accuracy_cells(list(zip(rows, got_ours, strict=True)))
    acc_base = accuracy_cells(list(zip(rows, got_base, strict=True)))
    return {
        "set": name,
        "files": len(rows),
        "pages": pages,
        "runs_s": {"kiemchung": runs_ours, "pdfplumber": runs_base},
        "kiemchung": _side(t_ours, c_ours, pages, len(rows), acc_ours),
        "pdfplumber": _side(t_base, c_base, pages, len(rows), acc_base),
        "speedup": t_base / t_ours,
        "speedup_cpu": c_base / c_ours,
        "files_with_ocr_page": ocr_files,
        **({"kiemchung_pyhanko": {"seconds": median(runs_deep), "pages_per_s": pages / median(runs_deep),
                                  "speedup": t_base / median(runs_deep)}} if runs_deep else {}),
    }


def _side(wall: float, cpu: float, pages: int, files: int, acc: dict) -> dict:
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "pages_per_s": pages / wall,
        "pages_per_cpu_s": pages / cpu,
        "files_per_s": files / wall,
        "accuracy": acc,
    }


def print_result(r: dict) -> None:
    o, b = r["kiemchung"], r["pdfplumber"]
    print(f"\n{r['set']}: {r['files']} files, {r['pages']} pages; median of {len(r['runs_s']['kiemchung'])} runs")
    print("| | pages/s (wall) | pages per CPU s | files/s | s total | field accuracy |")
    print("|---|---|---|---|---|---|")
    for label, x in (("kiemchung", o), ("pdfplumber + same parsers", b)):
        print(
            f"| {label} | {x['pages_per_s']:.0f} | {x['pages_per_cpu_s']:.0f} | {x['files_per_s']:.1f} | "
            f"{x['seconds']:.2f} | {share(x['accuracy']):.3f} |"
        )
    if "kiemchung_pyhanko" in r:
        d = r["kiemchung_pyhanko"]
        print(f"| kiemchung, signatures with pyHanko | {d['pages_per_s']:.0f} | | | {d['seconds']:.2f} | |")
        print(f"pyHanko side: {d['speedup']:.1f}x pdfplumber wall")
    print(
        f"speed-up: {r['speedup']:.1f}x wall, {r['speedup_cpu']:.1f}x CPU; "
        f"files where kiemchung OCR'd a page: {r['files_with_ocr_page']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=200, help="generated PDFs")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="write bench/results/text_pdf.json")
    parser.add_argument("--only", choices=["generated", "realdocs"], help="one set only")
    parser.add_argument(
        "--with-pyhanko", action="store_true", help="also time kiemchung reading signatures with pyHanko (before issue 13)"
    )
    args = parser.parse_args()
    info = machine()
    print(machine_line(info))
    results = []
    if args.only != "realdocs":
        results.append(
            measure("generated born-digital PDFs", generated_pdfs(args.files), args.repeat, with_pyhanko=args.with_pyhanko)
        )
    real = real_pdfs() if args.only != "generated" else []
    if real:
        results.append(measure(f"realdocs text PDFs ({REALDOCS})", real, args.repeat, with_pyhanko=args.with_pyhanko))
    for r in results:
        print_result(r)
    if args.json:
        print(f"\nwrote {write_result('text_pdf', {'machine': info, 'results': results})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
