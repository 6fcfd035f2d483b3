"""The disclosure rules of ../shared/guide/PRIVACY.md, each threshold named beside the code that applies it.

A figure is a table of counts: for one edition, group and subject, how many contributing councils
gave each answer. These rules decide, for one figure on its own, what of it may be shown: the whole
figure, some cells blank with their reason, or nothing. What figures may be shown together (across
groups and across releases) is decided in disclosure.py with span.py.

Counts are split in two: the contributors the audience could not know otherwise ("hidden": for open
data every contributor; for signed-in members, the responses shared only with similar councils,
since anyone can read a public response on its council's page) and the rest. Rules about giving
someone away are applied to the hidden part, since the rest is known anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC_MINIMUM = 10  # councils per open-data figure: UK output-checking practice (ONS 10-5 rule); the insider always knows one
SIGNED_IN_MINIMUM = 5  # councils per signed-in figure: a known audience under terms of use, still above agencies' 3-5


@dataclass(frozen=True)
class Audience:
    """Who sees a release: which sharing choices count, the minimum group, and which contributions it knows anyway."""

    id: str
    label: str
    counted: tuple[str, ...]  # sharing choices counted in its figures
    known: tuple[str, ...]  # sharing choices whose responses it can read one by one anyway
    minimum: int


PUBLIC = Audience("public", "Open data and public pages", ("public",), (), PUBLIC_MINIMUM)
# Signed-in members can read every public response on its council's page, so only the responses
# shared with similar councils are hidden from them; the public ones are subtracted by anyone.
SIGNED_IN = Audience("signed-in", "Signed-in members of councils", ("similar", "public"), ("public",), SIGNED_IN_MINIMUM)
AUDIENCES = {a.id: a for a in (PUBLIC, SIGNED_IN)}

# Why a cell or a figure is blank, in words a reader of the CSV understands.
REASONS = {
    "minimum": "fewer than {m} councils in the group",
    "hidden-minimum": "fewer than {m} councils whose answers are not public in the group",
    "dominance": "one answer holds all or all but one of the councils",
    "small-count": "fewer than {m} councils gave this answer",
    "complementary": "blank so that the other blank cells cannot be worked out from the total",
    "mean-end": "the average is at an end of the scale, so every council gave the same answer",
    "mean-blank": "blank because some cells are blank and the average would give them back",
    "differencing": "with other figures shown, it would give away the answers of fewer than {m} councils",
    "derived-dominance": "with other figures shown, one answer would hold all or all but one of a few councils",
    "no-contributors": "no council in the group has shared a response",
}


def reason(code: str, audience: Audience) -> str:
    return REASONS[code].format(m=audience.minimum)


@dataclass(frozen=True, slots=True)
class Counts:
    """A figure's counts per category: over every contributor, and over the hidden ones alone."""

    all: dict[str, int]
    hidden: dict[str, int]

    @property
    def n(self) -> int:
        return sum(self.all.values())

    @property
    def hidden_n(self) -> int:
        return sum(self.hidden.values())

    def minus(self, other: Counts) -> Counts:
        return Counts(
            {k: self.all.get(k, 0) - other.all.get(k, 0) for k in self.all},
            {k: self.hidden.get(k, 0) - other.hidden.get(k, 0) for k in self.hidden},
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    """What may be shown of one figure: a reason for blanking it whole, or the reasons for its blank cells."""

    figure_reason: str | None  # a REASONS code: the figure is blank, every cell
    cell_reasons: dict[str, str]  # category -> REASONS code, for the blank cells of a shown figure
    mean_reason: str | None

    @property
    def shown(self) -> bool:
        return self.figure_reason is None


def group_reason(counts: Counts, audience: Audience) -> str | None:
    """The minimum group and group disclosure rules: a REASONS code if the figure must be blank whole."""
    m = audience.minimum
    n = counts.n
    if n == 0:
        return "no-contributors"
    if n < m:
        return "minimum"
    h = counts.hidden_n
    if 0 < h < m:  # the known responses subtract away, leaving fewer than the minimum
        return "hidden-minimum"
    # no answer category may hold n-1 or more of n: "everyone (else) answered does" tells every answer
    if max(counts.all.values()) >= n - 1:
        return "dominance"
    if h and max(counts.hidden.values()) >= h - 1:
        return "dominance"
    return None


def judge(counts: Counts, audience: Audience, scale: tuple[str, ...] | None) -> Verdict:
    """Apply the rules for one figure on its own. `scale` is the ordered categories when a mean is shown."""
    whole = group_reason(counts, audience)
    if whole:
        return Verdict(whole, {}, whole if scale else None)
    m = audience.minimum
    blank: dict[str, str] = {}
    # counts not published below the minimum: a percentage shown with its n gives its count back
    for cat, c in counts.hidden.items():
        if 0 < c < m:
            blank[cat] = "small-count"
    blank = complementary(counts, blank, m)
    if len(blank) == len(counts.all):
        return Verdict("small-count", {}, "small-count" if scale else None)
    return Verdict(None, blank, mean_reason(counts, blank, scale))


def complementary(counts: Counts, blank: dict[str, str], minimum: int) -> dict[str, str]:
    """Blank more cells until the blank ones together hold 0 or at least `minimum` hidden councils.

    With n shown, the blank cells' total is n less the shown cells: a small total would be a small
    count given back by subtraction. The smallest shown cells go first, then in category order.
    """
    blank = dict(blank)
    while True:
        total = sum(counts.hidden[c] for c in blank)
        if total == 0 or total >= minimum or len(blank) == len(counts.all):
            return blank
        order = list(counts.all)
        shown = sorted((counts.hidden[c], order.index(c), c) for c in counts.all if c not in blank)
        blank[shown[0][2]] = "complementary"


def mean_reason(counts: Counts, blank: dict[str, str], scale: tuple[str, ...] | None) -> str | None:
    """No mean at an end of the scale; no mean beside blank cells (with n, it would give them back)."""
    if not scale:
        return None
    if blank:
        return "mean-blank"
    if counts.all.get(scale[0], 0) == counts.n or counts.all.get(scale[-1], 0) == counts.n:
        return "mean-end"
    return None


def percentages(counts: Counts, blank: dict[str, str]) -> dict[str, int | None]:
    """Whole-number percentages of n for the shown cells; None for the blank ones (never 0)."""
    n = counts.n
    return {c: (None if c in blank else round(100 * v / n)) for c, v in counts.all.items()}


def mean(counts: Counts, scale: tuple[str, ...]) -> float:
    """The mean position on the scale, 1 for its first category, to one decimal place."""
    total = sum((i + 1) * counts.all.get(c, 0) for i, c in enumerate(scale))
    return round(total / counts.n, 1)
