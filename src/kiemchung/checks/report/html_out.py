"""report.html: one unit's flags, claims and what was read off each document.

Read by an inspection team on the morning of a visit, on a laptop or a phone, and printed.
The markup is `templates/report.html.j2`; this module orders and groups what it shows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from kiemchung.core.model import Document, Flag, Severity, UnitReport

from .fmt import flag_key, sorted_flags
from .html_base import render_page, snippet_src
from .html_index import render_index_html
from .html_review import filter_counts
from .labels import FIELD_LABELS, FLAG_FIELDS, LOW_CONFIDENCE, method_label

__all__ = ["render_index_html", "render_report_html"]

Snippets = dict[tuple[str, str], str]
_SLUG = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True)
class FlagGroup:
    """The flags of one criterion (or of none), shown as one block with its anchor."""

    criterion: str | None
    anchor: str
    counts: str
    flags: list[Flag]


def _anchor(criterion: str | None) -> str:
    if not criterion:
        return "tc-chung"
    return "tc-" + (_SLUG.sub("-", criterion).strip("-") or "x")


def _counts_text(flags: list[Flag]) -> str:
    errors = sum(f.severity == Severity.ERROR for f in flags)
    parts = [f"{errors} lỗi"] if errors else []
    if len(flags) - errors:
        parts.append(f"{len(flags) - errors} cảnh báo")
    return " · ".join(parts)


def _flag_groups(flags: list[Flag]) -> list[FlagGroup]:
    groups = [list(g) for _, g in groupby(sorted_flags(flags), key=lambda f: flag_key(f)[0])]
    return [FlagGroup(g[0].criterion, _anchor(g[0].criterion), _counts_text(g), g) for g in groups]


def _flag_crop(flag: Flag, snippets: Snippets) -> tuple[str, str] | None:
    """The crop of the field a flag is about (the number line, the date line, the signature)."""
    for name in FLAG_FIELDS.get(flag.code, ()):
        src = snippet_src(snippets.get((flag.file or "", name)))
        if src:
            return src, name
    return None


def _field_names(doc: Document) -> list[str]:
    """The usual fields in the usual order, then any others alphabetically."""
    names = [n for n in FIELD_LABELS if n in doc.fields]
    return names + sorted(n for n in doc.fields if n not in FIELD_LABELS)


def _document_facts(doc: Document) -> list[str]:
    facts = [f"{doc.pages} trang"] if doc.pages else []
    if doc.method:
        facts.append(method_label(doc.method))
    if doc.kind:
        facts.append(doc.kind.upper())
    return facts


def _flatten(docs: list[Document]) -> list[Document]:
    """Archive members are shown as documents of their own, after their archive."""
    out: list[Document] = []
    for doc in docs:
        out.append(doc)
        out.extend(_flatten(doc.members or []))
    return out


def render_report_html(
    report: UnitReport,
    *,
    file_links: dict[str, str] | None | bool = None,
    snippets: dict[tuple[str, str], str] | None = None,
    summary_href: str | None = "../index.html",
) -> str:
    """`OUT/<year>/<CODE>/report.html`: self-contained, escaped, readable on laptop and phone.

    `file_links` maps a proof file's relative path to the href to use (default: the path; False:
    no links, the files are not served beside the page); `summary_href` is the year's summary
    page (None: there is none, as for one unit checked on its own);
    `snippets[(file, field)]` is a `data:image/png;base64,...` crop of where the field was read.
    """
    docs = _flatten(report.documents)
    doc_ids: dict[str, str] = {}
    for i, doc in enumerate(docs, start=1):
        doc_ids.setdefault(doc.file, f"doc-{i}")
    return render_page(
        "report.html.j2",
        script="review.js" if report.flags else None,
        report=report,
        flag_groups=_flag_groups(report.flags),
        filter_counts=filter_counts(report.flags),
        claims=sorted(report.claims, key=lambda c: c.row),
        flags_per_row=Counter(f.row for f in report.flags if f.row is not None),
        documents=docs,
        doc_ids=doc_ids,
        file_links=file_links,
        summary_href=summary_href,
        snippets=snippets or {},
        flag_crop=_flag_crop,
        field_names=_field_names,
        document_facts=_document_facts,
        LOW_CONFIDENCE=LOW_CONFIDENCE,
        NO_CRITERION="Không gắn tiêu chí",
    )
