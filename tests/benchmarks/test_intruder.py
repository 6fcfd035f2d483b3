"""The motivated intruder (issue 11, "Must show"): playing each council in turn, it reconstructs 0 answers.

Ninety simulated nights of arrivals, revisions and withdrawals over the real register, a release
each night with its history carried forward. Then each council in turn, and a person in two
councils, knowing its own answers, every public response and every release it can see (all open
data; the signed-in figures of its fixed groups and nearest neighbours), works out what it can
by exact integer reasoning (tests/benchmarks/intruder.py). It must determine no answer of a
council that did not publish to everyone. The same intruder, with the differencing rules switched
off, does reconstruct answers: it is known to work.

Each figure key is decided on its own, so a reduced edition (one statement) and one route stand
for all keys. In the quick tier (TIE_TEST_TIER=fast) fewer nights are played.
"""

from __future__ import annotations

import random

from functions.benchmarks import disclosure, span
from tests.benchmarks import intruder
from tests.benchmarks import simulation as sim
from tests.factories import FAST

NIGHTS = 15 if FAST else 90  # the 90 simulated nights; fewer in the quick tier
OFF_NIGHTS = 12  # with a rule off, the intruder finds answers within a few nights
SEED = 2026
SHARE = 0.6  # councils publishing in the first round: others join night by night


def _keep(key) -> bool:
    return (key.kind == "statement" and key.measure == "current") or key.subject == "process-redesign"


def _two_councils(reg) -> frozenset[str]:
    """A person in two district councils of one region: their groups overlap, which helps the intruder most."""
    districts = sorted(c for c, x in reg.councils.items() if x.type == "district" and x.region == "south-east")
    return frozenset(districts[:2])


def _play(nights: int) -> tuple[sim.World, list[frozenset[str]]]:
    edition = sim.reduced_edition(sim.real_edition(), 1)
    reg = sim.register()
    person = _two_councils(reg)
    world = sim.World(random.Random(SEED), {edition.id: edition}, viewers=[person])
    world.fill(SHARE)
    for night in range(nights):
        if night:
            world.play_night()
        world.release()
    viewers = [frozenset({code}) for code in sorted(reg.councils)] + [person]
    return world, viewers


def _keys(world):
    from functions.benchmarks.figures import keys

    return [k for edition in world.editions.values() for k in keys(edition)]


def _say(found) -> str:
    return "; ".join(f"{sorted(r.viewer)} finds {r.contributor} answered {r.category} for {r.key.subject}" for r in found[:10])


def test_no_council_reconstructs_an_answer_it_was_not_shown(monkeypatch):
    sim.quicker(monkeypatch, _keep)
    world, viewers = _play(NIGHTS)
    shown_new = sum(
        1 for rel in world.releases for by_key in rel.figures.values() for by_group in by_key.values()
        for f in by_group.values() if f.status == "shown" and f.release == rel.number
    )  # fmt: skip
    assert shown_new > 100, "too few figures shown for the intruder to have anything to work on"
    assert any(p.entry.sharing == "council" for p in world.publications.values()), "no withdrawal was simulated"
    assert any(p.entry.version > 1 for p in world.publications.values()), "no revision was simulated"
    found = intruder.attack(world, _keys(world), viewers)
    assert found == [], f"{len(found)} reconstructions: {_say(found)}"


def test_the_intruder_reconstructs_answers_when_differencing_is_switched_off(monkeypatch):
    sim.quicker(monkeypatch, _keep)
    monkeypatch.setattr(span, "leak", lambda sets, limit: None)  # no check of sums and differences
    monkeypatch.setattr(disclosure, "one_sided", lambda *args: True)  # nor of each side of a difference
    monkeypatch.setattr(disclosure, "_pair_gives_away", lambda *args: False)  # nor of two figures' difference
    world, viewers = _play(OFF_NIGHTS)
    found = intruder.attack(world, _keys(world), viewers)
    print(f"with differencing off: {len(found)} reconstructions of {len({r.contributor for r in found})} contributors")
    assert len({r.contributor for r in found}) >= 3, _say(found)
