"""Group commit: saves arriving together share one transaction and one commit, each undone alone if it fails."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

import pytest

from functions.store import Conflict, Store
from functions.store import batches as save_batches


def run_on_own_loop(coroutine):
    """Run a coroutine on an event loop of its own thread: a browser test's loop may be running in this one."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as err:  # handed back to the test
            outcome["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def insert(bucket: str, window: int = 0):
    def work(tx):
        tx.insert("rate_limits", {"bucket": bucket, "window_start": window, "hits": 1})
        return bucket

    return work


def count_commits(store, monkeypatch) -> list[int]:
    """A list whose length is the number of writing transactions the store commits from now on."""
    commits: list[int] = []
    real = store.transaction

    @contextlib.contextmanager
    def counted(write=True):
        with real(write) as tx:
            yield tx
        if write:
            commits.append(1)

    monkeypatch.setattr(store, "transaction", counted)
    return commits


def held_then_released(batches, works: list) -> dict:
    """Hold the writing thread with one save while `works` queue behind it, then let all go: their outcomes."""
    gate = threading.Event()
    outcomes: dict[object, object] = {}

    def blocker(tx):
        gate.wait(5)
        return "blocker"

    def run(name, work):
        try:
            outcomes[name] = batches.write(work)
        except Exception as err:
            outcomes[name] = err

    threads = [threading.Thread(target=run, args=("blocker", blocker))]
    threads[0].start()
    time.sleep(0.2)
    for name, work in works:
        threads.append(threading.Thread(target=run, args=(name, work)))
        threads[-1].start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join()
    return outcomes


def buckets(store) -> list[str]:
    with store.transaction(write=False) as tx:
        return sorted(r["bucket"] for r in tx.all("SELECT bucket FROM rate_limits"))


def test_saves_from_many_threads_are_all_committed_and_each_gets_its_own_result(fresh_store):
    batches = save_batches.for_store(fresh_store)
    results: dict[int, str] = {}

    def one(i: int) -> None:
        results[i] = batches.write(insert(f"b{i:03d}"))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: f"b{i:03d}" for i in range(40)}
    assert buckets(fresh_store) == [f"b{i:03d}" for i in range(40)]


def test_a_failing_save_is_undone_alone_and_told_why(fresh_store, monkeypatch):
    batches = save_batches.for_store(fresh_store)
    batches.write(insert("taken"))
    commits = count_commits(fresh_store, monkeypatch)
    outcomes = held_then_released(batches, [("a", insert("a")), ("dup", insert("taken")), ("c", insert("c"))])
    assert isinstance(outcomes["dup"], Conflict)
    assert (outcomes["a"], outcomes["c"]) == ("a", "c")
    assert buckets(fresh_store) == ["a", "c", "taken"]
    assert len(commits) == 2  # the held save's, then one for the three that waited behind it


def test_saves_written_by_the_store_on_sqlite_share_one_commit(tmp_path, monkeypatch):
    """`Store.write` is how every save is written: on SQLite, saves that wait together are one commit."""
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    store.migrate()

    class Through:  # the store's own `write`, as the endpoints call it, behind the batches' interface
        def write(self, work):
            return store.write(work)

    commits = count_commits(store, monkeypatch)
    outcomes = held_then_released(Through(), [(i, insert(f"s{i}")) for i in range(10)])
    assert [outcomes[i] for i in range(10)] == [f"s{i}" for i in range(10)]
    assert buckets(store) == sorted(f"s{i}" for i in range(10))
    assert len(commits) == 2  # a batch of one per save would be 11
    store.close()


def test_when_the_commit_fails_every_save_in_it_is_told_and_none_is_kept(fresh_store, monkeypatch):
    batches = save_batches.for_store(fresh_store)

    class Broken(Exception):
        pass

    real = fresh_store.transaction

    def failing(write=True):
        if not write:
            return real(write)
        raise Broken("the database went away")

    monkeypatch.setattr(fresh_store, "transaction", failing)
    with pytest.raises(Broken):
        batches.write(insert("lost"))
    monkeypatch.setattr(fresh_store, "transaction", real)
    assert buckets(fresh_store) == []


def test_the_writing_thread_stops_when_idle_and_starts_again(fresh_store, monkeypatch):
    monkeypatch.setattr(save_batches, "IDLE", 0.1)
    batches = save_batches.for_store(fresh_store)
    batches.write(insert("first"))
    deadline = time.monotonic() + 5
    while batches.thread is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert batches.thread is None
    assert batches.write(insert("second")) == "second"
    assert buckets(fresh_store) == ["first", "second"]


def test_saves_awaited_on_an_event_loop_are_answered_once_committed(fresh_store):
    """An endpoint awaits the commit without a worker thread waiting on it: many at once, each its own result."""

    batches = save_batches.for_store(fresh_store)

    async def many():
        return await asyncio.gather(*(asyncio.wrap_future(batches.submit(insert(f"a{i:02d}"))) for i in range(30)))

    assert run_on_own_loop(many()) == [f"a{i:02d}" for i in range(30)]
    assert buckets(fresh_store) == [f"a{i:02d}" for i in range(30)]

    async def taken():
        return await asyncio.wrap_future(batches.submit(insert("a00")))

    with pytest.raises(Conflict):
        run_on_own_loop(taken())
