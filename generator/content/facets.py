"""The library's filters (kind, theme, ambition route, council type, region) and the addresses of their pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.content.kinds import KINDS
from generator.content.resources import Resource
from model import vocabulary as v
from model.register import Register

NATION_REGIONS = {
    "england": tuple(t.id for t in v.REGIONS.terms if t.id not in ("scotland", "wales", "northern-ireland")),
    "scotland": ("scotland",),
    "wales": ("wales",),
    "northern-ireland": ("northern-ireland",),
}


@dataclass(frozen=True)
class Facet:
    """A filter of the library: its values and which of them a resource has."""

    id: str
    label: str
    terms: tuple[v.Term, ...]
    address: str  # with {id}
    values: Callable[[Resource, Register | None], set[str]]

    def page(self, value: str) -> str:
        return self.address.format(id=value)


def _council_types(r: Resource, register: Register | None) -> set[str]:
    council = register.get(r.council) if (register and r.council) else None
    return set(r.council_types) | ({council.type} if council else set())


def _regions(r: Resource, register: Register | None) -> set[str]:
    council = register.get(r.council) if (register and r.council) else None
    found = set(r.regions) | ({council.region} if council else set())
    for nation in r.nations:
        found |= set(NATION_REGIONS[nation])
    return found


KIND_TERMS = tuple(v.Term(k.id, k.plural, k.description) for k in KINDS)

FACETS: tuple[Facet, ...] = (
    Facet("kind", "Kind", KIND_TERMS, "/kinds/{id}/", lambda r, _: {r.kind.id}),
    Facet("theme", "Theme", v.THEMES.terms, "/themes/{id}/", lambda r, _: set(r.themes)),
    Facet("route", "Ambition route", v.ROUTES.terms, "/library/route/{id}/", lambda r, _: set(r.ambition_routes)),
    Facet("council-type", "Council type", v.COUNCIL_TYPES.terms, "/library/council-type/{id}/", _council_types),
    Facet("region", "Region", v.REGIONS.terms, "/library/region/{id}/", _regions),
)
BY_ID = {f.id: f for f in FACETS}

# Pages the generator writes besides resources and facet pages.
FIXED_PAGES = (
    "/",
    "/library/",
    "/search/",
    "/self-assessment/",
    "/whats-new/",
    "/about/",
    "/contribute/",
    "/privacy/",
    "/accessibility/",
)


def generated_addresses() -> frozenset[str]:
    """Every address the generator makes whatever the content: links to these always resolve."""
    pages = set(FIXED_PAGES)
    for facet in FACETS:
        pages |= {facet.page(t.id) for t in facet.terms}
    return frozenset(pages)
