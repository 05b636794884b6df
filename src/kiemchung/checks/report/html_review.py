"""report.html's review loop: the team's decision beside each flag, and the filters by decision.

The filter is a few lines of inline JS, remembered in the address (`#loc-stale` …) so a link or a
reload keeps the view; without JS every flag shows with its decision.
"""

from __future__ import annotations

from collections import Counter

from kiemchung.core.model import Flag, ReviewDecision

from .fmt import fmt_datetime
from .html_base import esc
from .labels import DECISION_LABELS, STALE_LABEL, UNREVIEWED_LABEL, decision_label, review_state


def review_cell(flag: Flag) -> str:
    """The team's decision beside the flag: badge, who and when, the note, the flag's id."""
    review, state = flag.review, review_state(flag.review)
    if review is None:
        parts = [f'<span class="rv unreviewed">{esc(UNREVIEWED_LABEL)}</span>']
    else:
        label = STALE_LABEL if review.stale else decision_label(review.decision)
        parts = [f'<span class="rv {esc(state)}">{esc(label)}</span>']
        if review.stale:
            parts.append(
                f'<span class="old">Kết luận trước: <b class="rv-old">{esc(decision_label(review.decision))}</b>'
                f"{' · ' + esc(review.stale_reason) if review.stale_reason else ''}</span>"
            )
        who = " · ".join(esc(x) for x in (review.by, fmt_datetime(review.at)) if x)
        if who:
            parts.append(f'<span class="who">{who}</span>')
        if review.note:
            parts.append(f'<span class="val note">{esc(review.note)}</span>')
    if flag.id:
        parts.append(f'<span class="code fid" title="Mã cảnh báo">{esc(flag.id)}</span>')
    return "".join(parts)


REVIEW_FILTERS = (
    ("all", "Tất cả"),
    ("unreviewed", UNREVIEWED_LABEL),
    ("confirmed", DECISION_LABELS[ReviewDecision.CONFIRMED]),
    ("dismissed", DECISION_LABELS[ReviewDecision.DISMISSED]),
    ("pending", DECISION_LABELS[ReviewDecision.PENDING]),
    ("stale", STALE_LABEL),
)

FILTER_JS = r"""
(function () {
  document.documentElement.className += " js";
  var box = document.getElementById("canh-bao");
  if (!box) return;
  var buttons = box.querySelectorAll("button[data-filter]");
  function apply(state) {
    var shown = 0;
    Array.prototype.forEach.call(box.querySelectorAll("section.block"), function (block) {
      var visible = 0;
      Array.prototype.forEach.call(block.querySelectorAll("tr[data-review]"), function (row) {
        var ok = state === "all" || row.getAttribute("data-review") === state;
        row.hidden = !ok;
        if (ok) visible++;
      });
      block.hidden = visible === 0;
      shown += visible;
    });
    Array.prototype.forEach.call(buttons, function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-filter") === state ? "true" : "false");
    });
    document.getElementById("loc-count").textContent = shown + " cảnh báo";
    document.getElementById("loc-empty").hidden = shown !== 0;
  }
  function fromHash() {
    var m = /^#loc-([a-z]+)$/.exec(location.hash);
    var state = m ? m[1] : "all";
    if (!box.querySelector('button[data-filter="' + state + '"]')) state = "all";
    apply(state);
  }
  Array.prototype.forEach.call(buttons, function (b) {
    b.addEventListener("click", function () {
      var state = b.getAttribute("data-filter");
      if (history.replaceState) history.replaceState(null, "", "#loc-" + state);
      apply(state);
    });
  });
  window.addEventListener("hashchange", function () {
    if (/^#loc-/.test(location.hash)) fromHash();
  });
  fromHash();
})();
"""


def review_filters(flags: list[Flag]) -> str:
    counts = Counter(review_state(f.review) for f in flags)
    buttons = "".join(
        f'<button type="button" class="chip" data-filter="{key}" aria-pressed="{str(key == "all").lower()}">'
        f'{esc(label)} <span class="n">{len(flags) if key == "all" else counts.get(key, 0)}</span></button>'
        for key, label in REVIEW_FILTERS
    )
    return (
        '<div class="controls js-only filters" role="group" aria-label="Lọc theo kết luận rà soát">'
        f'{buttons}<span id="loc-count" class="none">{len(flags)} cảnh báo</span></div>'
        '<p id="loc-empty" class="none" hidden>Không có cảnh báo nào ở mục này.</p>'
    )
