"""The store: a lone read on both databases, and a database out of reach as a StoreError, never a driver's error."""

from __future__ import annotations

import pytest

from functions.store import Store, StoreError


def test_a_lone_read_gives_rows_as_dicts_and_sees_what_was_committed(fresh_store):
    with fresh_store.transaction() as tx:
        tx.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
        tx.insert("notes", {"id": "a", "body": "first"})
        tx.insert("notes", {"id": "b", "body": "second"})
    assert fresh_store.read("SELECT id, body FROM notes WHERE id > ? ORDER BY id", ("",)) == [
        {"id": "a", "body": "first"},
        {"id": "b", "body": "second"},
    ]
    assert fresh_store.read("SELECT id FROM notes WHERE id = ?", ("z",)) == []
    assert fresh_store.ping()


def test_a_lone_read_leaves_no_transaction_open_behind_it(fresh_store):
    """On PostgreSQL a connection left inside a transaction would hold its snapshot and locks; the next
    transaction on it must start afresh and see what others committed since."""
    for _ in range(3):  # more reads than the pool has idle connections at first
        fresh_store.read("SELECT 1 AS one")
    with fresh_store.transaction() as tx:
        tx.execute("CREATE TABLE seen (id TEXT PRIMARY KEY)")
    with fresh_store.transaction() as tx:
        tx.insert("seen", {"id": "x"})
    assert fresh_store.read("SELECT id FROM seen") == [{"id": "x"}]
    if fresh_store.dialect == "postgresql":
        assert fresh_store.read("SELECT now() = statement_timestamp() AS alone") == [{"alone": True}]  # not inside a transaction


def test_a_database_out_of_reach_is_a_store_error_for_reads_and_transactions(postgres_url):
    store = Store(postgres_url)
    store.close()  # as when the pool is stopped: no connection can be had
    with pytest.raises(StoreError, match=r"could not be used"):
        store.read("SELECT 1")
    with pytest.raises(StoreError, match=r"could not be used"), store.transaction() as tx:
        tx.value("SELECT 1")
    assert not store.ping()



def test_a_lone_write_returns_what_it_returns_and_a_taken_key_is_a_conflict(fresh_store):
    from functions.store import Conflict

    with fresh_store.transaction() as tx:
        tx.execute("CREATE TABLE tags (id TEXT PRIMARY KEY, n INTEGER NOT NULL)")
    assert fresh_store.write_alone("INSERT INTO tags (id, n) VALUES (?, ?) RETURNING n", ("a", 7)) == [{"n": 7}]
    assert fresh_store.write_alone("UPDATE tags SET n = n + 1 WHERE id = ? RETURNING n", ("a",)) == [{"n": 8}]
    with pytest.raises(Conflict):
        fresh_store.write_alone("INSERT INTO tags (id, n) VALUES (?, ?)", ("a", 1))
    assert fresh_store.read("SELECT id, n FROM tags") == [{"id": "a", "n": 8}]  # committed on its own, and kept
