"""Scoring the claims benchmark (bench/claims.py) from the reports `kiemchung prescreen` wrote.

A correct claim should get no error (and ideally no flag at all); a planted problem is caught
when its matching error, or its matching *_UNCERTAIN warning, fires on its row. Every flag on a
correct claim is listed with its cause: what was read against the truth.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

KINDS = {"text-pdf": "text PDF", "scan-pdf": "scanned PDF", "image": "photo", "docx": "Word"}
# problem -> (the error that catches it, the warning that sends a person to look)
CATCH: dict[str, tuple[str, str | None]] = {
    "number": ("NUMBER_MISMATCH", "NUMBER_UNCERTAIN"),
    "date": ("DATE_MISMATCH", "DATE_UNCERTAIN"),
    "signer": ("SIGNER_MISMATCH", "SIGNER_UNCERTAIN"),
    "draft": ("DRAFT_DOCUMENT", None),
}
PROBLEM_LABELS = {
    "number": "number off by 1/10/100",
    "date": "date off by 1-4 days",
    "signer": "another signer",
    "draft": "draft claimed as issued",
}
# Which read field a flag code is about, to show what was read against the truth.
_FIELD_OF_CODE = {"NUMBER": "number", "DATE": "date", "SIGNER": "signer", "ISSUER": "issuer", "DOC_TYPE": "type",
                  "DRAFT": "draft", "DIGITAL_SIGNATURE": "signature_broken"}
# Flags the truth calls for on a correct claim: not false, whatever else the claim says.
_DUE = {"signature_broken": "DIGITAL_SIGNATURE_BROKEN"}


def due_codes(plan) -> set[str]:
    return {code for name, code in _DUE.items() if plan.truth.get(name) == "yes"}


def _field_of(code: str) -> str | None:
    return next((f for prefix, f in _FIELD_OF_CODE.items() if code.startswith(prefix)), None)


def read_reports(out_year: Path) -> tuple[dict, dict, dict[str, str]]:
    """(flags by (unit, row), documents by (unit, file), unit errors) from report.json files."""
    flags: dict[tuple[str, int], list[dict]] = defaultdict(list)
    documents: dict[tuple[str, str], dict] = {}
    errors: dict[str, str] = {}
    for report_path in sorted(out_year.glob("*/report.json")):
        report = json.loads(report_path.read_text(encoding="utf-8"))
        code = report["unit"]["code"]
        if report.get("error"):
            errors[code] = report["error"]
        for flag in report["flags"]:
            if flag.get("row") is not None:
                flags[(code, flag["row"])].append(flag)
        for doc in report.get("documents", []):
            documents[(code, doc["file"])] = doc
    return flags, documents, errors


def _read_value(doc: dict | None, name: str | None) -> dict[str, Any] | None:
    if not doc or not name:
        return None
    if name == "draft":
        return {"value": "yes" if doc.get("draft") else "no"}
    if name == "signature_broken":
        return {"value": "yes" if any(s.get("intact") is False for s in doc.get("signatures") or []) else "no"}
    f = (doc.get("fields") or {}).get(name)
    if not f:
        return None
    return {k: f[k] for k in ("value", "method", "confidence", "page") if f.get(k) is not None}


def _caught(problem: str, codes: set[str]) -> str | None:
    error, warning = CATCH[problem]
    if error in codes:
        return "error"
    if warning and warning in codes:
        return "warning"
    return None


def _cell() -> dict[str, Any]:
    return {"files": set(), "correct": 0, "no_error": 0, "no_flag": 0,
            "planted": {p: {"n": 0, "error": 0, "warning": 0, "warning_also_on_correct": 0} for p in CATCH}}


def score(plans: list, out_year: Path) -> dict[str, Any]:
    """Figures per file kind (and `all`), wrong flags with their causes, missed problems."""
    flags, documents, unit_errors = read_reports(out_year)
    codes_of = {(p.unit, p.row): {f["code"] for f in flags.get((p.unit, p.row), [])} for p in plans}
    correct_codes = {(p.unit, p.file): codes_of[(p.unit, p.row)] for p in plans if p.problem is None}
    cells: dict[str, dict] = defaultdict(_cell)
    wrong, missed, due, outcomes = [], [], [], {}
    for p in plans:
        row_flags = flags.get((p.unit, p.row), [])
        doc = documents.get((p.unit, p.file))
        false_flags = [f for f in row_flags if f["code"] not in due_codes(p)]
        outcome: dict[str, Any] = {"flags": [{k: f.get(k) for k in ("code", "severity", "found", "page")} for f in row_flags]}
        for key in (KINDS[p.kind], "all"):
            cell = cells[key]
            cell["files"].add(p.source)
            if p.problem is None:
                cell["correct"] += 1
                cell["no_error"] += not any(f["severity"] == "error" for f in false_flags)
                cell["no_flag"] += not false_flags
            else:
                _count_planted(cell["planted"][p.problem], p, codes_of[(p.unit, p.row)], correct_codes)
        if p.problem is None:
            wrong += [_wrong_flag(p, f, doc) for f in false_flags]
            due += [{"file": p.source, "code": c, "fired": c in codes_of[(p.unit, p.row)]} for c in sorted(due_codes(p))]
        else:
            outcome["caught"] = _caught(p.problem, codes_of[(p.unit, p.row)])
            if outcome["caught"] is None:
                missed.append(_missed(p, row_flags, doc))
        outcomes[f"{p.unit}#{p.row}"] = outcome
    table = {k: {**v, "files": len(v["files"])} for k, v in cells.items()}
    return {"kinds": table, "wrong_flags": wrong, "missed": missed, "due_flags": due, "unit_errors": unit_errors,
            "outcomes": outcomes}


def _count_planted(cell: dict, plan, codes: set[str], correct_codes: dict) -> None:
    cell["n"] += 1
    how = _caught(plan.problem, codes)
    if how:
        cell[how] += 1
    # A warning that fires on the file's correct claim as well tells nothing about this claim.
    if how == "warning" and CATCH[plan.problem][1] in correct_codes.get((plan.unit, plan.file), set()):
        cell["warning_also_on_correct"] += 1


def _wrong_flag(plan, flag: dict, doc: dict | None) -> dict[str, Any]:
    name = _field_of(flag["code"])
    return {
        "file": plan.source,
        "kind": plan.kind,
        "code": flag["code"],
        "severity": flag["severity"],
        "claimed": flag.get("claimed"),
        "found": flag.get("found"),
        "truth": plan.truth.get(name) if name else None,
        "read": _read_value(doc, name),
        "message": flag.get("message"),
    }


def _missed(plan, row_flags: list[dict], doc: dict | None) -> dict[str, Any]:
    return {
        "file": plan.source,
        "kind": plan.kind,
        "problem": plan.problem,
        "variant": plan.variant,
        "claimed": plan.claimed.get(plan.problem) if plan.problem != "draft" else "issued",
        "truth": plan.truth.get(plan.problem),
        "read": _read_value(doc, plan.problem),
        "flags": sorted({f["code"] for f in row_flags}),
    }


# ------------------------------------------------------------------ markdown


def _share(hits: int, total: int) -> str:
    return f"{hits / total:.2f} ({hits}/{total})" if total else "–"


def _recall(cell: dict) -> str:
    n, e, w = cell["n"], cell["error"], cell["warning"]
    if not n:
        return "–"
    return f"{(e + w) / n:.2f} ({e + w}/{n}: {e}E+{w}W)"


def _all_planted(cell: dict) -> dict[str, int]:
    keys = ("n", "error", "warning", "warning_also_on_correct")
    return {k: sum(c[k] for c in cell["planted"].values()) for k in keys}


def table_md(result: dict) -> str:
    head = ["kind", "files", "correct claims", "no error", "no flag", *PROBLEM_LABELS.values(), "all planted"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    order = [*KINDS.values(), "all"]
    for kind in (k for k in order if k in result["kinds"]):
        cell = result["kinds"][kind]
        cells = [kind if kind != "all" else "**all**", str(cell["files"]), str(cell["correct"]),
                 _share(cell["no_error"], cell["correct"]), _share(cell["no_flag"], cell["correct"]),
                 *(_recall(cell["planted"][p]) for p in PROBLEM_LABELS), _recall(_all_planted(cell))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _read_text(read: dict | None) -> str:
    if not read:
        return "nothing read"
    extra = [read.get("method") or "", f"conf {read['confidence']:.2f}" if read.get("confidence") is not None else ""]
    extra = [x for x in extra if x]
    return f"read `{read.get('value')}`" + (f" ({', '.join(extra)})" if extra else "")


def render_md(result: dict) -> str:
    run = result.get("run", {})
    total = result["kinds"].get("all", _cell() | {"files": 0})
    planted = _all_planted(total)
    lines = [
        "## Claims on real documents (bench/claims.py)",
        "",
        f"{total['files']} files, {total['correct']} correct claims, {planted['n']} planted problems"
        + (f"; seed {run.get('seed')}, share {run.get('share')}{', every problem on every file' if run.get('plant_all') else ''}" if run else "")
        + (f"; prescreen {run['seconds']} s, code {run['code']}" if run.get("seconds") is not None else "")
        + ". E = caught as an error, W = only as a *_UNCERTAIN warning.",
        "",
        table_md(result),
        "",
        f"Targets (issue 10/11): correct claims without an error ≥ 0.95: **{_share(total['no_error'], total['correct'])}**; "
        f"planted problems caught ≥ 0.90: **{_recall(planted)}**"
        + (f"; {planted['warning_also_on_correct']} of the warnings also fire on the same file's correct claim" if planted["warning_also_on_correct"] else "")
        + ".",
    ]
    if result["unit_errors"]:
        lines += ["", "Units that could not be checked:", *(f"- {u}: {e}" for u, e in result["unit_errors"].items())]
    if result["due_flags"]:
        lines += ["", "Flags the truth calls for on correct claims (not counted as false): "
                  + "; ".join(f"{d['code']} on {d['file']} ({'raised' if d['fired'] else 'NOT raised'})" for d in result["due_flags"])]
    lines += ["", f"Flags on correct claims ({len(result['wrong_flags'])}):"]
    lines += [f"- {w['code']} ({w['severity']}) {w['file']}: truth `{w['truth']}`, {_read_text(w['read'])}"
              + (f", flag found `{w['found']}`" if w.get("found") and (not w["read"] or w["found"] != w["read"].get("value")) else "")
              for w in result["wrong_flags"]] or ["- none"]
    lines += ["", f"Planted problems missed ({len(result['missed'])}):"]
    lines += [f"- {m['problem']} ({m['variant']}) {m['file']}: claimed `{m['claimed']}`, truth `{m['truth']}`, "
              f"{_read_text(m['read'])}; flags: {', '.join(m['flags']) or 'none'}" for m in result["missed"]] or ["- none"]
    return "\n".join(lines) + "\n"
