"""What `tie build` reads from the store for the site: councils' responses published for everyone, and the demo mark.

Read only when a database is configured: a PostgreSQL URL, or a SQLite file that exists (the build
never creates one). A database the app has not migrated yet holds nothing to show.
"""

from __future__ import annotations

from pathlib import Path

from functions.consensus import store as consensus
from functions.demo import store as demo
from functions.settings import Settings
from functions.store import Store
from model.published import NONE, Published


def configured(settings: Settings) -> bool:
    if settings.is_postgres:
        return True
    return Path(settings.database_url.removeprefix("sqlite:///")).is_file()


def read(settings: Settings) -> Published:
    """The public responses by council and whether they are demo data; NONE without a database.

    Raises functions.store.StoreError when a configured database cannot be reached.
    """
    if not configured(settings):
        return NONE
    store = Store(settings.database_url, pool_size=1)
    try:
        tables = set(store.tables())
        if "consensus_responses" not in tables:
            return NONE
        with store.transaction(write=False) as tx:
            responses = consensus.public_responses(tx)
            holds_demo = "demo_data" in tables and demo.holds_demo(tx)
    finally:
        store.close()
    return Published({r.council: r for r in responses}, holds_demo)
