"""Cross-unit duplicates: the same file bytes, or the same document (number, issuer, date)
cited with different files, in more than one unit's dossier."""

from __future__ import annotations

from collections import defaultdict

from kiemchung.checks.flags import make_flag
from kiemchung.core.model import Flag, FlagCode, UnitReport
from kiemchung.extractors.fields.number import number_key


def _cited(report: UnitReport) -> list[tuple[int, str, str | None, object]]:
    docs = {d.file: d for d in report.documents}
    out = []
    for claim in report.claims:
        doc = docs.get(claim.file) if claim.file else None
        if doc is not None and doc.readable:
            out.append((claim.row, claim.criterion, claim.file, doc))
    return out


def _describe(others: list[tuple[str, int]]) -> str:
    return "; ".join(f"{unit} (dòng {row})" for unit, row in sorted(others))


def duplicate_flags(reports: list[UnitReport]) -> dict[str, list[Flag]]:
    """New flags per unit code; `reports` must already carry their documents and claims."""
    by_hash: dict[str, list[tuple[str, int]]] = defaultdict(list)
    by_identity: dict[tuple[str, str, str], list[tuple[str, int, str]]] = defaultdict(list)
    for report in reports:
        for row, _, _, doc in _cited(report):
            by_hash[doc.sha256].append((report.unit.code, row))
            number, date = doc.field_value("number"), doc.field_value("date")
            issuer = (doc.fields.get("issuer").unit if doc.fields.get("issuer") else None) or doc.field_value("issuer")
            if number and date and issuer:
                by_identity[(number_key(number), issuer, date)].append((report.unit.code, row, doc.sha256))
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
            number, date = doc.field_value("number"), doc.field_value("date")
            issuer = (doc.fields.get("issuer").unit if doc.fields.get("issuer") else None) or doc.field_value("issuer")
            if not (number and date and issuer):
                continue
            same = [(u, r) for u, r, h in by_identity[(number_key(number), issuer, date)] if u != code and h != doc.sha256]
            if same:
                out[code].append(
                    make_flag(
                        FlagCode.DUPLICATE_ACROSS_UNITS,
                        row=row,
                        criterion=criterion,
                        file=file,
                        variant="same_document",
                        found=number,
                        others=_describe(same),
                    )
                )
    return dict(out)
