"""Related resources: for each resource, the few others that share most with it, found in linear time."""

from __future__ import annotations

from collections import defaultdict

from .content import Resource

RELATED = 5  # shown on each page; a fixed number keeps page size flat as the library grows
CANDIDATES = 40  # taken from each shared feature's list; bounds the work per resource
WEIGHTS = {"statement": 4, "route": 2, "theme": 2, "kind": 1}


def _features(r: Resource) -> list[tuple[str, str]]:
    return (
        [("statement", s) for s in r.statements]
        + [("route", x) for x in r.ambition_routes]
        + [("theme", t) for t in r.themes]
        + [("kind", r.kind.id)]
    )


def related(resources: list[Resource]) -> dict[str, list[Resource]]:
    """The related resources of each resource, by address, best first.

    Each feature (a theme, a route, a statement, the kind) keeps its resources newest first;
    a resource's candidates are the first few of each of its features' lists, scored by the
    weighted features they share. Ties go to the newer, then by title, so builds are stable.
    """
    by_feature: dict[tuple[str, str], list[Resource]] = defaultdict(list)
    ordered = sorted(resources, key=lambda r: (-r.last_changed.toordinal(), r.title, r.address))
    for r in ordered:
        for feature in _features(r):
            by_feature[feature].append(r)
    rank = {r.address: i for i, r in enumerate(ordered)}
    features = {r.address: set(_features(r)) for r in resources}
    result: dict[str, list[Resource]] = {}
    for r in resources:
        scores: dict[str, int] = defaultdict(int)
        pool: dict[str, Resource] = {}
        for feature in _features(r):
            taken = 0
            for other in by_feature[feature]:
                if other.address == r.address:
                    continue
                pool[other.address] = other
                taken += 1
                if taken >= CANDIDATES:
                    break
        for address, other in pool.items():
            shared = features[r.address] & features[address]
            scores[address] = sum(WEIGHTS[kind] for kind, _ in shared)
        best = sorted(pool, key=lambda a: (-scores[a], rank[a]))[:RELATED]
        result[r.address] = [pool[a] for a in best]
    return result
