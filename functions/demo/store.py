"""Whether a database holds demo data, and whether it holds real responses that demo data must never mix with."""

from __future__ import annotations

from dataclasses import dataclass

from functions.store import Store, Tx


class HoldsRealResponses(Exception):
    """The database holds councils' real rounds or responses: demo data would be mistaken for them, or they for it."""


@dataclass(frozen=True)
class Demo:
    created_at: int
    seed: int
    nights: int


def get(tx: Tx) -> Demo | None:
    """The demo mark, or None when the database holds no demo data."""
    row = tx.one("SELECT created_at, seed, nights FROM demo_data WHERE id = 1")
    return Demo(row["created_at"], row["seed"], row["nights"]) if row else None


def holds_demo(tx: Tx) -> bool:
    return get(tx) is not None


def marked(store: Store) -> bool:
    """Whether the database holds demo data now: one read of one row by its key, outside any transaction,
    cheap enough to ask on every page served (functions/demo/banner.py), so that `tie demo` run while the
    app serves shows on the next page."""
    return bool(store.read("SELECT 1 AS marked FROM demo_data WHERE id = 1"))


def real_rounds(tx: Tx) -> int:
    """How many rounds the database holds that are not demo data (0 for a demo database)."""
    if holds_demo(tx):
        return 0
    return int(tx.value("SELECT COUNT(*) FROM rounds") or 0) + int(tx.value("SELECT COUNT(*) FROM consensus_responses") or 0)


def mark(tx: Tx, at: int, seed: int) -> None:
    """Record that the database holds demo data. Raises HoldsRealResponses when it holds any real round or response."""
    found = real_rounds(tx)
    if found:
        raise HoldsRealResponses(f"the database holds {found} real round(s) and response(s)")
    tx.insert("demo_data", {"id": 1, "created_at": at, "seed": seed, "nights": 0})


def add_night(tx: Tx) -> int:
    """Count one more night played; returns its number (the first `tie demo` is night 0)."""
    tx.execute("UPDATE demo_data SET nights = nights + 1 WHERE id = 1")
    return int(tx.value("SELECT nights FROM demo_data WHERE id = 1"))
