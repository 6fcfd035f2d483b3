"""The store: SQLite by default, PostgreSQL when the database URL names it, behind one small interface with migrations.

SQL is written once, with `?` placeholders, in the subset both databases share; timestamps are
integer seconds since the epoch (BIGINT), ids are text made by the app, booleans are 0/1.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000  # a writer waits this long for another to finish before giving up
POOL_WAIT = 5  # seconds a request waits for a PostgreSQL connection before answering 503, rather than hang


class StoreError(Exception):
    """The database could not be reached or used; the message says which and why, without secrets."""


class Conflict(Exception):
    """A write lost a race (a unique key taken, a version moved on); callers turn it into a 409."""


def _redact(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url)


class Tx:
    """One transaction. `execute`, `one` and `all` take SQL with `?` placeholders."""

    def __init__(self, conn, dialect: str):
        self.conn = conn
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        return _placeholders(sql, self.dialect)

    def execute(self, sql: str, params: tuple | list = ()) -> int:
        """Run a statement; returns the number of rows it changed."""
        with _unique_as_conflict():
            cur = self.conn.execute(self._sql(sql), tuple(params))
        return cur.rowcount

    def one(self, sql: str, params: tuple | list = ()) -> dict | None:
        cur = self.conn.execute(self._sql(sql), tuple(params))
        row = cur.fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: tuple | list = ()) -> list[dict]:
        cur = self.conn.execute(self._sql(sql), tuple(params))
        return [dict(r) for r in cur.fetchall()]

    def each(self, sql: str, params: tuple | list = ()) -> Iterator[dict]:
        """The rows one at a time: for a query whose rows are many, not all held as dicts at once."""
        cur = self.conn.execute(self._sql(sql), tuple(params))
        for r in cur:
            yield dict(r)

    def value(self, sql: str, params: tuple | list = ()):
        row = self.one(sql, params)
        return None if row is None else next(iter(row.values()))

    def insert(self, table: str, values: dict) -> None:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))

    def insert_many(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple], per_statement: int = 400) -> None:
        """Insert many rows, taken from `rows` as they come (a generator's rows are never all held at once).

        SQLite runs one prepared statement for every row (executemany, in C: no round trips to save);
        PostgreSQL gets a few hundred rows to a statement, one round trip each."""
        names = ", ".join(columns)
        one_row = "(" + ", ".join("?" for _ in columns) + ")"
        if self.dialect == "sqlite":
            with _unique_as_conflict():
                self.conn.executemany(f"INSERT INTO {table} ({names}) VALUES {one_row}", rows)
            return
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, per_statement)):
            self.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([one_row] * len(chunk))}", [v for row in chunk for v in row])

    def lock(self, name: str) -> None:
        """Serialise, until this transaction ends, the writers that lock the same name (two super-users
        demoting each other at once). SQLite's writing transactions already hold the database's write
        lock; on PostgreSQL a transaction-scoped advisory lock keyed by the name."""
        if self.dialect == "postgresql":
            self.execute("SELECT pg_advisory_xact_lock(7310002, hashtext(?))", (name,))


# A placeholder is a `?` outside string literals, quoted identifiers and comments. These are the parts
# of SQL that can hold a `?` that is not one, each matched whole, so that only real placeholders change.
_SQL_PARTS = re.compile(
    r"'(?:[^']|'')*'"  # a string literal ('it''s')
    r'|"(?:[^"]|"")*"'  # a quoted identifier
    r"|--[^\n]*"  # a comment to the end of the line
    r"|/\*.*?\*/"  # a block comment
    r"|\?"  # a placeholder
    r"|%",  # psycopg's own marker: a literal % is written %%
    re.DOTALL,
)


@functools.lru_cache(maxsize=2048)
def _pg_sql(sql: str) -> str:
    """SQL written with `?` placeholders as psycopg takes it: each placeholder becomes `%s` and every `%`
    is doubled (psycopg reads the whole text, literals included); a `?` inside a literal, a quoted
    identifier or a comment stays a `?`."""

    def part(match: re.Match) -> str:
        text = match.group(0)
        return "%s" if text == "?" else text.replace("%", "%%")

    return _SQL_PARTS.sub(part, sql)


def _placeholders(sql: str, dialect: str) -> str:
    return _pg_sql(sql) if dialect == "postgresql" else sql


@contextmanager
def _unique_as_conflict():
    """A unique key already taken, on either database, raised as Conflict; every other error as it was."""
    try:
        yield
    except Exception as err:
        if _is_unique_violation(err):
            raise Conflict(str(err).splitlines()[0]) from err
        raise


def _is_unique_violation(err: Exception) -> bool:
    if isinstance(err, sqlite3.IntegrityError):
        return "UNIQUE" in str(err) or "PRIMARY KEY" in str(err)
    return getattr(err, "sqlstate", None) == "23505"


class Store:
    """A pool of connections to one database, and its migrations.

    Callers never ask which database it is: the store decides how a write is made (`write`,
    `write_soon`) and where a lone read runs (`read_soon`). `one_statement_writes` says whether one
    statement may hold several writes (a WITH of INSERTs and UPDATEs: PostgreSQL, not SQLite), for the
    few saves written that way to spare round trips.
    """

    def __init__(self, url: str, pool_size: int = 10):
        self.url = url
        if url.startswith("sqlite:///"):
            self.dialect = "sqlite"
            self.one_statement_writes = False
            self.path = Path(url.removeprefix("sqlite:///"))
            self._local = threading.local()
            self._all: dict[threading.Thread, sqlite3.Connection] = {}  # each thread's own connection
            self._lock = threading.Lock()
            # Writers in this process queue here, then take SQLite's own lock at once. Left to SQLite,
            # a waiting writer sleeps and polls (its busy handler backs off to 100 ms sleeps), so
            # under load saves wait long after the lock is free. Other processes still queue on SQLite's.
            self._writer = threading.RLock()
        elif url.startswith(("postgresql://", "postgres://")):
            self.dialect = "postgresql"
            self.one_statement_writes = True
            self._pool = self._pg_pool(url, pool_size)
        else:
            raise StoreError(f"database URL: expected sqlite:///path or postgresql://..., got {_redact(url)}")

    # -- connections -------------------------------------------------------------------------

    def _pg_pool(self, url: str, size: int):
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        # Autocommit connections: `read` then costs one round trip (a lone SELECT, no BEGIN and COMMIT
        # around it), and `transaction` still opens its own with BEGIN, as it always did.
        pool = ConnectionPool(
            url, min_size=1, max_size=size, kwargs={"row_factory": dict_row, "autocommit": True}, open=False, timeout=POOL_WAIT
        )
        try:
            pool.open(wait=True, timeout=10)
        except Exception as err:
            pool.close()
            raise StoreError(f"database at {_redact(url)} could not be reached: {str(err).splitlines()[0]}") from None
        return pool

    def _sqlite(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
            except (sqlite3.Error, OSError) as err:
                raise StoreError(f"database file {self.path} could not be opened: {err}") from None
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives a power cut
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._local.conn = conn
            with self._lock:
                self._close_ended()
                self._all[threading.current_thread()] = conn
        return conn

    def _close_ended(self) -> None:
        """Close the connections of threads that have ended (the server's worker threads come and go), so
        that open files do not grow with every thread the process has ever had. Called with the lock held."""
        for thread in [t for t in self._all if not t.is_alive()]:
            try:
                self._all.pop(thread).close()
            except sqlite3.Error:
                pass

    @contextmanager
    def transaction(self, write: bool = True, snapshot: bool = False) -> Iterator[Tx]:
        """A transaction: committed when the block ends, rolled back if it raises.

        On SQLite a writing transaction takes the write lock at its start (BEGIN IMMEDIATE), so
        two writers queue rather than fail halfway. `snapshot` makes every read in the transaction
        see the database as it was at its first read, whatever commits meanwhile: on PostgreSQL a
        REPEATABLE READ transaction; on SQLite in WAL mode every transaction already reads that way.
        """
        if self.dialect == "sqlite":
            conn = self._sqlite()
            with self._writer if write else contextlib.nullcontext():
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield Tx(conn, "sqlite")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                else:
                    conn.execute("COMMIT")
        else:
            from psycopg import OperationalError
            from psycopg_pool import PoolTimeout

            try:
                with self._pool.connection() as conn:
                    with conn.transaction():
                        if snapshot:
                            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                        yield Tx(conn, "postgresql")
            except (OperationalError, PoolTimeout) as err:
                # the server went away (a restart, a crash, the network): a 503, and the pool drops the
                # broken connection and makes new ones once the server is back
                raise StoreError(f"database at {_redact(self.url)} could not be used: {str(err).splitlines()[0]}") from None

    def write(self, work: Callable[[Tx], T]) -> T:
        """Run `work` in a writing transaction and return its result once committed; raise what it
        raised (then nothing of it was kept). The store decides how: on SQLite, where writers take turns
        and every commit waits for the disk, writes arriving together share one transaction and one
        commit, each in a savepoint of its own (batches.py); on PostgreSQL, where writers do not queue,
        each has its own transaction."""
        if self.dialect == "sqlite":
            from functions.store import batches

            return batches.for_store(self).write(work)
        with self.transaction() as tx:
            return work(tx)

    async def write_soon(self, work: Callable[[Tx], T]) -> T:
        """`write`, awaited from the event loop: on SQLite the batch writer's thread runs it and no worker
        thread sits waiting for the commit; on PostgreSQL a worker thread runs it."""
        if self.dialect == "sqlite":
            from functions.store import batches

            return await asyncio.wrap_future(batches.for_store(self).submit(work))
        return await run_in_threadpool(self.write, work)

    async def read_soon(self, reads: Callable[..., T], *args) -> T:
        """`reads(*args)`, a function that makes only lone reads (`read`), awaited from the event loop. On
        SQLite such a read takes tens of microseconds and, in WAL mode, never waits for a writer: it runs
        at once, since a hand-over to a worker thread costs more (docs/benchmarks.md). On PostgreSQL it is
        a round trip, which must not stall the event loop: a worker thread runs it."""
        if self.dialect == "sqlite":
            return reads(*args)
        return await run_in_threadpool(reads, *args)

    def read(self, sql: str, params: tuple | list = ()) -> list[dict]:
        """The rows of one statement that only reads, run on its own, outside any transaction.

        A statement alone is consistent by itself: on PostgreSQL this is one round trip instead of three
        (BEGIN, the statement, COMMIT), and on SQLite the statement is its own read transaction. Use it for
        a single read (the session behind a cookie); anything that writes, or reads twice and needs both
        reads to agree, uses `transaction`.
        """
        return self._alone(sql, params, write=False)

    def write_alone(self, sql: str, params: tuple | list = ()) -> list[dict]:
        """Run one statement that writes, committed on its own (one round trip on PostgreSQL), and return
        the rows it returns (RETURNING). It is atomic only because it is one statement: a write of several
        rows that must stand or fall together is one statement (on PostgreSQL, a WITH of several) or goes in
        a `transaction`. A unique key already taken raises Conflict.
        """
        return self._alone(sql, params, write=True)

    def _alone(self, sql: str, params: tuple | list, write: bool) -> list[dict]:
        if self.dialect == "sqlite":
            with self._writer if write else contextlib.nullcontext(), _unique_as_conflict():
                return [dict(r) for r in self._sqlite().execute(sql, tuple(params)).fetchall()]
        from psycopg import OperationalError

        try:
            with _unique_as_conflict(), self._pool.connection() as conn:
                return conn.execute(_placeholders(sql, "postgresql"), tuple(params)).fetchall()
        except OperationalError as err:  # the pool's own errors (closed, timed out) are OperationalErrors too
            raise StoreError(f"database at {_redact(self.url)} could not be used: {str(err).splitlines()[0]}") from None

    def close(self) -> None:
        if self.dialect == "sqlite":
            with self._lock:
                for conn in self._all.values():
                    try:
                        conn.close()
                    except sqlite3.Error:
                        pass
                self._all.clear()
            self._local = threading.local()
        else:
            self._pool.close()

    def ping(self) -> bool:
        try:
            return self.read("SELECT 1 AS ok") == [{"ok": 1}]
        except Exception:
            return False

    # -- migrations --------------------------------------------------------------------------

    def migrations(self) -> list[tuple[str, str]]:
        """(version, SQL) of every migration, in order; a .postgresql.sql file replaces its twin there."""
        found: dict[str, Path] = {}
        for path in sorted(MIGRATIONS.glob("*.sql")):
            parts = path.name.split(".")
            version = parts[0]
            if len(parts) == 3 and parts[1] != self.dialect:
                continue
            if len(parts) == 3 or version not in found:
                found[version] = path
        return [(v, found[v].read_text(encoding="utf-8")) for v in sorted(found)]

    def pending(self) -> list[str]:
        """The versions of the migrations not yet applied (every one, on a database never migrated)."""
        with self.transaction(write=False) as tx:
            if "schema_migrations" not in self._table_names(tx):
                return [v for v, _ in self.migrations()]
            applied = {r["version"] for r in tx.all("SELECT version FROM schema_migrations")}
        return [v for v, _ in self.migrations() if v not in applied]

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied; returns their versions. Safe to run from several processes."""
        applied_now = []
        with self.transaction() as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        for version, sql in self.migrations():
            with self.transaction() as tx:
                if self.dialect == "postgresql":
                    tx.execute("SELECT pg_advisory_xact_lock(7310001)")
                if tx.one("SELECT version FROM schema_migrations WHERE version = ?", (version,)):
                    continue
                for statement in _statements(sql):
                    tx.conn.execute(statement)
                tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", (version, int(time.time())))
                applied_now.append(version)
        return applied_now

    def tables(self) -> list[str]:
        """The names of the application's tables and views (for tests and exports), on either database."""
        with self.transaction(write=False) as tx:
            return self._table_names(tx)

    def _table_names(self, tx: Tx) -> list[str]:
        if self.dialect == "sqlite":
            rows = tx.all("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
        else:
            rows = tx.all("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()")
        return sorted(r["name"] for r in rows)

    def columns(self, table: str) -> list[str]:
        with self.transaction(write=False) as tx:
            if self.dialect == "sqlite":
                return [r["name"] for r in tx.all(f"PRAGMA table_info({table})")]
            rows = tx.all(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                (table,),
            )
            return [r["column_name"] for r in rows]


def _statements(sql: str) -> list[str]:
    """Split a migration into statements. A statement ends with ';' at the end of a line, except inside
    a block marked by lines '-- begin block' and '-- end block' (trigger bodies)."""
    out, current, in_block = [], [], False
    for line in sql.splitlines():
        marker = line.strip().lower()
        if marker == "-- begin block":
            in_block = True
            continue
        if marker == "-- end block":
            in_block = False
            out.append("\n".join(current).strip().rstrip(";"))
            current = []
            continue
        if marker.startswith("--") and not in_block:
            continue
        current.append(line)
        if not in_block and line.rstrip().endswith(";"):
            out.append("\n".join(current).strip().rstrip(";"))
            current = []
    if "\n".join(current).strip():
        out.append("\n".join(current).strip())
    return [s for s in out if s]
