"""report.html: one unit's flags, claims and what was read off each document.

Read by an inspection team on the morning of a visit, on a laptop or a phone, and printed.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby

from kiemchung.core.model import Document, Field, Flag, Severity, UnitReport

from .fmt import flag_key, fmt_date, fmt_datetime, sorted_flags
from .html_base import badge, esc, file_link, page, score, snippet_src, td
from .html_index import render_index_html
from .html_review import FILTER_JS, review_cell, review_filters
from .labels import (
    FIELD_LABELS,
    FLAG_FIELDS,
    LOW_CONFIDENCE,
    NOT_RANKED,
    ROW_WHOLE_CRITERION,
    flag_label,
    group_label,
    method_label,
    review_state,
    severity_label,
    status_label,
)

__all__ = ["render_index_html", "render_report_html"]

Snippets = dict[tuple[str, str], str]
_NO_CRITERION = "Không gắn tiêu chí"
_SLUG = re.compile(r"[^0-9A-Za-z]+")


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


# ---------------------------------------------------------------- header and summary cards


def _header(report: UnitReport) -> str:
    u = report.unit
    return (
        '<header class="top"><div class="wrap">'
        f'<p class="eyebrow">Rà soát minh chứng chuyển đổi số · Năm {esc(report.year)}</p>'
        f"<h1>{esc(u.name)}</h1>"
        '<p class="meta">'
        f"<span>Mã đơn vị: <b>{esc(u.code)}</b></span>"
        f"<span>Nhóm: <b>{esc(group_label(u.group))}</b></span>"
        f"<span>Năm đánh giá: <b>{esc(report.year)}</b></span>"
        f"<span>Bộ chỉ số: <b>{esc(report.framework)}</b></span>"
        f"<span>Tạo lúc: <b>{esc(fmt_datetime(report.generated_at))}</b></span>"
        "</p></div></header>"
    )


def _card(key: str, value: str, sub: str = "", cls: str = "") -> str:
    sub_html = f'<div class="s">{sub}</div>' if sub else ""
    return (
        f'<div class="card {cls}"><div class="k">{esc(key)}</div>'
        f'<div class="v">{value}</div>{sub_html}</div>'
    )


def _cards(report: UnitReport) -> str:
    s = report.summary
    flags = len(report.flags)
    cards = [
        _card("Điểm tự chấm", score(s.self_score), esc(s.rank_self or NOT_RANKED)),
        _card(
            "Điểm có minh chứng",
            score(s.supported_score),
            f"{esc(s.rank_supported or NOT_RANKED)} · đã tính kết luận rà soát",
        ),
        _card(
            "Điểm bị trừ đã xác nhận", score(s.points_confirmed_lost), "theo kết luận của đoàn", "err" if s.points_confirmed_lost else ""
        ),
        _card(
            "Điểm có nguy cơ bị trừ", score(s.points_at_risk), "do lỗi chưa có kết luận", "risk"
        ),
        _card(
            "Đã rà soát",
            f"{esc(s.reviewed)}/{esc(flags)}",
            f"{esc(s.unreviewed)} chưa rà soát · {esc(s.stale)} cần xem lại",
            "warn" if s.stale else "",
        ),
        _card("Lỗi", esc(s.errors), "cần đối chiếu bản gốc", "err" if s.errors else ""),
        _card("Cảnh báo", esc(s.warnings), "nên xem lại", "warn" if s.warnings else ""),
        _card("Dòng kê khai", esc(s.claims), f"{esc(s.flagged)} dòng có cảnh báo"),
    ]
    return f'<section class="cards" aria-label="Tóm tắt">{"".join(cards)}</section>'


def _alerts(report: UnitReport) -> str:
    out = []
    if report.error:
        out.append(
            '<div class="alert" role="alert">Không kiểm tra được đơn vị này: '
            f'<span class="val">{esc(report.error)}</span>. '
            "Kết quả dưới đây (nếu có) chưa đầy đủ.</div>"
        )
    if report.review_notes:
        items = "".join(f'<li><span class="val">{esc(n)}</span></li>' for n in report.review_notes)
        out.append(f'<div class="alert warn">Nhập kết luận rà soát trong lần chạy này:<ul>{items}</ul></div>')
    failed = report.processing.failed
    if failed:
        items = "".join(f'<li><span class="val">{esc(f)}</span></li>' for f in failed)
        out.append(
            f'<div class="alert warn">{len(failed)} tệp xử lý không thành công; '
            f"các dòng kê khai dùng các tệp này chưa được kiểm tra đầy đủ:<ul>{items}</ul></div>"
        )
    return "".join(out)


# ---------------------------------------------------------------- flags, by criterion


def _where(flag: Flag, file_links: dict[str, str] | None, doc_ids: dict[str, str]) -> str:
    if not flag.file:
        return '<span class="none">—</span>'
    parts = [file_link(flag.file, file_links)]
    if flag.page is not None:
        parts.append(f'<span class="page">trang {esc(flag.page)}</span>')
    if flag.file in doc_ids:
        parts.append(f'<a class="page" href="#{doc_ids[flag.file]}">dữ liệu đọc được</a>')
    return "<br>".join(parts)


def _value(text: str | None) -> str:
    return f'<span class="val">{esc(text)}</span>' if text else '<span class="none">—</span>'


def _flag_crop(flag: Flag, snippets: Snippets | None) -> str:
    """The crop of the field a flag is about (the number line, the date line, the signature)."""
    for name in FLAG_FIELDS.get(flag.code, ()):
        src = snippet_src((snippets or {}).get((flag.file or "", name)))
        if src:
            alt = f"Vùng văn bản chứa {FIELD_LABELS.get(name, name)}"
            return f'<img class="snip" src="{esc(src)}" alt="{esc(alt)}" loading="lazy">'
    return ""


def _flag_row(
    flag: Flag, file_links: dict[str, str] | None, doc_ids: dict[str, str], snippets: Snippets | None = None
) -> str:
    sev = str(flag.severity)
    row = ROW_WHOLE_CRITERION if flag.row is None else str(flag.row)
    cells = [
        td("Mức độ", badge(sev, severity_label(flag.severity))),
        td(
            "Loại",
            f'<span class="label">{esc(flag_label(flag.code))}</span><br>'
            f'<span class="code">{esc(flag.code)}</span>',
        ),
        td("Nội dung", f'<span class="val">{esc(flag.message)}</span>{_flag_crop(flag, snippets)}'),
        td(
            "Kê khai, tìm thấy",
            f'<span class="k">Kê khai</span>{_value(flag.claimed)}'
            f'<span class="k">Tìm thấy</span>{_value(flag.found)}',
        ),
        td("Dòng kê khai", esc(row)),
        td("Tệp, trang", _where(flag, file_links, doc_ids)),
        td("Kết luận rà soát", review_cell(flag), "review"),
    ]
    state = review_state(flag.review)
    return f'<tr class="sev-{esc(sev)}" data-review="{esc(state)}">{"".join(cells)}</tr>'


_FLAG_HEAD = (
    "<thead><tr><th>Mức độ</th><th>Loại</th><th>Nội dung</th><th>Kê khai, tìm thấy</th>"
    "<th>Dòng</th><th>Tệp, trang</th><th>Kết luận rà soát</th></tr></thead>"
)

def _flags_section(
    report: UnitReport, file_links: dict[str, str] | None, doc_ids: dict[str, str], snippets: Snippets | None = None
) -> str:
    flags = sorted_flags(report.flags)
    head = '<section id="canh-bao"><h2>Cảnh báo theo tiêu chí</h2>'
    if not flags:
        if report.error or report.processing.failed:
            note = (
                '<div class="alert warn">Không có cảnh báo, nhưng việc kiểm tra chưa đầy đủ.</div>'
            )
        else:
            note = '<div class="alert ok">Không có cảnh báo nào.</div>'
        return head + note + "</section>"
    groups = [(c, list(g)) for c, g in groupby(flags, key=lambda f: flag_key(f)[0])]
    toc = "".join(
        f'<li><a href="#{_anchor(g[0].criterion)}">{esc(g[0].criterion or _NO_CRITERION)}'
        f" ({len(g)})</a></li>"
        for _, g in groups
    )
    blocks = []
    for _, group in groups:
        crit = group[0].criterion
        title = f"Tiêu chí {esc(crit)}" if crit else _NO_CRITERION
        rows = "".join(_flag_row(f, file_links, doc_ids, snippets) for f in group)
        blocks.append(
            f'<section class="block" id="{_anchor(crit)}"><header><h3>{title}</h3>'
            f'<span class="sub">{esc(_counts_text(group))}</span></header>'
            f'<table class="resp flags">{_FLAG_HEAD}<tbody>{rows}</tbody></table></section>'
        )
    return (
        f'{head}<ul class="toc" aria-label="Tiêu chí có cảnh báo">{toc}</ul>{review_filters(flags)}'
        f'{"".join(blocks)}</section>'
    )


# ---------------------------------------------------------------- claims


def _claims_section(report: UnitReport, file_links: dict[str, str] | None) -> str:
    per_row = Counter(f.row for f in report.flags if f.row is not None)
    rows = []
    for c in sorted(report.claims, key=lambda c: c.row):
        rows.append(
            "<tr>"
            + td("Dòng", esc(c.row), "num")
            + td("Tiêu chí", esc(c.criterion))
            + td("Trạng thái", badge(c.status, status_label(c.status)))
            + td("Lỗi, cảnh báo", esc(per_row.get(c.row, 0)), "num")
            + td("Điểm tự chấm", score(c.self_score), "num")
            + td("Điểm có minh chứng", score(c.supported_score), "num")
            + td("Tệp", file_link(c.file, file_links))
            + "</tr>"
        )
    if not rows:
        return '<section id="ke-khai"><h2>Bảng kê khai</h2><p class="none">Không có dòng kê khai.</p></section>'
    head = (
        '<thead><tr><th class="num">Dòng</th><th>Tiêu chí</th><th>Trạng thái</th>'
        '<th class="num">Lỗi, cảnh báo</th><th class="num">Điểm tự chấm</th>'
        '<th class="num">Điểm có minh chứng</th><th>Tệp</th></tr></thead>'
    )
    return (
        '<section id="ke-khai"><h2>Bảng kê khai</h2><div class="tablebox">'
        f'<table class="resp">{head}<tbody>{"".join(rows)}</tbody></table></div></section>'
    )


# ---------------------------------------------------------------- documents and read fields


def _field_value(name: str, field: Field) -> str:
    if field.value is None:
        return '<span class="none">không tìm thấy</span>'
    text = fmt_date(field.value) if name == "date" else field.value
    out = f'<span class="val">{esc(text)}</span>'
    if field.unit:
        out += f' <span class="code">({esc(field.unit)})</span>'
    return out


def _confidence(field: Field) -> str:
    if field.confidence is None:
        return ""
    pct = f"{round(field.confidence * 100)}%"
    if field.confidence < LOW_CONFIDENCE:
        return (
            f'<span class="low" title="Độ tin cậy thấp, cần kiểm tra bằng mắt">{pct} · thấp</span>'
        )
    return esc(pct)


def _field_rows(doc: Document, snippets: Snippets | None) -> str:
    names = [n for n in FIELD_LABELS if n in doc.fields]
    names += sorted(n for n in doc.fields if n not in FIELD_LABELS)
    rows = []
    for name in names:
        field = doc.fields[name]
        value = _field_value(name, field)
        src = snippet_src((snippets or {}).get((doc.file, name)))
        if src:
            alt = f"Vùng văn bản chứa {FIELD_LABELS.get(name, name)}"
            value += f'<img class="snip" src="{esc(src)}" alt="{esc(alt)}" loading="lazy">'
        rows.append(
            "<tr>"
            + td("Trường", f'<span class="label">{esc(FIELD_LABELS.get(name, name))}</span>')
            + td("Giá trị", value)
            + td("Trang", esc(field.page), "num")
            + td("Cách đọc", esc(method_label(field.method)))
            + td("Độ tin cậy", _confidence(field), "num")
            + "</tr>"
        )
    return "".join(rows)


def _signatures(doc: Document) -> str:
    items = []
    for sig in doc.signatures:
        state = {True: ("ok", "Còn nguyên vẹn"), False: ("error", "Đã bị thay đổi")}.get(
            sig.intact, ("warning", "Chưa xác minh")
        )
        when = f", ký lúc {esc(fmt_datetime(sig.signing_time))}" if sig.signing_time else ""
        items.append(
            f'<li>{badge(*state)} <span class="val">{esc(sig.signer or "không rõ người ký")}</span>'
            f"{when}</li>"
        )
    return f'<p class="label">Chữ ký số</p><ul>{"".join(items)}</ul>' if items else ""


def _document(
    doc: Document, doc_id: str, file_links: dict[str, str] | None, snippets: Snippets | None
) -> str:
    sub = [f"{esc(doc.pages)} trang"] if doc.pages else []
    if doc.method:
        sub.append(esc(method_label(doc.method)))
    if doc.kind:
        sub.append(esc(doc.kind.upper()))
    badges = badge("error", "Dự thảo") if doc.draft else ""
    body = []
    if doc.error_code or doc.error:
        body.append(f'<div class="alert">{esc(doc.error or doc.error_code)}</div>')
    rows = _field_rows(doc, snippets)
    if rows:
        body.append(
            '<table class="resp fields"><thead><tr><th>Trường</th><th>Giá trị</th>'
            '<th class="num">Trang</th><th>Cách đọc</th><th class="num">Độ tin cậy</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    elif not body:
        body.append('<div class="body"><p class="none">Không đọc được trường nào.</p></div>')
    sigs = _signatures(doc)
    if sigs:
        body.append(f'<div class="body">{sigs}</div>')
    return (
        f'<article class="block" id="{doc_id}"><header><h3>{file_link(doc.file, file_links)}</h3>'
        f'<span class="sub">{" · ".join(sub)}</span>{badges}</header>{"".join(body)}</article>'
    )


def _flatten(docs: list[Document]) -> list[Document]:
    """Archive members are shown as documents of their own, after their archive."""
    out: list[Document] = []
    for doc in docs:
        out.append(doc)
        out.extend(_flatten(doc.members or []))
    return out


def _documents_section(
    docs: list[Document], file_links: dict[str, str] | None, snippets: Snippets | None
) -> str:
    if not docs:
        return ""
    articles = "".join(
        _document(d, f"doc-{i}", file_links, snippets) for i, d in enumerate(docs, start=1)
    )
    return (
        '<section id="van-ban"><h2>Dữ liệu đọc được từ văn bản</h2>'
        '<p class="none">Độ tin cậy dưới '
        f"{round(LOW_CONFIDENCE * 100)}% được đánh dấu: cần đối chiếu bằng mắt với bản gốc.</p>"
        f"{articles}</section>"
    )


def render_report_html(
    report: UnitReport,
    *,
    file_links: dict[str, str] | None = None,
    snippets: dict[tuple[str, str], str] | None = None,
) -> str:
    """`OUT/<year>/<CODE>/report.html`: self-contained, escaped, readable on laptop and phone.

    `file_links` maps a proof file's relative path to the href to use (default: the path);
    `snippets[(file, field)]` is a `data:image/png;base64,...` crop of where the field was read.
    """
    docs = _flatten(report.documents)
    doc_ids: dict[str, str] = {}
    for i, doc in enumerate(docs, start=1):
        doc_ids.setdefault(doc.file, f"doc-{i}")
    body = (
        _header(report)
        + '<main class="wrap">'
        + _alerts(report)
        + _cards(report)
        + _flags_section(report, file_links, doc_ids, snippets)
        + _claims_section(report, file_links)
        + _documents_section(docs, file_links, snippets)
        + '<footer class="note">Báo cáo do công cụ kiemchung tạo tự động để sàng lọc sơ bộ; '
        "đoàn kiểm tra đối chiếu bản gốc trước khi kết luận. "
        '<a href="../index.html">Về trang tổng hợp</a></footer></main>'
    )
    title = f"{report.unit.name} ({report.unit.code}) - Rà soát minh chứng năm {report.year}"
    return page(title, body, script=FILTER_JS if report.flags else None)
