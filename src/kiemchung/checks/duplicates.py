"""Cross-unit duplicates: the same file bytes, or the same document (number, issuer, date)
cited with different files, in more than one unit's dossier."""

from __future__ import annotations

from collections import defaultdict

from kiemchung.checks.engine import resolve_cited_file
from kiemchung.checks.flags import make_flag
from kiemchung.checks.people import name_key
from kiemchung.core.model import Document, Flag, FlagCode, UnitReport
from kiemchung.extractors.fields.number import number_key


def _cited(report: UnitReport) -> list[tuple[int, str, str | None, Document]]:
    docs = {d.file: d for d in report.documents}
    available = set(docs)
    out = []
    for claim in report.claims:
        # Documents carry the folder path; the claim the path as the dossier typed it.
        resolved = resolve_cited_file(claim.file, available)
        doc = docs.get(resolved) if resolved else None
        if doc is not None and doc.readable:
            out.append((claim.row, claim.criterion, claim.file, doc))
    return out


def _identity(doc: Document) -> tuple[str, str, str] | None:
    """Number, issuer and date: the same document whatever file it came in. The issuer is our
    unit's code when known, else its printed name compared like names are (UBND = Ủy ban…)."""
    number, date, issuer = doc.field_value("number"), doc.field_value("date"), doc.fields.get("issuer")
    if not (number and date and issuer and issuer.value):
        return None
    return number_key(number), issuer.unit or name_key(issuer.value), date


def _describe(others: list[tuple[str, int]]) -> str:
    return "; ".join(f"{unit} (dòng {row})" for unit, row in sorted(others))


def duplicate_flags(reports: list[UnitReport]) -> dict[str, list[Flag]]:
    """New flags per unit code; `reports` must already carry their documents and claims."""
    by_hash: dict[str, list[tuple[str, int]]] = defaultdict(list)
    by_identity: dict[tuple[str, str, str], list[tuple[str, int, str]]] = defaultdict(list)
    for report in reports:
        for row, _, _, doc in _cited(report):
            by_hash[doc.sha256].append((report.unit.code, row))
            identity = _identity(doc)
            if identity:
                by_identity[identity].append((report.unit.code, row, doc.sha256))
    out: dict[str, list[Flag]] = defaultdict(list)
    for report in reports:
        code = report.unit.code
        for row, criterion, file, doc in _cited(report):
            others = [(u, r) for u, r in by_hash[doc.sha256] if u != code]
            if others:
                out[code].append(
                    make_flag(FlagCode.DUPLICATE_ACROSS_UNITS, row=row, criterion=criterion, file=file, others=_describe(others), found=_describe(others))
                )
                continue
            identity = _identity(doc)
            if identity is None:
                continue
            same = [(u, r) for u, r, h in by_identity[identity] if u != code and h != doc.sha256]
            if same:
                out[code].append(
                    make_flag(
                        FlagCode.DUPLICATE_ACROSS_UNITS,
                        row=row,
                        criterion=criterion,
                        file=file,
                        variant="same_document",
                        found=doc.field_value("number"),
                        others=_describe(same),
                    )
                )
    return dict(out)
