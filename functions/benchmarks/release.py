"""One release: every figure of every edition for both audiences, from one snapshot and the releases before it.

Pure: it reads nothing and writes nothing. `compute` takes the snapshot (consensus.shared_consensus),
the register, the editions, what earlier releases showed (`History`) and the sets of councils that
one person belongs to together, and gives each audience's figures with a tally for the summary.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from functions.benchmarks import disclosure, forked
from functions.benchmarks.disclosure import Checker, Figure, GroupId, Past, Tally
from functions.benchmarks.figures import NEIGHBOURS, Key, fixed_groups, neighbour_groups, raw_figures
from functions.benchmarks.rules import AUDIENCES, PUBLIC, SIGNED_IN, Audience
from model.questionnaire import Edition
from model.register import Register
from model.similar import GROUPINGS, groups, membership

History = dict[str, dict[Key, dict[GroupId, list[Past]]]]  # audience -> key -> group -> figures shown, oldest first


@dataclass
class Release:
    number: int
    as_of: int
    figures: dict[str, dict[Key, dict[GroupId, Figure]]] = field(default_factory=dict)  # audience -> key -> group
    tallies: dict[str, Tally] = field(default_factory=dict)
    councils: dict[str, int] = field(default_factory=dict)  # audience -> councils counted
    viewers: list[frozenset[str]] = field(default_factory=list)  # the multi-council viewers it checked


def families(register: Register, audience: Audience, viewers: list[frozenset[str]]) -> list[frozenset[GroupId]]:
    """What one viewer can see, for each kind of viewer of the audience.

    Open data: everyone sees every fixed group. Signed in: a member of a council sees its fixed groups
    and its nearest neighbours; a person in several councils sees all of theirs at once.
    """
    fixed = membership(groups(register))
    if audience is PUBLIC:
        return [frozenset((grouping, g.id) for code in fixed for grouping, g in fixed[code].items())]

    def seen_by(code: str) -> set[GroupId]:
        return {(grouping, fixed[code][grouping].id) for grouping in GROUPINGS} | {(NEIGHBOURS, code)}

    out = [frozenset(seen_by(code)) for code in sorted(register.councils)]
    for councils in viewers:
        known = [c for c in sorted(councils) if c in register.councils]
        if len(known) > 1:
            out.append(frozenset().union(*(seen_by(c) for c in known)))
    return out


def compute(
    entries,
    register: Register,
    editions: dict[str, Edition],
    history: History,
    viewers: list[frozenset[str]],
    number: int,
    as_of: int,
    progress=None,
    split: bool | None = None,
) -> Release:
    """Every figure of release `number`, for both audiences. `split`: decide in two processes (forked.py); None to choose."""
    release = Release(number, as_of, viewers=sorted({v for v in viewers if len(v) > 1}, key=sorted))
    checker = Checker()
    fixed, near = fixed_groups(register), neighbour_groups(register)  # worked out once: the neighbours take a while
    for audience in AUDIENCES.values():
        counted = {e.council for e in entries if e.sharing in audience.counted and e.council in register.councils}
        release.councils[audience.id] = len(counted)
        fams = disclosure.Families.index(families(register, audience, release.viewers))
        tally = Tally()
        by_key: dict[Key, dict[GroupId, Figure]] = {}
        for edition in editions.values():
            if progress:
                progress(f"{audience.label}: edition {edition.id}")
            raws = raw_figures(edition, register, entries, audience, fixed + near if audience is SIGNED_IN else fixed)
            past = history.get(audience.id, {})

            def decide(key: Key, by_group, past=past, fams=fams, audience=audience):
                return disclosure.decide(key, by_group, past.get(key, {}), fams, audience, number, checker)

            for key, decided in forked.decide_keys(list(raws.items()), past, decide, number, checker, split=split).items():
                by_key[key] = decided
                for f in decided.values():
                    tally.add(f)
        tally.undecided = checker.undecided
        release.figures[audience.id] = by_key
        release.tallies[audience.id] = tally
    release.viewers = checked_viewers(register, release, history.get(SIGNED_IN.id, {}), checker)
    return release


def checked_viewers(register: Register, release: Release, history, checker: Checker) -> list[frozenset[str]]:
    """The multi-council viewers whose whole family passes the checks for every key: the sets the release lists as checked.

    A person in councils whose figures, seen together, would fail the checks is not listed, and so
    sees no signed-in figures (functions/results/comparisons.py) until a release can list them.
    """
    limit = SIGNED_IN.minimum - 1
    figures = release.figures.get(SIGNED_IN.id, {})
    out = []
    for councils in release.viewers:
        fam = families(register, SIGNED_IN, [councils])[-1]
        if all(disclosure.family_safe(fam, history.get(key, {}), by_group, limit, checker) for key, by_group in figures.items()):
            out.append(councils)
    return out


def changes(release: Release, current: dict[str, dict[Key, dict[GroupId, Figure]]]) -> dict[str, list[Figure]]:
    """The figures whose published state differs from the current one (those a new release records)."""
    out: dict[str, list[Figure]] = defaultdict(list)
    for audience, by_key in release.figures.items():
        for key, by_group in by_key.items():
            for gid, fig in by_group.items():
                before = current.get(audience, {}).get(key, {}).get(gid)
                if before is None:
                    if fig.status != "blank" or fig.reason != "no-contributors":
                        out[audience].append(fig)
                elif before.published() != fig.published():
                    out[audience].append(fig)
    return out
