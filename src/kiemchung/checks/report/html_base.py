"""What the HTML pages share: the stylesheet, the page shell and the escaping helpers.

Pages are self-contained: inline CSS (and, for the index, a little inline JS), system fonts,
no network. Every value from a dossier or a document is escaped; links and images are
allow-listed, so a file named `javascript:...` or a title holding `<script>` stays text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from .fmt import fmt_score

CSS = """
:root{--ink:#1b1f24;--muted:#596273;--line:#d6dbe1;--soft:#f4f6f8;--card:#fff;
--accent:#1f3a5f;--accent-ink:#fff;--link:#0b5cad;
--err:#a51d14;--err-bg:#fdecea;--err-line:#f5b7b1;
--warn:#7a4a00;--warn-bg:#fff6dc;--warn-line:#f2d48a;
--ok:#0b6b3a;--ok-bg:#e6f4ea;--ok-line:#a8d5b5}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--soft);color:var(--ink);
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,
"Liberation Sans","DejaVu Sans",sans-serif;font-size:15px;line-height:1.55}
a{color:var(--link)}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible{
outline:3px solid #f0b429;outline-offset:2px}
.wrap{max-width:1180px;margin:0 auto;padding:0 20px}
.top{background:var(--accent);color:var(--accent-ink);padding:22px 0 20px}
.top a{color:#fff}
.eyebrow{margin:0 0 4px;font-size:.8rem;letter-spacing:.04em;text-transform:uppercase;opacity:.85}
h1{margin:0 0 8px;font-size:1.7rem;line-height:1.25;font-weight:700}
h2{font-size:1.25rem;margin:34px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:0}
.meta{display:flex;flex-wrap:wrap;gap:4px 18px;margin:0;font-size:.9rem;opacity:.92}
.meta b{font-weight:600}
main{padding:20px 0 40px}
.alert{border:1px solid var(--err-line);background:var(--err-bg);color:var(--err);
border-radius:8px;padding:12px 16px;margin:16px 0;font-weight:500}
.alert.warn{border-color:var(--warn-line);background:var(--warn-bg);color:var(--warn)}
.alert.ok{border-color:var(--ok-line);background:var(--ok-bg);color:var(--ok)}
.alert ul{margin:6px 0 0;padding-left:20px;font-weight:400}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(165px,1fr));gap:12px;margin:18px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;
border-top:4px solid var(--accent)}
.card .k{font-size:.82rem;color:var(--muted)}
.card .v{font-size:1.75rem;font-weight:700;line-height:1.2;font-variant-numeric:tabular-nums}
.card .s{font-size:.88rem;color:var(--muted)}
.card.err{border-top-color:var(--err)} .card.err .v{color:var(--err)}
.card.warn{border-top-color:#d4a017} .card.warn .v{color:var(--warn)}
.card.risk{border-top-color:#8e44ad}
.toc{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 0;padding:0;list-style:none}
.toc a{display:inline-block;padding:3px 10px;border:1px solid var(--line);border-radius:999px;
background:var(--card);text-decoration:none;font-size:.88rem}
.block{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:14px 0;
overflow:hidden}
.block>header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 12px;padding:10px 14px;
background:#eef2f6;border-bottom:1px solid var(--line)}
.block>header .sub{color:var(--muted);font-size:.88rem}
.block>.body{padding:10px 14px}
table{width:100%;border-collapse:collapse;background:var(--card)}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
th{font-size:.82rem;font-weight:600;color:var(--muted);background:var(--soft);white-space:nowrap}
tbody tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.unit{min-width:14rem} td.group{min-width:7rem} td.rank{min-width:8rem}
table.flags{table-layout:fixed}
table.flags th:nth-child(1){width:6.5rem} table.flags th:nth-child(2){width:13rem}
table.flags th:nth-child(4){width:9.5rem}
table.flags th:nth-child(5){width:5.5rem} table.flags th:nth-child(6){width:11rem}
table.flags th:nth-child(7){width:9.5rem}
table.flags td,table.fields td{overflow-wrap:anywhere}
table.fields{table-layout:fixed}
table.fields th:nth-child(1){width:11rem} table.fields th:nth-child(3){width:4.5rem}
table.fields th:nth-child(4){width:12rem} table.fields th:nth-child(5){width:7.5rem}
table.units th{white-space:normal;vertical-align:bottom}
.unit-code{word-break:normal;white-space:nowrap}
.rk{white-space:nowrap}
.tablebox{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:auto}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:.78rem;font-weight:700;
border:1px solid;white-space:nowrap}
.badge.error,.badge.missing{color:var(--err);background:var(--err-bg);border-color:var(--err-line)}
.badge.warning,.badge.flagged{color:var(--warn);background:var(--warn-bg);border-color:var(--warn-line)}
.badge.ok{color:var(--ok);background:var(--ok-bg);border-color:var(--ok-line)}
.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;
font-size:.78rem;color:var(--muted);word-break:break-all}
.label{font-weight:600}
.val{font-family:inherit;white-space:pre-wrap;word-break:break-word}
.none{color:var(--muted);font-style:italic}
.page{white-space:nowrap;color:var(--muted);font-size:.88rem}
.low{background:var(--warn-bg);color:var(--warn);border-radius:4px;padding:0 4px;font-weight:600}
.snip{display:block;max-width:100%;height:auto;margin-top:6px;border:1px solid var(--line);
border-radius:4px;background:#fff}
[hidden]{display:none!important}
.k{display:block;font-size:.75rem;color:var(--muted);margin-top:2px}
.rv{display:inline-block;padding:1px 8px;border-radius:999px;font-size:.78rem;font-weight:700;
border:1px solid;white-space:nowrap}
.rv.confirmed{background:#f9c9c4;color:#7d120b;border-color:#e8968d}
.rv.dismissed{background:#d9e2ec;color:#243b53;border-color:#9fb3c8}
.rv.pending{background:#ffe8b3;color:#6b4300;border-color:#e8c15a}
.rv.stale{background:#e7d4f5;color:#4b1d6e;border-color:#b98fd8}
.rv.unreviewed{background:#fff;color:var(--muted);border-color:var(--line);font-weight:600}
td.review .old,td.review .who,td.review .note,td.review .fid{display:block;font-size:.82rem;margin-top:3px}
td.review .who{color:var(--muted)}
.progress{display:block;height:6px;border-radius:3px;background:var(--line);margin-top:4px;overflow:hidden}
.progress i{display:block;height:100%;background:var(--ok)}
.stale-n{color:#4b1d6e;font-size:.8rem;white-space:nowrap}
.filters{align-items:center;gap:6px 8px}
.chip{font:inherit;font-size:.85rem;padding:3px 10px;border:1px solid var(--line);border-radius:999px;
background:var(--card);color:var(--ink);cursor:pointer}
.chip .n{color:var(--muted);font-variant-numeric:tabular-nums}
.chip[aria-pressed=true]{background:var(--accent);border-color:var(--accent);color:#fff}
.chip[aria-pressed=true] .n{color:#fff}
.failed td{background:var(--err-bg)}
.failed .err{color:var(--err);font-weight:600;font-size:.88rem}
.controls{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:end;margin:6px 0 12px}
.controls label{display:flex;flex-direction:column;font-size:.82rem;color:var(--muted);gap:3px}
.controls select,.controls input{font:inherit;padding:6px 8px;border:1px solid var(--line);
border-radius:6px;background:#fff;color:var(--ink);min-width:220px}
.js-only{display:none} .js .js-only{display:flex}
th button{all:unset;cursor:pointer;display:inline-flex;gap:4px;align-items:center}
th button::after{content:"\\2195";opacity:.45;font-size:.8em}
th[aria-sort=ascending] button::after{content:"\\2191";opacity:1}
th[aria-sort=descending] button::after{content:"\\2193";opacity:1}
footer.note{margin-top:36px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);
padding-top:12px}
@media (max-width:760px){
 .wrap{padding:0 12px}
 h1{font-size:1.35rem}
 .card .v{font-size:1.45rem}
 .tablebox{border:0;background:transparent;overflow:visible}
 table.resp,table.resp tbody,table.resp tr,table.resp td{display:block;width:100%}
 table.resp thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.resp tr{background:var(--card);border:1px solid var(--line);border-radius:8px;
 margin:0 0 10px;padding:6px 0}
 .block table.resp tr{border-width:0 0 1px;border-radius:0;margin:0}
 table.resp td{display:grid;grid-template-columns:7.5rem minmax(0,1fr);gap:8px;border:0;
 padding:4px 12px}
 table.flags,table.fields{table-layout:auto}
 table.resp td::before{content:attr(data-label);font-size:.8rem;font-weight:600;color:var(--muted)}
 table.resp td.num{text-align:left}
 table.resp td.unit,table.resp td.group{min-width:0}
 .failed td{background:transparent} tr.failed{background:var(--err-bg)!important}
}
@media print{
 @page{size:A4;margin:12mm}
 body{background:#fff;font-size:10pt}
 .top{background:#fff;color:var(--ink);border-bottom:2px solid var(--ink);padding:0 0 8px}
 .top a{color:var(--ink)}
 .wrap{max-width:none;padding:0}
 .controls,.toc,.js-only{display:none!important}
 .card,.block,tr,img{break-inside:avoid}
 h2,h3{break-after:avoid}
 a{color:inherit;text-decoration:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 th{background:#eee}
}
"""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {script}; "
    "base-uri 'none'; form-action 'none'"
)
_ALLOWED_SCHEMES = {"", "http", "https", "file"}
_SNIPPET = re.compile(r"data:image/(?:png|jpeg|webp);base64,[A-Za-z0-9+/=\s]+")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def esc(value: object) -> str:
    """Text for HTML content and quoted attributes; None is empty."""
    return "" if value is None else html.escape(str(value), quote=True)


def score(value: float | None) -> str:
    return esc(fmt_score(value))


def file_href(file: str, file_links: dict[str, str] | None) -> str | None:
    """A safe href for a proof file: the caller's link, else the relative path, URL-quoted."""
    if file_links and file in file_links:
        link = file_links[file]
        scheme = urlsplit(_CONTROL.sub("", link)).scheme.lower()
        return link if scheme in _ALLOWED_SCHEMES else None
    # Quoting turns a colon into %3A, so a dossier path cannot smuggle in a scheme.
    return quote(file.replace("\\", "/"), safe="/")


def file_link(file: str | None, file_links: dict[str, str] | None) -> str:
    if not file:
        return '<span class="none">không có tệp</span>'
    href = file_href(file, file_links)
    text = f'<span class="val">{esc(file)}</span>'
    if href is None:
        return text
    return f'<a href="{esc(href)}" rel="noopener noreferrer">{text}</a>'


def snippet_src(uri: str | None) -> str | None:
    """Only inline PNG/JPEG/WebP images: the page must not fetch anything."""
    return uri if uri and _SNIPPET.fullmatch(uri) else None


def badge(kind: str, text: str) -> str:
    return f'<span class="badge {esc(kind)}">{esc(text)}</span>'


def td(label: str, content: str, cls: str = "", sort: object | None = None) -> str:
    """A cell whose label shows when the table collapses to cards; content is already HTML."""
    attrs = f' data-label="{esc(label)}"'
    if cls:
        attrs += f' class="{cls}"'
    if sort is not None:
        attrs += f' data-sort="{esc(sort)}"'
    # One wrapper, so the card layout has exactly two grid items: the label and the content.
    return f"<td{attrs}><div>{content}</div></td>"


def page(title: str, body: str, *, script: str | None = None) -> str:
    """The whole document: UTF-8, lang=vi, viewport, a strict CSP, inline CSS."""
    csp = _CSP.format(script="'unsafe-inline'" if script else "'none'")
    tail = f"<script>{script}</script>" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="generator" content="kiemchung">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n{body}\n{tail}\n</body>\n</html>\n"
    )
