"""An edition's keys decided in two processes, for a night's wall time: the figures are those one process makes.

A forked child decides every other key and sends back, for each of its figures, only what the parent
cannot work out from what both hold already (the raw figures and the history): a blank figure's
reason, a kept figure's reason, or a shown figure's blank cells and mean reason. Meanwhile the parent
decides the other keys; then it makes the child's figures from its own raw figures, so that they share
its sets and counts, and lists every key in the order one process would have. The child's span checks
that could not decide come back with its figures, so the summary counts each once.

Keys are decided here, one process, where fork is missing, the machine has one processor, an edition
is small, or the child fails for any reason (the parent then decides the child's keys itself).
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable

from functions.benchmarks import disclosure
from functions.benchmarks.disclosure import Checker, Figure, GroupId, Past
from functions.benchmarks.figures import Key, Raw

MIN_FIGURES = 20_000  # below this many raw figures in an edition, a second process costs more than it saves
WAIT_TIMES = 3  # the child has as much to do as the parent: after the parent's half, wait this many times as long
WAIT_AT_LEAST = 30.0  # seconds, however quick the parent's half was (a busy machine can hold the child back)

log = logging.getLogger("exchange")


def processors() -> int:
    """The processors this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def decide_keys(
    items: list[tuple[Key, dict[GroupId, Raw]]],
    history: dict[Key, dict[GroupId, list[Past]]],
    decide: Callable[[Key, dict[GroupId, Raw]], dict[GroupId, Figure]],
    release: int,
    checker: Checker,
    *,
    split: bool | None = None,
) -> dict[Key, dict[GroupId, Figure]]:
    """`decide` for every key of `items`, in their order. `split`: None to choose, else whether to use a second process."""
    if split is None:
        split = hasattr(os, "fork") and processors() > 1 and sum(len(by_group) for _, by_group in items) >= MIN_FIGURES
    if not split or len(items) < 2:
        return {key: decide(key, by_group) for key, by_group in items}
    theirs = items[1::2]
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to be had (a limit, or no memory): one process decides everything
        os.close(read)
        os.close(write)
        return {key: decide(key, by_group) for key, by_group in items}
    if pid == 0:  # the child: decide its keys, send what the parent needs, and leave without running any clean-up
        status = 1
        try:
            os.close(read)
            undecided, refused = set(checker.undecided_sets), checker.refused
            sent = [(key, _encode(decide(key, by_group), by_group, history.get(key, {}), release)) for key, by_group in theirs]
            with os.fdopen(write, "wb") as out:
                pickle.dump((sent, checker.undecided_sets - undecided, checker.refused - refused), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
        finally:
            os._exit(status)
    os.close(write)
    mine: dict[Key, dict[GroupId, Figure]] = {}
    data = None
    try:
        started = time.monotonic()
        mine.update((key, decide(key, by_group)) for key, by_group in items[0::2])
        # the child has as much to do: wait as long again and more, then decide its keys here rather than hang
        data = _read_until(read, time.monotonic() + max(WAIT_AT_LEAST, WAIT_TIMES * (time.monotonic() - started)))
    finally:
        os.close(read)
        status = _reap(pid, kill=data is None)
    failed = "did not finish in time" if data is None else None if status == 0 else f"stopped (status {status})"
    if failed is None:
        try:
            sent, undecided, refused = pickle.loads(data)
            raws = dict(theirs)
            made = {key: _decode(key, rows, raws[key], history.get(key, {}), release) for key, rows in sent}
        except Exception as err:  # what it sent cannot be read back: a fault here, not in the figures
            failed = f"sent what could not be read back ({err!r})"
        else:
            checker.merge(undecided, refused)
            mine.update(made)
    if failed is not None:
        log.warning("tie nightly: the second process %s; its figures are decided in this one", failed)
        mine.update((key, decide(key, by_group)) for key, by_group in theirs)
    return {key: mine[key] for key, _ in items}


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None if it has not by `deadline`."""
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int, kill: bool) -> int | None:
    """The child's exit status once it has ended (killed first if `kill`); None if it cannot be had."""
    try:
        if kill:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        return status
    except (ChildProcessError, ProcessLookupError):  # reaped elsewhere (SIGCHLD ignored): its status is unknown
        return None


def _encode(decided: dict[GroupId, Figure], raws: dict[GroupId, Raw], past: dict[GroupId, list[Past]], release: int) -> list[tuple]:
    """Each figure as the least that makes it again, in the order `decide` gave them."""
    rows = []
    for gid, f in decided.items():
        if f.status == "blank":
            rows.append((gid, "blank", f.reason))
        elif f.status == "kept":
            rows.append((gid, "kept", f.reason))
        elif f.release == release and gid in raws and f.counts is raws[gid].counts:
            rows.append((gid, "shown", f.cell_reasons, f.mean_reason))
        elif past.get(gid) and f is past[gid][-1].figure:
            rows.append((gid, "again"))
        else:
            raise ValueError(f"a figure of {gid} that is neither blank, kept, shown tonight nor shown again")
    return rows


def _decode(key: Key, rows: list[tuple], raws: dict[GroupId, Raw], past: dict[GroupId, list[Past]], release: int) -> dict[GroupId, Figure]:
    out: dict[GroupId, Figure] = {}
    for gid, kind, *rest in rows:
        if kind == "blank":
            out[gid] = disclosure.blank(key, gid, rest[0])
        elif kind == "kept":
            out[gid] = disclosure.kept_or_blank(key, gid, past, rest[0])
        elif kind == "shown":
            out[gid] = disclosure.shown_with(raws[gid], rest[0], rest[1], release)
        else:
            out[gid] = past[gid][-1].figure
    return out
