"""Whether figures seen together can be added and subtracted into a figure of a few councils.

Every figure is a table of counts over a set of contributors, and tables add: whoever sees the
figures of sets S1 ... Sk can compute the table of any combination l1*S1 + ... + lk*Sk (a region
from its nation less the other regions; a council's change from two nights' figures; last night's
group less tonight's). A combination tells about each contributor it weights, so one whose support
(the contributors it weights at all) holds 1 to `limit` councils gives those few away:
`leak(sets, limit)` finds such a combination or proves there is none.

The method is exact linear algebra over the rationals. Contributors in exactly the same sets are
indistinguishable, so they are merged into atoms weighted by their number. Eliminating with the
heaviest atoms first gives each row of the reduced matrix a pivot atom; any combination weights
the pivots of the rows it uses, so a combination of support at most `limit` uses only rows whose
pivot atoms are that light. Those rows, alone and in pairs, are checked exactly; three or more
light rows together are checked exactly where the combination is determined, and otherwise
counted as a leak (blanking more is always allowed, never less).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

MAX_LIGHT_COMBINATIONS = 2000  # light-row combinations examined before the check gives up and reports a leak


@dataclass(frozen=True)
class Leak:
    """A combination of the sets with a small support: the contributors it would give away."""

    contributors: frozenset[str]
    councils: int
    exact: bool  # False when the check could not decide and counted it as a leak


def council_of(contributor: str) -> str:
    """Contributors are "council:publication"; one council may appear twice across nights."""
    return contributor.split(":", 1)[0]


def _atoms(sets: list[frozenset[str]]) -> list[tuple[tuple[int, ...], frozenset[str]]]:
    """Contributors grouped by the sets they are in, heaviest first (ties in a fixed order)."""
    by_sig: dict[tuple[int, ...], set[str]] = defaultdict(set)
    member_of: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for c in s:
            member_of[c].append(i)
    for c, where in member_of.items():
        by_sig[tuple(where)].add(c)
    return sorted(((sig, frozenset(cs)) for sig, cs in by_sig.items()), key=lambda a: (-len(a[1]), a[0]))


def _reduce(rows: list[dict[int, Fraction]], columns: int) -> list[tuple[int, dict[int, Fraction]]]:
    """Reduced row echelon form of sparse rows, pivoting on columns in order: [(pivot column, row)]."""
    pending = [dict(r) for r in rows if r]
    done: list[tuple[int, dict[int, Fraction]]] = []
    for col in range(columns):
        at = next((i for i, r in enumerate(pending) if r.get(col)), None)
        if at is None:
            continue
        row = pending.pop(at)
        scale = row[col]
        row = {k: v / scale for k, v in row.items()}
        for others in (pending, [r for _, r in done]):
            for r in others:
                f = r.get(col)
                if f:
                    for k, v in row.items():
                        nv = r.get(k, 0) - f * v
                        if nv:
                            r[k] = nv
                        else:
                            r.pop(k, None)
        done.append((col, row))
    return done


def _nullspace(matrix: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """A basis of {x : matrix @ x = 0}, x of length `width`."""
    rows = [{j: v for j, v in enumerate(r) if v} for r in matrix]
    reduced = _reduce(rows, width)
    pivots = {col: row for col, row in reduced}
    basis = []
    for free in range(width):
        if free in pivots:
            continue
        x = [Fraction(0)] * width
        x[free] = Fraction(1)
        for col, row in pivots.items():
            x[col] = -row.get(free, Fraction(0))
        basis.append(x)
    return basis


def leak(sets: list[frozenset[str]], limit: int) -> Leak | None:
    """A combination of `sets` whose support holds 1 to `limit` councils, or None if there is none."""
    sets = [s for s in sets if s]
    if not sets or limit < 1:
        return None
    atoms = [members for _, members in _atoms(sets)]
    weight = [len({council_of(c) for c in members}) for members in atoms]
    rows: list[dict[int, Fraction]] = [{} for _ in sets]
    for col, (sig, _) in enumerate(_atoms(sets)):
        for i in sig:
            rows[i][col] = Fraction(1)
    reduced = _reduce(rows, len(atoms))
    light = [(col, row) for col, row in reduced if weight[col] <= limit]
    examined = 0
    for size in range(1, len(light) + 1):
        for combo in itertools.combinations(light, size):
            if _councils(atoms, [col for col, _ in combo]) > limit:
                continue
            examined += 1
            if examined > MAX_LIGHT_COMBINATIONS:
                return _undecided(atoms, [k for _, row in light for k in row])
            found = _smallest(combo, atoms, weight, limit)
            if found:
                return found
    return None  # every other combination weights a pivot atom heavier than the limit


def _councils(atoms, cols) -> int:
    return len({council_of(c) for k in cols for c in atoms[k]})


def _undecided(atoms, cols) -> Leak:
    members = frozenset(c for k in set(cols) for c in atoms[k])
    return Leak(members, len({council_of(c) for c in members}), False)


def _smallest(combo, atoms, weight, limit) -> Leak | None:
    """The smallest support of a combination with a nonzero coefficient on every row of `combo`, if small."""
    pivots = [col for col, _ in combo]
    columns = sorted({k for _, row in combo for k in row} - set(pivots))
    budget = limit - _councils(atoms, pivots)
    if budget < 0:
        return None
    # a column heavier than what is left of the limit must cancel: the coefficients lie in a null space
    heavy = [k for k in columns if weight[k] > budget]
    n = len(combo)
    if heavy:
        basis = _nullspace([[row.get(k, Fraction(0)) for _, row in combo] for k in heavy], n)
    else:
        basis = [[Fraction(int(i == j)) for i in range(n)] for j in range(n)]
    if not basis or any(all(b[i] == 0 for b in basis) for i in range(n)):
        return None  # a coefficient is forced to 0: that is a smaller combination, examined on its own
    if len(basis) == 1:
        candidates = [basis[0]]
    elif n == 2:
        # two rows and nothing forced: a generic mix, or a mix that cancels one shared column
        a_row, b_row = combo[0][1], combo[1][1]
        candidates = [[Fraction(1), Fraction(7919, 104729)]]
        candidates += [[Fraction(1), -a_row[k] / b_row[k]] for k in columns if k in a_row and k in b_row]
    else:
        return _undecided(atoms, pivots + columns)  # three or more rows with freedom left: not decided exactly
    best = None
    for lam in candidates:
        if any(x == 0 for x in lam):
            continue
        standing = pivots + [k for k in columns if sum(lam[i] * row.get(k, 0) for i, (_, row) in enumerate(combo)) != 0]
        councils = _councils(atoms, standing)
        if 0 < councils <= limit and (best is None or councils < best.councils):
            best = Leak(frozenset(c for k in standing for c in atoms[k]), councils, True)
    return best
