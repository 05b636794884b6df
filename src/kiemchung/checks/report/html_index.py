"""index.html: every unit of the year at a glance, for the secretariat.

Filterable by group and sortable by any column with a few lines of inline JS; without JS the
table still reads, ordered by group and supported score.
"""

from __future__ import annotations

from urllib.parse import quote

from kiemchung.core.model import UnitReport

from .fmt import fmt_datetime, now_iso, report_href, sorted_units
from .html_base import esc, page, score, td
from .labels import NOT_RANKED, group_label

SORT_AND_FILTER_JS = r"""
(function () {
  document.documentElement.className += " js";
  var table = document.getElementById("units");
  if (!table) return;
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
  var group = document.getElementById("f-group"), query = document.getElementById("f-q");
  function key(row, i, num) {
    var c = row.cells[i], v = c.getAttribute("data-sort");
    if (v === null) v = c.textContent.trim();
    if (!num) return v.toLowerCase();
    var n = parseFloat(v);
    return isNaN(n) ? -Infinity : n;
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    var btn = th.querySelector("button");
    if (!btn) return;
    btn.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      var num = th.hasAttribute("data-num");
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, i, num), y = key(b, i, num);
        var c = num ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, "vi");
        if (c === 0) c = a.getAttribute("data-order") - b.getAttribute("data-order");
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  function filter() {
    var g = group.value, q = query.value.trim().toLowerCase(), shown = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var ok = (!g || r.getAttribute("data-group") === g) &&
               (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById("f-count").textContent = shown + " đơn vị";
  }
  group.addEventListener("change", filter);
  query.addEventListener("input", filter);
})();
"""

_COLUMNS = (
    # header, numeric
    ("Đơn vị", False),
    ("Nhóm", False),
    ("Kê khai", True),
    ("Lỗi", True),
    ("Cảnh báo", True),
    ("Điểm tự chấm", True),
    ("Điểm có minh chứng", True),
    ("Xếp loại", True),
    ("Điểm bị trừ đã xác nhận", True),
    ("Điểm có nguy cơ bị trừ", True),
    ("Rà soát", True),
)


def _head() -> str:
    cells = []
    for name, numeric in _COLUMNS:
        attrs = ' class="num" data-num' if numeric else ""
        cells.append(f'<th scope="col"{attrs}><button type="button">{esc(name)}</button></th>')
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def _done(report: UnitReport) -> float:
    total = len(report.flags)
    return report.summary.reviewed / total if total else 1.0


def _progress(report: UnitReport) -> str:
    """Review progress: flags with a current decision out of all, and those to look at again."""
    s, total = report.summary, len(report.flags)
    if report.error is not None:
        return '<span class="none">—</span>'
    bar = f'<span class="progress" aria-hidden="true"><i style="width:{round(_done(report) * 100)}%"></i></span>'
    stale = f'<div class="stale-n">{esc(s.stale)} cần xem lại</div>' if s.stale else ""
    return f'<span class="rk">{esc(s.reviewed)}/{esc(total)}</span>{bar}{stale}'


def _row(order: int, report: UnitReport) -> str:
    u, s = report.unit, report.summary
    href = esc(quote(report_href(u.code), safe="/"))
    name = f'<a href="{href}">{esc(u.name)}</a><div class="code unit-code">{esc(u.code)}</div>'
    failed = report.error is not None
    if failed:
        name += f'<div class="err">Không kiểm tra được: <span class="val">{esc(report.error)}</span></div>'
    ranks = (
        f'<span class="rk">{esc(s.rank_self or NOT_RANKED)}</span> → '
        f'<b class="rk">{esc(s.rank_supported or NOT_RANKED)}</b>'
    )
    cells = [
        td("Đơn vị", name, "unit", sort=u.name),
        td("Nhóm", esc(group_label(u.group)), "group"),
        td("Kê khai", f"{esc(s.claims)}", "num", sort=s.claims),
        td("Lỗi", f"<b>{esc(s.errors)}</b>" if s.errors else "0", "num", sort=s.errors),
        td("Cảnh báo", esc(s.warnings), "num", sort=s.warnings),
        td("Điểm tự chấm", score(s.self_score), "num", sort=s.self_score),
        td(
            "Điểm có minh chứng",
            f"<b>{score(s.supported_score)}</b>",
            "num",
            sort=s.supported_score,
        ),
        td("Xếp loại", ranks, "num rank", sort=s.supported_score),
        td("Điểm bị trừ đã xác nhận", score(s.points_confirmed_lost), "num", sort=s.points_confirmed_lost),
        td("Điểm có nguy cơ bị trừ", score(s.points_at_risk), "num", sort=s.points_at_risk),
        td("Rà soát", _progress(report), "num", sort=_done(report)),
    ]
    cls = ' class="failed"' if failed else ""
    return f'<tr{cls} data-order="{order}" data-group="{esc(u.group)}">{"".join(cells)}</tr>'


def _cards(reports: list[UnitReport]) -> str:
    failed = sum(r.error is not None for r in reports)
    with_errors = sum(r.summary.errors > 0 for r in reports)
    cards = [
        ("Đơn vị", str(len(reports)), ""),
        ("Đơn vị có lỗi", str(with_errors), "err" if with_errors else ""),
        ("Không kiểm tra được", str(failed), "err" if failed else ""),
        ("Tổng số lỗi", str(sum(r.summary.errors for r in reports)), ""),
        ("Tổng số cảnh báo", str(sum(r.summary.warnings for r in reports)), ""),
        ("Điểm có nguy cơ bị trừ", score(sum(r.summary.points_at_risk for r in reports)), "risk"),
        (
            "Cảnh báo đã rà soát",
            f"{sum(r.summary.reviewed for r in reports)}/{sum(len(r.flags) for r in reports)}",
            "warn" if any(r.summary.stale for r in reports) else "",
        ),
    ]
    html = "".join(
        f'<div class="card {cls}"><div class="k">{esc(k)}</div><div class="v">{v}</div></div>'
        for k, v, cls in cards
    )
    return f'<section class="cards" aria-label="Tóm tắt">{html}</section>'


def _controls(reports: list[UnitReport]) -> str:
    groups = dict.fromkeys(r.unit.group for r in sorted_units(reports))
    options = "".join(f'<option value="{esc(g)}">{esc(group_label(g))}</option>' for g in groups)
    return (
        '<div class="controls js-only">'
        '<label for="f-group">Nhóm đơn vị<select id="f-group">'
        f'<option value="">Tất cả các nhóm</option>{options}</select></label>'
        '<label for="f-q">Tìm đơn vị<input id="f-q" type="search" placeholder="Tên hoặc mã">'
        f'</label><span id="f-count" class="none">{len(reports)} đơn vị</span></div>'
    )


def render_index_html(
    reports: list[UnitReport],
    *,
    year: int,
    framework: str,
    generated_at: str | None = None,
) -> str:
    """`OUT/<year>/index.html`: one row per unit linking to `<CODE>/report.html`."""
    units = sorted_units(reports)
    rows = "".join(_row(i, r) for i, r in enumerate(units))
    when = fmt_datetime(generated_at or now_iso())
    body = (
        '<header class="top"><div class="wrap">'
        f'<p class="eyebrow">Rà soát minh chứng chuyển đổi số · Năm {esc(year)}</p>'
        "<h1>Tổng hợp kết quả các đơn vị</h1>"
        f'<p class="meta"><span>Năm đánh giá: <b>{esc(year)}</b></span>'
        f"<span>Bộ chỉ số: <b>{esc(framework)}</b></span>"
        f"<span>Tạo lúc: <b>{esc(when)}</b></span></p></div></header>"
        '<main class="wrap">'
        + _cards(units)
        + "<h2>Danh sách đơn vị</h2>"
        + _controls(units)
        + '<div class="tablebox"><table class="resp units" id="units">'
        + _head()
        + f"<tbody>{rows}</tbody></table></div>"
        '<footer class="note">Nhấn tiêu đề cột để sắp xếp. Đơn vị tô đỏ là đơn vị không '
        "kiểm tra được. Điểm có minh chứng và xếp loại đã tính kết luận rà soát của đoàn kiểm tra; "
        "điểm bị trừ đã xác nhận là phần điểm đoàn đã xác nhận lỗi, điểm có nguy cơ bị trừ là "
        "phần còn vướng lỗi chưa có kết luận. Rà soát: số cảnh báo đã có kết luận trên tổng số."
        "</footer></main>"
    )
    return page(f"Tổng hợp rà soát minh chứng năm {year}", body, script=SORT_AND_FILTER_JS)
