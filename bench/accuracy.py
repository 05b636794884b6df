"""Exact-match accuracy of number, date, signer and type per file kind.

Runs on ../shared/realdocs (skipped cleanly when absent) and on sample_evidence's expected
truth. Prints a table; `--json` writes the figures too. Not part of the test run.

    .venv/bin/python bench/accuracy.py [--realdocs DIR] [--lang vie|Vietnamese] [--verbose]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from kiemchung.core.text import same_name
from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.fields.doctype import canonical_type
from kiemchung.extractors.fields.number import number_key
from kiemchung.extractors.reading import read_document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REALDOCS = REPO.parent / "shared" / "realdocs"
FIELDS = ("number", "date", "signer", "type")


def _truth_realdocs(folder: Path) -> list[dict]:
    rows = []
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            rows.append(
                {
                    "path": folder / "files" / row["filename"],
                    "kind": row["kind"],
                    "number": row["doc_number"] or None,
                    "date": row["date"] or None,
                    "signer": row["signer_name"] or None,
                    "type": canonical_type(row["doc_type"]) if row["doc_type"] else None,
                }
            )
    return rows


def _equal(field: str, truth: str | None, got: str | None) -> bool:
    if truth is None:
        return got is None
    if got is None:
        return False
    if field == "number":
        return number_key(truth) == number_key(got)
    if field == "signer":
        return same_name(truth, got)
    return truth == got


def measure(rows: list[dict], ctx: ExtractContext, *, verbose: bool) -> dict:
    hits: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    seconds: dict[str, float] = defaultdict(float)
    for row in rows:
        start = time.perf_counter()
        doc = read_document(row["path"], row["path"].name, ctx)
        seconds[row["kind"]] += time.perf_counter() - start
        for field in FIELDS:
            got = doc.field_value(field)
            ok = _equal(field, row[field], got)
            cell = hits[row["kind"]][field]
            cell[0] += ok
            cell[1] += 1
            if verbose and not ok:
                print(f"  MISS {row['path'].name} {field}: truth={row[field]!r} got={got!r}", file=sys.stderr)
    return {"hits": {k: dict(v) for k, v in hits.items()}, "seconds": dict(seconds)}


def print_table(title: str, result: dict) -> None:
    print(f"\n{title}")
    print(f"| kind | files | {' | '.join(FIELDS)} | s/file |")
    print("|---|---|" + "---|" * len(FIELDS) + "---|")
    for kind, fields in sorted(result["hits"].items()):
        n = next(iter(fields.values()))[1]
        cells = [f"{ok / total:.2f} ({ok}/{total})" for ok, total in (fields[f] for f in FIELDS)]
        print(f"| {kind} | {n} | {' | '.join(cells)} | {result['seconds'][kind] / n:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--realdocs", type=Path, default=DEFAULT_REALDOCS)
    parser.add_argument("--lang", default="vie")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    ctx = ExtractContext(ocr_lang=args.lang)
    report = {}
    if (args.realdocs / "MANIFEST.tsv").is_file():
        report["realdocs"] = measure(_truth_realdocs(args.realdocs), ctx, verbose=args.verbose)
        print_table(f"realdocs ({args.realdocs}), OCR language {args.lang}", report["realdocs"])
    else:
        print(f"realdocs not found at {args.realdocs}: skipped")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
