"""Regenerate the sample evidence root from its plan: units.yaml, dossiers, proof files, truth.

Run from the repository root:  python sample_evidence/make_samples.py

The plan is data, in `sample_plan.yaml` beside this file: the units, their documents (the
`DocSpec` fields of tests/docgen.py), which file each document is written to and how (born-digital
PDF, scan, photo, Word, a truncated PDF, a text file), and the dossier rows with the problem each
one plants (`expect`). This module only turns that plan into files.

Deterministic: fixed seeds, fixed timestamps, so regenerating gives the same bytes.
INSUFFICIENT_EVIDENCE lines are derived from the framework's min_documents and the flags'
severities, and the cross-unit duplicates are checked against the files' SHA-256, so
expected_flags.csv cannot drift from what was generated.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

from docgen import (  # noqa: E402
    FIXED_TIME,
    DocSpec,
    _stable_zip,
    make_docx,
    make_pdf,
    make_photo_jpeg,
    make_scan_pdf,
)

from kiemchung.core.model import FLAG_SEVERITY, FlagCode, Framework, Severity  # noqa: E402

PLAN = yaml.safe_load((HERE / "sample_plan.yaml").read_text(encoding="utf-8"))
YEAR: int = PLAN["year"]
FRAMEWORK = REPO / "src/kiemchung/checks/frameworks/danang-2023.yaml"
UNITS_YAML: str = PLAN["units_yaml"]
VI_HEADERS: list[str] = PLAN["dossier_headers"]["vi"]
EN_HEADERS: list[str] = PLAN["dossier_headers"]["en"]
# Paragraphs many bodies cite (the index's own QĐ 2901, the city's digital-transformation plan):
# a body or a `refs` list names them by key.
TEXTS: dict[str, str] = PLAN["texts"]


def rec(*extra: str, office: str = "VP") -> list[str]:
    """The "Nơi nhận" list of a document, ending with the archive line (bench/city.py uses it)."""
    return [*extra, f"Lưu: VT, {office}."]


# ---------------------------------------------------------------------------- bodies


def _shape(name: str, values: dict) -> list[str]:
    """One of the usual bodies (sample_plan.yaml `body_shapes`) filled with a document's values:
    a line `{refs}`, `{articles}` or `{results}` stands for that list, the others are formatted."""
    shape = PLAN["body_shapes"][name]
    given = {k: v for k, v in values.items() if v not in (None, [])}  # as `refs or default`
    values = {**shape.get("defaults", {}), **given}
    out: list[str] = []
    for line in shape["paragraphs"]:
        key = line[1:-1] if line.startswith("{") and line.endswith("}") else None
        if key is not None and isinstance(values.get(key), list):
            out.extend(TEXTS.get(p, p) for p in values[key])
        else:
            out.append(line.format(**values))
    return out


def body_kh(who: str, topic: str, *, refs: list[str] | None = None) -> list[str]:
    """A plan (kế hoạch); bench/city.py writes its synthetic city with these three."""
    return _shape("plan", {"who": who, "topic": topic, "refs": refs})


def body_qd(authority: str, articles: list[str], **kw: object) -> list[str]:
    """A decision (quyết định); `refs` and `proposer` as keywords."""
    return _shape("decision", {"authority": authority, "articles": articles, **kw})


def body_bc(who: str, basis: str, results: list[str]) -> list[str]:
    """A report (báo cáo)."""
    return _shape("report", {"who": who, "basis": basis, "results": results})


def _body(plan: list[str] | dict) -> list[str]:
    """A body as written, paragraph by paragraph, or a usual shape: {plan|decision|report: values}."""
    if isinstance(plan, list):
        return [TEXTS.get(p, p) for p in plan]
    ((shape, values),) = plan.items()
    return _shape(shape, values)


def document(plan: dict) -> DocSpec:
    """A DocSpec from the plan; `from` names the issuing body (and the one above it)."""
    fields = dict(plan)
    if "from" in fields:
        fields.update(PLAN["issuers"][fields.pop("from")])
    fields["body"] = _body(fields.get("body", []))
    return DocSpec(**fields)


# ---------------------------------------------------------------------------- the plan


@dataclass
class Row:
    criterion: str
    score: float | None
    number: str | None  # as the unit typed it
    date: str | dt.date | None
    title: str
    signer: str | None
    file: str  # relative to the unit folder; "" = empty cell
    expect: list[str]
    note: str


@dataclass
class Unit:
    code: str
    dossier: str  # dossier.xlsx | dossier.csv
    english_keys: bool = False
    stt: list[str] | None = None  # what the unit wrote in STT; None = no STT column
    numeric_cells: bool = False  # xlsx: STT and criterion codes stored as numbers, as Excel does
    files: dict[str, Callable[[Path], Path]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)


def _maker(kind: str, write: Callable[[Path], Path]) -> Callable[[Path], Path]:
    write.kind = kind  # type: ignore[attr-defined]  # shown in the README's tables
    return write


def pdf(spec: DocSpec) -> Callable[[Path], Path]:
    return _maker("PDF", lambda p: make_pdf(spec, p))


def scan(spec: DocSpec, seed: int) -> Callable[[Path], Path]:
    return _maker("scan", lambda p: make_scan_pdf(spec, p, seed=seed))


def photo(spec: DocSpec, seed: int, *, exif_rotate: bool = False) -> Callable[[Path], Path]:
    return _maker("photo", lambda p: make_photo_jpeg(spec, p, seed=seed, exif_rotate=exif_rotate))


def docx(spec: DocSpec) -> Callable[[Path], Path]:
    return _maker("Word", lambda p: make_docx(spec, p))


def truncated(spec: DocSpec) -> Callable[[Path], Path]:
    """An upload cut off half-way: the header survives, the cross-reference table does not."""

    def write(p: Path) -> Path:
        make_pdf(spec, p)
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2])
        return p

    return _maker("truncated PDF", write)


def text_file(content: str) -> Callable[[Path], Path]:
    def write(p: Path) -> Path:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")
        return p

    return _maker("text", write)


MAKERS = {"pdf": pdf, "scan": scan, "photo": photo, "docx": docx, "truncated_pdf": truncated}


def _file_maker(plan: dict, docs: dict[str, DocSpec]) -> Callable[[Path], Path]:
    how = dict(plan)
    make = how.pop("make")
    if make == "text":
        return text_file(how["content"])
    return MAKERS[make](docs[how.pop("document")], **how)


def load_units() -> list[Unit]:
    """The units of the plan, each file with the writer that makes it (bench/accuracy.py reads
    the DocSpec a writer closes over as the truth of that file)."""
    # A document several units cite (the city's bonus decision) is one DocSpec: the same bytes
    # land in each dossier that holds it.
    shared = {name: document(d) for name, d in PLAN["shared_documents"].items()}
    units = []
    for plan in PLAN["units"]:
        docs = {**shared, **{name: document(d) for name, d in plan["documents"].items()}}
        u = Unit(**{k: v for k, v in plan.items() if k not in ("documents", "files", "rows")})
        u.files = {rel: _file_maker(how, docs) for rel, how in plan["files"].items()}
        u.rows = [Row(**r) for r in plan["rows"]]
        units.append(u)
    return units


# ---------------------------------------------------------------------------- dossiers


def dossier_rows(u: Unit) -> tuple[list[str], list[list[object]]]:
    headers = list(EN_HEADERS if u.english_keys else VI_HEADERS)
    out = []
    for i, r in enumerate(u.rows):
        score: object = int(r.score) if r.score is not None and r.score == int(r.score) else r.score
        stt: object = u.stt[i] if u.stt else None
        if u.numeric_cells and isinstance(stt, str) and stt.isdigit():
            stt = int(stt)
        # Excel turns a typed 1.1 into a number; some units' sheets keep it that way.
        crit: object = float(r.criterion) if u.numeric_cells else r.criterion
        out.append(
            [
                stt,
                crit,
                score,
                r.number or None,
                r.date or None,
                r.title,
                r.signer or None,
                r.file or None,
            ]
        )
    if u.stt is None:
        headers = headers[1:]
        out = [row[1:] for row in out]
    return headers, out


def _typed_date(value: object) -> object:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value


def write_csv(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    for row in rows:
        w.writerow(["" if v is None else _typed_date(v) for v in row])
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


_SAVE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Tự đánh giá"
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    for col, width in zip("ABCDEFGH", [6, 10, 10, 20, 14, 44, 24, 48], strict=False):
        ws.column_dimensions[col].width = width
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.creator = "Văn thư"
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    data = _stable_zip(buf.getvalue())
    # openpyxl stamps the save time into docProps/core.xml; pin it for reproducible bytes.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = _SAVE_TIME.sub(rb"\g<1>2024-01-01T00:00:00Z", blob)
            dst.writestr(info, blob)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------------------- expectations


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_lines(units: list[Unit], root: Path, fw: Framework, groups: dict[str, str]) -> list:
    # Duplicates by content, across units, among rows whose file exists.
    owners: dict[str, set[str]] = {}
    for u in units:
        for r in u.rows:
            p = root / str(YEAR) / u.code / r.file
            if r.file and p.is_file():
                owners.setdefault(sha256(p), set()).add(u.code)
    lines = []
    for u in units:
        group = groups[u.code]
        claimed: dict[str, int] = {}
        for i, r in enumerate(u.rows, start=1):
            codes = set(r.expect)
            p = root / str(YEAR) / u.code / r.file
            dup = bool(r.file) and p.is_file() and len(owners.get(sha256(p), ())) > 1
            if dup != ("DUPLICATE_ACROSS_UNITS" in codes):
                raise SystemExit(f"{u.code} row {i}: duplicate expectation does not match bytes")
            lines.append((u.code, str(i), r.criterion, ";".join(sorted(codes))))
            crit = fw.criterion(r.criterion)
            if crit is None or (crit.applies_to is not None and group not in crit.applies_to):
                continue
            errors = [c for c in codes if FLAG_SEVERITY[FlagCode(c)] is Severity.ERROR]
            claimed.setdefault(r.criterion, 0)
            if not errors:
                claimed[r.criterion] += 1
        for code, valid in claimed.items():
            crit = fw.criterion(code)
            assert crit is not None
            if valid < crit.evidence.min_documents:
                lines.append((u.code, "-", code, "INSUFFICIENT_EVIDENCE"))
    return lines


# ---------------------------------------------------------------------------- README


def write_readme(units: list[Unit], lines: list) -> None:
    out = [PLAN["readme_head"]]
    for u in units:
        out.append(
            f"\n### {u.code}\n\n| row | criterion | file | expected | what |\n|---|---|---|---|---|"
        )
        for i, r in enumerate(u.rows, start=1):
            maker = u.files.get(r.file)
            kind = getattr(maker, "kind", "?") if maker else "-"
            codes = ", ".join(r.expect) or "clean"
            out.append(f"| {i} | {r.criterion} | {kind} | {codes} | {r.note} |")
        extra = [c for unit, row, c, _ in lines if unit == u.code and row == "-"]
        if extra:
            out.append(f"\nCriterion level: INSUFFICIENT_EVIDENCE on {', '.join(extra)}.")
    (HERE / "README.md").write_text("\n".join(out) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------- main


def main() -> None:
    units = load_units()
    fw = Framework.model_validate(yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8")))
    registry = yaml.safe_load(UNITS_YAML)
    groups = {x["code"]: x["group"] for x in registry["units"]}
    year_dir = HERE / str(YEAR)
    if year_dir.exists():
        shutil.rmtree(year_dir)
    (HERE / "units.yaml").write_text(UNITS_YAML, encoding="utf-8")
    for u in units:
        folder = year_dir / u.code
        folder.mkdir(parents=True)
        for rel, make in u.files.items():
            make(folder / rel)
        headers, rows = dossier_rows(u)
        if u.dossier.endswith(".csv"):
            write_csv(folder / u.dossier, headers, rows)
        else:
            write_xlsx(folder / u.dossier, headers, rows)
    lines = expected_lines(units, HERE, fw, groups)
    with (HERE / "expected_flags.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "row", "criterion", "codes"])
        w.writerows(lines)
    write_readme(units, lines)
    planted = {c for _, _, _, codes in lines for c in codes.split(";") if c}
    # Not planted: a broken signature needs a signed file; *_UNCERTAIN depends on a reader's ink (tests/).
    unplanted = {"DIGITAL_SIGNATURE_BROKEN"} | {c.value for c in FlagCode if c.value.endswith("_UNCERTAIN")}
    missing = {c.value for c in FlagCode} - planted - unplanted
    if missing:
        raise SystemExit(f"flag codes never planted: {sorted(missing)}")
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(
        f"wrote {sum(len(u.files) for u in units)} proof files, "
        f"{sum(len(u.rows) for u in units)} dossier rows, {len(lines)} expected lines; "
        f"sample_evidence is {total / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
