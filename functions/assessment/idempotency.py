"""Idempotency keys: a request retried with the same `Idempotency-Key` takes effect once and gets the same answer.

The outcome of a successful request is stored in the same transaction as its effect, so either
both are stored or neither is: a retry after a lost reply replays the stored outcome; a retry
after a crash before the commit runs the request afresh. Keys are per person, so one person's key
can never replay another's answer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from functions.store import Tx

HEADER = "Idempotency-Key"
KEEP_FOR = 24 * 60 * 60  # seconds; clients retry within minutes, a day covers a laptop closed mid-save
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as in the IETF Idempotency-Key draft's examples


@dataclass(frozen=True)
class Outcome:
    """What a request answered: its status and its JSON body, exactly as first sent."""

    status: int
    body: str


class KeyReused(Exception):
    """The key was used before for a different request."""


def valid(key: str) -> bool:
    return bool(KEY.match(key))


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests the same request."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def recall(tx: Tx, person_id: str, key: str, request: str) -> Outcome | None:
    """The stored outcome of this key, if any. Raises KeyReused when the key belonged to another request."""
    row = tx.one(
        "SELECT request_hash, status, body FROM idempotency_keys WHERE person_id = ? AND idempotency_key = ?",
        (person_id, key),
    )
    return outcome(row, request)


def outcome(row: dict | None, request: str) -> Outcome | None:
    """The stored outcome in `row` (request_hash, status and body, read with other things), if any;
    KeyReused when the key belonged to another request."""
    if row is None or row["request_hash"] is None:
        return None
    if row["request_hash"] != request:
        raise KeyReused()
    return Outcome(row["status"], row["body"])


TABLE = "idempotency_keys"


def row(person_id: str, key: str, request: str, outcome: Outcome, at: int) -> dict:
    """The record of a request's outcome, as stored."""
    return {
        "person_id": person_id,
        "idempotency_key": key,
        "request_hash": request,
        "status": outcome.status,
        "body": outcome.body,
        "created_at": at,
    }


def remember(tx: Tx, person_id: str, key: str, request: str, outcome: Outcome, at: int) -> None:
    """Store the outcome with the request's effect (a second request racing with the same key gets Conflict)."""
    tx.insert(TABLE, row(person_id, key, request, outcome, at))


def forget_older_than(tx: Tx, cutoff: int) -> int:
    """Delete the records made before `cutoff` (the retention job); returns how many."""
    return tx.execute("DELETE FROM idempotency_keys WHERE created_at < ?", (cutoff,))
