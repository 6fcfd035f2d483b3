"""Retention: the one list of what expires and when, and the job (`tie retention`, nightly) that removes it.

The periods are those the privacy notice (generator/pages/text/privacy.md) states; tests check the two
agree. A feature with data that expires adds a Step to STEPS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from functions import audit, mail
from functions.assessment import idempotency, responses
from functions.councils import invitations
from functions.feedback import store as feedback
from functions.people import privacy, sessions
from functions.people import store as people
from functions.store import Store, Tx
from functions.web import ratelimit

log = logging.getLogger("exchange")

DAY = 86400
AUDIT_LOG_KEPT = 2 * 365 * DAY  # 63072000 s, as the audit log's triggers (migration 0001) enforce
ACCOUNT_IDLE = 365 * DAY  # an account in no council, unused for 12 months, is erased
RATE_LIMITS_KEPT = DAY
SET_UP_KEPT = DAY  # a second factor set up but never confirmed
ANSWERS_KEPT = 365 * DAY  # after their round closes: time to revisit the consensus, then individual answers go
# Copies of emails in the outbox folder (when no mail server is set): kept as long as the longest-lived
# link an email carries works (an invitation's), which is as long as anyone running it locally needs them.
OUTBOX_KEPT = invitations.INVITATION_VALID


@dataclass(frozen=True)
class Step:
    """One kind of data that expires: what it is, how long it is kept (as the notice says), and how to remove it:
    `run` in the store, or `sweep` in the outbox folder."""

    what: str
    kept: str
    run: Callable[[Tx, int], int] | None = None  # removes what has expired at `now`; returns how many were removed
    sweep: Callable[[Path, int], int] | None = None  # the same, for files in the outbox folder


def delete(sql: str, age: int = 0) -> Callable[[Tx, int], int]:
    """A step that runs `sql`, whose every `?` is the cutoff: now less `age` seconds."""

    def run(tx: Tx, now: int) -> int:
        return tx.execute(sql, (now - age,) * sql.count("?"))

    return run


def _idle_accounts(tx: Tx, now: int) -> int:
    rows = tx.all(
        "SELECT id FROM people WHERE operator = 0 AND last_seen_at < ? AND id NOT IN (SELECT person_id FROM memberships)",
        (now - ACCOUNT_IDLE,),
    )
    for row in rows:
        privacy.erase(tx, people.by_id(tx, row["id"]), now)
    return len(rows)


STEPS: tuple[Step, ...] = (
    Step(
        "Sign-in links",
        "until used or expired (15 minutes)",
        delete("DELETE FROM sign_in_links WHERE expires_at <= ? OR used_at IS NOT NULL"),
    ),
    Step(
        "Invitations to join a council", "14 days", delete("DELETE FROM invitations WHERE expires_at <= ? OR used_at IS NOT NULL")
    ),
    Step(
        "Sessions",
        "2 hours without use, 12 hours at most",
        lambda tx, now: tx.execute(
            "DELETE FROM sessions WHERE revoked_at IS NOT NULL OR last_seen_at <= ? OR created_at <= ?",
            (now - sessions.IDLE_TIMEOUT, now - sessions.ABSOLUTE_TIMEOUT),
        ),
    ),
    Step(
        "Second-factor set-ups never confirmed",
        "one day",
        delete("DELETE FROM two_factor WHERE confirmed_at IS NULL AND created_at <= ?", SET_UP_KEPT),
    ),
    Step("Rate-limit counters", "one day", lambda tx, now: ratelimit.purge(tx, now - RATE_LIMITS_KEPT)),
    Step(
        "Individual answers and comments",
        "until 12 months after the round they belong to closes",
        lambda tx, now: responses.delete_for_rounds_closed_before(tx, now - ANSWERS_KEPT),
    ),
    Step(
        "Records that let a retried save be stored once",
        "one day",
        lambda tx, now: idempotency.forget_older_than(tx, now - idempotency.KEEP_FOR),
    ),
    Step("Audit log", "2 years", delete("DELETE FROM audit_log WHERE at < ?", AUDIT_LOG_KEPT)),
    Step("Accounts in no council, not signed in for 12 months", "12 months", _idle_accounts),
    Step("Feedback", "12 months", feedback.purge),  # feedback.RETENTION (functions/feedback/store.py)
    Step(
        "Copies of emails in the outbox folder",
        "14 days",
        sweep=lambda folder, now: mail.purge_outbox(folder, now - OUTBOX_KEPT),
    ),
)


def run(store: Store, now: int, outbox: Path | None = None) -> dict[str, int]:
    """Run every step, each in its own transaction (a sweep in `outbox`, when given); returns how many each removed."""
    removed = {}
    for step in STEPS:
        if step.sweep is not None:
            removed[step.what] = step.sweep(outbox, now) if outbox is not None else 0
            continue
        with store.transaction() as tx:
            removed[step.what] = step.run(tx, now)
    with store.transaction() as tx:
        audit.record(tx, now, "retention.run", actor=None, **{k: v for k, v in removed.items() if v})
    log.info("retention removed %s", ", ".join(f"{k}: {v}" for k, v in removed.items()))
    return removed
