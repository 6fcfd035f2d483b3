"""Assessment rounds: a council runs one round a year, tied to the questionnaire edition of the day.

A round is opened by the council's super-user; members answer individually while it is open;
it is then closed and its consensus published (functions/consensus/store.py). Every lookup takes the
council, so a round id from another council finds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from functions.ids import new_id
from functions.store import Conflict, Tx

OPEN = "open"  # members may answer
CLOSED = "closed"  # answers are frozen; the super-user records the consensus
PUBLISHED = "published"  # the consensus response is published


@dataclass(frozen=True)
class Round:
    """One council's assessment round for one year."""

    id: str
    council: str
    edition: str
    year: int
    status: str
    opened_at: int
    closed_at: int | None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


class RoundExists(Conflict):
    """The council already has a round for that year; `existing` is it."""

    def __init__(self, existing: Round):
        super().__init__(
            f"year: expected a year without a round, got {existing.year} (a round was opened on {_date(existing.opened_at)})"
        )
        self.existing = existing


def _date(at: int) -> str:
    day = dt.datetime.fromtimestamp(at, dt.UTC).date()
    return f"{day.day} {day:%B %Y}"


def _round(row: dict) -> Round:
    return Round(row["id"], row["council"], row["edition"], row["year"], row["status"], row["opened_at"], row["closed_at"])


def year_of(at: int) -> int:
    """The calendar year (UTC) a timestamp falls in: the year a round opened now is for."""
    return dt.datetime.fromtimestamp(at, dt.UTC).year


def open_round(tx: Tx, council: str, edition: str, opened_by: str, at: int) -> Round:
    """Open the council's round for the year of `at`. Raises RoundExists if it already has one."""
    year = year_of(at)
    existing = tx.one("SELECT * FROM rounds WHERE council = ? AND year = ?", (council, year))
    if existing:
        raise RoundExists(_round(existing))
    new = Round(new_id(), council, edition, year, OPEN, at, None)
    # two super-users opening at once: the unique (council, year) key turns the second into a Conflict
    tx.insert(
        "rounds",
        {
            "id": new.id,
            "council": council,
            "edition": edition,
            "year": year,
            "status": OPEN,
            "opened_at": at,
            "opened_by": opened_by,
            "closed_at": None,
        },
    )
    return new


def get(tx: Tx, council: str, round_id: str) -> Round | None:
    """The council's round with this id; None if there is none, or it is another council's."""
    row = tx.one("SELECT * FROM rounds WHERE id = ? AND council = ?", (round_id, council))
    return _round(row) if row else None


def for_council(tx: Tx, council: str) -> list[Round]:
    """The council's rounds, newest first."""
    return [_round(r) for r in tx.all("SELECT * FROM rounds WHERE council = ? ORDER BY year DESC", (council,))]


def current(tx: Tx, council: str) -> Round | None:
    """The council's open round, if it has one (the newest, should there ever be two)."""
    return next((r for r in for_council(tx, council) if r.is_open), None)


def set_status(tx: Tx, council: str, round_id: str, status: str, at: int) -> Round | None:
    """Move a round on to closed or published. The first move records `closed_at`, which starts the
    retention clock for the individual answers (functions/retention.py)."""
    if status not in (CLOSED, PUBLISHED):
        raise ValueError(f"status: expected {CLOSED} or {PUBLISHED}, got {status!r}")
    tx.execute(
        "UPDATE rounds SET status = ?, closed_at = COALESCE(closed_at, ?) WHERE id = ? AND council = ?",
        (status, at, round_id, council),
    )
    return get(tx, council, round_id)
