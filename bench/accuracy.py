"""Exact-match accuracy of number, date, signer and type per file kind, plus the draft verdict
and the trích yếu (exact on the samples; on realdocs, whose manifest has no titles, whether one
was read at all).

Runs on ../shared/realdocs (skipped cleanly when absent) and on sample_evidence's expected
truth (the DocSpecs of sample_evidence/make_samples.py). Prints a table per set with seconds
per file for each kind; `--json` writes the figures too. Not part of the test run.

    .venv/bin/python bench/accuracy.py [--realdocs DIR] [--only realdocs|samples]
                                       [--lang vie|Vietnamese] [--verbose]
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
FIELDS = ("number", "date", "signer", "type", "draft", "title")
READ = "<read>"  # truth when only the presence of a reading can be checked


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
                    "draft": "_DRAFT" in row["filename"],
                    "title": READ,
                }
            )
    return rows


_SAMPLE_KINDS = {"PDF": "text-pdf", "scan": "scan-pdf", "photo": "image", "Word": "docx"}


def _spec_of(make) -> object | None:
    """The DocSpec a make_samples.py writer closes over (its makers are `lambda p: make_x(spec, p)`)."""
    for cell in make.__closure__ or ():
        if type(cell.cell_contents).__name__ == "DocSpec":
            return cell.cell_contents
    return None


def _truth_samples(root: Path) -> list[dict]:
    """Truth for sample_evidence from the DocSpecs that generated it (sample_plan.yaml)."""
    sys.path.insert(0, str(root))
    import make_samples  # noqa: PLC0415 - optional, only when the samples are there
    from docgen import _layout  # noqa: PLC0415

    rows = []
    for unit in make_samples.load_units():
        for rel, make in unit.files.items():
            spec, kind = _spec_of(make), _SAMPLE_KINDS.get(getattr(make, "kind", ""))
            if spec is None or kind is None:
                continue  # the truncated PDF and the .txt carry no fields to measure
            # A photo shows page 1 only: its signer is there only when the signature is.
            signed_here = kind != "image" or _layout(spec)[1].sig_page == 0
            symbol = spec.number.split("/", 1)[1] if spec.number else spec.symbol_hint
            rows.append(
                {
                    "path": root / str(make_samples.YEAR) / unit.code / rel,
                    "kind": kind,
                    "number": spec.number,
                    "date": spec.date.isoformat() if spec.date else None,
                    "signer": spec.signer if signed_here else None,
                    "type": canonical_type(spec.type_name) if spec.type_name else _symbol_type(symbol),
                    "draft": spec.draft or (spec.number is None and spec.date is None),
                    "title": spec.title if spec.type_name else f"V/v {spec.title}",
                }
            )
    return rows


def _symbol_type(symbol: str | None) -> str | None:
    from kiemchung.extractors.fields.doctype import type_from_symbol  # noqa: PLC0415

    return type_from_symbol(symbol) if symbol else None


def _equal(field: str, truth: str | bool | None, got: str | bool | None) -> bool:
    if truth == READ:
        return bool(got)
    if truth is None:
        return got is None
    if got is None:
        return False
    if field == "number":
        return number_key(truth) == number_key(got)
    if field == "signer":
        return same_name(truth, got)
    if field == "title":
        return " ".join(str(truth).split()) == " ".join(str(got).split())
    return truth == got


def measure(rows: list[dict], ctx: ExtractContext, *, verbose: bool) -> dict:
    hits: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    seconds: dict[str, float] = defaultdict(float)
    for row in rows:
        start = time.perf_counter()
        doc = read_document(row["path"], row["path"].name, ctx)
        seconds[row["kind"]] += time.perf_counter() - start
        for field in FIELDS:
            got = doc.draft if field == "draft" else doc.field_value(field)
            ok = _equal(field, row[field], got)
            cell = hits[row["kind"]][field]
            cell[0] += ok
            cell[1] += 1
            if verbose and not ok:
                print(f"  MISS {row['kind']} {row['path'].name} {field}: truth={row[field]!r} got={got!r}", file=sys.stderr)
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
    parser.add_argument("--samples", type=Path, default=REPO / "sample_evidence")
    parser.add_argument("--only", choices=("realdocs", "samples"))
    parser.add_argument("--lang", default="vie")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    ctx = ExtractContext(ocr_lang=args.lang)
    report = {}
    if args.only == "samples":
        pass
    elif (args.realdocs / "MANIFEST.tsv").is_file():
        report["realdocs"] = measure(_truth_realdocs(args.realdocs), ctx, verbose=args.verbose)
        print_table(f"realdocs ({args.realdocs}), OCR language {args.lang}", report["realdocs"])
    else:
        print(f"realdocs not found at {args.realdocs}: skipped")
    if args.only != "realdocs" and (args.samples / "make_samples.py").is_file():
        report["samples"] = measure(_truth_samples(args.samples), ctx, verbose=args.verbose)
        print_table(f"sample_evidence, OCR language {args.lang}", report["samples"])
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
