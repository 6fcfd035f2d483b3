"""The store: a lone read on both databases, and a database out of reach as a StoreError, never a driver's error."""

from __future__ import annotations

import os
import threading
import time

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


def test_a_sqlite_connection_runs_with_wal_a_full_sync_and_foreign_keys_on_in_every_thread(tmp_path):
    """Each thread has its own SQLite connection, so each must be set up the same way."""

    store = Store(f"sqlite:///{tmp_path / 'exchange.sqlite3'}")
    store.migrate()
    seen: list[tuple] = []

    def look() -> None:
        seen.append(
            (
                store.read("PRAGMA journal_mode")[0]["journal_mode"],
                store.read("PRAGMA synchronous")[0]["synchronous"],
                store.read("PRAGMA foreign_keys")[0]["foreign_keys"],
            )
        )

    look()
    other = threading.Thread(target=look)
    other.start()
    other.join()
    store.close()
    assert seen == [("wal", 2, 1), ("wal", 2, 1)]  # synchronous 2 is FULL


def test_a_row_naming_a_missing_parent_is_refused_on_both_databases(fresh_store):
    import sqlite3

    import psycopg

    with fresh_store.transaction() as tx:
        tx.execute("CREATE TABLE parents (id TEXT PRIMARY KEY)")
        tx.execute("CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents (id))")
        tx.insert("parents", {"id": "p"})
    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)), fresh_store.transaction() as tx:
        tx.insert("children", {"id": "orphan", "parent_id": "missing"})
    with fresh_store.transaction() as tx:
        tx.insert("children", {"id": "child", "parent_id": "p"})
    assert fresh_store.read("SELECT id FROM children") == [{"id": "child"}]


def test_every_migration_is_recorded_once_and_running_them_again_changes_nothing(fresh_store):
    versions = [version for version, _ in fresh_store.migrations()]
    recorded = fresh_store.read("SELECT version, applied_at FROM schema_migrations ORDER BY version")
    assert [r["version"] for r in recorded] == versions and versions
    tables = {table: fresh_store.columns(table) for table in fresh_store.tables()}

    assert fresh_store.migrate() == []
    again = Store(fresh_store.url)  # as when the app starts again, in a new process
    try:
        assert again.migrate() == []
    finally:
        again.close()

    assert fresh_store.read("SELECT version, applied_at FROM schema_migrations ORDER BY version") == recorded
    assert {table: fresh_store.columns(table) for table in fresh_store.tables()} == tables


def test_the_same_migrations_give_the_same_tables_and_columns_on_sqlite_and_postgresql(tmp_path, empty_postgres_url):
    stores = [Store(f"sqlite:///{tmp_path / 'exchange.sqlite3'}"), Store(empty_postgres_url)]
    try:
        applied = [store.migrate() for store in stores]
        shapes = [{table: store.columns(table) for table in store.tables()} for store in stores]
    finally:
        for store in stores:
            store.close()
    assert applied[0] == applied[1] == [version for version, _ in stores[0].migrations()]
    assert "sign_in_links" in shapes[0] and "schema_migrations" in shapes[0]
    assert shapes[0] == shapes[1]


def test_threads_that_come_and_go_do_not_leave_sqlite_connections_open(tmp_path):
    """The server's worker threads end when idle and new ones start: each one's connection is closed once it
    has ended, so the process's open files stay level however many threads it has had."""
    store = Store(f"sqlite:///{tmp_path / 'threads.sqlite3'}")
    store.migrate()

    def read_once():
        store.read("SELECT 1 AS one")

    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    def run_threads(count: int) -> None:
        for _ in range(count):
            thread = threading.Thread(target=read_once)
            thread.start()
            thread.join()

    run_threads(5)
    before = open_files()
    run_threads(300)
    assert open_files() - before <= 4
    assert store.read("SELECT 1 AS one") == [{"one": 1}]
    store.close()


def test_a_question_mark_or_percent_sign_in_sql_that_is_not_a_placeholder_stays_as_written(fresh_store):
    """Only a `?` outside literals, quoted identifiers and comments is a placeholder; `%` is never one."""
    with fresh_store.transaction() as tx:
        tx.execute('CREATE TABLE marks ("why?" TEXT, said TEXT)')
        tx.execute("INSERT INTO marks (\"why?\", said) VALUES ('who? 100%', ?) -- a comment? 5%", ("it's ?",))
        tx.execute("/* a block comment? 50% */ INSERT INTO marks (\"why?\", said) VALUES (?, '%s')", ("second",))
    rows = fresh_store.read("SELECT \"why?\" AS why, said FROM marks WHERE said LIKE '%' || ? ORDER BY said", ("?",))
    assert rows == [{"why": "who? 100%", "said": "it's ?"}]
    with fresh_store.transaction(write=False) as tx:
        assert tx.value("SELECT said FROM marks WHERE \"why?\" = ?", ("second",)) == "%s"
        assert tx.value("SELECT COUNT(*) AS n FROM marks WHERE said LIKE '%?%' OR said = ?", ("%s",)) == 2


def test_a_lock_by_name_serialises_writers_of_the_same_name_on_both_databases(fresh_store):
    """`Tx.lock`: a second writer locking the same name waits until the first transaction ends."""
    order: list[str] = []
    first_in = threading.Event()

    def first():
        with fresh_store.transaction() as tx:
            tx.lock("E06000041")
            first_in.set()
            time.sleep(0.3)
            order.append("first done")

    def second():
        first_in.wait(5)
        with fresh_store.transaction() as tx:
            tx.lock("E06000041")
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert order == ["first done", "second in"]
