"""Properties of every release over random participation (issue 11, "Must show").

About 380 councils of every type and region (the real register), the real edition's 40 statements
and up to two synthetic later editions (copies under other ids), random sharing choices, answers
from spread out to nearly unanimous, then nights of arrivals, revisions (a new publication, so a
new contributor) and withdrawals, each night's release computed with the history carried forward.
For every figure shown to any audience: at least its audience's minimum of councils, and for
signed-in members a hidden part (responses not shared with everyone) of 0 or at least the minimum;
no category holding n-1 or more of n; every blank cell None with a reason, never 0, and every blank
figure with a reason; open data counting only responses shared with everyone.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions.benchmarks import rules
from tests.benchmarks import simulation as sim
from tests.factories import FAST

EXAMPLES = 1 if FAST else 3  # a release of three 40-statement editions takes seconds: few cases, each large
EDITION_NIGHTS = 3  # editions times nights, at most, per case


@st.composite
def participation(draw):
    editions = draw(st.integers(1, 3))
    return {
        "seed": draw(st.integers(0, 2**32 - 1)),
        "share": draw(st.floats(0.3, 1.0)),
        "weights": draw(st.tuples(*(st.floats(0.0, 1.0) for _ in range(3))).filter(lambda w: w[0] + w[1] > 0.05)),
        "concentration": draw(st.sampled_from((0.0, 0.5, 0.9, 1.0))),
        "editions": editions,
        "nights": draw(st.integers(1, EDITION_NIGHTS // editions)),
    }


def check(world: sim.World, rel) -> int:
    """Every property of one release; the number of figures shown (fresh or kept)."""
    shown = 0
    public_ids = {cid for cid, p in world.publications.items() if p.entry.sharing == "public"}
    snapshots: dict[int, set[str]] = {}  # each release's contributors, made once for the figures from it
    for audience_id, by_key in rel.figures.items():
        audience = rules.AUDIENCES[audience_id]
        m = audience.minimum
        for key, by_group in by_key.items():
            for gid, f in by_group.items():
                where = f"{audience_id} {key} {gid} in release {rel.number}"
                assert set(f.cells) == set(key.categories), where
                if f.status == "blank":
                    assert f.reason in rules.REASONS, where
                    assert f.n is None and all(v is None for v in f.cells.values()), where
                    assert all(f.cell_reasons.get(c) in rules.REASONS for c in f.cells), where
                    continue
                assert f.status in ("shown", "kept"), where
                shown += 1
                n, counts = f.n, f.counts
                assert n == counts.n == len(f.contributors) >= m, where
                assert len(f.hidden) == counts.hidden_n and f.hidden <= f.contributors, where
                if audience is rules.SIGNED_IN:
                    assert len(f.hidden) == 0 or len(f.hidden) >= m, where
                assert max(counts.all.values()) < n - 1, f"{where}: a category holds n-1 or more of {n}: {counts.all}"
                assert any(v is not None for v in f.cells.values()), where
                for cat, pct in f.cells.items():
                    if pct is None:
                        assert f.cell_reasons.get(cat) in rules.REASONS, f"{where}: blank cell {cat} without a reason"
                    else:
                        assert cat not in f.cell_reasons and pct == round(100 * counts.all[cat] / n), where
                if key.scale and f.mean is None:
                    assert f.mean_reason in rules.REASONS, where
                # the counts are those of the contributors named, as they published
                made = Counter(world.values(c)[key] for c in f.contributors)
                assert {k: v for k, v in counts.all.items() if v} == dict(made), where
                if f.release not in snapshots:
                    snapshots[f.release] = {f"{e.council}:{e.publication}" for e in world.snapshots[f.release - 1]}
                snapshot = snapshots[f.release]
                assert f.contributors <= snapshot, f"{where}: counts a response not in the snapshot of its release"
                if audience is rules.PUBLIC:
                    assert f.contributors <= public_ids, f"{where}: open data counts a response not shared with everyone"
                else:
                    assert f.hidden == f.contributors - public_ids, where
    return shown


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=participation())
def test_every_release_keeps_the_disclosure_rules(case):
    base = sim.real_edition()
    editions = {base.id: base}
    for i in range(1, case["editions"]):
        copy = sim.copy_edition(base, f"{int(base.id) + i}")
        editions[copy.id] = copy
    with pytest.MonkeyPatch.context() as mp:
        sim.quicker(mp)
        world = sim.World(random.Random(case["seed"]), editions, viewers=[frozenset({"ADU", "ABE"})],
                          concentration=case["concentration"])  # fmt: skip
        world.fill(case["share"], tuple(zip(("similar", "public", "council"), case["weights"], strict=True)))
        for night in range(case["nights"]):
            if night:
                world.play_night()
            check(world, world.release())
