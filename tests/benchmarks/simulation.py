"""Simulated participation for the benchmark privacy tests: councils join, revise and withdraw, night by night.

A `World` holds every council's publications per edition as `consensus.shared_consensus` would
return them (the latest publication per council and edition, then the sharing filter), runs
`release.compute` each night and carries the history forward as `releases.load` reads it back
from the store: after each release, every figure shown with that release's number is appended.
Every publication ever made is kept (`publications`), so tests can tell who shared what, when.
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from functions.benchmarks import release
from functions.benchmarks.disclosure import Past
from functions.benchmarks.figures import contribution
from functions.consensus.store import SharedConsensus
from functions.settings import ROOT
from model.questionnaire import Edition
from model.register import Register
from model.vocabulary import ROUTES, STAGES
from tests.factories import COUNCILS

SHARED = ("similar", "public")  # the sharing choices the snapshot returns; "council" withdraws
NIGHT_CHANGES = (3, 9)  # councils changing in one night, as functions/demo/data.py plays a night
DAY = 86_400


@lru_cache(maxsize=1)
def register() -> Register:
    """The real council register (about 380 councils of every type, nation and region)."""
    from model.register import load

    return load(COUNCILS)


@lru_cache(maxsize=1)
def real_edition() -> Edition:
    """The real questionnaire's 2026 edition (40 statements)."""
    from model.questionnaire import load_all

    editions, problems = load_all(ROOT / "questionnaire")
    assert not problems, [str(p) for p in problems]
    return editions["2026"]


def copy_edition(edition: Edition, new_id: str) -> Edition:
    """The same statements as another edition, under another id (a synthetic later edition)."""
    return dataclasses.replace(edition, id=new_id)


def reduced_edition(edition: Edition, statements: int, new_id: str | None = None) -> Edition:
    """The edition's first theme, cut to its first `statements` statements: fewer figure keys, each independent."""
    theme = edition.themes[0]
    theme = dataclasses.replace(theme, statements=theme.statements[:statements])
    return dataclasses.replace(edition, id=new_id or edition.id, themes=(theme,))


@dataclass(frozen=True)
class Publication:
    """One publication of one council for one edition, as the store keeps it (sharing "council" included)."""

    entry: SharedConsensus
    night: int

    @property
    def id(self) -> str:
        return f"{self.entry.council}:{self.entry.publication}"


@dataclass
class World:
    """Councils' publications over simulated nights, and every release computed from them."""

    rng: random.Random
    editions: dict[str, Edition]
    viewers: list[frozenset[str]] = field(default_factory=list)
    concentration: float = 0.0  # chance that an answer is the council's usual one: high values make dominant groups
    reg: Register = field(default_factory=register)
    latest: dict[tuple[str, str], Publication] = field(default_factory=dict)  # (council, edition) -> newest publication
    publications: dict[str, Publication] = field(default_factory=dict)  # contributor id -> publication, all ever
    history: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(list))))
    releases: list[release.Release] = field(default_factory=list)
    snapshots: list[list[SharedConsensus]] = field(default_factory=list)  # the entries each release was computed from
    _values: dict[str, dict] = field(default_factory=dict)  # contributor id -> its values, worked out once
    night: int = 0
    _serial: int = 0

    # -- publishing ---------------------------------------------------------------------------

    def _answers(self, council: str, edition: Edition) -> dict[str, tuple[str, str]]:
        ctype = self.reg.councils[council].type
        usual = self.rng.randrange(len(STAGES.ids))
        out = {}
        for s in edition.statements:
            if not s.applies(ctype):
                continue
            current = usual if self.rng.random() < self.concentration else self.rng.randrange(len(STAGES.ids))
            ambition = min(len(STAGES.ids) - 1, current + self.rng.choice((0, 1, 1, 2)))
            out[s.id] = (STAGES.ids[current], STAGES.ids[ambition])
        return out

    def _routes(self) -> tuple[str, ...]:
        return tuple(sorted(self.rng.sample(ROUTES.ids, self.rng.choice((1, 1, 2, 3)))))

    def publish(self, council: str, edition: str, sharing: str, answers=None, routes=None) -> Publication:
        """A new publication (a new contributor); its sharing "council" withdraws the council from the snapshot."""
        before = self.latest.get((council, edition))
        self._serial += 1
        if answers is None:
            answers = self._answers(council, self.editions[edition])
        if routes is None:
            routes = before.entry.routes if before else self._routes()
        version = before.entry.version + 1 if before else 1
        entry = SharedConsensus(council, edition, 2026, version, self.night * DAY, sharing, routes, dict(answers),
                                f"p{self._serial}")  # fmt: skip
        pub = Publication(entry, self.night)
        self.latest[(council, edition)] = pub
        self.publications[pub.id] = pub
        return pub

    def revise(self, council: str, edition: str, sharing: str | None = None) -> Publication:
        """Republish with a few answers corrected (and maybe the routes), keeping the sharing unless told another."""
        before = self.latest[(council, edition)].entry
        answers = dict(before.answers)
        for sid in self.rng.sample(sorted(answers), min(3, len(answers))):
            current = min(len(STAGES.ids) - 1, max(0, STAGES.ids.index(answers[sid][0]) + self.rng.choice((-1, 1))))
            answers[sid] = (STAGES.ids[current], STAGES.ids[max(current, STAGES.ids.index(answers[sid][1]))])
        routes = self._routes() if self.rng.random() < 0.3 else before.routes
        return self.publish(council, edition, sharing or before.sharing, answers, routes)

    def withdraw(self, council: str, edition: str) -> Publication:
        """Publish again for the council only: it leaves the next benchmarks."""
        before = self.latest[(council, edition)].entry
        return self.publish(council, edition, "council", before.answers, before.routes)

    def fill(self, share: float, sharing_weights=(("similar", 0.45), ("public", 0.4), ("council", 0.15))) -> None:
        """A first round: `share` of the councils publish for every edition, with sharing drawn by the weights."""
        for code in sorted(self.reg.councils):
            if self.rng.random() >= share:
                continue
            for ed in self.editions:
                choice = self.rng.choices([s for s, _ in sharing_weights], weights=[w for _, w in sharing_weights])[0]
                self.publish(code, ed, choice)

    def play_night(self, changes: tuple[int, int] = NIGHT_CHANGES) -> dict[str, list[str]]:
        """A few councils join, revise (sometimes changing their sharing) or withdraw; then tonight's release."""
        done: dict[str, list[str]] = defaultdict(list)
        touched: set[tuple[str, str]] = set()
        for _ in range(self.rng.randint(*changes)):
            ed = self.rng.choice(sorted(self.editions))
            absent = [c for c in sorted(self.reg.councils) if (c, ed) not in self.latest]
            present = [c for c in sorted(self.reg.councils) if (c, ed) in self.latest and (c, ed) not in touched]
            actions = ["revise", "revise", "withdraw", "reshare"] + (["join"] if absent else [])
            action = self.rng.choice(actions)
            if action == "join":
                code = self.rng.choice(absent)
                self.publish(code, ed, self.rng.choice(("similar", "similar", "public")))
            elif not present:
                continue
            else:
                code = self.rng.choice(present)
                shared = self.latest[(code, ed)].entry.sharing in SHARED
                if action == "withdraw" and shared:
                    self.withdraw(code, ed)
                elif action == "reshare" or not shared:
                    self.revise(code, ed, self.rng.choice(("similar", "public")))
                else:
                    self.revise(code, ed)
            touched.add((code, ed))
            done[action].append(f"{code}/{ed}")
        return done

    # -- releases -----------------------------------------------------------------------------

    def entries(self) -> list[SharedConsensus]:
        """What consensus.shared_consensus returns tonight: the latest publication, then the sharing filter."""
        return [p.entry for p in self.latest.values() if p.entry.sharing in SHARED]

    def release(self) -> release.Release:
        """Tonight's release from tonight's snapshot and everything shown before; remembered as the store would."""
        self.night += 1
        entries = self.entries()
        rel = release.compute(entries, self.reg, self.editions, self.history, self.viewers, self.night, self.night * DAY)
        for audience, by_key in rel.figures.items():
            for key, by_group in by_key.items():
                for gid, fig in by_group.items():
                    if fig.status == "shown" and fig.release == rel.number:
                        self.history[audience][key][gid].append(Past(rel.number, fig.contributors, fig.hidden, fig.counts, fig))
        self.releases.append(rel)
        self.snapshots.append(entries)
        return rel

    # -- what the tests read ------------------------------------------------------------------

    def values(self, contributor: str) -> dict:
        """A contributor's value for every figure key of its edition (what the figures count it as)."""
        found = self._values.get(contributor)
        if found is None:  # a publication never changes: a new one is a new contributor
            pub = self.publications[contributor]
            ed = self.editions[pub.entry.edition]
            found = self._values[contributor] = contribution(ed, self.reg.councils[pub.entry.council].type, pub.entry).values
        return found


def _by_register(f):
    """`f(register, ...)` remembered for the register object: the same register gives the same groups (model/similar.py)."""
    memo: dict = {}

    def remembered(reg, *args):
        key = (id(reg), args)
        if key not in memo:
            memo[key] = (reg, f(reg, *args))  # the register is kept, so its id is not reused
        return memo[key][1]

    return remembered


def quicker(monkeypatch, keep=None) -> None:
    """Groups and nearest neighbours computed once per register, not once a night; optionally fewer figure keys.

    `keep(key)` chooses the figure keys a release computes: each key is decided on its own, so a
    few stand for all of them.
    """
    from functions.benchmarks import figures
    from model import similar

    monkeypatch.setattr(figures, "neighbours", _by_register(similar.neighbours))
    grouped = _by_register(similar.groups)
    monkeypatch.setattr(figures, "groups", grouped)
    monkeypatch.setattr(release, "groups", grouped)
    if keep is not None:
        every = figures.keys
        monkeypatch.setattr(figures, "keys", lambda edition: [k for k in every(edition) if keep(k)])
