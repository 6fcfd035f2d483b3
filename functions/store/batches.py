"""Group commit: saves that arrive together are written in one transaction and made durable by one commit.

A commit that waits for the disk (SQLite's synchronous=FULL, PostgreSQL's synchronous_commit) costs
about the same for one save as for twenty, and on SQLite writers take turns. So one thread per
store writes whatever saves are waiting, each in its own savepoint (a save that fails, say on a
stale version, is undone alone), commits once, and only then answers each of them. Nobody is
answered before the commit that holds their save, so durability is unchanged; under load, many
saves share one sync. With nothing waiting, the thread stops; the next save starts it again.
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from functions.store import Store, Tx

T = TypeVar("T")
MOST = 64  # saves in one transaction: enough to share a sync, few enough that none waits long behind the others
IDLE = 2.0  # seconds without saves before the writing thread stops


class Batches:
    """The writing thread of one store, and the saves waiting for it."""

    def __init__(self, store: Store):
        self.store = store
        self.waiting: queue.SimpleQueue[tuple[Callable[[Tx], object], Future]] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def write(self, work: Callable[[Tx], T]) -> T:
        """Run `work` in a transaction shared with the saves waiting alongside it; return its result once
        committed, or raise what it raised (then nothing of it was kept) or what the commit raised."""
        return self.submit(work).result()

    def submit(self, work: Callable[[Tx], T]) -> Future:
        """As `write`, without waiting: the future holds the result once committed (an endpoint awaits it
        with `asyncio.wrap_future`, so that no worker thread sits waiting for the commit)."""
        done: Future = Future()
        self.waiting.put((work, done))
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="save-batches", daemon=True)
                self.thread.start()
        return done

    def _run(self) -> None:
        while True:
            try:
                batch = [self.waiting.get(timeout=IDLE)]
            except queue.Empty:
                with self.lock:  # a save queued just now keeps the thread going; otherwise it stops
                    if self.waiting.empty():
                        self.thread = None
                        return
                continue
            while len(batch) < MOST:
                try:
                    batch.append(self.waiting.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[tuple[Callable[[Tx], object], Future]]) -> None:
        outcomes: list[tuple[bool, object]] = []
        try:
            with self.store.transaction() as tx:
                for i, (work, _) in enumerate(batch):
                    tx.execute(f"SAVEPOINT save_{i}")
                    try:
                        outcomes.append((True, work(tx)))
                    except Exception as err:  # this save alone is undone, and told why
                        tx.execute(f"ROLLBACK TO SAVEPOINT save_{i}")
                        outcomes.append((False, err))
                    tx.execute(f"RELEASE SAVEPOINT save_{i}")
        except Exception as err:  # the commit itself failed (the database went away): nothing in it was kept
            for _, done in batch:
                done.set_exception(err)
            return
        for (ok, value), (_, done) in zip(outcomes, batch, strict=True):
            if ok:
                done.set_result(value)
            else:
                done.set_exception(value)


_ALL: weakref.WeakKeyDictionary[Store, Batches] = weakref.WeakKeyDictionary()
_ALL_LOCK = threading.Lock()


def for_store(store: Store) -> Batches:
    """The batches of this store (one writing thread per store, made on first use)."""
    with _ALL_LOCK:
        found = _ALL.get(store)
        if found is None:
            found = _ALL[store] = Batches(store)
        return found
