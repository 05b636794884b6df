"""The truth and the units of the claims benchmark (bench/claims.py): what a person read on each
file of ../shared/realdocs, and one unit per issuing body as a secretariat would register it."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from kiemchung.checks.people import symbol_issuer
from kiemchung.core.text import fold, same_name

_LEGAL_TYPES = {"TT", "TTLT", "NĐ", "L", "PL"}  # thông tư, liên tịch, nghị định, luật, pháp lệnh


@dataclass(frozen=True)
class TruthDoc:
    """One file and what a person read on it. `number`/`date` blank on a real draft."""

    path: Path
    kind: str  # text-pdf | scan-pdf | image | docx
    issuer: str  # the issuing body's name, as the manifest gives it
    number: str | None
    date: dt.date | None
    signer: str | None
    role: str | None = None  # the signer's role and authority: `KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC`
    draft: bool = False
    printed_symbol: str | None = None  # a draft's symbol after the blank (`TTr-SNV`)
    year_hint: int | None = None  # a draft's printed year
    signature_broken: bool = False  # a PDF signature pyHanko found not intact (SIGNATURES.tsv)


@dataclass
class UnitEntry:
    code: str
    name: str
    symbol: str | None
    group: str
    aliases: list[dict] = field(default_factory=list)
    leaders: list[dict] = field(default_factory=list)


# ------------------------------------------------------------------ reading the manifest


def read_manifest(folder: Path) -> list[TruthDoc]:
    """Files with a known number, date and signer, and the real drafts (manifest notes say so)."""
    broken = _broken_signatures(folder)
    docs = []
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            notes = row.get("notes") or ""
            draft = "DRAFT" in notes and not row["doc_number"]
            if not draft and not (row["doc_number"] and row["date"] and row["signer_name"]):
                continue
            printed = re.search(r"Số:\s*/([^'\s]+)", notes)
            year = re.search(r"năm (\d{4})", notes)
            docs.append(
                TruthDoc(
                    path=folder / "files" / row["filename"],
                    kind=row["kind"],
                    issuer=row["issuing_authority"],
                    number=row["doc_number"] or None,
                    date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
                    signer=row["signer_name"] or None,
                    role=row.get("signer_role") or None,
                    draft=draft,
                    printed_symbol=printed.group(1) if printed else None,
                    year_hint=int(year.group(1)) if year else None,
                    signature_broken=row["filename"] in broken,
                )
            )
    return sorted(docs, key=lambda d: d.path.name)


def _broken_signatures(folder: Path) -> set[str]:
    """Files with a signature that no longer matches its bytes: DIGITAL_SIGNATURE_BROKEN is due."""
    path = folder / "SIGNATURES.tsv"
    if not path.is_file():
        return set()
    with path.open(encoding="utf-8") as fh:
        return {row["filename"] for row in csv.DictReader(fh, delimiter="\t") if row.get("pyhanko_intact") == "False"}


# ------------------------------------------------------------------ the units


def issuer_symbol(number_or_symbol: str | None) -> str | None:
    """The issuer part of a symbol, as a secretariat writes it in units.yaml: `TTr-CAT(PC04)` ->
    `CAT`, `2025/TT-BKHCN` -> `BKHCN`, `SGDĐT-CTrTT` -> `SGDĐT`."""
    if not number_or_symbol:
        return None
    symbol = number_or_symbol.rsplit("/", 1)[-1]
    first, _, rest = symbol.partition("-")
    # Legal normative types are outside Decree 30's list: `TT-BKHCN` is BKHCN's thông tư.
    found = rest.split("-")[0] if first in _LEGAL_TYPES and rest else symbol_issuer(symbol)
    if not found:
        return None
    return re.sub(r"\(.*", "", found).strip() or None


def _header_names(issuer: str) -> tuple[str, list[str]]:
    """The name a header prints and the other names the body goes by.

    `Sở Nội vụ tỉnh Lâm Đồng` prints `SỞ NỘI VỤ` under the province's line; a joint document
    (`A; B; C`) is the first body's, with the others as aliases."""
    bodies = [re.sub(r"\s*\(.*?\)", "", b).strip() for b in issuer.split(";")]
    main, others = bodies[0], bodies[1:]
    short = re.match(r"(Sở .+?) (tỉnh|thành phố) .+", main)
    if short:
        return short.group(1), [main, *others]
    return main, others


def _unit_code(symbol: str | None, taken: set[str]) -> str:
    base = re.sub(r"[^A-Z0-9]", "", fold(symbol or "DONVI").upper()) or "DONVI"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{n}"
    return code


def issuer_key(issuer: str) -> str:
    """One key per body: `Công an tỉnh Lâm Đồng (Bộ Công an)` = `Công an tỉnh Lâm Đồng`."""
    return fold(re.sub(r"\s*\(.*?\)", "", issuer))


def plan_units(docs: list[TruthDoc]) -> dict[str, UnitEntry]:
    """One unit per issuing body (by name): its header name, symbol, aliases and signers."""
    units: dict[str, UnitEntry] = {}
    for doc in docs:
        key = issuer_key(doc.issuer)
        symbol = issuer_symbol(doc.number or doc.printed_symbol)
        if key not in units:
            name, others = _header_names(doc.issuer)
            group = "so-nganh" if fold(name).startswith("so ") else "trung-uong"
            code = _unit_code(symbol, {u.code for u in units.values()})
            aliases = [{"name": other, "symbol": symbol} for other in others]
            units[key] = UnitEntry(code, name, symbol, group, aliases)
        unit = units[key]
        unit.symbol = unit.symbol or symbol
        _add_leader(unit, doc)
    return units


def _add_leader(unit: UnitEntry, doc: TruthDoc) -> None:
    """The signer as one of the unit's leaders, unless signing by order (TL., TUQ.); the head
    is who signs without KT. (the first such)."""
    role = doc.role or ""
    if not doc.signer or re.match(r"(TL|TUQ)\.", role) or any(same_name(doc.signer, p["name"]) for p in unit.leaders):
        return
    head = not role.startswith("KT.") and not any(p["head"] for p in unit.leaders)
    title = role.split("/")[-1].strip().capitalize() or None
    unit.leaders.append({"name": doc.signer, "role": title, "head": head})
