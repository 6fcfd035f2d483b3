"""The store: SQL behind one interface on SQLite and PostgreSQL, its migrations, and batched writes.

Exports `Store` (a pool of connections and its migrations), `Tx` (one transaction), and the
errors callers turn into answers: `Conflict` (a race lost: 409) and `StoreError` (the database out
of reach: 503). `batches` writes saves that arrive together in one transaction.
"""

from functions.store.database import MIGRATIONS, Conflict, Store, StoreError, Tx

__all__ = ["MIGRATIONS", "Conflict", "Store", "StoreError", "Tx"]
