"""Related resources: for each resource, the few others that share most with it, found in linear time."""

from __future__ import annotations

from collections import defaultdict

from generator.content.resources import Resource

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
    # Resources are numbered by that order, so that ranks, not addresses, are compared and kept.
    ordered = sorted(resources, key=lambda r: (-r.last_changed.toordinal(), r.title, r.address))
    features = [frozenset(_features(r)) for r in ordered]
    by_feature: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, mine in enumerate(features):
        for feature in mine:
            by_feature[feature].append(i)
    result: dict[str, list[Resource]] = {}
    for i, mine in enumerate(features):
        pool: set[int] = set()
        for feature in mine:
            head = by_feature[feature][: CANDIDATES + 1]
            if i in head:
                head.remove(i)
            pool.update(head[:CANDIDATES])
        scores = {j: sum(WEIGHTS[kind] for kind, _ in mine & features[j]) for j in pool}
        best = sorted(pool, key=lambda j: (-scores[j], j))[:RELATED]
        result[ordered[i].address] = [ordered[j] for j in best]
    return result
