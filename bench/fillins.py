"""Handwritten fill-ins: number and date accuracy on scans, per reader and combined.

Splits the scans and photos of ../shared/realdocs into "handwritten fill-in" (the manifest's
notes say the number or the day is handwritten) and "typed", and adds generated paper scans and
photos whose number and day are drawn in ink (tests/docgen.py, `handwritten=True`). For each
file it reports whether Tesseract's own reading, the second reader's (PP-OCRv4) and the combined
value equal the truth, the time spent in the second reader beside the whole read, and every
OCR'd reading with its confidence (the data the trust threshold of checks/certainty.py was
chosen on). Not part of the test run.

    .venv/bin/python bench/fillins.py [--realdocs DIR] [--generated N] [--only realdocs|generated]
                                      [--json FILE] [--verbose]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from kiemchung.core.model import Document, Field
from kiemchung.extractors import handwriting
from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.fields.number import number_key
from kiemchung.extractors.reading import read_document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REALDOCS = REPO.parent / "shared" / "realdocs"
READERS = ("tesseract", "ppocr", "combined")
OCR_KINDS = {"scan-pdf", "image"}


def _realdocs(folder: Path) -> list[dict]:
    rows = []
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["kind"] not in OCR_KINDS:
                continue
            inked = "handwritten" in row["notes"].lower()
            rows.append(
                {
                    "path": folder / "files" / row["filename"],
                    "set": "realdocs",
                    "group": "handwritten" if inked else "typed",
                    "number": row["doc_number"] or None,
                    "date": row["date"] or None,
                }
            )
    return rows


_ISSUERS = [("SỞ Y TẾ", "SYT"), ("SỞ NỘI VỤ", "SNV"), ("ỦY BAN NHÂN DÂN\nPHƯỜNG HẢI CHÂU", "UBND")]
_TYPES = [("KẾ HOẠCH", "KH"), ("BÁO CÁO", "BC"), ("QUYẾT ĐỊNH", "QĐ")]


def _generated(folder: Path, count: int) -> list[dict]:
    """Paper scans and photos with the number and day in ink, and a few typed ones."""
    sys.path.insert(0, str(REPO / "tests"))
    from docgen import DocSpec, make_photo_jpeg, make_scan_pdf  # noqa: PLC0415

    rng = random.Random(2026)
    rows = []
    for i in range(count):
        issuer, short = rng.choice(_ISSUERS)
        type_name, abbr = rng.choice(_TYPES)
        digits = str(rng.choice([rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 5999)]))
        date = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        inked = i % 4 != 3
        spec = DocSpec(
            issuer=issuer,
            parent="UBND THÀNH PHỐ ĐÀ NẴNG",
            title="Triển khai chuyển đổi số năm 2025",
            number=f"{digits}/{abbr}-{short}",
            date=date,
            type_name=type_name,
            body=["Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của Ủy ban nhân dân thành phố;"],
            authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
            signer="Nguyễn Văn An",
            handwritten=inked,
        )
        photo = i % 5 == 4
        path = folder / (f"gen-{i:02d}.jpg" if photo else f"gen-{i:02d}.pdf")
        (make_photo_jpeg if photo else make_scan_pdf)(spec, path, seed=i)
        rows.append(
            {
                "path": path,
                "set": "generated",
                "group": "handwritten" if inked else "typed",
                "number": spec.number,
                "date": date.isoformat(),
            }
        )
    return rows


def _reader_values(field: Field | None) -> dict[str, str | None]:
    """What Tesseract, the second reader and the combination made of one field."""
    if field is None:
        return dict.fromkeys(READERS)
    found = {r.reader: r.value for r in field.readings or []}
    if field.method == "ocr" and "tesseract" not in found:
        found["tesseract"] = field.value  # only Tesseract read it
    return {"tesseract": found.get("tesseract"), "ppocr": found.get("ppocr"), "combined": field.value}


def _right(name: str, truth: str | None, got: str | None) -> bool:
    if truth is None or got is None:
        return False
    if name == "number":
        return number_key(truth, ocr=True) == number_key(got, ocr=True)
    return truth == got


class _Timed:
    """Wraps a document's band reader to add up the seconds the second reader takes."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def install(self) -> None:
        # The band, a blank read as one line, and a blank's voted crops: all of the second reader.
        for name in ("read_band", "read_line", "read_digits"):
            setattr(handwriting, name, self._timed(getattr(handwriting, name)))

    def _timed(self, original):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed


def measure(rows: list[dict], ctx: ExtractContext, *, verbose: bool) -> dict:
    hits: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    readings = []
    timer = _Timed()
    timer.install()
    total = second = 0.0
    for row in rows:
        before = timer.seconds
        start = time.perf_counter()
        doc: Document = read_document(row["path"], row["path"].name, ctx)
        total += time.perf_counter() - start
        second += timer.seconds - before
        key = f"{row['set']} / {row['group']}"
        hits[key]["files"][1] += 1
        for name in ("number", "date"):
            field = doc.fields.get(name)
            values = _reader_values(field)
            for reader in READERS:
                cell = hits[key][f"{name} {reader}"]
                cell[0] += _right(name, row[name], values[reader])
                cell[1] += 1
            if field is not None:
                readings.append(
                    {
                        "file": row["path"].name,
                        "group": key,
                        "field": name,
                        "method": field.method,
                        "confidence": field.confidence,
                        "right": _right(name, row[name], field.value),
                    }
                )
            if verbose and not _right(name, row[name], values["combined"]):
                partial = doc.field_value("date_partial") if name == "date" else doc.field_value("symbol")
                print(f"  MISS {key} {row['path'].name} {name}: truth={row[name]!r} {values} partial={partial!r}", file=sys.stderr)
    return {
        "hits": {k: dict(v) for k, v in hits.items()},
        "seconds_total": round(total, 2),
        "seconds_second_reader": round(second, 2),
        "files": len(rows),
        "readings": readings,
    }


def print_table(result: dict) -> None:
    print("| files | n | " + " | ".join(f"{n} {r}" for n in ("number", "date") for r in READERS) + " |")
    print("|---|---|" + "---|" * 6)
    for key, cells in sorted(result["hits"].items()):
        n = cells["files"][1]
        values = [cells[f"{name} {reader}"] for name in ("number", "date") for reader in READERS]
        print(f"| {key} | {n} | " + " | ".join(f"{ok / total:.2f}" for ok, total in values) + " |")
    files = max(result["files"], 1)
    print(
        f"\nseconds per file: {result['seconds_total'] / files:.2f} in all, "
        f"{result['seconds_second_reader'] / files:.2f} in the second reader "
        f"({result['seconds_second_reader'] / max(result['seconds_total'], 1e-9):.0%})"
    )
    print("\nOCR'd readings by confidence (right / wrong), the data of the trust threshold:")
    bins = defaultdict(lambda: [0, 0])
    for r in result["readings"]:
        if r["method"] in ("text", "docx", None):
            continue
        step = min(9, int((r["confidence"] or 0) * 10))
        bins[(r["method"], step)][0 if r["right"] else 1] += 1
    for (method, step), (right, wrong) in sorted(bins.items()):
        print(f"  {method:10s} {step / 10:.1f}-{(step + 1) / 10:.1f}: {right} right, {wrong} wrong")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--realdocs", type=Path, default=DEFAULT_REALDOCS)
    parser.add_argument("--generated", type=int, default=16, help="how many generated scans and photos")
    parser.add_argument("--only", choices=("realdocs", "generated"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    ctx = ExtractContext()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "generated":
            if (args.realdocs / "MANIFEST.tsv").is_file():
                rows += _realdocs(args.realdocs)
            else:
                print(f"realdocs not found at {args.realdocs}: skipped")
        if args.only != "realdocs":
            rows += _generated(Path(tmp), args.generated)
        result = measure(rows, ctx, verbose=args.verbose)
    print_table(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
