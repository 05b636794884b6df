"""report.html's review loop: the filters by the team's decision, with how many flags each shows.

The markup is `templates/review.html.j2`; the filter itself is a few lines of inline JS
(`static/review.js`), remembered in the address (`#loc-stale` …) so a link or a reload keeps the
view; without JS every flag shows with its decision.
"""

from __future__ import annotations

from collections import Counter

from kiemchung.core.model import Flag, ReviewDecision

from .labels import DECISION_LABELS, STALE_LABEL, UNREVIEWED_LABEL, review_state

REVIEW_FILTERS = (
    ("all", "Tất cả"),
    ("unreviewed", UNREVIEWED_LABEL),
    ("confirmed", DECISION_LABELS[ReviewDecision.CONFIRMED]),
    ("dismissed", DECISION_LABELS[ReviewDecision.DISMISSED]),
    ("pending", DECISION_LABELS[ReviewDecision.PENDING]),
    ("stale", STALE_LABEL),
)


def filter_counts(flags: list[Flag]) -> list[tuple[str, str, int]]:
    """Each filter's key, label and the number of flags it shows."""
    counts = Counter(review_state(f.review) for f in flags)
    return [
        (key, label, len(flags) if key == "all" else counts.get(key, 0))
        for key, label in REVIEW_FILTERS
    ]
