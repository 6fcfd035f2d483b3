"""Durability: no acknowledged save is ever lost, however the app (or its database server) is stopped.

For SQLite and for PostgreSQL, members save their answers as fast as they can (the real app, the
real API, `--concurrency` connections), two saves in three of one answer as save-as-you-go sends
them (`PUT .../my-response/answers/{statement}`) and the rest of the whole response (`PUT
.../my-response`), and, at a random moment under that load, the app is killed
with SIGKILL, `--kills` times; for PostgreSQL the database server is also stopped in "immediate"
mode (a crash: no checkpoint; it recovers from its WAL on restart), `--pg-stops` times, while the
app keeps running. A save counts as acknowledged when the client received 200. After each crash:

- every acknowledged save is in the store: the member's stored version is at least the one
  acknowledged, with exactly the answers sent when it is the same version (a later version is
  only accepted on top of the one before it, so it proves that one was stored);
- every response holds all its answers (saves are atomic: never half written);
- SQLite's `PRAGMA integrity_check` says ok, and PostgreSQL's `pg_amcheck` finds nothing.

Prints what it did and PASS/FAIL; exits 1 if anything was lost or damaged. Not part of `make test`.

    .venv/bin/python -m benchmarks.durability            # or: make durability
    .venv/bin/python -m benchmarks.durability --databases sqlite --kills 3
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.load import CSRF, answer_sets
from benchmarks.load_client import Connection, request
from benchmarks.load_servers import COUNCIL, PG_BIN, Member, PrivatePostgres, Server, seed, sqlite_database

ACK_TIMEOUT = 10.0  # seconds a save may take before the client gives up on it (it is then not acknowledged)


def digest(answers: dict) -> str:
    """What a set of answers is, for comparing what was sent with what is stored."""
    rows = sorted((sid, a["current"], a["ambition"], a.get("comment") or "") for sid, a in answers.items())
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


@dataclass
class Ledger:
    """What the clients were told: each member's latest acknowledged version and answers."""

    acknowledged: dict[str, tuple[int, str]] = field(default_factory=dict)
    saves: int = 0  # acknowledged saves, in all
    answers: int = 0  # of which saves of one answer
    refused: int = 0  # answered, but not 200 (the database was down, say)
    statuses: dict[int, int] = field(default_factory=dict)  # the statuses of those answers
    failed: int = 0  # no answer (connection refused or cut)


class Members:
    """Members saving as you go: two saves in three send one changed answer, the others the whole response
    with one answer changed. A member's first save, and the save after a 409, send the whole response:
    the member's own copy of its answers is then certainly the stored one."""

    def __init__(self, members: list[Member], round_id: str, port: int):
        self.members = members
        self.path = f"/api/councils/{COUNCIL}/rounds/{round_id}/my-response"
        self.port = port
        sets = answer_sets(len(members))
        self.responses = {m.person_id: sets[i] for i, m in enumerate(members)}
        self.ids = list(sets[0]["answers"])
        self.versions: dict[str, int] = {}
        self.unsure: set[str] = set()  # members whose copy may differ from the store (after a 409)
        self.turn = 0

    def next_save(self, member: Member) -> tuple[str, bytes, dict, bool]:
        """The next save of the member: its path, its body, the whole response once saved, and whether it saves one answer."""
        self.turn += 1
        response = json.loads(json.dumps(self.responses[member.person_id]))
        sid = self.ids[self.turn % len(self.ids)]
        answer = response["answers"][sid]
        answer["current"], answer["ambition"] = ("plans", "reviews") if answer["current"] != "plans" else ("does", "does")
        answer["comment"] = f"save {self.turn}"
        version = self.versions.get(member.person_id, 0)
        if self.turn % 3 and version and member.person_id not in self.unsure:
            body = {"version": version, **answer}
            return f"{self.path}/answers/{sid}", json.dumps(body, separators=(",", ":")).encode(), response, True
        body = {"version": version, **response}
        return self.path, json.dumps(body, separators=(",", ":")).encode(), response, False

    async def run(self, ledger: Ledger, stop: asyncio.Event, concurrency: int) -> None:
        groups = [self.members[i::concurrency] for i in range(concurrency)]
        await asyncio.gather(*(self._worker(g, ledger, stop) for g in groups))

    async def _worker(self, group: list[Member], ledger: Ledger, stop: asyncio.Event) -> None:
        conn = Connection("127.0.0.1", self.port)
        turn = 0
        while not stop.is_set():
            member = group[turn % len(group)]
            turn += 1
            path, data, response, one = self.next_save(member)
            headers = {
                "Content-Type": "application/json",
                "X-CSRF-Token": CSRF,
                "Idempotency-Key": secrets.token_urlsafe(16),
                "Cookie": f"__Host-tie_session={member.session}; __Host-tie_csrf={CSRF}",
            }
            try:
                reply = await asyncio.wait_for(
                    conn.send(request("PUT", path, f"127.0.0.1:{self.port}", headers, data)), ACK_TIMEOUT
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                ledger.failed += 1
                conn.close()
                await asyncio.sleep(0.05)
                continue
            if reply.status == 200:
                version = json.loads(reply.body)["version"]
                self.versions[member.person_id] = version
                self.responses[member.person_id] = response
                self.unsure.discard(member.person_id)
                ledger.acknowledged[member.person_id] = (version, digest(response["answers"]))
                ledger.saves += 1
                ledger.answers += one
            else:
                ledger.refused += 1
                ledger.statuses[reply.status] = ledger.statuses.get(reply.status, 0) + 1
                if reply.status == 409:  # a save that committed but whose reply was lost: follow the store
                    current = (json.loads(reply.body)["error"].get("current") or {}).get("version")
                    if current is not None:
                        self.versions[member.person_id] = current
                        self.unsure.add(member.person_id)
        conn.close()

    def follow(self, stored: dict[str, tuple[int, dict]]) -> None:
        """After a crash, carry on from what the store holds (a save may have committed unacknowledged)."""
        for person_id, (version, answers) in stored.items():
            self.versions[person_id] = version
            self.responses[person_id] = {**self.responses[person_id], "answers": answers}
            self.unsure.discard(person_id)


def stored_responses(url: str) -> dict[str, tuple[int, dict]]:
    from functions.store import Store

    store = Store(url)
    try:
        with store.transaction(write=False) as tx:
            rows = tx.all("SELECT id, person_id, version FROM responses")
            answers: dict[str, dict] = {r["id"]: {} for r in rows}
            for a in tx.all("SELECT response_id, statement_id, current, ambition, comment FROM answers"):
                answers[a["response_id"]][a["statement_id"]] = {
                    "current": a["current"],
                    "ambition": a["ambition"],
                    "comment": a["comment"],
                }
        return {r["person_id"]: (r["version"], answers[r["id"]]) for r in rows}
    finally:
        store.close()


def lost(ledger: Ledger, stored: dict[str, tuple[int, dict]]) -> list[str]:
    """Every acknowledged save the store does not hold, described."""
    out = []
    for person_id, (version, sent) in ledger.acknowledged.items():
        have_version, have = stored.get(person_id, (0, {}))
        if have_version < version:
            out.append(f"{person_id}: version {version} acknowledged, the store holds version {have_version}")
        elif have_version == version and digest(have) != sent:
            out.append(f"{person_id}: version {version} holds other answers than the ones acknowledged")
    return out


def partial(stored: dict[str, tuple[int, dict]], expected: int) -> list[str]:
    return [f"{p}: {len(a)} answers, expected {expected}" for p, (_, a) in stored.items() if len(a) != expected]


@dataclass
class Outcome:
    database: str
    crashes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)
    integrity: str = ""


async def _load_then(crash, members: Members, ledger: Ledger, concurrency: int, after: float) -> None:
    stop = asyncio.Event()
    load = asyncio.create_task(members.run(ledger, stop, concurrency))
    await asyncio.sleep(after)
    crash()
    await asyncio.sleep(0.5)  # let the clients see the crash: their saves now fail, unacknowledged
    stop.set()
    await load


def check_after(outcome: Outcome, url: str, ledger: Ledger, members: Members, expected: int, what: str) -> None:
    stored = stored_responses(url)
    found = lost(ledger, stored) + partial(stored, expected)
    outcome.problems += [f"after {what}: {p}" for p in found]
    members.follow(stored)


def run_sqlite(kills: int, concurrency: int, rng: random.Random) -> Outcome:
    outcome = Outcome("sqlite")
    with sqlite_database() as url:
        secret = secrets.token_urlsafe(32)
        round_id, people = seed(url, secret, count=concurrency * 4)
        data = Path(tempfile.mkdtemp(prefix="tie-durability-"))
        server = Server("real", url, secret=secret, data=data)
        members = Members(people, round_id, server.port)
        expected = len(members.ids)
        for i in range(1, kills + 1):
            server.start()
            after = rng.uniform(0.3, 2.5)
            before = outcome.ledger.saves
            asyncio.run(_load_then(server.kill, members, outcome.ledger, concurrency, after))
            outcome.crashes.append(
                f"kill -9 of the app {after:.2f} s into the load ({outcome.ledger.saves - before} saves acknowledged)"
            )
            check_after(outcome, url, outcome.ledger, members, expected, f"kill {i}")
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
        outcome.integrity = sqlite_integrity(url)
        if outcome.integrity != "ok":
            outcome.problems.append(f"PRAGMA integrity_check: {outcome.integrity}")
    return outcome


def sqlite_integrity(url: str) -> str:
    import sqlite3

    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        result = "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        return result if not orphans else f"{result}; foreign_key_check: {len(orphans)} row(s) refer to nothing"
    finally:
        conn.close()


def run_postgresql(kills: int, stops: int, concurrency: int, rng: random.Random) -> Outcome:
    import psycopg

    outcome = Outcome("postgresql")
    pg = PrivatePostgres().init()
    try:
        with psycopg.connect(pg.url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE tie")
        url = pg.url.rsplit("/", 1)[0] + "/tie"
        secret = secrets.token_urlsafe(32)
        round_id, people = seed(url, secret, count=concurrency * 4)
        data = Path(tempfile.mkdtemp(prefix="tie-durability-"))
        server = Server("real", url, secret=secret, data=data)
        members = Members(people, round_id, server.port)
        expected = len(members.ids)
        for i in range(1, kills + 1):
            server.start()
            after = rng.uniform(0.3, 2.5)
            before = outcome.ledger.saves
            asyncio.run(_load_then(server.kill, members, outcome.ledger, concurrency, after))
            outcome.crashes.append(
                f"kill -9 of the app {after:.2f} s into the load ({outcome.ledger.saves - before} saves acknowledged)"
            )
            check_after(outcome, url, outcome.ledger, members, expected, f"kill {i}")
        server.start()
        for i in range(1, stops + 1):
            after = rng.uniform(0.3, 2.5)
            before = outcome.ledger.saves
            asyncio.run(_load_then(lambda: pg.stop("immediate"), members, outcome.ledger, concurrency, after))
            pg.start()
            outcome.crashes.append(
                f"immediate stop of the PostgreSQL server {after:.2f} s into the load ({outcome.ledger.saves - before} saves acknowledged)"
            )
            check_after(outcome, url, outcome.ledger, members, expected, f"database stop {i}")
            outcome.crashes.append(f"  the app, left running, saves again after the restart: {recovers(members, outcome.ledger)}")
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
        outcome.integrity = pg_integrity(pg)
        if outcome.integrity != "ok":
            outcome.problems.append(f"pg_amcheck: {outcome.integrity}")
    finally:
        pg.remove()
    return outcome


def recovers(members: Members, ledger: Ledger, within: float = 30.0) -> str:
    """Whether saves succeed again once the database is back, and how many failed first."""
    start = time.monotonic()
    failed_before = ledger.failed + ledger.refused
    while time.monotonic() - start < within:
        saves = ledger.saves
        asyncio.run(_load_then(lambda: None, members, ledger, 1, 0.2))
        if ledger.saves > saves:
            return (
                f"yes, after {time.monotonic() - start:.1f} s and {ledger.failed + ledger.refused - failed_before} failed save(s)"
            )
    return f"NO, not within {within:g} s"


def pg_integrity(pg: PrivatePostgres) -> str:
    """pg_amcheck on the database (B-tree indexes and tables), when the server has the amcheck extension."""
    import psycopg

    with psycopg.connect(pg.url.rsplit("/", 1)[0] + "/tie", autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
    amcheck = PG_BIN / "pg_amcheck"
    result = (
        pg._run("pg_amcheck", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "--heapallindexed", "tie", check=False)
        if amcheck.exists()
        else None
    )
    if result is None:
        return "ok (pg_amcheck not installed; consistency checked by the answers count only)"
    return "ok" if result.returncode == 0 and not result.stdout.strip() else (result.stdout + result.stderr).strip()[:500]


def report(outcomes: list[Outcome], seed_value: int) -> bool:
    passed = True
    print()
    print(f"Durability under load (random seed {seed_value})")
    for o in outcomes:
        print()
        refused = (
            " (" + ", ".join(f"{n} with {status}" for status, n in sorted(o.ledger.statuses.items())) + ")"
            if o.ledger.statuses
            else ""
        )
        print(
            f"{o.database}: {o.ledger.saves} saves acknowledged ({o.ledger.answers} of one answer, "
            f"{o.ledger.saves - o.ledger.answers} of the whole response), {o.ledger.refused} refused{refused} and "
            f"{o.ledger.failed} cut off by the crashes"
        )
        for crash in o.crashes:
            print(f"  {crash}")
        print(f"  integrity: {o.integrity}")
        ok = not o.problems and o.ledger.answers > 0 and o.ledger.saves > o.ledger.answers
        lost_count = sum("acknowledged" in p or "holds other answers" in p for p in o.problems)
        print(
            ("PASS  " if ok else "FAIL  ") + f"{o.database}: {lost_count} acknowledged saves lost, {len(o.problems)} problem(s)"
        )
        for p in o.problems[:20]:
            print(f"        {p}")
        passed &= ok
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.durability", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=10, help="kill -9 of the app under load, per database (default 10)")
    parser.add_argument("--pg-stops", type=int, default=3, help="immediate stops of the PostgreSQL server under load (default 3)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=None, help="random seed for the crash moments")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    seed_value = args.seed if args.seed is not None else random.randrange(1_000_000)
    rng = random.Random(seed_value)
    outcomes = []
    for database in args.databases:
        print(f"crashing {database}...", file=sys.stderr)
        if database == "sqlite":
            outcomes.append(run_sqlite(args.kills, args.concurrency, rng))
        else:
            outcomes.append(run_postgresql(args.kills, args.pg_stops, args.concurrency, rng))
    return 0 if report(outcomes, seed_value) else 1


if __name__ == "__main__":
    sys.exit(main())
