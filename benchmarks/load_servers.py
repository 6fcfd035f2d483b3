"""What the load and durability benchmarks run against: the real app and a bare Starlette endpoint, each as
its own server process, on SQLite or PostgreSQL; members with sessions and an open round to answer.

    .venv/bin/python -m benchmarks.load_servers real --db URL --port 8101 --secret S --data DIR
    .venv/bin/python -m benchmarks.load_servers bare --db URL --port 8102

A private PostgreSQL cluster (`PrivatePostgres`) lets the durability benchmark stop the database
server itself ("immediate" mode: no shutdown checkpoint, as in a crash) without touching the
machine's shared server.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNCILS = os.environ.get("TIE_COUNCILS") or str((ROOT / ".." / "shared" / "data" / "uk-councils" / "datapackage.json").resolve())
QUESTIONNAIRE = ROOT / "questionnaire"
PG_ADMIN_URL = os.environ.get("TIE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BIN = Path(os.environ.get("TIE_PG_BIN", "/usr/lib/postgresql/15/bin"))
COUNCIL = "NYE"  # North Yorkshire Council: a unitary council, to which every statement applies


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the two apps ------------------------------------------------------------------------------


def real_app(database_url: str, secret: str, data_dir: Path, port: int):
    from functions.app import create_app
    from functions.settings import Settings

    settings = Settings(
        root=ROOT,
        database_url=database_url,
        councils=COUNCILS,
        site_url=f"http://127.0.0.1:{port}",
        port=port,
        secret_key=secret,
        data_dir=data_dir,
        site_dir=data_dir / "no-site",
        build_dir=data_dir / "build",
        content_dir=ROOT / "content",
        questionnaire_dir=QUESTIONNAIRE,
        echo_mail=False,
    )
    return create_app(settings)


BARE_TABLE = "CREATE TABLE IF NOT EXISTS bare_rows (id TEXT PRIMARY KEY, at BIGINT NOT NULL)"


def bare_app(database_url: str):
    """One endpoint that inserts one row, through the same store (same pool, WAL and synchronous=FULL), and nothing else."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from functions.ids import new_id
    from functions.store import Store

    store = Store(database_url)
    with store.transaction() as tx:
        tx.execute(BARE_TABLE)

    def insert() -> str:
        row_id = new_id()
        with store.transaction() as tx:
            tx.insert("bare_rows", {"id": row_id, "at": int(time.time())})
        return row_id

    async def endpoint(request):
        await request.body()
        return JSONResponse({"id": await run_in_threadpool(insert)})

    async def health(request):
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/insert", endpoint, methods=["POST"]), Route("/api/health", health)])


def serve(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="benchmarks.load_servers")
    parser.add_argument("which", choices=["real", "bare"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", default="")
    parser.add_argument("--data", default="")
    args = parser.parse_args(argv)
    if args.which == "real":
        app = real_app(args.db, args.secret, Path(args.data), args.port)
    else:
        app = bare_app(args.db)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False, lifespan="off")


class Server:
    """A server process: started, waited for, and stopped (gently, or with SIGKILL)."""

    def __init__(self, which: str, db: str, port: int | None = None, secret: str = "", data: Path | None = None):
        self.which, self.db, self.port = which, db, port or free_port()
        self.secret, self.data = secret, data
        self.process: subprocess.Popen | None = None
        # the server's log goes to a file: a pipe nobody reads fills up, and then the server stops dead
        self.log = Path(tempfile.mkstemp(prefix=f"tie-{which}-", suffix=".log")[1])

    def start(self, timeout: float = 30) -> Server:
        cmd = [sys.executable, "-m", "benchmarks.load_servers", self.which, f"--db={self.db}", f"--port={self.port}"]
        if self.which == "real":
            cmd += [f"--secret={self.secret}", f"--data={self.data}"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the {self.which} server stopped at start: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/health", timeout=1) as reply:
                    if reply.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the {self.which} server did not answer within {timeout} s")

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish anything."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """Stop the server for good, and remove its log."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.unlink(missing_ok=True)


# -- people to answer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    person_id: str
    session: str  # the session cookie's value


def seed(database_url: str, secret: str, count: int) -> tuple[str, list[Member]]:
    """Migrate the store, then make `count` members of COUNCIL with sessions, and open its round."""
    from functions.assessment import rounds
    from functions.councils import memberships
    from functions.people import sessions
    from functions.people import store as people
    from functions.store import Store
    from model.questionnaire import latest, load_all

    editions, problems = load_all(QUESTIONNAIRE)
    assert not problems, problems
    store = Store(database_url)
    store.migrate()
    now = int(time.time())
    members = []
    with store.transaction() as tx:
        lead, _ = people.find_or_create(tx, "lead@bench.example.org", now)
        memberships.add(tx, lead.id, COUNCIL, "super-user", "operator", now)
        round_ = rounds.open_round(tx, COUNCIL, latest(editions).id, lead.id, now)
        for i in range(count):
            person, _ = people.find_or_create(tx, f"member{i}@bench.example.org", now)
            memberships.add(tx, person.id, COUNCIL, "member", "operator", now)
            token, _ = sessions.create(tx, secret, person.id, now)
            members.append(Member(person.id, token))
    store.close()
    return round_.id, members


# -- databases -----------------------------------------------------------------------------------


@contextlib.contextmanager
def sqlite_database() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="tie-bench-"))
    try:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def shared_postgres_database() -> Iterator[str]:
    """A new database on the machine's PostgreSQL server, dropped afterwards."""
    import psycopg

    name = "tie_bench_" + secrets.token_hex(6)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary folder, with the server's default durability
    (fsync on, synchronous_commit on), so that stopping it cannot disturb anyone else."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="tie-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses to run as root

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(PG_BIN / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> PrivatePostgres:
        if self.user:
            shutil.chown(self.folder, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self.start()

    def start(self) -> PrivatePostgres:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=100"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; mode "immediate" is a crash: no checkpoint, recovery from the WAL at the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


if __name__ == "__main__":
    serve()
