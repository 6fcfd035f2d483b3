"""Disclosure control for one release: which figures each audience sees, applied until nothing changes.

For every figure key, every group's raw figure is first judged on its own (rules.py: minimum group,
group disclosure, small counts, means). A figure whose contributors have not changed since it was
last shown is shown again as it was. A changed one is a candidate: it is shown only if, in every
*viewer family* that holds its group, the hidden contributor sets of every figure ever shown for
that key in the family's groups, with the candidates already accepted and this one, combine into
no set of 1 to minimum-1 councils (span.py: sums and differences between groups, nested or
overlapping, and between releases, all at once). Otherwise the figure shown last is kept, or the
figure stays blank. Then every figure that is a sum of others less some (a nation less its shown
regions; tonight's group less an earlier night's) is judged as a figure of its own: a dominated
residual rejects the candidate, a small residual cell blanks that cell. Nothing is ever unblanked. The
residual pass only takes figures away or blanks cells, which no family check can object to; a figure
taken away can leave other sets the largest inside a figure, so its families' figures are checked again,
until checking again changes nothing.

A viewer family is what one viewer can see of a key: for open data, every fixed group; for a
signed-in person, the fixed groups and the nearest neighbours of each council they belong to.
A signed-in viewer knows its own councils' contributions, so they are taken out of the family's
sets before the span and residual checks: a difference of five councils of which the viewer is one
gives the viewer four others' answers.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field, replace

from functions.benchmarks import rules, span
from functions.benchmarks.figures import NEIGHBOURS, Key, Raw
from functions.benchmarks.rules import Audience, Counts

GroupId = tuple[str, str]  # (grouping, group id)


@dataclass(frozen=True, slots=True)
class Past:
    """A figure as it was shown in an earlier release: its sets and counts, and what was published."""

    release: int
    contributors: frozenset[str]
    hidden: frozenset[str]
    counts: Counts
    figure: Figure


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure as a release shows it. `status`: shown (computed now), kept (an earlier value) or blank."""

    key: Key
    group: GroupId
    status: str
    reason: str | None  # a rules.REASONS code: why blank, or why an earlier value is kept
    n: int | None
    cells: dict[str, int | None]  # category -> whole percentage; None when blank
    cell_reasons: dict[str, str]
    mean: float | None
    mean_reason: str | None
    release: int | None  # the release whose contributors the values come from
    contributors: frozenset[str] = field(default=frozenset(), compare=False)
    hidden: frozenset[str] = field(default=frozenset(), compare=False)
    counts: Counts | None = field(default=None, compare=False)

    def published(self) -> dict:
        """What readers see: no contributor ever, only counts' percentages, n and reasons."""
        return {
            "status": self.status,
            "reason": self.reason,
            "n": self.n,
            "cells": self.cells,
            "cell_reasons": self.cell_reasons,
            "mean": self.mean,
            "mean_reason": self.mean_reason,
            "release": self.release,
        }


def blank(key: Key, group: GroupId, code: str) -> Figure:
    cells, reasons = _blank_values(key.categories, code)
    return Figure(key, group, "blank", code, None, cells, reasons, None, code if key.scale else None, None)


@functools.cache
def _blank_values(categories: tuple[str, ...], code: str) -> tuple[dict[str, None], dict[str, str]]:
    """A blank figure's cells and cell reasons: the same two dicts for every blank figure with the same reason
    (half a first night's hundred thousand figures are blank; nothing changes a figure's values in place)."""
    return dict.fromkeys(categories), dict.fromkeys(categories, code)


def shown(raw: Raw, verdict: rules.Verdict, release: int) -> Figure:
    return shown_with(raw, dict(verdict.cell_reasons), verdict.mean_reason, release)


def shown_with(raw: Raw, cell_reasons: dict[str, str], mean_reason: str | None, release: int) -> Figure:
    """The raw figure shown in `release` with these cells blank: the percentages of the others, and the mean unless it has a reason."""
    key, c = raw.key, raw.counts
    mean = rules.mean(c, key.scale) if key.scale and mean_reason is None else None
    return Figure(key, (raw.group.grouping, raw.group.id), "shown", None, c.n, rules.percentages(c, cell_reasons), cell_reasons,
                  mean, mean_reason, release, raw.contributors, raw.hidden, c)  # fmt: skip


@dataclass
class Tally:
    """What a release showed and blanked, by reason, for the command's summary."""

    shown: int = 0
    kept: int = 0
    blank: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    cells_blank: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    undecided: int = 0  # checks that could not decide and blanked to be safe

    def add(self, f: Figure) -> None:
        if f.status == "blank":
            self.blank[f.reason] += 1
            return
        if f.status == "kept":
            self.kept += 1
        else:
            self.shown += 1
        for r in f.cell_reasons.values():
            self.cells_blank[r] += 1


class Checker:
    """span.leak, remembered by the sets it was asked about (many keys share the same sets), and what each viewer
    family knows of the sets it sees.

    Most keys of an edition show a group the same set object, so a family's view of its sets and the plan of its
    pair and residual checks are remembered by the family and the sets' ids; an entry holds the sets, so that no
    id is given to another set while it stands.
    """

    def __init__(self):
        self._memo: dict[tuple, span.Leak | None] = {}
        self._views: dict[tuple, View] = {}
        self._plans: dict[tuple, Plan] = {}
        self.undecided_sets: set[tuple] = set()  # the span checks that could not decide, by what they were asked
        self.refused = 0  # figures refused because their residuals were too many to judge

    @property
    def undecided(self) -> int:
        """Checks that could not decide and blanked to be safe."""
        return len(self.undecided_sets) + self.refused

    def merge(self, undecided_sets: set[tuple], refused: int) -> None:
        """Count the undecided checks of another process's keys (forked.py) as if they had been made here."""
        self.undecided_sets |= undecided_sets
        self.refused += refused

    def leak(self, sets: list[frozenset[str]], limit: int) -> span.Leak | None:
        distinct = frozenset(s for s in sets if s)
        sig = (limit, distinct)
        if sig not in self._memo:
            found = span.leak(sorted(distinct, key=lambda s: (len(s), sorted(s))), limit)
            if found is not None and not found.exact:
                self.undecided_sets.add(sig)
            self._memo[sig] = found
        return self._memo[sig]

    def view(self, fam: frozenset[GroupId], figs: list[Figure]) -> View:
        """The figures' hidden sets as the family's viewer sees them: less its own contributions, and how many of those each holds."""
        hidden = [f.hidden for f in figs]
        memo = (fam, tuple(map(id, hidden)))
        found = self._views.get(memo)
        if found is None:
            unknown = tuple(unknown_to(fam, h) for h in hidden)
            found = self._views[memo] = View(tuple(hidden), unknown, tuple(len(h) - len(u) for h, u in zip(hidden, unknown, strict=True)))
        return found

    def seen_by(self, view: View, limit: int) -> span.Leak | None:
        """`leak` of the sets the view's viewer does not know."""
        if limit not in view.leaks:
            view.leaks[limit] = self.leak(list(view.unknown), limit)
        return view.leaks[limit]

    def plan(self, own_councils: frozenset[str], hidden: list[frozenset[str]]) -> Plan:
        """Which pairs and residuals a viewer of `own_councils` can form with the first figure (`_plan`)."""
        memo = (own_councils, tuple(map(id, hidden)))
        found = self._plans.get(memo)
        if found is None:
            found = self._plans[memo] = _plan(own_councils, tuple(hidden))
        return found


@dataclass(slots=True)
class View:
    """What a viewer family makes of a list of hidden sets: the contributors it does not know, and how many it does."""

    hidden: tuple[frozenset[str], ...]  # held so that the ids it is remembered by stay theirs
    unknown: tuple[frozenset[str], ...]
    own: tuple[int, ...]
    leaks: dict[int, span.Leak | None] = field(default_factory=dict)  # limit -> span.leak of `unknown`


@dataclass(frozen=True, slots=True)
class Plan:
    """The checks of a figure (the first set) against the others a viewer sees, worked out from the sets alone.

    `pairs`: (index of the other figure, viewer's own contributions in the first only, in the other only).
    `residuals`: (index of the outer figure, indexes of the disjoint parts inside it, viewer's own contributions
    in the outer less the parts); each uses the first figure, as the outer or as a part.
    """

    hidden: tuple[frozenset[str], ...]  # held so that the ids it is remembered by stay theirs
    pairs: tuple[tuple[int, int, int], ...]
    residuals: tuple[tuple[int, tuple[int, ...], int], ...]
    complete: bool = True  # False: too many ways to take sets away to judge each; the figure is refused


def _plan(own_councils: frozenset[str], hidden: tuple[frozenset[str], ...]) -> Plan:
    mine = hidden[0]
    known = [_known(own_councils, h) for h in hidden]
    pairs = tuple((j, len(known[0] - h) if known[0] else 0, len(known[j] - mine) if known[j] else 0)
                  for j, h in enumerate(hidden) if j)  # fmt: skip
    residuals = []
    for o in [0] + [j for j, h in enumerate(hidden) if j and mine < h]:
        outer = hidden[o]
        inner = [j for j, h in enumerate(hidden) if h and h < outer]
        maximal = [j for j in inner if not any(hidden[j] < hidden[k] for k in inner)]
        if not maximal:
            continue
        if o != 0 and 0 not in maximal:
            continue  # no residual of this outer uses the first figure: they were checked when the others were shown
        choices = _disjoint_choices(maximal, hidden, need=None if o == 0 else 0)
        if choices is None:
            return Plan(hidden, pairs, (), complete=False)
        for parts in choices:
            # the viewer's own contributions in the residual are known to it
            own = sum(1 for c in known[o] if not any(c in hidden[j] for j in parts))
            residuals.append((o, parts, own))
    return Plan(hidden, pairs, tuple(residuals))


MAX_RESIDUAL_CHOICES = 64  # ways to take disjoint sets from a figure before the check gives up and refuses the figure


def _disjoint_choices(parts: list[int], hidden: tuple[frozenset[str], ...], need: int | None = None) -> list[tuple[int, ...]] | None:
    """Every largest collection of pairwise disjoint sets among `parts` (indexes into `hidden`) that holds `need`
    (any, when None), each in the order of `parts`.

    Disjoint parts are taken away from the outer set together; overlapping ones cannot be (a council in
    both would be taken twice), so each largest collection that avoids overlaps is a residual of its own:
    a region beside an overlapping neighbour group gives the outer less the region and the outer less the
    neighbours. None when there are more than MAX_RESIDUAL_CHOICES (never so far: a viewer sees a few sets
    inside any one figure); the caller then refuses the figure and counts it as undecided."""
    clash = {i: frozenset(k for k in parts if k != i and not hidden[i].isdisjoint(hidden[k])) for i in parts}
    if need is None and not any(clash.values()):
        return [tuple(parts)]
    order = [i for i in parts if i != need]
    found: list[tuple[int, ...]] = []

    def grow(at: int, chosen: frozenset[int], barred: frozenset[int]) -> bool:
        """Take or leave order[at] and go on; False once there are too many. A set is left out only where one
        taken already or one still to come overlaps it, so that every collection reached is a largest one."""
        if len(found) > MAX_RESIDUAL_CHOICES:
            return False
        if at == len(order):
            if all(i in chosen or clash[i] & chosen for i in parts):  # nothing left out could be added: a largest one
                found.append(tuple(i for i in parts if i in chosen))
            return True
        i = order[at]
        if i in barred:  # overlaps one taken: left out, and nothing could be added for it
            return grow(at + 1, chosen, barred)
        if not grow(at + 1, chosen | {i}, barred | clash[i]):
            return False
        if any(k not in barred for k in clash[i] if order.index(k) > at):
            return grow(at + 1, chosen, barred)  # left out, for one still to come that overlaps it
        return True

    start = frozenset() if need is None else frozenset({need})
    if not grow(0, start, clash[need] if need is not None else frozenset()) or len(found) > MAX_RESIDUAL_CHOICES:
        return None
    return found


@dataclass(frozen=True)
class Families:
    """For each group, the viewer families of an audience that hold it: worked out once for every key."""

    of: dict[GroupId, tuple[frozenset[GroupId], ...]]

    @classmethod
    def index(cls, families: list[frozenset[GroupId]] | Families) -> Families:
        if isinstance(families, Families):
            return families
        of: dict[GroupId, list[frozenset[GroupId]]] = defaultdict(list)
        for fam in families:
            for gid in fam:
                of[gid].append(fam)
        return cls({gid: tuple(fams) for gid, fams in of.items()})


def decide(
    key: Key,
    raws: dict[GroupId, Raw],
    history: dict[GroupId, list[Past]],
    families: list[frozenset[GroupId]] | Families,
    audience: Audience,
    release: int,
    checker: Checker,
) -> dict[GroupId, Figure]:
    """Every group's figure for one key in this release, for one audience."""
    limit = audience.minimum - 1
    out: dict[GroupId, Figure] = {}
    candidates: dict[GroupId, Figure] = {}
    for gid, raw in raws.items():
        verdict = rules.judge(raw.counts, audience, key.scale)
        past = history.get(gid, [])
        last = past[-1].figure if past else None
        if not verdict.shown:
            out[gid] = blank(key, gid, verdict.figure_reason)
        elif past and past[-1].contributors == raw.contributors and last.status == "shown":
            out[gid] = last  # the same councils' same publications: the same figure, from its own release
        else:
            candidates[gid] = shown(raw, verdict, release)
    families_of = Families.index(families).of
    order = sorted(candidates, key=lambda g: (g[0] == "neighbours", -candidates[g].n, g))

    past_figures: dict[frozenset[GroupId], list[Figure]] = {}

    def figures_of(fam, extra: dict[GroupId, Figure]) -> list[Figure]:
        if fam not in past_figures:
            past_figures[fam] = [p.figure for g in fam for p in history.get(g, [])]
        return past_figures[fam] + [extra[g] for g in fam if g in extra]

    def safe_in(fam, with_these: dict[GroupId, Figure], new: Container[GroupId]) -> bool:
        """Whether the family's viewer, seeing `with_these` tonight, learns nothing it may not (`new`: the figures on trial)."""
        for g in fam:
            if g in new:
                past = history.get(g)
                if past and not one_sided(fam, past, with_these[g], limit):  # nothing shown before: nothing to differ from
                    return False
        figs = figures_of(fam, with_these)
        view = checker.view(fam, figs)
        return answers_left(figs, view) and checker.seen_by(view, limit) is None

    # Every check only finds more with more figures (more sets combine in more ways, more figures leave
    # fewer answers open) and with fewer blank cells, so a family safe with every candidate is safe with
    # any of them: when some family is not, the candidates are taken one at a time, re-checking only the
    # families that failed.
    unsafe = {fam for fam in {f for g in candidates for f in families_of.get(g, ())} if not safe_in(fam, candidates, candidates)}
    if not unsafe:
        accepted = dict(candidates)
    else:
        accepted = {}
        for gid in order:
            accepted[gid] = candidates[gid]
            if not all(safe_in(fam, accepted, (gid,)) for fam in families_of.get(gid, ()) if fam in unsafe):
                del accepted[gid]
    for gid in candidates:
        if gid not in accepted:
            out[gid] = kept_or_blank(key, gid, history, "differencing")
    # residuals: a figure less the figures inside it is a figure too, and must pass the rules. Each figure
    # is checked in turn against the others as they then stand. Blanking cells leaves less to derive, and
    # taking a figure away leaves the family checks safe; but it can make sets inside another figure the
    # largest there that were not before (a region refused tonight leaves the region shown last night inside
    # the nation), so the figures that share a family with one taken away are checked again, until none is.
    checks = Checks(audience.minimum, checker)
    now = {gid: seen_as(fig) for gid, fig in accepted.items()}  # the accepted figures as the checks read them
    pending = list(accepted)
    while pending:
        checked: set[GroupId] = set()
        again: set[GroupId] = set()
        for gid in pending:
            if gid not in accepted:
                continue
            checked.add(gid)
            verdict = _residual_verdict(gid, now, history, families_of, checks)
            if verdict is None:
                continue
            blanked = _blank_cells(accepted[gid], verdict, audience) if isinstance(verdict, dict) else None
            if blanked is not None:
                accepted[gid], now[gid] = blanked, seen_as(blanked)
                continue
            del accepted[gid], now[gid]
            code = "derived-dominance" if verdict == "reject" else "differencing"  # refused as undecided, or no cell left
            out[gid] = kept_or_blank(key, gid, history, code)
            checker.refused += verdict == "undecided"
            again |= {g for fam in families_of.get(gid, ()) for g in fam if g in checked and g in accepted}
        pending = [g for g in accepted if g in again]
    out.update(accepted)
    return out


def family_safe(fam: frozenset[GroupId], history: dict[GroupId, list[Past]], decided: dict[GroupId, Figure], limit: int,
                checker: Checker) -> bool:  # fmt: skip
    """Whether everything a viewer family would see of a key, every figure ever shown and tonight's, passes the checks.

    For a family the release did not check when it chose its figures (a person newly in two councils):
    figures that did not change were shown again without being checked against it.
    """
    shown = {g: f for g, f in decided.items() if g in fam and f.status != "blank" and f.counts is not None}
    if not all(one_sided(fam, [p for p in history.get(g, []) if p.figure is not f], f, limit) for g, f in shown.items()):
        return False
    past = [p.figure for g in fam for p in history.get(g, [])]
    figs = past + [f for f in shown.values() if f not in past]
    view = checker.view(fam, figs)
    if not answers_left(figs, view):
        return False
    return checker.seen_by(checker.view(fam, past + list(shown.values())), limit) is None


def one_sided(fam: frozenset[GroupId], past: list[Past], fig: Figure, limit: int) -> bool:
    """Against every set shown for the group, the councils gone and the councils come are each 0 or more than `limit`.

    A difference of 2 gone and 3 come holds 5 councils, yet if the 2 answered alike and none of the
    3 did, the two nights' counts differ by 2 in that answer and give both away (span.py bounds the
    whole difference, not each side of it). Counted in councils the family's viewer does not know.
    """
    new = unknown_to(fam, fig.hidden)
    for p in past:
        old = unknown_to(fam, p.hidden)
        for part in (new - old, old - new):
            if 0 < len({span.council_of(c) for c in part}) <= limit:
                return False
    return True


def answers_left(figs: list[Figure], view: View) -> bool:
    """Every contributor the viewer of `view` (of the figures' hidden sets) does not know could still have given two answers or more.

    A shown cell with no hidden council in it says that none of the figure's contributors gave that
    answer; a contributor in several figures can only have given an answer none of them rules out.
    Two overlapping figures, one with no hidden council in three answers, the other with none in the
    fourth, give the councils in both the fifth. (A viewer's own contributions may be all of a cell.)
    """
    found = [(unknown, _possible(f, own)) for f, unknown, own in zip(figs, view.unknown, view.own, strict=True) if f.counts is not None]
    if not found:
        return True
    # quick answer: two answers every figure allows are left to every contributor
    if len(frozenset.intersection(*(p for _, p in found))) >= 2:
        return True
    allowed: dict[str, frozenset[str]] = {}
    for unknown, possible in found:
        for c in unknown:
            allowed[c] = allowed[c] & possible if c in allowed else possible
            if len(allowed[c]) < 2:
                return False
    return True


# (id of counts, own, id of cell reasons) -> (counts, cell reasons, answers): the entry holds the objects whose ids
# it is keyed on, so that neither can be freed and its id given to another figure's while the entry stands
_POSSIBLE: dict[tuple[int, int, int], tuple[Counts, dict[str, str], frozenset[str]]] = {}


def _possible(f: Figure, own: int) -> frozenset[str]:
    """The answers a figure leaves open to its hidden contributors: a blank cell, or one holding more than the viewer's own."""
    memo = (id(f.counts), own, id(f.cell_reasons))
    entry = _POSSIBLE.get(memo)
    if entry is not None and entry[0] is f.counts and entry[1] is f.cell_reasons:
        return entry[2]
    if len(_POSSIBLE) > 200_000:
        _POSSIBLE.clear()
    found = frozenset(k for k in f.key.categories if k in f.cell_reasons or f.counts.hidden.get(k, 0) > own)
    _POSSIBLE[memo] = (f.counts, f.cell_reasons, found)
    return found


_OWN: dict[frozenset, frozenset[str]] = {}
_UNKNOWN: dict[tuple[frozenset[str], frozenset[str]], frozenset[str]] = {}


def viewer_councils(fam: frozenset[GroupId]) -> frozenset[str]:
    """The councils of the signed-in viewer a family is for (each sees its own nearest neighbours); none for open data."""
    own = _OWN.get(fam)
    if own is None:
        own = _OWN[fam] = frozenset(g for grouping, g in fam if grouping == NEIGHBOURS)
    return own


def unknown_to(fam: frozenset[GroupId], contributors: frozenset[str]) -> frozenset[str]:
    """The contributors the family's viewer does not know already: all but its own councils' contributions."""
    return _unknown(viewer_councils(fam), contributors)


def _known(own: frozenset[str], contributors: frozenset[str]) -> frozenset[str]:
    """The contributions of the councils `own` among `contributors` (what a viewer of those councils knows)."""
    unknown = _unknown(own, contributors)
    return contributors - unknown if unknown is not contributors else frozenset()


def _unknown(own: frozenset[str], contributors: frozenset[str]) -> frozenset[str]:
    if not own:
        return contributors
    memo = (own, contributors)
    found = _UNKNOWN.get(memo)
    if found is None:
        if len(_UNKNOWN) > 500_000:
            _UNKNOWN.clear()
        prefixes = tuple(f"{c}:" for c in own)
        found = contributors
        if any(c.startswith(prefixes) for c in contributors):
            found = frozenset(c for c in contributors if not c.startswith(prefixes))
        _UNKNOWN[memo] = found
    return found


def kept_or_blank(key: Key, gid: GroupId, history: dict[GroupId, list[Past]], code: str) -> Figure:
    """The figure shown last for the group, kept with the reason it was not updated; blank if none was."""
    past = history.get(gid, [])
    for p in reversed(past):
        if p.figure.status in ("shown", "kept") and p.figure.n is not None:
            return replace(p.figure, status="kept", reason=code)
    return blank(key, gid, code)


class Checks:
    """The pair and residual checks of one key's decision, each made once for the same figures and viewer knowledge.

    Families overlap (each member of a group has a family that holds it), and a figure is checked again
    when one beside it is taken away: each check is remembered by the ids of the counts and cell reasons it
    reads and by how many of their contributors the viewer knows, which is all its answer depends on (a
    figure's counts object travels with its one hidden set, so the ids name the sets too). An entry holds
    the objects whose ids it is keyed on, so that no id is given to another object while it stands.
    """

    def __init__(self, minimum: int, checker: Checker):
        self.minimum = minimum
        self.checker = checker
        self._pairs: dict[tuple, tuple] = {}
        self._residuals: dict[tuple, tuple] = {}
        self._before: dict[frozenset[GroupId], list[Seen]] = {}

    def shown_before(self, fam: frozenset[GroupId], history: dict[GroupId, list[Past]]) -> list[Seen]:
        """Every figure earlier releases showed the family's viewer for the key, with its counts."""
        found = self._before.get(fam)
        if found is None:
            found = self._before[fam] = [(p.hidden, p.counts, p.figure.cell_reasons) for g in fam for p in history.get(g, ())
                                         if p.counts is not None and p.figure.status == "shown"]  # fmt: skip
        return found

    def pair(self, a: Seen, b: Seen, own_a: int, own_b: int) -> bool:
        """Whether `a` less `b` (or `b` less `a`) gives councils away to a viewer knowing `own_a` of a's only, `own_b` of b's."""
        memo = (id(a[1]), id(a[2]), id(b[1]), id(b[2]), own_a, own_b)
        entry = self._pairs.get(memo)
        if entry is None:
            entry = (_pair_gives_away(a, b, own_a, own_b), a, b)
            self._pairs[memo] = self._pairs[(memo[2], memo[3], memo[0], memo[1], own_b, own_a)] = entry  # the check is symmetric
        return entry[0]

    def residual(self, outer: Seen, parts: list[Seen], own: int) -> str | tuple[str, ...] | None:
        """`outer` less the disjoint `parts` inside it, judged as a figure: "reject", the categories to blank, or None."""
        memo = (id(outer[1]), id(outer[2]), frozenset((id(s[1]), id(s[2])) for s in parts), own)
        entry = self._residuals.get(memo)
        if entry is None:
            entry = self._residuals[memo] = (_residual(outer, parts, own, self.minimum), outer, parts)
        return entry[0]


Seen = tuple[frozenset[str], Counts, dict[str, str]]  # a figure as the checks read it: hidden contributors, counts, blank cells


def seen_as(fig: Figure) -> Seen:
    return (fig.hidden, fig.counts, fig.cell_reasons)


def _residual_verdict(gid: GroupId, now: dict[GroupId, Seen], history: dict[GroupId, list[Past]],
                      families_of: dict[GroupId, tuple[frozenset[GroupId], ...]], checks: Checks):  # fmt: skip
    """None if every pair and residual with the figure of `gid` in it passes; "reject" if one gives councils away;
    "undecided" if a family's residuals are too many to judge; else {cat: code} to blank. `now`: tonight's accepted figures, as the checks read them."""
    to_blank: dict[str, str] = {}
    mine = now[gid]
    plan_of = checks.checker.plan
    for fam in families_of.get(gid, ()):
        # every figure this family's viewer has seen or will see for the key, with its counts; this one first
        seen = [mine, *checks.shown_before(fam, history), *(now[g] for g in fam if g != gid and g in now)]
        plan = plan_of(viewer_councils(fam), [s[0] for s in seen])
        for j, own_a, own_b in plan.pairs:
            if checks.pair(mine, seen[j], own_a, own_b):
                return "reject"
        if not plan.complete:
            return "undecided"
        for o, parts, own in plan.residuals:
            found = checks.residual(seen[o], [seen[j] for j in parts], own)
            if found == "reject":
                return "reject"
            for cat in found or ():
                to_blank[cat] = "differencing"
    return to_blank or None


def _residual(outer: Seen, parts: list[Seen], own: int, minimum: int) -> str | tuple[str, ...] | None:
    """The rules for a residual of which the viewer knows `own` contributions: "reject", the cells to blank, or None."""
    rest = outer[1]
    for s in parts:
        rest = rest.minus(s[1])
    h = rest.hidden_n
    if h == 0:
        return None
    # the viewer's own contributions are judged as if they sat in any category (the residual's counts do not say which)
    if any(c >= h - own - 1 for c in rest.hidden.values()):
        return "reject"
    # a figure's only blank cell is n less its shown cells: not hidden at all
    blanked = set().union(*(set(s[2]) for s in [outer, *parts] if len(s[2]) > 1))
    return tuple(cat for cat, c in rest.hidden.items() if 0 < c < minimum + own and cat not in blanked) or None


def _pair_gives_away(a: Seen, b: Seen, own_a: int = 0, own_b: int = 0) -> bool:
    """Whether one figure less another pins down the councils in either and not the other.

    With P the hidden councils in `a` only and M those in `b` only, a category's difference is
    (P in it) - (M in it): at |P| it says every council of P gave that answer and none of M did; at
    |P| - 1 all but one of P (the insider may be that one). The same at -|M| for M. So, for every
    category both figures show, at least two councils must stand between the difference and each end.
    Nested figures are the case M = {}: the rule is then group disclosure for the councils between them.
    `own_a` and `own_b`: how many of P and of M the viewer knows (its own councils' contributions).
    """
    (ha, ca, blank_a), (hb, cb, blank_b) = a, b
    only_a, only_b = ha - hb, hb - ha
    if not only_a and not only_b:
        return False
    # the viewer knows its own councils' answers: in the worst case they move the difference by one each
    p, m = len(only_a) - own_a, len(only_b) - own_b
    for cat in ca.hidden:
        if cat in blank_a or cat in blank_b:
            continue
        d = ca.hidden[cat] - cb.hidden.get(cat, 0)
        if (p and p - (d + own_b) < 2) or (m and (d - own_a) + m < 2):
            return True
    return False


def _blank_cells(fig: Figure, cells: dict[str, str], audience: Audience) -> Figure | None:
    """`fig` with more cells blank (and the complementary ones), or None if nothing would be left."""
    reasons = {**fig.cell_reasons, **{c: r for c, r in cells.items() if c not in fig.cell_reasons}}
    reasons = rules.complementary(fig.counts, reasons, audience.minimum)
    if len(reasons) == 1:  # one blank cell is n less the shown ones: blank the smallest shown cell with it
        rest = sorted((fig.counts.hidden[c], c) for c in fig.key.categories if c not in reasons)
        reasons[rest[0][1]] = "complementary"
    if len(reasons) == len(fig.key.categories):
        return None
    mean_reason = rules.mean_reason(fig.counts, reasons, fig.key.scale)
    return replace(
        fig,
        cells=rules.percentages(fig.counts, reasons),
        cell_reasons=reasons,
        mean=None if mean_reason or not fig.key.scale else fig.mean,
        mean_reason=mean_reason,
    )
