"""A release decided in two processes (functions/benchmarks/forked.py) is the release one process makes, figure for figure."""

from __future__ import annotations

import os
import random
import time

import pytest

from functions.benchmarks import disclosure, forked, release
from functions.benchmarks.disclosure import Checker
from tests.benchmarks import simulation as sim


def _world(nights: int) -> sim.World:
    base = sim.real_edition()
    editions = {base.id: base, "2027": sim.copy_edition(base, "2027")}  # two: the second is split after the first's counts
    world = sim.World(random.Random(7), editions, viewers=[frozenset({"ADU", "ABE"})])
    world.fill(0.8)
    for night in range(nights):
        if night:
            world.play_night()
        world.release()
    world.play_night()  # tonight's arrivals, revisions and withdrawals, not yet released
    return world


def _compute(world: sim.World, split: bool) -> release.Release:
    return release.compute(world.entries(), world.reg, world.editions, world.history, world.viewers, world.night + 1,
                           (world.night + 1) * sim.DAY, split=split)  # fmt: skip


def _same(one: release.Release, two: release.Release) -> None:
    assert list(one.figures) == list(two.figures)
    for audience, by_key in one.figures.items():
        assert list(by_key) == list(two.figures[audience]), "keys in another order"
        for key, by_group in by_key.items():
            other = two.figures[audience][key]
            assert list(by_group) == list(other), f"{audience} {key}: groups in another order"
            for gid, f in by_group.items():
                g = other[gid]
                where = f"{audience} {key} {gid}"
                assert f == g and f.published() == g.published(), where
                assert (f.contributors, f.hidden, f.counts) == (g.contributors, g.hidden, g.counts), where
    assert {a: (t.shown, t.kept, dict(t.blank), dict(t.cells_blank), t.undecided) for a, t in one.tallies.items()} == {
        a: (t.shown, t.kept, dict(t.blank), dict(t.cells_blank), t.undecided) for a, t in two.tallies.items()
    }
    assert one.viewers == two.viewers


@pytest.fixture(scope="module")
def world() -> sim.World:
    with pytest.MonkeyPatch.context() as mp:
        sim.quicker(mp)
        yield _world(3)


def test_two_processes_make_the_release_one_process_makes(world, monkeypatch):
    decoded = []
    decode = forked._decode
    monkeypatch.setattr(forked, "_decode", lambda key, *args: decoded.append(key) or decode(key, *args))
    serial = _compute(world, split=False)
    kinds = {f.status for by_key in serial.figures.values() for by_group in by_key.values() for f in by_group.values()}
    again = sum(1 for by_key in serial.figures.values() for by_group in by_key.values() for f in by_group.values()
                if f.status == "shown" and f.release < world.night + 1)  # fmt: skip
    assert kinds == {"shown", "kept", "blank"} and again > 0, "the case must hold every kind of figure the child sends back"
    _same(serial, _compute(world, split=True))
    assert len(decoded) >= len(serial.figures["signed-in"]) // 2, "the child's keys were not sent back: the parent decided them"


def test_a_child_that_fails_leaves_the_parent_to_decide_its_keys(world, monkeypatch):
    serial = _compute(world, split=False)

    def broken(*args):
        raise RuntimeError("the child fails")

    monkeypatch.setattr(forked, "_encode", broken)
    _same(serial, _compute(world, split=True))


def test_a_large_edition_on_two_processors_is_split_and_a_small_one_or_one_processor_is_not(monkeypatch):
    forks = []
    real_fork = forked.os.fork
    monkeypatch.setattr(forked.os, "fork", lambda: forks.append(1) or real_fork())

    def decide(key, by_group):
        return {}  # no figures: nothing to send back but the keys

    large = [(i, dict.fromkeys(range(forked.MIN_FIGURES // 10))) for i in range(10)]
    small = large[:9]
    for processors, items, split in ((2, large, True), (2, small, False), (1, large, False)):
        forks.clear()
        monkeypatch.setattr(forked, "processors", lambda n=processors: n)
        assert forked.decide_keys(items, {}, decide, 1, Checker()) == {i: {} for i, _ in items}
        assert forks == ([1] if split else []), (processors, len(items))


def test_the_checks_that_could_not_decide_are_counted_once_whichever_process_made_them(world, monkeypatch):
    monkeypatch.setattr(disclosure, "MAX_RESIDUAL_CHOICES", 1)  # many figures refused as undecided
    serial = _compute(world, split=False)
    assert serial.tallies["signed-in"].undecided > 10
    _same(serial, _compute(world, split=True))


def test_a_child_that_hangs_is_stopped_and_the_parent_decides_its_keys(monkeypatch):
    monkeypatch.setattr(forked, "WAIT_AT_LEAST", 0.5)
    parent = os.getpid()

    def decide(key, by_group):
        if os.getpid() != parent:
            time.sleep(60)  # the child never answers
        return {}

    items = [(i, {}) for i in range(6)]
    started = time.monotonic()
    assert forked.decide_keys(items, {}, decide, 1, Checker(), split=True) == {i: {} for i in range(6)}
    assert time.monotonic() - started < 10
