"""Flag precision and recall on a generated root the code was never tuned on (issue 11).

Three units that appear nowhere else (a department, a unit under the city, a ward), one claim
per criterion of the built-in framework that applies to each, every document made by
tests/docgen.py with the phenomena of real files drawn at random (three- and four-line issuers,
a parent line, a date line under the motto, an appendix after the signature, a red ĐẾN stamp,
"dự thảo" and cited dates in the body, handwritten number and day on scans), as text PDF, Word,
scan or phone photo. A seeded half of the claims carries one planted problem whose flag is
known; the real `kiemchung prescreen` runs on the root (built-in framework, year 2024) and every
row's error and warning flags are scored against the plan:

- a flag is right when the row's planted problem calls for it (a `*_UNCERTAIN` warning counts
  for its field's mismatch on a scan: it names the field and shows the crop);
- precision = right flags / all flags; recall = planted problems with a right flag / planted.

    .venv/bin/python bench/heldout.py [--seed 7] [--scans 6] [--keep DIR] [--json FILE] [--md FILE]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))
from claims import run_prescreen  # noqa: E402
from docgen import DocSpec, make_docx, make_pdf, make_photo_jpeg, make_scan_pdf  # noqa: E402

from kiemchung.checks.loaders import builtin_frameworks  # noqa: E402

YEAR = 2024
TYPE_LINES = {"KH": "KẾ HOẠCH", "QĐ": "QUYẾT ĐỊNH", "BC": "BÁO CÁO", "TB": "THÔNG BÁO", "BB": "BIÊN BẢN",
              "PA": "PHƯƠNG ÁN", "CV": None}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class HeldUnit:
    code: str
    name: str
    group: str
    symbol: str
    issuer: str  # as its header prints it, lines split by \n
    parent: str | None
    head: tuple[str, str]  # name, role line
    deputy: tuple[str, str]
    for_body: str | None = None  # `TM. ỦY BAN NHÂN DÂN` of a collective body


UNITS = [
    HeldUnit("SVHTT", "Sở Văn hóa và Thể thao", "so-nganh", "SVHTT", "SỞ VĂN HÓA VÀ THỂ THAO",
             "UBND THÀNH PHỐ ĐÀ NẴNG", ("Trần Thị Thu Hà", "GIÁM ĐỐC"), ("Nguyễn Văn Bình", "PHÓ GIÁM ĐỐC")),
    HeldUnit("BQLATTP", "Ban Quản lý An toàn thực phẩm", "don-vi-truc-thuoc", "BQLATTP",
             "BAN QUẢN LÝ\nAN TOÀN THỰC PHẨM\nTHÀNH PHỐ ĐÀ NẴNG", "UBND THÀNH PHỐ ĐÀ NẴNG",
             ("Phạm Văn Hùng", "TRƯỞNG BAN"), ("Đỗ Thị Lan", "PHÓ TRƯỞNG BAN")),
    HeldUnit("HOAKHANH", "Ủy ban nhân dân phường Hòa Khánh", "phuong-xa", "UBND", "ỦY BAN NHÂN DÂN\nPHƯỜNG HÒA KHÁNH",
             None, ("Võ Văn Tám", "CHỦ TỊCH"), ("Huỳnh Thị Na", "PHÓ CHỦ TỊCH"), for_body="TM. ỦY BAN NHÂN DÂN"),
]  # fmt: skip
STAFF = ("Lê Thị Mai", "TRƯỞNG PHÒNG VĂN HÓA - XÃ HỘI")
OTHER_BODY = ("SỞ TÀI CHÍNH", "STC")
OTHER_NAMES = ["Hoàng Minh Tuấn", "Nguyễn Thị Hồng Nhung", "Bùi Quốc Khánh", "Trương Thị Kim Oanh"]
BODIES = [
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của UBND thành phố ban hành Bộ chỉ số;",
    "Trên cơ sở góp ý của các phòng, đơn vị đối với dự thảo văn bản, cơ quan thống nhất ban hành.",
    "Các phòng, đơn vị trực thuộc tổ chức triển khai, báo cáo kết quả trước ngày 15 tháng 12 năm 2024.",
]
# Planted problem -> the flags that catch it (a *_UNCERTAIN warning names the field on a scan).
CATCHES = {
    "number": {"NUMBER_MISMATCH", "NUMBER_UNCERTAIN"},
    "date": {"DATE_MISMATCH", "DATE_UNCERTAIN"},
    "signer": {"SIGNER_MISMATCH", "SIGNER_UNCERTAIN"},
    "outside": {"DATE_OUTSIDE_PERIOD"},
    "unauthorised": {"SIGNER_NOT_AUTHORIZED"},
    "issuer": {"ISSUER_MISMATCH", "ISSUER_UNCERTAIN"},
    "draft": {"DRAFT_DOCUMENT"},
    "type": {"DOC_TYPE_MISMATCH"},
}
# Flags a planted problem brings along by its nature (a draft has no number, date or signer).
ALONG = {
    "draft": {"NUMBER_NOT_FOUND", "DATE_NOT_FOUND", "SIGNER_NOT_FOUND", "NUMBER_UNCERTAIN", "DATE_UNCERTAIN",
              "SIGNER_UNCERTAIN", "SIGNER_NOT_AUTHORIZED"},
    "issuer": {"SIGNER_NOT_AUTHORIZED", "SIGNER_MISMATCH", "SIGNER_UNCERTAIN"},
    "unauthorised": {"SIGNER_MISMATCH", "SIGNER_UNCERTAIN"},
}  # fmt: skip


@dataclasses.dataclass
class Row:
    unit: str
    row: int
    criterion: str
    file: str
    kind: str
    problem: str | None
    claimed: dict


def _criteria(group: str) -> list:
    framework = builtin_frameworks()["danang-2023"]
    return [c for c in framework.criteria if c.evidence.doc_types and c.evidence.title_keywords
            and (c.applies_to is None or group in c.applies_to)]  # fmt: skip


def _problems(rule) -> list[str]:
    kinds = ["number", "date", "signer", "draft", "type"]
    kinds += ["outside"] if rule.in_period else []
    kinds += ["unauthorised"] if rule.signer == "leader" else []
    kinds += ["issuer"] if rule.issuer == "self" else []
    return kinds


def _spec(unit: HeldUnit, criterion, problem: str | None, rng: random.Random) -> DocSpec:
    rule = criterion.evidence
    kind = rule.doc_types[0]
    if problem == "type":
        kind = next(t for t in ("CV", "TB", "KH", "BC") if t not in rule.doc_types)
    issuer, parent, symbol = unit.issuer, unit.parent, unit.symbol
    if problem == "issuer":
        issuer, parent, symbol = OTHER_BODY[0], "UBND THÀNH PHỐ ĐÀ NẴNG", OTHER_BODY[1]
    n = rng.randint(3, 2999)
    number = f"{n}/{symbol}-VP" if kind == "CV" else f"{n}/{kind}-{symbol}"
    date = dt.date(YEAR - 1 if problem == "outside" else YEAR, rng.randint(1, 11), rng.randint(1, 28))
    keyword = rule.title_keywords[0]
    title = f"Triển khai {keyword} năm {date.year} của {unit.name}"
    by_deputy = rng.random() < 0.4
    name, role = unit.deputy if by_deputy else unit.head
    # `TM. ỦY BAN NHÂN DÂN` for a collective body, then `KT. <head>` when a deputy signs.
    authority = ([unit.for_body] if unit.for_body else []) + (["KT. " + unit.head[1]] if by_deputy else [])
    if problem == "unauthorised":
        name, role, authority = STAFF[0], STAFF[1], ["TL. " + unit.head[1]]
    appendix = [["PHỤ LỤC", "STT | Nội dung | Thời gian", "1 | Rà soát hạ tầng | Quý II"]] if rng.random() < 0.3 else []
    return DocSpec(
        issuer=issuer, parent=parent, title=title, type_name=TYPE_LINES[kind],
        number=None if problem == "draft" else number, symbol_hint=number.split("/", 1)[1],
        date=None if problem == "draft" else date, year_hint=date.year, draft=problem == "draft",
        body=rng.sample(BODIES, 3), authority=[*authority, role], signer=None if problem == "draft" else name,
        recipients=["Như trên;", "Lưu: VT."], date_under_motto=rng.random() < 0.2, appendix=appendix,
    )  # fmt: skip


def _make(spec: DocSpec, kind: str, path: Path, seed: int) -> Path:
    if kind == "docx":
        return make_docx(spec, path.with_suffix(".docx"))
    if kind == "scan":
        spec = dataclasses.replace(spec, handwritten=spec.number is not None and seed % 2 == 0,
                                   incoming_stamp=("1234", "20-12-2024") if seed % 3 == 0 else None)  # fmt: skip
        return make_scan_pdf(spec, path.with_suffix(".pdf"), seed=seed)
    if kind == "photo":
        return make_photo_jpeg(spec, path.with_suffix(".jpg"), seed=seed)
    return make_pdf(spec, path.with_suffix(".pdf"))


def _claim(spec: DocSpec, problem: str | None, rng: random.Random, truth_number: str, truth_date: dt.date) -> dict:
    number, date, signer = truth_number, truth_date, spec.signer
    if problem == "number":
        head, _, tail = number.partition("/")
        number = f"{int(head) + rng.choice([1, 10, 100])}/{tail}"
    elif problem == "date":
        date = date + dt.timedelta(days=rng.choice([-3, -1, 1, 2, 4]))
    elif problem == "signer":
        signer = rng.choice(OTHER_NAMES)
    elif problem == "draft":
        signer = next(u.head[0] for u in UNITS if spec.issuer == u.issuer)
    return {"number": number, "date": date.strftime("%d/%m/%Y"), "signer": signer or "", "title": spec.title}


def build(root: Path, *, seed: int, scans: int) -> list[Row]:
    rng = random.Random(seed)
    rows: list[Row] = []
    scans_left = scans
    for unit in UNITS:
        folder = root / str(YEAR) / unit.code
        (folder / "files").mkdir(parents=True, exist_ok=True)
        for i, criterion in enumerate(_criteria(unit.group), start=1):
            problem = rng.choice(_problems(criterion.evidence)) if rng.random() < 0.5 else None
            spec = _spec(unit, criterion, problem, rng)
            kind = rng.choice(["pdf", "pdf", "docx"] + (["scan", "photo"] if scans_left > 0 else []))
            scans_left -= kind in ("scan", "photo")
            path = _make(spec, kind, folder / "files" / f"{criterion.code.replace('.', '-')}", seed * 100 + i)
            truth_number = spec.number or f"{rng.randint(3, 999)}/{spec.symbol_hint}"
            truth_date = spec.date or dt.date(YEAR, 6, 1)
            claimed = _claim(spec, problem, rng, truth_number, truth_date)
            rows.append(Row(unit.code, i, criterion.code, f"files/{path.name}", kind, problem, claimed))
        _write_dossier(folder, [r for r in rows if r.unit == unit.code])
    (root / "units.yaml").write_text(_units_yaml(), encoding="utf-8")
    return rows


def _write_dossier(folder: Path, rows: list[Row]) -> None:
    framework = builtin_frameworks()["danang-2023"]
    with (folder / "dossier.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["criterion", "self_score", "doc_number", "doc_date", "doc_title", "signer", "file"])
        for r in rows:
            c = r.claimed
            points = framework.criterion(r.criterion).max_points
            out.writerow([r.criterion, points, c["number"], c["date"], c["title"], c["signer"], r.file])


def _units_yaml() -> str:
    def leader(name: str, role: str, head: bool) -> dict:
        return {"name": name, "role": role.capitalize(), **({"head": True} if head else {})}

    units = [{"code": u.code, "name": u.name, "group": u.group, "symbol": u.symbol,
              "leaders": [leader(*u.head, True), leader(*u.deputy, False)]} for u in UNITS]  # fmt: skip
    return yaml.safe_dump({"units": units}, allow_unicode=True, sort_keys=False)


def score(rows: list[Row], out_year: Path) -> dict:
    flags: dict[tuple[str, int], list[dict]] = {}
    for report in out_year.glob("*/report.json"):
        data = json.loads(report.read_text(encoding="utf-8"))
        for f in data["flags"]:
            if f.get("row") is not None and f["severity"] in ("error", "warning"):
                flags.setdefault((data["unit"]["code"], f["row"]), []).append(f)
    right = wrong = caught = planted = 0
    wrong_flags, missed, by_kind = [], [], Counter()
    for r in rows:
        raised = flags.get((r.unit, r.row), [])
        wanted = CATCHES.get(r.problem, set())
        ok = wanted | ALONG.get(r.problem, set())
        for f in raised:
            if f["code"] in ok:
                right += 1
            else:
                wrong += 1
                wrong_flags.append({"unit": r.unit, "row": r.row, "kind": r.kind, "problem": r.problem, "code": f["code"],
                                    "message": f["message"]})  # fmt: skip
        if r.problem:
            planted += 1
            hit = any(f["code"] in wanted for f in raised)
            caught += hit
            by_kind[(r.problem, hit)] += 1
            if not hit:
                missed.append({"unit": r.unit, "row": r.row, "kind": r.kind, "problem": r.problem,
                               "flags": [f["code"] for f in raised]})  # fmt: skip
    total = right + wrong
    return {
        "rows": len(rows), "planted": planted, "flags": total,
        "precision": round(right / total, 3) if total else 1.0, "recall": round(caught / planted, 3) if planted else 1.0,
        "by_problem": {p: f"{by_kind[(p, True)]}/{by_kind[(p, True)] + by_kind[(p, False)]}" for p in CATCHES
                       if by_kind[(p, True)] + by_kind[(p, False)]},
        "kinds": dict(Counter(r.kind for r in rows)), "wrong_flags": wrong_flags, "missed": missed,
    }  # fmt: skip


def render(result: dict, seed: int) -> str:
    lines = [f"Held-out generated root (seed {seed}): {result['rows']} claims ({result['kinds']}), "
             f"{result['planted']} planted problems, {result['flags']} error/warning flags.", "",
             f"- flag precision **{result['precision']:.2f}**, recall **{result['recall']:.2f}**",
             "- caught per problem: " + ", ".join(f"{k} {v}" for k, v in result["by_problem"].items())]  # fmt: skip
    lines += [f"- wrong: {w['code']} on {w['unit']} row {w['row']} ({w['kind']}, planted {w['problem']}): {w['message']}"
              for w in result["wrong_flags"]]  # fmt: skip
    lines += [f"- missed: {m['problem']} on {m['unit']} row {m['row']} ({m['kind']}), flags {m['flags']}" for m in result["missed"]]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scans", type=int, default=6, help="at most this many scans and photos (OCR costs seconds each)")
    ap.add_argument("--keep", type=Path)
    ap.add_argument("--score-only", action="store_true", help="score the run kept in --keep again")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--md", type=Path)
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="heldout-"))
    if args.score_only:
        rows, seconds = [Row(**r) for r in json.loads((work / "rows.json").read_text(encoding="utf-8"))], 0.0
    else:
        rows = build(work / "root", seed=args.seed, scans=args.scans)
        (work / "rows.json").write_text(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False), encoding="utf-8")
        seconds = run_prescreen(work / "root", work / "out", work, year=YEAR)
    result = score(rows, work / "out" / str(YEAR))
    result["prescreen_s"] = round(seconds, 1)
    text = render(result, args.seed)
    print(text)
    if args.md:
        args.md.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
