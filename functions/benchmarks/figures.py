"""The figures a release may show, counted from the snapshot: per edition, group and subject.

A subject is a statement or a theme (measured twice: the current stage and the ambition, as
distributions over the five stages) or a route to change (measured once: whether a council favours
it). A theme's value for one council is the middle of its stages over the theme's statements, so
that a theme figure, like a statement figure, counts each council once.

A contributor is a (council, publication) pair, written "council:publication id", so that a
republished correction is a different contributor from the publication it replaced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

from functions.benchmarks.rules import Audience, Counts
from model.published import POSITION
from model.questionnaire import Edition
from model.register import Register
from model.similar import GROUPINGS, groups, neighbours
from model.vocabulary import ROUTES, STAGES

FAVOURS = ("yes", "no")  # the categories of a route: favours it, or not
NEIGHBOURS = "neighbours"  # the grouping of each council's nearest neighbours, seen only by signed-in members


STAGE_IDS = STAGES.ids


class Key(NamedTuple):
    """What a figure is about: an edition's statement or theme (current or ambition), or a route.

    A named tuple, not a dataclass: a release counts hundreds of thousands of values by key, and a
    tuple hashes in C."""

    edition: str
    kind: str  # "statement", "theme" or "route"
    subject: str  # statement id, theme id or route id
    measure: str  # "current", "ambition" or "favours"

    @property
    def categories(self) -> tuple[str, ...]:
        return FAVOURS if self.measure == "favours" else STAGE_IDS

    @property
    def scale(self) -> tuple[str, ...] | None:
        """The ordered categories a mean is taken over; None for a route."""
        return None if self.measure == "favours" else STAGE_IDS


@dataclass(frozen=True)
class GroupRef:
    grouping: str  # a model.similar GROUPINGS id, or NEIGHBOURS
    id: str  # a group id; for NEIGHBOURS, the code of the council whose neighbours these are
    label: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Contribution:
    """One contributor's values for one edition: what each figure key counts it as."""

    council: str
    publication: str
    sharing: str
    values: dict[Key, str]

    @property
    def id(self) -> str:
        return f"{self.council}:{self.publication}"


@dataclass(frozen=True)
class Raw:
    """One figure before the rules: who contributed, and the counts."""

    key: Key
    group: GroupRef
    contributors: frozenset[str]
    hidden: frozenset[str]
    counts: Counts

    @property
    def set_hash(self) -> str:
        return contributor_hash(self.contributors)


def contributor_hash(contributors) -> str:
    return hashlib.sha256("\n".join(sorted(contributors)).encode()).hexdigest()


def _middle(stages: list[str]) -> str:
    ordered = sorted(stages, key=POSITION.__getitem__)
    return ordered[(len(ordered) - 1) // 2]


def keys(edition: Edition) -> list[Key]:
    """Every figure key of an edition, in the order tables show them."""
    out = []
    for theme in edition.themes:
        for measure in ("current", "ambition"):
            out.append(Key(edition.id, "theme", theme.id, measure))
        for s in theme.statements:
            for measure in ("current", "ambition"):
                out.append(Key(edition.id, "statement", s.id, measure))
    out += [Key(edition.id, "route", r, "favours") for r in ROUTES.ids]
    return out


def contribution(edition: Edition, council_type: str | None, entry) -> Contribution:
    """A snapshot entry (consensus.SharedConsensus) as the values each figure counts."""
    values: dict[Key, str] = {}
    for theme in edition.themes:
        found = [entry.answers[s.id] for s in theme.statements if s.applies(council_type) and s.id in entry.answers]
        found = [(c, a) for c, a in found if c in POSITION and a in POSITION]
        for s in theme.statements:
            if s.applies(council_type) and s.id in entry.answers:
                current, ambition = entry.answers[s.id]
                if current in POSITION and ambition in POSITION:
                    values[Key(edition.id, "statement", s.id, "current")] = current
                    values[Key(edition.id, "statement", s.id, "ambition")] = ambition
        if found:
            values[Key(edition.id, "theme", theme.id, "current")] = _middle([c for c, _ in found])
            values[Key(edition.id, "theme", theme.id, "ambition")] = _middle([a for _, a in found])
    for r in ROUTES.ids:
        values[Key(edition.id, "route", r, "favours")] = "yes" if r in entry.routes else "no"
    return Contribution(entry.council, entry.publication, entry.sharing, values)


def fixed_groups(register: Register) -> list[GroupRef]:
    """Every fixed comparator group of every grouping, in a fixed order."""
    out = []
    for grouping, by_id in groups(register).items():
        for gid, g in by_id.items():
            out.append(GroupRef(grouping, gid, g.label, g.members))
    return out


def neighbour_groups(register: Register) -> list[GroupRef]:
    """Each council's nearest neighbours as a group (the council itself is not in it)."""
    out = []
    for code, found in neighbours(register).items():
        c = register.councils[code]
        out.append(GroupRef(NEIGHBOURS, code, f"The nearest neighbours of {c.name}", tuple(n.code for n in found)))
    return out


def count_group(keys_: list[Key], group: GroupRef, by_council: dict[str, Contribution], audience: Audience,
                columns: dict[str, tuple[str | None, ...]]) -> dict[Key, Raw]:  # fmt: skip
    """The raw figures of one group for every key: the audience's contributors and their counts.

    `columns`: each council's values in the order of `keys_` (None where it gave none), worked out once
    for all the groups of an edition by `raw_figures`. A group's values are then counted key by key
    with tuple.count over the group's column, the hidden contributors and the known ones apart.

    Most keys are answered by every contributor of the group, so their contributor sets are one and
    the same object: less memory, and a set's hash is worked out once for all the checks that use it.
    """
    members = [by_council[code] for code in group.members if code in by_council and by_council[code].sharing in audience.counted]
    hidden_m = [c for c in members if c.sharing not in audience.known]
    known_m = [c for c in members if c.sharing in audience.known]
    everyone = frozenset(c.id for c in members)
    everyone_hidden = frozenset(c.id for c in hidden_m)
    interned: dict[frozenset, frozenset] = {everyone: everyone, everyone_hidden: everyone_hidden}
    hidden_cols, known_cols = _by_key(hidden_m, columns, len(keys_)), _by_key(known_m, columns, len(keys_))
    out = {}
    for key, hidden_values, known_values in zip(keys_, hidden_cols, known_cols, strict=True):
        cats = key.categories
        hidden_counts = {k: hidden_values.count(k) for k in cats}
        all_counts = {k: hidden_counts[k] + known_values.count(k) for k in cats} if known_values else dict(hidden_counts)
        if None not in hidden_values and None not in known_values:
            who, secret = everyone, everyone_hidden
        else:
            answered = frozenset(c.id for c, v in zip(hidden_m, hidden_values, strict=True) if v is not None)
            who = frozenset(c.id for c, v in zip(known_m, known_values, strict=True) if v is not None) | answered
            who = interned.setdefault(who, who)
            secret = interned.setdefault(answered, answered)
        out[key] = Raw(key, group, who, secret, Counts(all_counts, hidden_counts))
    return out


def _by_key(members: list[Contribution], columns: dict[str, tuple], n: int) -> list[tuple]:
    """The members' values key by key: for each key, a tuple of one value per member."""
    return list(zip(*(columns[c.council] for c in members), strict=True)) if members else [()] * n


def _columns(keys_: list[Key], by_council: dict[str, Contribution]) -> dict[str, tuple[str | None, ...]]:
    return {code: tuple(map(c.values.get, keys_)) for code, c in by_council.items()}


def raw_figures(edition: Edition, register: Register, entries, audience: Audience, group_list: list[GroupRef]):
    """Every raw figure of an edition for an audience in the groups `group_list`, by key then group, from snapshot entries."""
    by_council = {
        e.council: contribution(edition, register.councils[e.council].type, e)
        for e in entries
        if e.edition == edition.id and e.council in register.councils
    }
    all_keys = keys(edition)
    columns = _columns(all_keys, by_council)
    out: dict[Key, dict[tuple[str, str], Raw]] = {key: {} for key in all_keys}
    for g in group_list:
        for key, raw in count_group(all_keys, g, by_council, audience, columns).items():
            out[key][(g.grouping, g.id)] = raw
    return out


GROUPING_LABELS = {**GROUPINGS, NEIGHBOURS: "Nearest neighbours"}
