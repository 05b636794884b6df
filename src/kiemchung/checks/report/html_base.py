"""What the HTML pages share: the Jinja2 environment, the page's security policy and link rules.

The markup lives in `templates/`, the stylesheet and scripts in `static/` (package data). Pages
are self-contained: inline CSS (and, for the index and the review filter, a little inline JS),
system fonts, no network. Every value from a dossier or a document is escaped; links and images
are allow-listed, so a file named `javascript:...` or a title holding `<script>` stays text.
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib.resources import files
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup

from .fmt import fmt_date, fmt_datetime, fmt_score
from .labels import (
    FIELD_LABELS,
    NOT_RANKED,
    ROW_WHOLE_CRITERION,
    STALE_LABEL,
    UNREVIEWED_LABEL,
    decision_label,
    flag_label,
    group_label,
    method_label,
    review_state,
    severity_label,
    status_label,
)

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {script}; "
    "base-uri 'none'; form-action 'none'"
)
_ALLOWED_SCHEMES = {"", "http", "https", "file"}
_SNIPPET = re.compile(r"data:image/(?:png|jpeg|webp);base64,[A-Za-z0-9+/=\s]+")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_INDENTED_BREAK = re.compile(r"\n[ \t]+")


def file_href(file: str, file_links: dict[str, str] | None | bool) -> str | None:
    """A safe href for a proof file: the caller's link, else the relative path, URL-quoted;
    None when `file_links` is False (the files are not served beside the page)."""
    if file_links is False:
        return None
    if file_links and file in file_links:
        link = file_links[file]
        scheme = urlsplit(_CONTROL.sub("", link)).scheme.lower()
        return link if scheme in _ALLOWED_SCHEMES else None
    # Quoting turns a colon into %3A, so a dossier path cannot smuggle in a scheme.
    return quote(file.replace("\\", "/"), safe="/")


def snippet_src(uri: str | None) -> str | None:
    """Only inline PNG/JPEG/WebP images: the page must not fetch anything."""
    return uri if uri and _SNIPPET.fullmatch(uri) else None


def percent(fraction: float) -> str:
    """0.42 as "42%" (Python's rounding, as the pages always had)."""
    return f"{round(fraction * 100)}%"


def _escape(value: object) -> Markup:
    """Autoescaping as the stdlib does it (`&quot;`, `&#x27;`); None prints as nothing."""
    if value is None:
        return Markup("")
    if hasattr(value, "__html__"):
        return Markup(value)
    return Markup(html.escape(str(value), quote=True))


class _JoinIndentedLines(Extension):
    """Templates are indented for reading; a line break followed by indentation is not output.

    So a page is written as compactly as before: only line breaks at column 0 (the page shell's)
    reach the output, and text meant to be read stays on one template line.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _INDENTED_BREAK.sub("", source)


@cache
def _static(name: str) -> Markup:
    """A stylesheet or script shipped beside the templates, trusted as written."""
    return Markup(files(__package__).joinpath("static", name).read_text(encoding="utf-8"))


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader(__package__, "templates"),
        autoescape=True,
        finalize=_escape,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=[_JoinIndentedLines],
    )
    env.globals.update(
        FIELD_LABELS=FIELD_LABELS,
        NOT_RANKED=NOT_RANKED,
        ROW_WHOLE_CRITERION=ROW_WHOLE_CRITERION,
        STALE_LABEL=STALE_LABEL,
        UNREVIEWED_LABEL=UNREVIEWED_LABEL,
        decision_label=decision_label,
        file_href=file_href,
        flag_label=flag_label,
        fmt_date=fmt_date,
        fmt_datetime=fmt_datetime,
        group_label=group_label,
        method_label=method_label,
        percent=percent,
        review_state=review_state,
        score=fmt_score,
        severity_label=severity_label,
        snippet_src=snippet_src,
        status_label=status_label,
    )
    return env


def render_page(template: str, *, script: str | None = None, **context: object) -> str:
    """A whole document from `templates/<template>`: UTF-8, lang=vi, a strict CSP, inline CSS.

    `script` names a file in `static/` to inline; without one the CSP forbids every script.
    """
    csp = _CSP.format(script="'unsafe-inline'" if script else "'none'")
    return (
        _environment()
        .get_template(template)
        .render(
            csp=csp,
            css=_static("report.css"),
            script=_static(script) if script else None,
            **context,
        )
    )
