"""Times as people in the UK read them: "28 May 2026 at 21:26 BST", the zone always named.

Stored times are integer seconds (UTC). Pages show them in Europe/London time because the
Exchange's readers are UK councils; the zone is named ("GMT" or "BST") so that nobody has to
guess whether a time is UK time or UTC, and so that the hour skipped or repeated when the clocks
change is never ambiguous. Templates use it as the `uk_time` filter (registered in `web.templates`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_time(at: int | None) -> str:
    """`at` (seconds since the epoch) in UK time with its zone, e.g. "3 March 2026 at 14:05 GMT"; "" for None."""
    if at is None:
        return ""
    moment = dt.datetime.fromtimestamp(at, UK)
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M %Z}"
