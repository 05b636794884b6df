"""Stable flag ids, the evidence each id stands on, and the place a flag occupies.

The id (contract section 5) is a digest of unit, year, criterion, code, the cited file's SHA-256
and the claimed value the flag concerns, never the row number: re-ordering the dossier keeps
every id, re-running on the same evidence gives the same ids. When the file's bytes or the
claimed value change, the flag gets a new id; its *slot* (criterion, code, cited path) stays,
which is how a decision taken on the old evidence is found again and shown as stale.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from kiemchung.core.digest import sha256_hex
from kiemchung.core.model import Claim, Document, Flag, FlagBasis

ID_PATTERN = re.compile(r"^(?P<unit>.+)-(?P<year>\d{4})-(?P<digest>[0-9a-f]{16})(?:-(?P<n>\d+))?$")
# Row values that make up a claim as the unit wrote it (STT and the row number are left out:
# re-numbering or re-ordering rows is not a change of evidence).
_CLAIM_VALUES = ("criterion", "self_score", "doc_number", "doc_date_raw", "doc_title", "signer", "file")
_SEP = "\x1f"


def _norm(value: object) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _digest(*parts: object) -> str:
    return sha256_hex(_SEP.join(_norm(p) for p in parts).encode("utf-8"))


def path_key(path: str | None) -> str:
    """A cited path compared the way the checks resolve it: NFC, '/', case ignored."""
    return _norm(path).replace("\\", "/").lstrip("./").casefold()


def flag_slot(flag: Flag) -> str:
    """Where a flag sits, independent of the evidence: criterion, code and the cited path."""
    return _SEP.join((_norm(flag.criterion), flag.code.value, path_key(flag.file)))


def parse_flag_id(text: str) -> tuple[str, int] | None:
    """(unit code, year) of one of our ids, or None when the text is not one."""
    match = ID_PATTERN.match(text.strip())
    return (match["unit"], int(match["year"])) if match else None


def _claim_digest(claims: list[Claim]) -> str:
    rows = sorted(_SEP.join(_norm(getattr(c, name)) for name in _CLAIM_VALUES) for c in claims)
    return _digest(*rows)[:16]


def _file_sha(file: str | None, docs: dict[str, Document]) -> str:
    """The cited file's SHA-256; a file that is not there is known by its cited path."""
    if not file:
        return ""
    doc = docs.get(path_key(file))
    if doc is not None and doc.sha256:
        return doc.sha256
    return "path:" + path_key(file)


def _basis(flag: Flag, by_row: dict[int, Claim], by_criterion: dict[str, list[Claim]], docs: dict[str, Document]) -> FlagBasis:
    if flag.row is not None:
        claim = by_row.get(flag.row)
        return FlagBasis(file_sha256=_file_sha(flag.file, docs) or None, claim=_claim_digest([claim]) if claim else None)
    # A flag on a whole criterion (INSUFFICIENT_EVIDENCE) stands on every row of the criterion.
    rows = by_criterion.get(flag.criterion or "", [])
    shas = sorted(_file_sha(c.file, docs) for c in rows)
    return FlagBasis(file_sha256=_digest(*shas)[:16] if rows else None, claim=_claim_digest(rows) if rows else None)


def identify_flags(unit: str, year: int, claims: list[Claim], documents: list[Document], flags: list[Flag]) -> list[Flag]:
    """Copies of `flags` with `id` and `basis` set. Two flags that agree on everything the id is
    made of (the same file cited twice for a criterion, with the same value) are told apart by
    a running number in row order."""
    docs = {path_key(d.file): d for d in documents}
    by_row = {c.row: c for c in claims}
    by_criterion: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_criterion[claim.criterion].append(claim)
    order = sorted(range(len(flags)), key=lambda i: (flags[i].row is None, flags[i].row or 0, i))
    seen: Counter[str] = Counter()
    out: list[Flag | None] = [None] * len(flags)
    for i in order:
        flag = flags[i]
        digest = _digest(unit, year, flag.criterion, flag.code.value, _file_sha(flag.file, docs), flag.claimed)[:16]
        seen[digest] += 1
        suffix = f"-{seen[digest]}" if seen[digest] > 1 else ""
        out[i] = flag.model_copy(
            update={"id": f"{unit}-{year}-{digest}{suffix}", "basis": _basis(flag, by_row, by_criterion, docs)}
        )
    return [f for f in out if f is not None]
