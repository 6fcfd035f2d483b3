"""A motivated intruder: what a council can work out from every release it sees, by exact integer reasoning.

It knows its own answers, every public response (readable one by one on council pages) and, to be
stronger than any real reader, the contributor set of every figure it sees. Each shown cell gives
a count (its whole percentage of n, where only one integer count rounds to it); a figure with blank
cells gives their total; a mean gives the sum of positions. Each is an equation over the unknown
contributors' indicators "answered category k". Contributors in exactly the same sets are merged
into atoms, whose variables are how many of the atom answered k (0 to its size, summing to its size).
Bounds are propagated through every equation (a count of 0 fixes all to 0, a count equal to the
unknowns fixes all to the top, known ones subtracted), and the equations are reduced exactly over
the rationals; each reduced row is propagated too, until nothing changes. A contributor is
reconstructed when its atom's count for some category is fixed at the atom's size.

It shares no code with functions/benchmarks/ (span.py's elimination included) on purpose: an attack
written apart from the rules it attacks does not inherit their mistakes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from functions.benchmarks.figures import Key


@dataclass(frozen=True)
class Observation:
    """Sum over `members` of sum_k weights[k] * [answered k] == value."""

    members: frozenset[str]
    weights: dict[str, int]
    value: int


def counts_from(fig) -> list[Observation]:
    """The equations one shown figure gives: exact counts, the blank cells' total, the mean's total."""
    n, out, known = fig.n, [], {}
    members = fig.contributors
    for cat, pct in fig.cells.items():
        if pct is None:
            continue
        found = [c for c in range(n + 1) if round(100 * c / n) == pct]
        if len(found) == 1:
            known[cat] = found[0]
            out.append(Observation(members, {cat: 1}, found[0]))
    blank = [cat for cat, pct in fig.cells.items() if pct is None]
    if blank and len(known) + len(blank) == len(fig.cells):
        out.append(Observation(members, dict.fromkeys(blank, 1), n - sum(known.values())))
    if fig.mean is not None and fig.key.scale:
        totals = [t for t in range(n, len(fig.key.scale) * n + 1) if round(t / n, 1) == fig.mean]
        if len(totals) == 1:
            out.append(Observation(members, {c: i + 1 for i, c in enumerate(fig.key.scale)}, totals[0]))
    return out


def observations(releases, key: Key, groups: dict[str, set | None]) -> list[Observation]:
    """Every equation the releases give for `key`, from the groups each audience shows this viewer (None: all)."""
    out = []
    for rel in releases:
        for audience, visible in groups.items():
            for gid, fig in rel.figures.get(audience, {}).get(key, {}).items():
                if visible is not None and gid not in visible:
                    continue
                if fig.status == "shown" and fig.release == rel.number:  # new tonight; repeats and kept ones add nothing
                    out.extend(counts_from(fig))
    return out


class Infeasible(AssertionError):
    """The equations contradict the bounds: the intruder's model is wrong, not the engine."""


def _floor_div(a, c) -> int:
    return a // c if type(a) is int and type(c) is int else math.floor(Fraction(a) / c)


def _ceil_div(a, c) -> int:
    return -((-a) // c) if type(a) is int and type(c) is int else math.ceil(Fraction(a) / c)


def _propagate(rows, lo, hi) -> bool:
    """Interval propagation through rows {var: coef} == b, integer bounds; True if any bound moved."""
    moved_any = False
    moved = True
    while moved:
        moved = False
        for coefs, b in rows:
            mn = sum(c * (lo[v] if c > 0 else hi[v]) for v, c in coefs.items())
            mx = sum(c * (hi[v] if c > 0 else lo[v]) for v, c in coefs.items())
            if b < mn or b > mx:
                raise Infeasible(f"{b} outside [{mn}, {mx}]")
            if mn == mx:
                continue
            for v, c in coefs.items():
                own_mn = c * (lo[v] if c > 0 else hi[v])
                own_mx = c * (hi[v] if c > 0 else lo[v])
                low_cy, high_cy = b - (mx - own_mx), b - (mn - own_mn)  # the range c*y may take
                if c > 0:
                    new_lo, new_hi = _ceil_div(low_cy, c), _floor_div(high_cy, c)
                else:
                    new_lo, new_hi = _ceil_div(high_cy, c), _floor_div(low_cy, c)
                if new_lo > lo[v]:
                    lo[v], moved = new_lo, True
                if new_hi < hi[v]:
                    hi[v], moved = new_hi, True
                if lo[v] > hi[v]:
                    raise Infeasible(f"{v}: [{lo[v]}, {hi[v]}]")
        moved_any |= moved
    return moved_any


def _reduce(rows, lo, hi):
    """Rows with the fixed variables substituted, in reduced row echelon form over the rationals."""
    pending = []
    for coefs, b in rows:
        r = {v: Fraction(c) for v, c in coefs.items() if lo[v] != hi[v]}
        rhs = Fraction(b) - sum(c * lo[v] for v, c in coefs.items() if lo[v] == hi[v])
        if r:
            pending.append((r, rhs))
    done: list[tuple[dict, Fraction]] = []
    while pending:
        r, rhs = pending.pop()
        for pr, prhs in done:  # eliminate the pivots already found
            piv = next(iter(pr))
            f = r.get(piv)
            if f:
                for k, v in pr.items():
                    nv = r.get(k, 0) - f * v
                    if nv:
                        r[k] = nv
                    else:
                        r.pop(k, None)
                rhs -= f * prhs
        if not r:
            if rhs != 0:
                raise Infeasible("inconsistent equations")
            continue
        piv = min(r, key=str)
        s = r[piv]
        r = {piv: Fraction(1), **{k: v / s for k, v in r.items() if k != piv}}
        rhs /= s
        for i, (pr, prhs) in enumerate(done):  # keep the earlier rows reduced
            f = pr.get(piv)
            if f:
                for k, v in r.items():
                    nv = pr.get(k, 0) - f * v
                    if nv:
                        pr[k] = nv
                    else:
                        pr.pop(k, None)
                done[i] = (pr, prhs - f * rhs)
        done.append((r, rhs))
    return done


@dataclass(frozen=True)
class Reconstruction:
    contributor: str
    key: Key
    category: str
    viewer: frozenset[str] = frozenset()


def reconstruct(obs: list[Observation], known: dict[str, str], categories: tuple[str, ...], key: Key) -> list[Reconstruction]:
    """Every contributor not in `known` whose category the equations determine."""
    unknown = sorted({c for o in obs for c in o.members if c not in known})
    where: dict[str, list[int]] = defaultdict(list)
    usable = []
    for o in obs:
        if any(c not in known for c in o.members):
            usable.append(o)
    for i, o in enumerate(usable):
        for c in o.members:
            if c not in known:
                where[c].append(i)
    atoms: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for c in unknown:
        atoms[tuple(where[c])].append(c)
    atom_list = list(atoms.values())
    atom_of = {c: a for a, members in enumerate(atom_list) for c in members}
    lo, hi, rows = {}, {}, []
    for a, members in enumerate(atom_list):
        for k in categories:
            lo[(a, k)], hi[(a, k)] = 0, len(members)
        rows.append(({(a, k): 1 for k in categories}, len(members)))
    for o in usable:
        b = o.value - sum(o.weights.get(known[c], 0) for c in o.members if c in known)
        # an atom's members are all in or all out of every set: the row weighs each atom's counts
        coefs = {(a, k): w for a in {atom_of[c] for c in o.members if c not in known} for k, w in o.weights.items()}
        rows.append((coefs, b))
    _propagate(rows, lo, hi)
    while True:
        reduced = _reduce(rows, lo, hi)
        if not _propagate(rows + reduced, lo, hi):
            break
    out = []
    for a, members in enumerate(atom_list):
        for k in categories:
            if lo[(a, k)] == len(members):
                out += [Reconstruction(c, key, k) for c in members]
    return out


def visible_groups(world, councils) -> set:
    """The signed-in groups a person in `councils` sees: each council's fixed groups and its nearest neighbours."""
    from functions.benchmarks.figures import NEIGHBOURS
    from model.similar import GROUPINGS, groups, membership

    fixed = membership(groups(world.reg))
    return {(g, fixed[code][g].id) for code in councils for g in GROUPINGS} | {(NEIGHBOURS, code) for code in councils}


def attack(world, keys: list[Key], viewers: list[frozenset[str]]) -> list[Reconstruction]:
    """Each viewer in turn plays the intruder on every key; every answer of a non-public contributor it determines."""
    public = {cid for cid, p in world.publications.items() if p.entry.sharing == "public"}
    values = {cid: world.values(cid) for cid in world.publications}
    found = []
    for key in keys:
        # every equation of every shown figure, by audience and group, once for all viewers
        by_group: dict[tuple, list[Observation]] = defaultdict(list)
        for rel in world.releases:
            for audience, by_key in rel.figures.items():
                for gid, fig in by_key.get(key, {}).items():
                    if fig.status == "shown" and fig.release == rel.number:
                        by_group[(audience, gid)].extend(counts_from(fig))
        open_data = [o for (audience, _), obs in by_group.items() if audience == "public" for o in obs]
        for councils in viewers:
            visible = visible_groups(world, councils)
            obs = open_data + [o for gid in sorted(visible) for o in by_group.get(("signed-in", gid), [])]
            mine = {cid for cid, p in world.publications.items() if p.entry.council in councils}
            known = {cid: values[cid][key] for cid in public | mine if key in values[cid]}
            for r in reconstruct(obs, known, key.categories, key):
                assert world.publications[r.contributor].entry.sharing != "public"
                assert values[r.contributor][key] == r.category, f"the intruder's reasoning is wrong: {r}"
                found.append(Reconstruction(r.contributor, r.key, r.category, councils))
    return found
