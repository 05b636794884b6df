"""Target 2: scanned PDFs and photos, seconds per document to get all fields, against OCR of
every page at 300 dpi followed by the same field parsers. Field accuracy of both, same files.

    .venv/bin/python bench/ocr.py [--scans 16] [--photos 8] [--big-photos 4] [--baselines ocrmypdf,tesseract] [--json]

- kiemchung: `read_document` with its defaults (200 dpi, red removed, Tesseract `vie` on page 1
  and the last page, the two pages in parallel, one Tesseract thread each);
- `ocrmypdf`: `ocrmypdf -l vie --force-ocr --oversample 300 --output-type pdf -O 0
  --invalidate-digital-signatures --sidecar`
  (photos: `--image-dpi 300`, their pixels as they are), then the sidecar text of every page
  through the same field parsers. OCRmyPDF 17 runs here without Ghostscript (pypdfium2
  rasterises); `-O 0` and `--output-type pdf` skip work a user's default would add, so the
  baseline is if anything flattered. It uses both cores (`--jobs` = nproc);
- `tesseract`: every page rendered at 300 dpi with pypdfium2 (photos as they are), `tesseract
  PAGE stdout -l vie` with OMP_THREAD_LIMIT=1, two pages at a time, then the same parsers.

Each document is timed alone (wall clock, both cores available to every side). Files: scans and
photos of the benchmark pool (bench/city.py; truth from the generator) and the scans and photos
of ../shared/realdocs (truth from its MANIFEST) when present. Target: <= 1/3 of the baseline's
time at equal or better accuracy.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
from common import (
    FIELDS,
    accuracy_cells,
    fields_from_text,
    machine,
    machine_line,
    share,
    write_result,
)
from PIL import Image, ImageOps

from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.reading import read_document

REPO = Path(__file__).resolve().parents[1]
REALDOCS = REPO.parent / "shared" / "realdocs"
OCRMYPDF = Path(sys.executable).parent / "ocrmypdf"
TESS_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def pool_files(scans: int, photos: int) -> list[dict]:
    import city

    pool = city.build_pool()
    picked = [p for p in pool if p["kind"] == "scan"][:scans] + [p for p in pool if p["kind"] == "photo"][:photos]
    return [{**p, "set": "generated"} for p in picked]


def big_photos(count: int, dpi: int = 330) -> list[dict]:
    """Phone photos at 12 MP (page 1 at `dpi`, ~3000 x 4100 px with the desk around it), drawn
    from the pool's first photo specs (same truth): what a modern phone sends (issue 13, target 3)."""
    import city
    from docgen import make_photo_jpeg

    folder = city.WORK / f"photos-{dpi}dpi"
    rows = []
    for index in range(count):
        spec, truth = city._pool_item("photo", index, folder)
        path = Path(truth.file)
        if not path.is_file():
            make_photo_jpeg(spec, path, seed=index, dpi=dpi)
        item = {k: v for k, v in vars(truth).items() if k != "file"}
        rows.append({**item, "path": str(path), "kind": "photo", "set": "12mp"})
    return rows


def real_files() -> list[dict]:
    if not (REALDOCS / "MANIFEST.tsv").is_file():
        return []
    from accuracy import _truth_realdocs

    rows = []
    for row in _truth_realdocs(REALDOCS):
        if row["kind"] in ("scan-pdf", "image"):
            kind = "scan" if row["kind"] == "scan-pdf" else "photo"
            rows.append({**row, "path": str(row["path"]), "kind": kind, "set": "realdocs"})
    return rows


def page_count(path: Path) -> int:
    if path.suffix.lower() != ".pdf":
        return 1
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def run_ours(path: Path) -> tuple[dict, int]:
    doc = read_document(path, path.name, ExtractContext())
    return {f: doc.field_value(f) for f in FIELDS}, sum(m == "ocr" for m in doc.page_methods)


def run_ours_full_size(path: Path) -> tuple[dict, int]:
    """kiemchung before issue 13's downscale: a large photo's page OCR'd at its own size."""
    from kiemchung.extractors import ocr

    saved, ocr._MAX_SHORT_SIDE = ocr._MAX_SHORT_SIDE, 10**9
    try:
        return run_ours(path)
    finally:
        ocr._MAX_SHORT_SIDE = saved


def run_ocrmypdf(path: Path) -> tuple[dict, int]:
    with tempfile.TemporaryDirectory() as tmp:
        sidecar, out = Path(tmp) / "text.txt", Path(tmp) / "out.pdf"
        cmd = [str(OCRMYPDF), "-l", "vie", "--force-ocr", "--oversample", "300", "--output-type", "pdf", "-O", "0", "-q"]
        # e-office scans are often signed; OCRmyPDF refuses them without this flag.
        cmd += ["--invalidate-digital-signatures"]
        if path.suffix.lower() != ".pdf":
            cmd += ["--image-dpi", "300"]
        cmd += ["--sidecar", str(sidecar), str(path), str(out)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:  # counted as a document with no fields, and said so
            print(f"    ocrmypdf failed on {path.name}: {done.stderr.strip().splitlines()[-1:]}", flush=True)
            return dict.fromkeys(FIELDS), page_count(path)
        pages = sidecar.read_text(encoding="utf-8").split("\f")
    pages = [p for p in pages if p.strip()] or [""]
    return fields_from_text(pages, "ocr"), page_count(path)


def _tesseract(image: Path) -> str:
    out = subprocess.run(
        ["tesseract", str(image), "stdout", "-l", "vie", "--psm", "3"], capture_output=True, text=True, env=TESS_ENV, check=True
    )
    return out.stdout


def run_tesseract(path: Path) -> tuple[dict, int]:
    with tempfile.TemporaryDirectory() as tmp:
        images = []
        if path.suffix.lower() == ".pdf":
            pdf = pdfium.PdfDocument(str(path))
            try:
                for i in range(len(pdf)):
                    target = Path(tmp) / f"p{i}.png"
                    pdf[i].render(scale=300 / 72).to_pil().save(target)
                    images.append(target)
            finally:
                pdf.close()
        else:
            target = Path(tmp) / "p0.png"
            with Image.open(path) as img:
                ImageOps.exif_transpose(img).save(target)
            images.append(target)
        with ThreadPoolExecutor(2) as pool:
            texts = list(pool.map(_tesseract, images))
    return fields_from_text(texts, "ocr"), len(images)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract, OCRmyPDF)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


METHODS = {"kiemchung": run_ours, "kiemchung-fullsize": run_ours_full_size, "ocrmypdf": run_ocrmypdf, "tesseract": run_tesseract}


def measure(rows: list[dict], methods: list[str]) -> dict:
    out: dict[str, dict] = {m: {"seconds": [], "cpu": [], "got": [], "ocr_pages": 0} for m in methods}
    for i, row in enumerate(rows, start=1):
        path = Path(row["path"])
        row["pages"] = page_count(path)
        for m in methods:
            cpu, start = _cpu(), time.perf_counter()
            got, ocr_pages = METHODS[m](path)
            out[m]["seconds"].append(time.perf_counter() - start)
            out[m]["cpu"].append(_cpu() - cpu)
            out[m]["got"].append(got)
            out[m]["ocr_pages"] += ocr_pages
        times = "  ".join(f"{m} {out[m]['seconds'][-1]:.1f}s" for m in methods)
        print(f"  [{i}/{len(rows)}] {row['set']} {row['kind']} {path.name} ({row['pages']} p): {times}", flush=True)
    return out


def summarise(rows: list[dict], raw: dict, methods: list[str]) -> list[dict]:
    groups = {}
    for kind in ("scan", "photo"):
        for dataset in ("generated", "12mp", "realdocs", "all"):
            idx = [i for i, r in enumerate(rows) if r["kind"] == kind and dataset in ("all", r["set"])]
            if idx:
                groups[f"{dataset} {kind}s"] = idx
    table = []
    for name, idx in groups.items():
        entry = {"group": name, "files": len(idx), "pages": sum(rows[i]["pages"] for i in idx)}
        for m in methods:
            secs = [raw[m]["seconds"][i] for i in idx]
            cpu = [raw[m]["cpu"][i] for i in idx]
            cells = accuracy_cells([(rows[i], raw[m]["got"][i]) for i in idx])
            entry[m] = {
                "s_per_doc": sum(secs) / len(secs),
                "cpu_s_per_doc": sum(cpu) / len(cpu),
                "accuracy": share(cells),
                "fields": cells,
            }
        table.append(entry)
    return table


def print_table(table: list[dict], methods: list[str]) -> None:
    base = [m for m in methods if m != "kiemchung"]
    head = " | ".join(f"{m} s/doc (CPU s) | {m} acc." for m in methods)
    ratios = " | ".join(f"kiemchung / {b} wall (CPU)" for b in base)
    print(f"\n| files | n | pages | {head} | {ratios} |")
    print("|---|---|---|" + "---|---|" * len(methods) + "---|" * len(base))
    for e in table:
        cells = " | ".join(f"{e[m]['s_per_doc']:.2f} ({e[m]['cpu_s_per_doc']:.2f}) | {e[m]['accuracy']:.3f}" for m in methods)
        k = e.get("kiemchung")
        ratio = " | ".join(
            f"{k['s_per_doc'] / e[b]['s_per_doc']:.2f} ({k['cpu_s_per_doc'] / e[b]['cpu_s_per_doc']:.2f})" for b in base
        ) if k else ""
        print(f"| {e['group']} | {e['files']} | {e['pages']} | {cells} | {ratio} |")
    print("\nPer field (hits/total), all files:")
    for e in table:
        if e["group"].startswith("all"):
            for m in methods:
                cells = ", ".join(f"{f} {e[m]['fields'][f][0]}/{e[m]['fields'][f][1]}" for f in FIELDS)
                print(f"  {e['group']:<12} {m:<10} {cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=16)
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--baselines", default="ocrmypdf,tesseract")
    parser.add_argument("--big-photos", type=int, default=0, help="also N photos at 12 MP (drawn once)")
    parser.add_argument("--no-realdocs", action="store_true")
    parser.add_argument("--json", action="store_true", help="write bench/results/ocr.json")
    args = parser.parse_args()
    methods = ["kiemchung", *[b for b in args.baselines.split(",") if b]]
    if "ocrmypdf" in methods and not OCRMYPDF.exists():
        print("ocrmypdf is not installed (pip install -e '.[bench]'): that baseline is skipped")
        methods.remove("ocrmypdf")
    if not shutil.which("tesseract"):
        print("tesseract not found")
        return 3
    info = machine()
    print(machine_line(info))
    rows = pool_files(args.scans, args.photos) if args.scans or args.photos else []
    rows += big_photos(args.big_photos) + ([] if args.no_realdocs else real_files())
    raw = measure(rows, methods)
    table = summarise(rows, raw, methods)
    print_table(table, methods)
    pages = sum(r["pages"] for r in rows)
    print(f"\npages OCR'd: kiemchung {raw['kiemchung']['ocr_pages']} of {pages}; baselines all {pages}")
    if args.json:
        files = [{"path": r["path"], "kind": r["kind"], "set": r["set"], "pages": r["pages"],
                  **{m: {"s": raw[m]["seconds"][i], "cpu_s": raw[m]["cpu"][i], **raw[m]["got"][i]} for m in methods}} for i, r in enumerate(rows)]
        data = {
            "machine": info, "methods": methods, "table": table, "files": files,
            "pages": pages, "kiemchung_ocr_pages": raw["kiemchung"]["ocr_pages"],
        }
        print(f"\nwrote {write_result('ocr', data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
