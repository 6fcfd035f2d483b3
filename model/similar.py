"""Who is similar to whom: fixed comparator groups and nearest neighbours, from the council register alone.

Two kinds of similarity, for two uses (docs/PRIVACY rules, docs/similar-councils.md):

- **Fixed comparator groups** for open data: non-overlapping, so that published figures cannot be
  differenced into a small set. Two groupings, each a partition of every current principal council:
  council type by nation, and council type by region, where a type and region with fewer than
  MINIMUM_GROUP councils is merged by the named table MERGES (each merge with its reason).
- **Nearest neighbours**: for each council, the NEIGHBOURS councils of the same tier that are closest
  by standardised log population, log population density and deprivation score (WEIGHTS), ties
  broken by code. They overlap heavily, so only signed-in councils see figures for them.

Everything here is a pure function of the register: the same register gives the same groups and the
same neighbours, in the same order, on any machine.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from model import vocabulary as v
from model.problems import Problem
from model.register import Council, Register

MINIMUM_GROUP = 10  # councils; below this a published figure can single one out (ONS 10-5 rule; docs/PRIVACY)
NEIGHBOURS = 15  # nearest neighbours per council: enough to compare with, few enough to be alike
# Northern Ireland has 11 district councils, so each has only 10 others of its tier.

# The measures, each standardised within the tier (mean 0, standard deviation 1 over the tier's
# councils), and their weights. Equal weights: nothing in the open data says that size, density or
# deprivation matters more than the others to how a council works, and equal weights let anyone check
# a distance by hand. Population and density are logged because councils differ by orders of magnitude
# (the Isles of Scilly has 2,000 people, Birmingham a million): a difference of 10% counts the same
# at either end. The deprivation score is already a score, so it is used as it is.
WEIGHTS = {"log population": 1.0, "log density": 1.0, "deprivation score": 1.0}
DISTANCE_PLACES = 9  # distances are rounded to this before ordering, so ties do not depend on float noise


def measures(c: Council) -> dict[str, float]:
    """A council's measures, before standardising."""
    return {
        "log population": math.log(c.population),
        "log density": math.log(c.density),
        "deprivation score": c.deprivation_score,
    }


# -- fixed comparator groups --------------------------------------------------------------------

GROUPINGS = {
    "type-nation": "Council type by nation",
    "type-region": "Council type by region",
}


@dataclass(frozen=True)
class Merge:
    """Types and regions with too few councils for a group of their own, put together, and why."""

    type: str
    regions: tuple[str, ...]
    group: str  # the merged group's id, within the "type-region" grouping
    label: str
    reason: str


ENGLISH_REGIONS = ("north-east", "north-west", "yorkshire-and-the-humber", "east-midlands", "west-midlands",
                   "east-of-england", "london", "south-east", "south-west")  # fmt: skip

# Every merge of the "type-region" grouping. A type and region not listed here is a group of its own,
# and must hold at least MINIMUM_GROUP councils (tests/test_similar.py holds that against the register).
MERGES = (
    Merge(
        "county",
        ENGLISH_REGIONS,
        "county-england",
        "County councils, England",
        "No region has 10 county councils (the South East has the most, 6), and any split into two "
        "leaves one part under 10 (the North and Midlands have 8), so the 21 counties are one group.",
    ),
    Merge(
        "unitary",
        ("north-east", "north-west", "yorkshire-and-the-humber"),
        "unitary-north",
        "Unitary councils, North of England",
        "No northern region has 10 unitaries (the North West has 8); the three northern regions together have 21.",
    ),
    Merge(
        "unitary",
        ("east-midlands", "west-midlands"),
        "unitary-midlands",
        "Unitary councils, Midlands",
        "The East Midlands (6) and West Midlands (4) have 10 unitaries together, the least a group may hold.",
    ),
    Merge(
        "unitary",
        ("east-of-england", "south-east"),
        "unitary-east-and-south-east",
        "Unitary councils, East and South East of England",
        "The East of England has 6 unitaries; it joins its neighbour the South East (13), whose unitaries "
        "also ring London, leaving the South West (13) a group of its own.",
    ),
    Merge(
        "metropolitan",
        ("north-west", "west-midlands"),
        "metropolitan-north-west-and-west-midlands",
        "Metropolitan boroughs, North West and West Midlands",
        "The West Midlands' 7 metropolitan boroughs are too few alone; they join the North West's 15 "
        "(Greater Manchester and Merseyside), the other western conurbations.",
    ),
    Merge(
        "metropolitan",
        ("north-east", "yorkshire-and-the-humber"),
        "metropolitan-north-east-and-yorkshire",
        "Metropolitan boroughs, North East and Yorkshire",
        "Tyne and Wear's 5 metropolitan boroughs are too few alone; they join South and West Yorkshire's 9.",
    ),
)
_MERGED = {(m.type, region): m for m in MERGES for region in m.regions}


@dataclass(frozen=True)
class Group:
    """One fixed comparator group: its members' codes in order, and the merge that made it, if any."""

    id: str
    grouping: str
    label: str
    members: tuple[str, ...]
    merge: Merge | None = None


def _type_label(type_id: str) -> str:
    return {
        "county": "County councils",
        "district": "District councils",
        "unitary": "Unitary councils",
        "metropolitan": "Metropolitan boroughs",
        "london-borough": "London boroughs",
        "ni-district": "Northern Ireland district councils",
    }[type_id]


def _key(grouping: str, c: Council) -> tuple[str, str, Merge | None]:
    """(group id, label, merge) of a council in a grouping."""
    if grouping == "type-nation":
        return f"{c.type}-{c.nation}", f"{_type_label(c.type)}, {v.NATIONS.label(c.nation)}", None
    merge = _MERGED.get((c.type, c.region))
    if merge:
        return merge.group, merge.label, merge
    return f"{c.type}-{c.region}", f"{_type_label(c.type)}, {v.REGIONS.label(c.region)}", None


def groups(register: Register) -> dict[str, dict[str, Group]]:
    """Every grouping's groups, by grouping id then group id; members sorted by code."""
    found: dict[str, dict[str, tuple[str, Merge | None, list[str]]]] = {g: {} for g in GROUPINGS}
    for code in sorted(register.councils):
        c = register.councils[code]
        for grouping in GROUPINGS:
            gid, label, merge = _key(grouping, c)
            found[grouping].setdefault(gid, (label, merge, []))[2].append(code)
    return {
        grouping: {gid: Group(gid, grouping, label, tuple(members), merge) for gid, (label, merge, members) in sorted(by_id.items())}
        for grouping, by_id in found.items()
    }


def membership(all_groups: dict[str, dict[str, Group]]) -> dict[str, dict[str, Group]]:
    """Each council's group in each grouping: code -> grouping -> group."""
    out: dict[str, dict[str, Group]] = defaultdict(dict)
    for grouping, by_id in all_groups.items():
        for group in by_id.values():
            for code in group.members:
                out[code][grouping] = group
    return dict(out)


def too_small(all_groups: dict[str, dict[str, Group]]) -> list[Group]:
    """Groups under MINIMUM_GROUP councils: the register changed (a reorganisation) and MERGES must follow."""
    return [g for by_id in all_groups.values() for g in by_id.values() if len(g.members) < MINIMUM_GROUP]


def problems(register: Register) -> list[Problem]:
    """One problem for each group under MINIMUM_GROUP councils, at MERGES, for `tie check` and `tie build` to report."""
    source = Path(__file__)
    line = next((n for n, text in enumerate(source.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("MERGES = ")), 1)
    return [
        Problem(
            f"{source.parent.name}/{source.name}",
            line,
            f"comparator group {g.id} ({g.label}; grouping {g.grouping})",
            f"at least {MINIMUM_GROUP} councils: the register changed, and MERGES in model/similar.py must follow it "
            "(merge the group with a neighbour, saying why)",
            f"{len(g.members)} {'council' if len(g.members) == 1 else 'councils'} ({', '.join(g.members)})",
        )
        for g in too_small(groups(register))
    ]


# -- nearest neighbours -------------------------------------------------------------------------


@dataclass(frozen=True)
class Neighbour:
    """One of a council's nearest neighbours: its rank (1 is nearest), code and distance."""

    rank: int
    code: str
    distance: float


def standardised(councils: list[Council]) -> dict[str, dict[str, float]]:
    """Each council's measures as z-scores within `councils`: (value - mean) / standard deviation.

    The standard deviation is the population's (divided by n, not n - 1): these are all the councils
    of the tier, not a sample of them. A measure with no spread (every value equal) counts 0 for all.
    """
    raw = {c.code: measures(c) for c in councils}
    out: dict[str, dict[str, float]] = {code: {} for code in raw}
    for name in WEIGHTS:
        values = [m[name] for m in raw.values()]
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((x - mean) ** 2 for x in values) / len(values))
        for code, m in raw.items():
            out[code][name] = (m[name] - mean) / sd if sd > 0 else 0.0
    return out


def distance(a: dict[str, float], b: dict[str, float]) -> float:
    """The weighted Euclidean distance between two councils' standardised measures."""
    return math.sqrt(sum(w * (a[name] - b[name]) ** 2 for name, w in WEIGHTS.items()))


def neighbours(register: Register, count: int = NEIGHBOURS) -> dict[str, tuple[Neighbour, ...]]:
    """Each council's `count` nearest councils of its own tier (all the others where the tier has fewer).

    Worked out once for a register and kept with it (`Register.derived`): callers read the result, never change it."""
    memo = ("neighbours", count)
    if memo not in register.derived:
        register.derived[memo] = _neighbours(register, count)
    return register.derived[memo]


def _neighbours(register: Register, count: int) -> dict[str, tuple[Neighbour, ...]]:
    by_tier: dict[str, list[Council]] = defaultdict(list)
    for code in sorted(register.councils):
        by_tier[register.councils[code].tier].append(register.councils[code])
    out: dict[str, tuple[Neighbour, ...]] = {}
    for councils in by_tier.values():
        z = standardised(councils)
        for c in councils:
            ranked = sorted(
                (round(distance(z[c.code], z[o.code]), DISTANCE_PLACES), o.code) for o in councils if o.code != c.code
            )
            out[c.code] = tuple(Neighbour(rank, code, d) for rank, (d, code) in enumerate(ranked[:count], start=1))
    return dict(sorted(out.items()))


def tier_sizes(register: Register) -> dict[str, int]:
    """How many councils each tier has."""
    sizes: dict[str, int] = defaultdict(int)
    for c in register.councils.values():
        sizes[c.tier] += 1
    return dict(sizes)
