"""The "this question is unclear" link of a self-assessment statement, for HTML written in Python (functions/assessment/form.py).

The same link as the `unclear_link` macro of functions/templates/feedback/macros.html. A link, not a
form, because it sits inside the answers form and forms cannot nest. Without JavaScript it opens a
small page in a new tab, so answers not yet saved stay where they are; with it (assets/feedback.js)
it opens a box in place.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

UNCLEAR = "/app/feedback/unclear"


def unclear_link(statement_id: str, return_to: str = "") -> str:
    query = f"statement={quote(statement_id, safe='')}" + (f"&amp;return={quote(return_to, safe='')}" if return_to else "")
    sid = escape(statement_id)
    return (
        f'<p class="tie-statement__unclear"><a class="tie-feedback-unclear" href="{UNCLEAR}?{query}" target="_blank" rel="noopener" '
        f'data-tie-unclear="{sid}" data-tie-return="{escape(return_to)}">This question is unclear'
        f'<span class="tie-visually-hidden"> ({sid}; opens in a new tab)</span></a></p>'
    )
