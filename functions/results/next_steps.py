"""Next steps: resources from the library, and support offers, that fit each area for improvement.

A resource fits a statement when its front matter names the statement, or shares its theme. It is
left out when it says which stages it is written for and the council's current stage is not one
of them (a guide for councils starting out is no help to one already reviewing), and when it says
which council types, nations or regions it is for and the council is not among them (`excludes`: a
support offer for Welsh councils is no help to Aberdeen). Fitting resources are ranked by how much of
their front matter matches:

- names the statement: 4 (written for exactly this)
- written for the council's current stage: 2
- each of the council's favoured ambition routes it follows: 1
- shares the statement's theme: 1
- for the council's type of council: 1

then by title. Support offers (peer challenge and the like) are listed apart, by the same ranking.

The reasons are shown to whoever reads the results: the council's members, a person reading their own
answers, and, for a response shared with everyone, people outside the council. So they name whose
routes they are (`whose_routes`) and never say "your council".
"""

from __future__ import annotations

from dataclasses import dataclass

from functions.results.compute import Results, StatementResult
from model.vocabulary import COUNCIL_TYPES, ROUTES

PER_AREA = 3  # resources suggested for each area: enough to choose from, few enough to act on
SUPPORT_PER_AREA = 2
SUPPORT_KIND = "support"

STATEMENT_WEIGHT = 4
STAGE_WEIGHT = 2
ROUTE_WEIGHT = 1
THEME_WEIGHT = 1
COUNCIL_TYPE_WEIGHT = 1
COUNCILS_ROUTES = "the council's"  # the official response: the routes the council agreed to favour
OWN_ROUTES = "your"  # a person's own results: the routes they chose


@dataclass(frozen=True)
class Suggestion:
    """One resource suggested for an area, and why it was chosen (shown to the reader)."""

    url: str
    title: str
    summary: str
    kind: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """An area for improvement with its suggested resources and support offers: one line of the action plan."""

    rank: int
    area: StatementResult
    resources: tuple[Suggestion, ...]
    support: tuple[Suggestion, ...]


# What a resource may say it is for (library.json's "for", from its front matter), and the council's value
# each is compared with. A council of which a value is not known is not left out by that value.
RESTRICTIONS = ("council-type", "nation", "region")


def excludes(entry: dict, council_type: str | None, nation: str | None = None, region: str | None = None) -> bool:
    """Whether the resource says it is for council types, nations or regions that leave this council out."""
    declared = entry.get("for") or {}
    council = {"council-type": council_type, "nation": nation, "region": region}
    return any(declared.get(key) and council[key] and council[key] not in declared[key] for key in RESTRICTIONS)


def score(
    entry: dict,
    area: StatementResult,
    routes: tuple[str, ...],
    council_type: str | None,
    whose_routes: str = COUNCILS_ROUTES,
    *,
    nation: str | None = None,
    region: str | None = None,
) -> Suggestion | None:
    """How well a library entry fits an area, or None when it does not fit at all."""
    if excludes(entry, council_type, nation, region):
        return None
    statement = area.statement
    names_it = statement.id in (entry.get("statements") or ())
    same_theme = statement.theme in (entry.get("theme") or ())
    if not (names_it or same_theme):
        return None
    stages = entry.get("stages") or ()
    if stages and area.current not in stages:
        return None
    points, reasons = 0, []
    if names_it:
        points += STATEMENT_WEIGHT
        reasons.append(f"written for statement {statement.id}")
    if stages:
        points += STAGE_WEIGHT
        reasons.append(f"for councils at the stage “{area.current_label}”")
    shared_routes = [r for r in routes if r in (entry.get("route") or ())]
    if shared_routes:
        points += ROUTE_WEIGHT * len(shared_routes)
        reasons.append(
            f"fits {whose_routes} favoured route"
            + ("s" if len(shared_routes) > 1 else "")
            + ": "
            + ", ".join(ROUTES.label(r).lower() for r in shared_routes)
        )
    if same_theme:
        points += THEME_WEIGHT
        reasons.append("same theme")
    if council_type and council_type in (entry.get("council-type") or ()):
        points += COUNCIL_TYPE_WEIGHT
        reasons.append(f"from or for this type of council: {COUNCIL_TYPES.label(council_type)}")
    return Suggestion(entry["url"], entry["title"], entry.get("summary", ""), entry.get("kind", ""), points, tuple(reasons))


def suggest(
    entries: list[dict],
    area: StatementResult,
    routes: tuple[str, ...] = (),
    council_type: str | None = None,
    whose_routes: str = COUNCILS_ROUTES,
    *,
    nation: str | None = None,
    region: str | None = None,
) -> tuple[tuple[Suggestion, ...], tuple[Suggestion, ...]]:
    """(resources, support offers) for one area, best first."""
    found = [
        s for e in entries if (s := score(e, area, routes, council_type, whose_routes, nation=nation, region=region)) is not None
    ]
    found.sort(key=lambda s: (-s.score, s.title.lower(), s.url))
    resources = tuple(s for s in found if s.kind != SUPPORT_KIND)[:PER_AREA]
    support = tuple(s for s in found if s.kind == SUPPORT_KIND)[:SUPPORT_PER_AREA]
    return resources, support


def plan(
    results: Results,
    entries: list[dict],
    council_type: str | None = None,
    whose_routes: str = COUNCILS_ROUTES,
    *,
    nation: str | None = None,
    region: str | None = None,
) -> tuple[Step, ...]:
    """The action plan: every area for improvement, in priority order, with its next steps.

    `whose_routes` says whose the favoured routes are, in the reasons: COUNCILS_ROUTES or OWN_ROUTES.
    `council_type`, `nation` and `region` are the council's (vocabulary ids), so resources for others are left out.
    """
    steps = []
    for rank, area in enumerate(results.improvements, start=1):
        resources, support = suggest(entries, area, results.routes, council_type, whose_routes, nation=nation, region=region)
        steps.append(Step(rank, area, resources, support))
    return tuple(steps)
