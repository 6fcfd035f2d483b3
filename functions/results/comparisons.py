"""How a council's official response compares with similar councils': the signed-in benchmarks, for its members.

The figures are the latest signed-in release's (functions/benchmarks, read with
`releases.signed_in_figures`), never computed here: what a member sees is exactly what the release
checked. Who sees them, as PRIVACY.md and the release's viewer families require:

- only members of the council whose results they are (the caller decides that, from the same read
  of the response as everything else on the page);
- the council's fixed comparator groups and its own nearest neighbours: one neighbour group at a
  time, even for a person in several councils;
- a person in several councils sees nothing until a release has checked their set of councils as
  one viewer (`releases.checked_viewers`); a person in one council is always checked.

Everything is read in the caller's transaction, with one query for the figures of the council's
groups. A blank figure or cell carries its reason in words (`rules.reason`), never a 0.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from functions.benchmarks import releases, rules
from functions.benchmarks.disclosure import Figure, GroupId
from functions.benchmarks.figures import NEIGHBOURS, Key, contribution
from functions.consensus import store as consensus
from functions.councils import memberships
from functions.store import Tx
from model import similar
from model.questionnaire import Edition, Theme
from model.register import Council, Register
from model.vocabulary import STAGES

SHOWN, NONE_YET, UNCHECKED = "shown", "none", "unchecked"  # Comparisons.state
MEASURES = (("current", "Now"), ("ambition", "Ambition"))
STAGE_IDS = STAGES.ids
# The site's pages about similar councils (generator/pages/councils.py: METHOD and address()).
METHOD_PAGE = "/similar-councils/"


def council_page(code: str) -> str:
    return f"/councils/{code.lower()}/"


@dataclass(frozen=True)
class Group:
    """A group the council is compared with: which, its label, and how many councils it holds."""

    id: GroupId
    label: str
    size: int


@dataclass(frozen=True)
class Cell:
    stage: str
    percent: int | None  # a whole percentage; None when blank
    reason: str | None  # why blank, in words


@dataclass(frozen=True)
class Shown:
    """One group's figure for one subject and measure, as the page shows it."""

    group: Group
    measure: str  # "current" or "ambition"
    status: str  # shown, kept (an earlier release's value) or blank
    n: int | None
    cells: tuple[Cell, ...]
    release: int | None  # the release the values come from
    note: str = ""  # why the whole figure is blank, or why an earlier release's value is kept

    @property
    def measure_label(self) -> str:
        return dict(MEASURES)[self.measure]

    def cell(self, stage: str) -> Cell:
        return next(c for c in self.cells if c.stage == stage)

    def blank_cells(self) -> list[tuple[str, list[str]]]:
        """The blank cells of a shown figure, by reason: [(reason, [stage labels])]."""
        if self.status == "blank":
            return []
        by: dict[str, list[str]] = {}
        for c in self.cells:
            if c.percent is None:
                by.setdefault(c.reason or "", []).append(STAGES.label(c.stage))
        return list(by.items())


@dataclass(frozen=True)
class Subject:
    """A theme or a statement: the council's own stages beside each group's figures."""

    kind: str  # "theme" or "statement"
    id: str
    label: str
    current: str | None  # the council's stage id, counted as the benchmarks count it; None if not answered
    ambition: str | None
    figures: tuple[Shown, ...]  # group by group, now then ambition

    def own(self, stage: str) -> str:
        """What the council's column says in a stage's row."""
        marks = [label for measure, label in MEASURES if getattr(self, measure) == stage]
        return " and ".join(marks)

    def rows(self) -> list[tuple[str, str, list[tuple[str, bool]]]]:
        """The table, a row per stage: (stage label, the council's mark, [(cell text, blank)]). A blank figure is one
        cell down its column, given in the first row only (None in the others)."""
        out = []
        for i, stage in enumerate(STAGE_IDS):
            cells = []
            for f in self.figures:
                if f.status == "blank":
                    cells.append(("not shown", True) if i == 0 else None)
                    continue
                value = f.cells[i].percent
                cells.append(("blank", True) if value is None else (f"{value}%", False))
            out.append((STAGES.terms[i].label, self.own(stage), cells))
        return out

    def notes(self) -> list[str]:
        """Why figures or cells are blank, and which figures are from an earlier release, in words.

        A group whose two figures (now and ambition) say the same thing says it once."""
        lines: dict[tuple[str, str], list[str]] = {}
        for f in self.figures:
            said = ([f.note] if f.note else []) + [f"{_join(stages)}: {reason}" for reason, stages in f.blank_cells()]
            for text in said:
                lines.setdefault((f.group.label, text), []).append(f.measure_label.lower())
        return [f"{group}, {_join(measures)}: {text}." for (group, text), measures in lines.items()]


@dataclass(frozen=True)
class ThemeComparison:
    theme: Theme
    summary: Subject
    statements: tuple[Subject, ...]


@dataclass(frozen=True)
class Comparisons:
    """What the results page shows of the benchmarks: `state` SHOWN, NONE_YET or UNCHECKED."""

    state: str
    release: releases.ReleaseRow | None = None
    groups: tuple[Group, ...] = ()
    themes: tuple[ThemeComparison, ...] = ()
    neighbours_page: str = ""


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


_FIXED: dict[int, tuple[Register, dict[str, dict[str, similar.Group]]]] = {}


def fixed_groups(register: Register) -> dict[str, dict[str, similar.Group]]:
    """Each council's fixed comparator groups, worked out once per register (the app reads one at start-up)."""
    held = _FIXED.get(id(register))
    if held is None or held[0] is not register:  # the register is kept with its groups, so its id is not reused
        held = _FIXED[id(register)] = (register, similar.membership(similar.groups(register)))
    return held[1]


def groups_of(register: Register, council: Council) -> tuple[Group, ...]:
    """The council's groups: type by region, type by nation (unless it holds the same councils), its neighbours."""
    mine = fixed_groups(register).get(council.code, {})
    out, seen = [], set()
    for grouping in ("type-region", "type-nation"):
        g = mine.get(grouping)
        if g is None or g.members in seen:
            continue  # in Scotland, Wales, Northern Ireland and London the region is the nation: one group, once
        seen.add(g.members)
        out.append(Group((grouping, g.id), g.label, len(g.members)))
    tier = sum(1 for c in register.councils.values() if c.tier == council.tier)
    size = min(similar.NEIGHBOURS, tier - 1)
    out.append(Group((NEIGHBOURS, council.code), f"The {size} nearest neighbours of {council.short_name}", size))
    return tuple(out)


def _shown(group: Group, measure: str, fig: Figure | None) -> Shown:
    def words(code: str | None) -> str | None:
        return rules.reason(code, rules.SIGNED_IN) if code else None

    if fig is None:  # never recorded: no council of the group has shared a response for it
        fig_status, reason, n, cells, reasons, release = "blank", "no-contributors", None, {}, {}, None
    else:
        fig_status, reason, n, cells, reasons, release = fig.status, fig.reason, fig.n, fig.cells, fig.cell_reasons, fig.release
    if fig_status == "blank":
        shown = tuple(Cell(s, None, None) for s in STAGE_IDS)
        return Shown(group, measure, "blank", None, shown, None, f"not shown ({words(reason)})")
    shown = tuple(Cell(s, cells.get(s), None if cells.get(s) is not None else words(reasons.get(s))) for s in STAGE_IDS)
    note = ""
    if fig_status == "kept":
        note = f"from release {release}, an earlier release (the newer figure is held back: {words(reason)})"
    return Shown(group, measure, fig_status, n, shown, release, note)


def _subject(kind, sid, label, own: dict[Key, str], edition: str, groups, figures) -> Subject:
    shown = []
    for g in groups:
        for measure, _ in MEASURES:
            key = Key(edition, kind, sid, measure)
            shown.append(_shown(g, measure, figures.get(key, {}).get(g.id)))
    return Subject(
        kind, sid, label, own.get(Key(edition, kind, sid, "current")), own.get(Key(edition, kind, sid, "ambition")), tuple(shown)
    )


def own_values(edition: Edition, council: Council, published: consensus.Published) -> dict[Key, str]:
    """The council's own stages, counted exactly as the benchmarks count every council (a theme: its middle stage)."""
    entry = consensus.SharedConsensus(
        published.council, published.edition, published.year, published.version, published.published_at,
        published.sharing, published.routes, {sid: (a.current, a.ambition) for sid, a in published.answers.items()},
        published.id,
    )  # fmt: skip
    return contribution(edition, council.type, entry).values


def access(tx: Tx, person_id: str) -> tuple[str, releases.ReleaseRow | None]:
    """Whether a member may see the latest release's figures: (SHOWN, release), (UNCHECKED, release) for a person in
    several councils that the release did not check together, or (NONE_YET, None) before any release."""
    latest = releases.latest(tx)
    if latest is None:
        return NONE_YET, None
    councils = frozenset(m.council for m in memberships.of_person(tx, person_id))
    if len(councils) > 1 and councils not in releases.checked_viewers(tx, latest.id):
        return UNCHECKED, latest
    return SHOWN, latest


def compare(
    tx: Tx, register: Register, council: Council, edition: Edition, published: consensus.Published, latest: releases.ReleaseRow
) -> Comparisons:
    """The latest release's figures for the council's groups beside its own stages (one query for the figures)."""
    groups = groups_of(register, council)
    figures = releases.signed_in_figures(tx, [g.id for g in groups], edition.id)
    if not any(f.status != "blank" for by_group in figures.values() for f in by_group.values() if f.key.kind != "route"):
        return Comparisons(NONE_YET, latest)
    own = own_values(edition, council, published)
    themes = []
    for theme in edition.themes:
        statements = [s for s in theme.statements if s.applies(council.type)]
        if not statements:
            continue
        summary = _subject("theme", theme.id, theme.label, own, edition.id, groups, figures)
        subjects = tuple(_subject("statement", s.id, s.text, own, edition.id, groups, figures) for s in statements)
        themes.append(ThemeComparison(theme, summary, subjects))
    return Comparisons(SHOWN, latest, groups, tuple(themes), council_page(council.code) + "#neighbours")


def read(
    tx: Tx, register: Register, council: Council, edition: Edition, person_id: str, published: consensus.Published
) -> Comparisons:
    """The comparisons a member of `council` sees on its results page, read in the caller's transaction."""
    state, latest = access(tx, person_id)
    if state != SHOWN:
        return Comparisons(state, latest)
    return compare(tx, register, council, edition, published, latest)


SECTIONS = 256  # rendered sections kept per app: a few hundred councils view their results on a busy day


class Rendered:
    """The comparisons section as last rendered, by what decides it: (release, council, edition, publication).

    A release is never changed once recorded and a publication never changes, so a section rendered for the same
    four is the same for every member who may see it; only who may see it is read each time (`access`). Held per
    app and bounded; nothing in it is needed by another instance."""

    def __init__(self, size: int = SECTIONS):
        self.size = size
        self._held: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> str | None:
        with self._lock:
            html = self._held.get(key)
            if html is not None:
                self._held.move_to_end(key)
            return html

    def put(self, key: tuple, html: str) -> None:
        with self._lock:
            self._held[key] = html
            self._held.move_to_end(key)
            while len(self._held) > self.size:
                self._held.popitem(last=False)
