"""The time as reports and review records write it: Viet Nam's, to the second."""

from __future__ import annotations

import datetime as dt

VN_TZ = dt.timezone(dt.timedelta(hours=7))


def now_iso() -> str:
    """The current time in Viet Nam, ISO 8601 to the second: 2026-11-21T23:00:00+07:00."""
    return dt.datetime.now(VN_TZ).isoformat(timespec="seconds")
