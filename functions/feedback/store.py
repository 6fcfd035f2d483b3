"""Feedback as stored: one row a piece, anonymous unless a reply-to address was given, kept for RETENTION."""

from __future__ import annotations

from dataclasses import dataclass

from functions import ids
from functions.store import Tx

RETENTION = 365 * 24 * 3600  # seconds: feedback is read within weeks; a year covers a review cycle, then it goes


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback, as stored."""

    kind: str
    page: str = ""
    statement: str = ""
    edition: str = ""
    verdict: str = ""
    message: str = ""
    reply_to: str = ""


def record(tx: Tx, item: Feedback, now: int) -> str:
    """Store one piece of feedback; returns its id."""
    row_id = ids.new_id()
    tx.insert(
        "feedback",
        {
            "id": row_id,
            "at": now,
            "kind": item.kind,
            "page": item.page,
            "statement": item.statement,
            "edition": item.edition,
            "verdict": item.verdict,
            "message": item.message,
            "reply_to": item.reply_to,
        },
    )
    return row_id


def purge(tx: Tx, now: int) -> int:
    """Remove feedback older than the retention period; returns how many rows went."""
    return tx.execute("DELETE FROM feedback WHERE at < ?", (now - RETENTION,))
