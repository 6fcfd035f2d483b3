"""Saving answers under load, side by side with a bare Starlette endpoint that only inserts one row.

For SQLite and for PostgreSQL, in one run, this starts each server as its own process and measures:

- the most requests per second it answers, with `--concurrency` connections sending back to back,
  and the p50/p99 latency under that load;
- the p50/p99 latency at a steady 100 requests per second (timed from each request's scheduled
  start, so a queue cannot hide).

"Saving an answer" is the real thing, as the form's save-as-you-go sends it: `PUT
/api/councils/{code}/rounds/{id}/my-response/answers/{statement}` with one statement's answer
changed (current, ambition and comment), signed in, with the form token and an Idempotency-Key,
based on the member's latest version. The app looks the session up, checks membership, checks the
answer against the edition, stores it in a transaction that commits before the reply (with the
idempotency record), and answers with the new version.

Beside it: "saving the whole response" (`PUT .../my-response`, as API clients send it: the
member's whole response to the real questionnaire, every statement answered with comments, one
answer changed since the last save, answered with the saved response), "whole, all changed"
(every answer different at each save: the most a save can write) and "app floor": a signed-in GET
/api/health on the real app, the cost every signed-in request pays before any feature's work
(security checks, the session looked up, one read). The bare endpoint is a plain Starlette route,
with no middleware, that inserts one row through the same store (same durability settings) and
answers.

Targets: saving an answer reaches at least half the bare endpoint's throughput, and its p99 stays
under 100 ms at 100 requests per second. Prints a table and PASS/FAIL; exits 1 if a target fails.

    .venv/bin/python -m benchmarks.load                  # or: make bench-load
    .venv/bin/python -m benchmarks.load --rounds 1       # quicker
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import json
import os
import platform
import random
import secrets
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import load_client
from benchmarks.load_servers import COUNCIL, QUESTIONNAIRE, Member, Server, seed, shared_postgres_database, sqlite_database

MIN_RATIO = 0.5  # saving answers / bare insert, requests per second
MAX_P99_MS = 100.0  # at 100 requests per second
STEADY_RATE = 100.0
CSRF = "b" * 43  # the form token: any value the cookie and the header agree on


def answer_sets(count: int, seed_value: int = 7) -> list[dict]:
    """`count` different whole responses to the real questionnaire, for a unitary council."""
    from functions.assessment.answers import applicable
    from model import vocabulary as v
    from model.questionnaire import latest, load_all

    editions, _ = load_all(QUESTIONNAIRE)
    ids = applicable(latest(editions), "unitary")
    rng = random.Random(seed_value)
    stages = v.STAGES.ids
    out = []
    for _ in range(count):
        answers = {}
        for sid in ids:
            now = rng.randrange(len(stages))
            answers[sid] = {
                "current": stages[now],
                "ambition": stages[rng.randrange(now, len(stages))],
                "comment": rng.choice(
                    ["", "We have started on this in two directorates.", "Evidence: the 2025 peer challenge report."]
                ),
            }
        out.append({"respondent_role": "officer", "routes": ["process-redesign"], "answers": answers})
    return out


@dataclass
class Target:
    """What to load: a host, a port and how to make each request."""

    port: int
    round_id: str = ""
    members: list[Member] | None = None


def headers(member: Member) -> dict[str, str]:
    """A signed-in page's API request: the session, the form token, and a fresh Idempotency-Key (as the form's script sends)."""
    return {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRF-Token": CSRF,
        "Idempotency-Key": secrets.token_urlsafe(16),
        "Cookie": f"__Host-tie_session={member.session}; __Host-tie_csrf={CSRF}",
    }


class Saves:
    """Requests that save a member's whole response, each based on that member's latest version.

    `changes="one"` is saving as you go: each save sends the whole response with one answer changed
    from the member's last save (the statements in turn). `changes="all"` sends a different whole
    response each time: every answer changed, the most a save can write.
    """

    def __init__(self, target: Target, changes: str = "one"):
        self.path = f"/api/councils/{COUNCIL}/rounds/{target.round_id}/my-response"
        self.host = f"127.0.0.1:{target.port}"
        self.changes = changes
        self.sets = answer_sets(16)
        self.ids = list(self.sets[0]["answers"])
        self.responses = {m.person_id: json.loads(json.dumps(self.sets[i % 16])) for i, m in enumerate(target.members)}
        self.versions: dict[str, int] = {}
        self.free = collections.deque(target.members)
        self.turn = 0

    def body(self, member: Member) -> dict:
        self.turn += 1
        if self.changes == "all":
            return self.sets[self.turn % len(self.sets)]
        response = self.responses[member.person_id]
        sid = self.ids[self.turn % len(self.ids)]
        answer = response["answers"][sid]
        answer["current"], answer["ambition"] = ("plans", "reviews") if answer["current"] != "plans" else ("does", "does")
        return response

    def make(self, member: Member) -> tuple[bytes, Callable]:
        version = self.versions.get(member.person_id, 0)
        data = json.dumps({"version": version, **self.body(member)}, separators=(",", ":")).encode()
        return load_client.request("PUT", self.path, self.host, headers(member), data), self.handler(member, version)

    def handler(self, member: Member, version: int) -> Callable[[load_client.Reply], None]:
        def handle(reply: load_client.Reply) -> None:
            if reply.status == 200:
                self.versions[member.person_id] = json.loads(reply.body)["version"]
            elif reply.status == 409:  # only if a save raced; follow the stored version
                current = json.loads(reply.body)["error"].get("current") or {}
                self.versions[member.person_id] = current.get("version", version)

        return handle

    def jobs(self, concurrency: int) -> list[load_client.Job]:
        """One job per connection, each with members of its own, so no two saves of one person overlap."""
        groups = [list(self.free)[i::concurrency] for i in range(concurrency)]

        def job_for(group: list[Member]) -> load_client.Job:
            turns = itertools.count()
            return lambda: self.make(group[next(turns) % len(group)])

        return [job_for(g) for g in groups]

    def next_job(self):
        member = self.free.popleft()
        data, handle = self.make(member)
        return data, handle, lambda: self.free.append(member)


class Answers(Saves):
    """Saving as you go: each request saves one statement's answer, changed from the member's last
    save (the statements in turn), to `.../my-response/answers/{statement}`. The members, their
    versions and their answers are those of `whole`, so either kind of save follows the other."""

    def __init__(self, target: Target, whole: Saves):
        super().__init__(target, "one")
        self.responses, self.versions = whole.responses, whole.versions

    def make(self, member: Member) -> tuple[bytes, Callable]:
        self.turn += 1
        version = self.versions.get(member.person_id, 0)
        sid = self.ids[self.turn % len(self.ids)]
        answer = self.responses[member.person_id]["answers"][sid]
        answer["current"], answer["ambition"] = ("plans", "reviews") if answer["current"] != "plans" else ("does", "does")
        data = json.dumps({"version": version, **answer}, separators=(",", ":")).encode()
        path = f"{self.path}/answers/{sid}"
        return load_client.request("PUT", path, self.host, headers(member), data), self.handler(member, version)


class Same:
    """The same request every time, its reply not looked at."""

    data: bytes

    def make(self):
        return self.data, lambda reply: None

    def jobs(self, concurrency: int) -> list[load_client.Job]:
        return [self.make] * concurrency

    def next_job(self):
        return self.data, lambda reply: None, lambda: None


class Inserts(Same):
    """Requests to the bare endpoint."""

    def __init__(self, target: Target):
        self.data = load_client.request(
            "POST", "/insert", f"127.0.0.1:{target.port}", {"Content-Type": "application/json"}, b"{}"
        )


@dataclass
class Row:
    """One endpoint on one database: the rounds' results pooled, and each round's most requests per second."""

    database: str
    endpoint: str
    most: load_client.Result
    steady: load_client.Result
    rates: list[float]

    @property
    def rate(self) -> float:
        """The median round's requests per second: one slow round (another process busy) does not decide it."""
        return statistics.median(self.rates)


def pooled(results: list[load_client.Result]) -> load_client.Result:
    out = load_client.Result(sum(r.seconds for r in results))
    for r in results:
        out.latencies += r.latencies
        out.errors += r.errors
        for status, n in r.statuses.items():
            out.statuses[status] = out.statuses.get(status, 0) + n
    return out


class Floor(Same):
    """The app's own path for a signed-in request that saves nothing: GET /api/health with a session
    (security headers, the session looked up, one read). No save can be cheaper than this."""

    def __init__(self, target: Target):
        member = target.members[0]
        headers = {"Cookie": f"__Host-tie_session={member.session}; __Host-tie_csrf={CSRF}"}
        self.data = load_client.request("GET", "/api/health", f"127.0.0.1:{target.port}", headers)


PRIMARY = "saving an answer"  # what the targets are about: saving answers as the form saves them
WHOLE = "saving whole response"
ENDPOINTS = (PRIMARY, "bare insert", WHOLE, "whole, all changed", "app floor")


def measure(database: str, url: str, seconds: float, concurrency: int, rounds: int) -> list[Row]:
    """Both servers run side by side, and the endpoints take turns, `rounds` times, so that whatever else
    the machine is doing falls on all of them alike."""
    secret = secrets.token_urlsafe(32)
    round_id, members = seed(url, secret, count=max(64, concurrency * 8))
    data = Path(tempfile.mkdtemp(prefix="tie-bench-app-"))
    real = Server("real", url, secret=secret, data=data).start()
    bare = Server("bare", url).start()
    try:
        at_real, at_bare = Target(real.port, round_id, members), Target(bare.port, round_id, members)
        whole = Saves(at_real, "one")
        loads = {
            PRIMARY: Answers(at_real, whole),
            "bare insert": Inserts(at_bare),
            WHOLE: whole,
            "whole, all changed": Saves(at_real, "all"),
            "app floor": Floor(at_real),
        }
        loads["whole, all changed"].versions = whole.versions  # the same members, one after the other
        results: dict[str, tuple[list, list]] = {name: ([], []) for name in ENDPOINTS}
        for _ in range(rounds):
            for name in ENDPOINTS:
                load = loads[name]
                port = bare.port if name == "bare insert" else real.port
                results[name][0].append(asyncio.run(load_client.closed_loop("127.0.0.1", port, load.jobs(concurrency), seconds)))
                results[name][1].append(
                    asyncio.run(load_client.fixed_rate("127.0.0.1", port, load.next_job, STEADY_RATE, seconds))
                )
    finally:
        real.stop()
        bare.stop()
        shutil.rmtree(data, ignore_errors=True)
    return [Row(database, name, pooled(most), pooled(steady), [r.rate for r in most]) for name, (most, steady) in results.items()]


def _versions(url: str) -> dict[str, int]:
    """Each member's stored version, so that a new run of saves follows on from the last."""
    from functions.store import Store

    store = Store(url)
    try:
        with store.transaction(write=False) as tx:
            return {r["person_id"]: r["version"] for r in tx.all("SELECT person_id, version FROM responses")}
    finally:
        store.close()


def _ok(result: load_client.Result) -> str:
    good = result.statuses.get(200, 0)
    total = sum(result.statuses.values()) + result.errors
    return f"{good}/{total}"


def report(rows: list[Row], seconds: float, concurrency: int, rounds: int) -> bool:
    print()
    print(
        f"Saving answers against a bare insert: {os.cpu_count()} CPU(s), {platform.python_implementation()} {platform.python_version()}, "
        f"{rounds} turns of {seconds:g} s per endpoint, {concurrency} connections for the most, {STEADY_RATE:g} requests/s steady"
    )
    print()
    head = f"{'database':<11}{'endpoint':<23}{'most req/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'ok':>12}   {'at 100/s: p50 ms':>17}{'p99 ms':>9}{'ok':>12}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r.database:<11}{r.endpoint:<23}{r.rate:>11.0f}{r.most.percentile(50):>9.1f}{r.most.percentile(99):>9.1f}"
            f"{_ok(r.most):>12}   {r.steady.percentile(50):>17.1f}{r.steady.percentile(99):>9.1f}{_ok(r.steady):>12}"
        )
    print()
    passed = True
    for database in dict.fromkeys(r.database for r in rows):
        found = {r.endpoint: r for r in rows if r.database == database}
        real, bare, floor, whole = found[PRIMARY], found["bare insert"], found["app floor"], found[WHOLE]
        ratio = real.rate / bare.rate if bare.rate else 0.0
        print(
            f"      {database}: a signed-in request that saves nothing reaches {floor.rate / bare.rate:.2f} of the bare "
            f"endpoint's throughput; saving an answer reaches {real.rate / floor.rate:.2f} of that; saving the whole "
            f"response reaches {whole.rate / bare.rate:.2f} of the bare endpoint's"
        )
        checks = [
            (
                f"{database}: saving an answer reaches {ratio:.2f} of the bare endpoint's throughput (target >= {MIN_RATIO})",
                ratio >= MIN_RATIO,
            ),
            (
                f"{database}: p99 of saving an answer at {STEADY_RATE:g}/s is {real.steady.percentile(99):.1f} ms (target < {MAX_P99_MS:g} ms)",
                real.steady.percentile(99) < MAX_P99_MS,
            ),
        ]
        for saving in (real, whole):
            checks.append(
                (
                    f"{database}: every request {saving.endpoint} answered 200 ({_ok(saving.most)} at most, {_ok(saving.steady)} steady)",
                    set(saving.most.statuses) == {200}
                    and set(saving.steady.statuses) == {200}
                    and not saving.most.errors
                    and not saving.steady.errors,
                )
            )
        for text, ok in checks:
            print(("PASS  " if ok else "FAIL  ") + text)
            passed &= ok
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each measurement (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="turns each endpoint takes (default 3)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections for the most requests per second (default 8)")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for database in args.databases:
        print(f"measuring {database}...", file=sys.stderr)
        with sqlite_database() if database == "sqlite" else shared_postgres_database() as url:
            rows += measure(database, url, args.seconds, args.concurrency, args.rounds)
    return 0 if report(rows, args.seconds, args.concurrency, args.rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
