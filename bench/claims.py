"""The claims benchmark (issue 11): the real pre-screen on claims over real documents.

Every file of ../shared/realdocs whose number, date and signer are known becomes a claim of a unit
made for its issuer; the real drafts are claimed as if issued. A seeded share of the files also
get a second claim with a planted problem (number off by 1, 10 or 100; date off by a few days;
another signer). The evidence root is built in a temp dir (files copied, never into the repo),
`kiemchung prescreen` runs on it as a user would run it, and the reports are scored per file
kind: correct claims with no error and with no flag at all, recall per planted problem (split as
error / as *_UNCERTAIN warning), and every flag raised on a correct claim with its cause.

    .venv/bin/python bench/claims.py [--realdocs DIR] [--only KIND] [--limit N] [--seed 11]
                                     [--share 0.5] [--plant-all] [--md FILE] [--json FILE] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from claims_score import KINDS, render_md, score
from claims_units import TruthDoc, UnitEntry, issuer_key, plan_units, read_manifest

from kiemchung.core.text import fold

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REALDOCS = REPO.parent / "shared" / "realdocs"
YEAR = 2025
CRITERION = "1.1"
PLANTABLE = ("number", "date", "signer")

# Plausible other signers: common family names, middle names and given names.
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô")
_MIDDLES = ("Văn", "Thị", "Quang", "Minh", "Thanh", "Hữu", "Ngọc", "Đức", "Thị Thu", "Xuân", "Công")
_GIVENS = ("Hòa", "Hương", "Sơn", "Trung", "Bình", "Thủy", "Hiếu", "Nam", "Vân", "Hằng", "Phúc",
           "Dũng", "Tâm", "Khoa", "Lan", "Tuấn", "Hải", "Quý", "Thảo", "Việt")


@dataclass
class PlannedClaim:
    """One dossier row: what is claimed, the truth, and the problem planted (None = correct)."""

    unit: str
    row: int
    file: str  # relative to the unit folder
    source: str  # the original file name
    kind: str
    problem: str | None  # number | date | signer | draft
    variant: str | None
    claimed: dict[str, str | None]
    truth: dict[str, str | None]


# ------------------------------------------------------------------ the claims


def _shift_number(number: str, rng: random.Random) -> tuple[str, str]:
    """The same number off by 1, 10 or 100 (leading zeros kept): `5816/BNV-CCHC` -> `5916/…`."""
    digits = re.match(r"\d+", number)
    if not digits:
        raise ValueError(f"no digits to shift in {number!r}")
    step = rng.choice((1, 10, 100))
    value = int(digits.group())
    sign = rng.choice((1, -1)) if value - step > 0 else 1
    shifted = str(value + sign * step).zfill(len(digits.group()))
    return shifted + number[digits.end():], f"{'+' if sign > 0 else '-'}{step}"


def _shift_date(date: dt.date, rng: random.Random) -> tuple[dt.date, str]:
    days = rng.choice((-4, -3, -2, -1, 1, 2, 3, 4))
    return date + dt.timedelta(days=days), f"{days:+d} days"


def other_signer(truth: str | None, rng: random.Random) -> str:
    """A plausible Vietnamese name of another person (another given name than the signer's)."""
    given = fold(truth).split()[-1] if truth else ""
    while True:
        name = f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLES)} {rng.choice(_GIVENS)}"
        if fold(name).split()[-1] != given:
            return name


def _truth_values(doc: TruthDoc) -> dict[str, str | None]:
    return {
        "number": doc.number,
        "date": doc.date.isoformat() if doc.date else None,
        "signer": doc.signer,
        "issuer": doc.issuer,
        "draft": "yes" if doc.draft else "no",
        "signature_broken": "yes" if doc.signature_broken else "no",
    }


def _planted(doc: TruthDoc, problem: str, rng: random.Random) -> tuple[dict, str]:
    claimed = {"number": doc.number, "date": doc.date, "signer": doc.signer}
    if problem == "number":
        claimed["number"], variant = _shift_number(doc.number or "", rng)
    elif problem == "date":
        claimed["date"], variant = _shift_date(doc.date, rng)
    else:
        claimed["signer"], variant = other_signer(doc.signer, rng), "another person"
    return claimed, variant


def _claimed_as_issued(doc: TruthDoc, rng: random.Random) -> dict:
    """A draft claimed as if it had been issued: a number, a day and a signer made up for it."""
    symbol = doc.printed_symbol or "CV"
    year = doc.year_hint or YEAR
    return {
        "number": f"{rng.randint(100, 999)}/{symbol}",
        "date": dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        "signer": doc.signer or other_signer(None, rng),
    }


def plan_claims(
    docs: list[TruthDoc],
    units: dict[str, UnitEntry],
    *,
    seed: int,
    share: float,
    plant_all: bool = False,
) -> list[PlannedClaim]:
    """Per issued file a correct claim, and for a seeded share of them (every one with
    `plant_all`: one per problem) a claim with a planted problem; per draft, a claim as issued."""
    rng = random.Random(seed)
    order = list(PLANTABLE)
    rng.shuffle(order)  # which problem comes first in the rotation
    rows: dict[str, int] = {}
    plans: list[PlannedClaim] = []
    turn = 0

    def add(doc: TruthDoc, problem: str | None, variant: str | None, claimed: dict) -> None:
        unit = units[issuer_key(doc.issuer)].code
        rows[unit] = rows.get(unit, 0) + 1
        date = claimed["date"]
        plans.append(
            PlannedClaim(
                unit=unit,
                row=rows[unit],
                file=f"files/{doc.path.name}",
                source=doc.path.name,
                kind=doc.kind,
                problem=problem,
                variant=variant,
                claimed={"number": claimed["number"], "date": date.isoformat() if date else None, "signer": claimed["signer"]},
                truth=_truth_values(doc),
            )
        )

    for doc in docs:
        if doc.draft:
            add(doc, "draft", "claimed as issued", _claimed_as_issued(doc, rng))
            continue
        add(doc, None, None, {"number": doc.number, "date": doc.date, "signer": doc.signer})
        if plant_all:
            problems = list(PLANTABLE)
        elif rng.random() < share:
            problems, turn = [order[turn % len(order)]], turn + 1
        else:
            problems = []
        for problem in problems:
            claimed, variant = _planted(doc, problem, rng)
            add(doc, problem, variant, claimed)
    return plans


# ------------------------------------------------------------------ writing the root


def _units_yaml(units: dict[str, UnitEntry]) -> str:
    entries = []
    for u in units.values():
        entry = {"code": u.code, "name": u.name, "group": u.group}
        if u.symbol:
            entry["symbol"] = u.symbol
        if u.aliases:
            entry["aliases"] = u.aliases
        entry["leaders"] = [{k: v for k, v in p.items() if v is not None} for p in u.leaders]
        entries.append(entry)
    return yaml.safe_dump({"units": entries}, allow_unicode=True, sort_keys=False)


def _framework_yaml() -> str:
    """One permissive criterion: any type and signer, the unit's own document (so the issuer
    check runs), no period: only the document's own fields decide."""
    return yaml.safe_dump(
        {
            "id": "claims-bench",
            "name": "Bộ tiêu chí thử nghiệm (bench/claims.py)",
            "valid_years": [YEAR],
            "period": "calendar_year",
            "ranks": [{"name": "Đạt", "min": 0}],
            "criteria": [
                {
                    "code": CRITERION,
                    "title": "Văn bản của đơn vị (mọi loại, mọi người ký)",
                    "max_points": 1,
                    "evidence": {"issuer": "self", "signer": "any", "in_period": False},
                }
            ],
        },
        allow_unicode=True,
        sort_keys=False,
    )


def _claimed_date(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def write_root(root: Path, docs: list[TruthDoc], units: dict[str, UnitEntry], plans: list[PlannedClaim]) -> None:
    """units.yaml, framework.yaml, and per unit a dossier.csv and a copy of its files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "units.yaml").write_text(_units_yaml(units), encoding="utf-8")
    (root / "framework.yaml").write_text(_framework_yaml(), encoding="utf-8")
    for doc in docs:
        folder = root / str(YEAR) / units[issuer_key(doc.issuer)].code / "files"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(doc.path, folder / doc.path.name)
    for code in {p.unit for p in plans}:
        with (root / str(YEAR) / code / "dossier.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["criterion", "self_score", "doc_number", "doc_date", "doc_title", "signer", "file"])
            for p in sorted((p for p in plans if p.unit == code), key=lambda p: p.row):
                c = p.claimed
                out.writerow([CRITERION, 1, c["number"] or "", _claimed_date(c["date"]), "", c["signer"] or "", p.file])


def build_root(
    docs: list[TruthDoc], root: Path, *, seed: int = 11, share: float = 0.5, plant_all: bool = False
) -> list[PlannedClaim]:
    """The evidence root for `docs` under `root`; returns the claims written into its dossiers."""
    units = plan_units(docs)
    plans = plan_claims(docs, units, seed=seed, share=share, plant_all=plant_all)
    write_root(root, docs, units, plans)
    return plans


# ------------------------------------------------------------------ running the pre-screen


def run_prescreen(root: Path, out: Path, work: Path, *, year: int = YEAR) -> float:
    """`kiemchung prescreen ROOT --year Y --out OUT` in a subprocess with this checkout's src."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(work / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PYTHONPATH=str(REPO / "src"),
    )
    cli = Path(sys.executable).parent / "kiemchung"
    log = work / "prescreen.log"
    start = time.perf_counter()
    with log.open("wb") as fh:
        proc = subprocess.run([str(cli), "prescreen", str(root), "--year", str(year), "--out", str(out)],
                              stdout=fh, stderr=fh, env=env, check=False)
    if proc.returncode not in (0, 5):
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"prescreen failed with exit code {proc.returncode}:\n{tail}")
    return time.perf_counter() - start


def _code_state() -> str:
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src"], capture_output=True, text=True, check=False)
    changed = len(dirty.stdout.splitlines())
    return (head.stdout.strip() or "?") + (f" + {changed} uncommitted files in src/" if changed else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realdocs", type=Path, default=DEFAULT_REALDOCS)
    parser.add_argument("--only", choices=sorted(KINDS), help="one kind of file")
    parser.add_argument("--limit", type=int, help="at most N files (after --only)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--share", type=float, default=0.5, help="share of issued files given a planted claim")
    parser.add_argument("--plant-all", action="store_true", help="plant every problem on every issued file")
    parser.add_argument("--md", type=Path, help="write the markdown table here too")
    parser.add_argument("--json", type=Path, help="write the figures and every claim's outcome here")
    parser.add_argument("--keep", type=Path, help="build and keep the root and the reports in this folder")
    parser.add_argument("--score-only", action="store_true", help="with --keep: score the reports already there again")
    args = parser.parse_args()
    if args.score_only and not args.keep:
        parser.error("--score-only needs --keep DIR")
    if not (args.realdocs / "MANIFEST.tsv").is_file():
        print(f"realdocs not found at {args.realdocs}: nothing to measure")
        return 0
    docs = [d for d in read_manifest(args.realdocs) if not args.only or d.kind == args.only][: args.limit]
    code, load = _code_state(), round(os.getloadavg()[0], 1)
    print(f"code {code}; load average {load}; {len(docs)} files", flush=True)
    with tempfile.TemporaryDirectory(prefix="kiemchung-claims-") as tmp:
        work = args.keep or Path(tmp)
        if args.score_only:  # the same arguments give the same claims
            plans = plan_claims(docs, plan_units(docs), seed=args.seed, share=args.share, plant_all=args.plant_all)
            seconds = None
        else:
            shutil.rmtree(work / "root", ignore_errors=True)
            shutil.rmtree(work / "out", ignore_errors=True)
            plans = build_root(docs, work / "root", seed=args.seed, share=args.share, plant_all=args.plant_all)
            print(f"{len(plans)} claims in {len({p.unit for p in plans})} units; running prescreen ...", flush=True)
            seconds = round(run_prescreen(work / "root", work / "out", work), 1)
        result = score(plans, work / "out" / str(YEAR))
    result["run"] = {
        "code": code, "load_average": load, "seconds": seconds, "files": len(docs), "seed": args.seed,
        "share": args.share, "plant_all": args.plant_all, "only": args.only, "limit": args.limit,
    }
    text = render_md(result)
    print(text)
    if args.md:
        args.md.write_text(text, encoding="utf-8")
    if args.json:
        result["claims"] = [asdict(p) | result["outcomes"].get(f"{p.unit}#{p.row}", {}) for p in plans]
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
