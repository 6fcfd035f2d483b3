"""`tie nightly`'s work: one snapshot, one release for both audiences, the open-data package, the record.

The order keeps every promise: the snapshot is read in one transaction; the release is computed
from it and every earlier release; the package is written beside the old one and validated; the
release is recorded; only then is the new package swapped in. A night with nothing new writes
nothing and keeps the version. A store whose latest release is newer than the package on disk
(a swap that did not happen) has its package rewritten from the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from dataclasses import dataclass, field
from pathlib import Path

from functions.benchmarks import package, release, releases
from functions.benchmarks.rules import PUBLIC, REASONS, SIGNED_IN
from functions.consensus import store as consensus
from functions.demo import store as demo
from functions.store import Store
from model.opendata import read_benchmarks
from model.questionnaire import Edition
from model.register import Register


class DemoRefused(Exception):
    """The database holds demo data and the run was not told that it is a demo."""


@dataclass
class Outcome:
    """What a run did, for the command's summary."""

    release: int | None  # the release recorded; None when nothing changed
    version: str
    councils: dict[str, int] = field(default_factory=dict)
    shown: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    blank: dict[str, dict[str, int]] = field(default_factory=dict)
    cells_blank: dict[str, dict[str, int]] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    rewritten: bool = False  # the package was rewritten from the store (nothing new)
    undecided: int = 0


def _iso(t: int) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _changes_line(changed: dict[str, list], before_empty: bool) -> str:
    figs = changed.get(PUBLIC.id, [])
    by = {s: sum(1 for f in figs if f.status == s) for s in ("shown", "kept", "blank")}
    if before_empty:
        return f"first release: {by['shown']} figures shown, {by['blank']} blank"
    return f"{by['shown']} figures updated or newly shown, {by['kept']} kept from an earlier release, {by['blank']} blanked"


@contextlib.contextmanager
def _without_cycle_collection():
    """The cyclic garbage collector paused, then restored as it was.

    A night makes millions of small objects (sets, counts, figures) and keeps most of them to the end; they
    hold no reference cycles, so reference counting frees whatever is let go, and each of the collector's full
    passes walked all of them to find nothing: a fifth of a first night's time went on them. Cycles that
    other code makes meanwhile (the package validator's) wait for the collector's return at the end of the
    night. The pause is the process's: run inside the app, the app's other threads share it for the night."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(
    store: Store,
    register: Register,
    editions: dict[str, Edition],
    target: Path,
    *,
    now: int,
    as_of: int | None = None,
    allow_demo: bool = False,
    progress=None,
) -> Outcome:
    """One night. Raises DemoRefused, package.InvalidPackage (nothing replaced or recorded)."""
    with _without_cycle_collection():
        return _run(store, register, editions, target, now=now, as_of=as_of, allow_demo=allow_demo, progress=progress)


def _run(store: Store, register: Register, editions: dict[str, Edition], target: Path, *, now: int, as_of: int | None,
         allow_demo: bool, progress) -> Outcome:  # fmt: skip
    as_of = now if as_of is None else as_of
    say = progress or (lambda _m: None)
    say("Reading the shared responses (one snapshot)")
    with store.transaction(write=False, snapshot=True) as tx:
        is_demo = demo.holds_demo(tx)
        if is_demo and not allow_demo:
            raise DemoRefused("the database holds demo data (tie demo)")
        entries = consensus.shared_consensus(tx, as_of)
        viewers = releases.viewers(tx)
        history, current = releases.load(tx)
        last = releases.latest(tx)
        past_rows = releases.all_releases(tx)
    number = (last.id + 1) if last else 1
    say(f"{len(entries)} shared responses from {len({e.council for e in entries})} councils; computing release {number}")
    rel = release.compute(entries, register, editions, history, viewers, number, as_of, progress=say)
    changed = release.changes(rel, current)
    public_changed = bool(changed.get(PUBLIC.id))
    outcome = Outcome(None, last.version if last else "", dict(rel.councils))
    for aud, tally in rel.tallies.items():
        outcome.shown[aud], outcome.kept[aud] = tally.shown, tally.kept
        outcome.blank[aud], outcome.cells_blank[aud] = dict(tally.blank), dict(tally.cells_blank)
    outcome.undecided = rel.tallies[SIGNED_IN.id].undecided
    outcome.changed = {a: len(v) for a, v in changed.items()}
    on_disk = read_benchmarks(target)
    if not any(changed.values()):
        if last and (on_disk is None or on_disk.release != last.id):
            say("Nothing new; the package on disk is not the latest release's: rewriting it from the store")
            figures = _with_unshown(current.get(PUBLIC.id, {}), rel.figures[PUBLIC.id])
            meta = _meta(last.id, last.version, last.as_of, last.demo, register)
            package.swap_in(package.stage(target, register, figures, [_release_row(r) for r in past_rows], meta), target)
            outcome.rewritten = True
        return outcome
    version = package.next_version(last.version if last else None, public_changed)
    rows = [_release_row(r) for r in past_rows] + [
        [number, version, _iso(now), _iso(as_of), register.version.label, rel.councils[PUBLIC.id], _changes_line(changed, last is None)]
    ]
    say(f"Writing and validating the package (version {version})")
    figures = rel.figures[PUBLIC.id]
    meta = _meta(number, version, as_of, is_demo, register)
    staged = package.stage(target, register, figures, rows, meta)
    summary = {
        "councils": rel.councils,
        "shown": outcome.shown,
        "kept": outcome.kept,
        "blank": outcome.blank,
        "cells_blank": outcome.cells_blank,
        "changed": outcome.changed,
        "changes": rows[-1][-1],
    }
    try:
        with store.transaction() as tx:
            releases.record(tx, rel, changed, released_at=now, register_version=register.version.label, version=version,
                            package_sha256=staged.checksum, demo=is_demo, summary=summary)  # fmt: skip
    except BaseException:
        staged.discard()
        raise
    package.swap_in(staged, target)
    outcome.release, outcome.version = number, version
    return outcome


def _with_unshown(stored: dict, computed: dict) -> dict:
    """The store's figures, and tonight's computed ones where the store has no row (never shown, no contributors)."""
    figures = {key: dict(by_group) for key, by_group in stored.items()}
    for key, by_group in computed.items():
        for gid, fig in by_group.items():
            figures.setdefault(key, {}).setdefault(gid, fig)
    return figures


def _meta(number: int, version: str, as_of: int, is_demo: bool, register: Register) -> dict:
    return {
        "release": number,
        "version": version,
        "as_of": _iso(as_of),
        "register_version": register.version.label,
        "audience": PUBLIC.label,
        "minimum_group": PUBLIC.minimum,
        "synthetic": is_demo,
        "reasons": {code: text.format(m=PUBLIC.minimum) for code, text in REASONS.items()},
    }


def _release_row(r: releases.ReleaseRow) -> list:
    councils = r.summary.get("councils", {}).get(PUBLIC.id, 0)
    return [r.id, r.version, _iso(r.released_at), _iso(r.as_of), r.register_version, councils, r.summary.get("changes", "")]
