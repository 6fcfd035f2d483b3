"""The audit log: append-only records of who read whose answers, who changed roles and who signed in."""

from __future__ import annotations

import json

from functions.ids import new_id
from functions.store import Tx


def record(tx: Tx, at: int, action: str, actor: str | None, subject: str | None = None, council: str | None = None, **detail) -> None:
    """Append one entry. `actor` and `subject` are pseudonyms (people.pseudonym), never names or addresses."""
    tx.insert(
        "audit_log",
        {
            "id": new_id(),
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "council": council,
            "detail": json.dumps(detail, sort_keys=True) if detail else "",
        },
    )


def entries(tx: Tx, council: str | None = None, limit: int = 200) -> list[dict]:
    """The newest entries, for one council or all."""
    if council:
        return tx.all("SELECT * FROM audit_log WHERE council = ? ORDER BY at DESC, id LIMIT ?", (council, limit))
    return tx.all("SELECT * FROM audit_log ORDER BY at DESC, id LIMIT ?", (limit,))
