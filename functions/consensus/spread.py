"""How far a council's members agree: the spread of their answers to each statement, most disagreement first.

Disagreement is measured on the stage positions (not yet = 0 … reviews = 4), ignoring "don't
know", which has no place on the scale. Statements are ordered for the meeting's agenda by:

1. the range of answers about where the council is now (highest stage minus lowest, in steps):
   the question a meeting most needs to settle, and easy to say out loud ("answers span 3 stages");
2. the standard deviation of those answers, so that a room split down the middle comes before a
   room with one person apart from everyone else;
3. the same two measures for the ambition;
4. how many people said "don't know" (uncertainty needs discussing too);
5. the statement's place in the questionnaire, so that ties keep a stable, familiar order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from model.questionnaire import Edition, Statement
from model.vocabulary import DONT_KNOW, RESPONDENT_ROLES, STAGES

POSITION = {stage: i for i, stage in enumerate(STAGES.ids)}
UNSAID = "unsaid"  # people who did not say whether they are an officer or a councillor
# Officers' and councillors' views are shown side by side only when every group with anyone in it
# has at least this many respondents besides the reader. A group of one is that person's answers:
# reading them there would escape the audit record that the individual answers page writes
# (PRIVACY.md: every read of another person's answers is recorded). The reader's own response does
# not count, because the reader can subtract it. Every group is withheld, not just the small one,
# because the other groups and the "everyone" column would give the small one by subtraction.
# Withholding rather than auditing: the agenda is reloaded after every save in a meeting, and an
# audit entry per reload would bury the deliberate reads the log is there to show.
MIN_ROLE_GROUP = 2
# The spread of everyone's answers is shown only when at least this many people besides the reader
# have submitted, for the same reason: with one other person, the "everyone" counts less the
# reader's own answers are that person's answers, read without the audit record. Everything
# counted from the answers goes with it: the counts, the range and middle answer, the agenda's
# order (a range of 0 or 4 between the reader and one other person says where that person is), how
# many people commented, and the tally of favoured routes. With nobody else, the counts are the
# reader's own answers and are shown. The page points to the audited individual answers instead.
MIN_RESPONDENTS = 2


@dataclass(frozen=True)
class Distribution:
    """How many people chose each stage (in scale order) and "don't know"."""

    counts: tuple[int, ...]
    dont_know: int = 0

    @property
    def staged(self) -> int:
        """How many answers have a place on the scale."""
        return sum(self.counts)

    @property
    def total(self) -> int:
        return self.staged + self.dont_know

    def positions(self) -> list[int]:
        return [i for i, n in enumerate(self.counts) for _ in range(n)]

    @property
    def lowest(self) -> str | None:
        positions = self.positions()
        return STAGES.ids[positions[0]] if positions else None

    @property
    def highest(self) -> str | None:
        positions = self.positions()
        return STAGES.ids[positions[-1]] if positions else None

    @property
    def range(self) -> int:
        """Steps between the lowest and the highest stage chosen (0 with fewer than two answers)."""
        positions = self.positions()
        return positions[-1] - positions[0] if positions else 0

    @property
    def sd(self) -> float:
        """Population standard deviation of the positions (0 with fewer than two answers)."""
        positions = self.positions()
        if len(positions) < 2:
            return 0.0
        mean = sum(positions) / len(positions)
        return math.sqrt(sum((p - mean) ** 2 for p in positions) / len(positions))

    @property
    def median(self) -> str | None:
        """The middle stage; with an even number of answers, the lower of the middle two (not a stage nobody chose)."""
        positions = self.positions()
        return STAGES.ids[positions[(len(positions) - 1) // 2]] if positions else None

    def count(self, answer: str) -> int:
        return self.dont_know if answer == DONT_KNOW.id else self.counts[POSITION[answer]]


def distribution(answers: Iterable[str | None]) -> Distribution:
    """Count answers; None (not answered) and anything not on the scale are left out."""
    counts = [0] * len(STAGES.ids)
    dont_know = 0
    for answer in answers:
        if answer == DONT_KNOW.id:
            dont_know += 1
        elif answer in POSITION:
            counts[POSITION[answer]] += 1
    return Distribution(tuple(counts), dont_know)


@dataclass(frozen=True)
class RoleSpread:
    """The answers of one group of respondents (officers, councillors, or people who did not say)."""

    role: str
    label: str
    people: int
    current: Distribution
    ambition: Distribution


@dataclass(frozen=True)
class StatementSpread:
    """Everyone's answers to one statement, counted; names and comments stay out of it."""

    statement: Statement
    order: int  # place in the questionnaire
    current: Distribution
    ambition: Distribution
    by_role: tuple[RoleSpread, ...]
    comments: int  # how many people left a comment (read on the audited answers page)
    withheld: bool = False  # too few respondents besides the reader: nothing above was counted (MIN_RESPONDENTS)

    @property
    def disagreement(self) -> tuple:
        """The agenda's sort key, largest first (see the module docstring)."""
        return (
            self.current.range,
            round(self.current.sd, 9),
            self.ambition.range,
            round(self.ambition.sd, 9),
            self.current.dont_know + self.ambition.dont_know,
        )

    @property
    def answered(self) -> int:
        return max(self.current.total, self.ambition.total)


def _field(answer, name: str):
    if answer is None:
        return None
    return answer.get(name) if isinstance(answer, dict) else getattr(answer, name, None)


@dataclass(frozen=True)
class RoleGroups:
    """The groups of respondents shown side by side, or, when `withheld`, none (the small groups are named)."""

    groups: tuple[tuple[str, str, tuple], ...]  # (role id, label, responses)
    withheld: tuple[str, ...] = ()  # labels of the groups below MIN_ROLE_GROUP, when side by side is withheld

    @property
    def said(self) -> bool:
        """Somebody said whether they are an officer or a councillor."""
        return bool(self.groups or self.withheld)


def others(responses: Iterable, reader_id: str | None = None) -> int:
    """How many of `responses` are not the reader's (all of them when there is no reader)."""
    return sum(1 for r in responses if reader_id is None or getattr(r, "person_id", None) != reader_id)


def everyone_withheld(responses: Iterable, reader_id: str | None = None) -> bool:
    """True when the spread of everyone's answers would show one other person's answers (MIN_RESPONDENTS)."""
    return 0 < others(responses, reader_id) < MIN_RESPONDENTS


def route_votes(responses: Iterable, reader_id: str | None = None) -> Counter | None:
    """How many people chose each route; None when that would show one other person's choice (MIN_RESPONDENTS)."""
    responses = list(responses)
    if everyone_withheld(responses, reader_id):
        return None
    return Counter(route for r in responses for route in (getattr(r, "routes", None) or ()))


def role_groups(responses: Iterable, reader_id: str | None = None) -> RoleGroups:
    """Respondents by role, where somebody said which they are; withheld when a group is too small (MIN_ROLE_GROUP)."""
    responses = list(responses)

    def role(r):
        return getattr(r, "respondent_role", None)

    if not any(role(r) in RESPONDENT_ROLES for r in responses):
        return RoleGroups(())
    groups = [(t.id, t.label + "s", tuple(r for r in responses if role(r) == t.id)) for t in RESPONDENT_ROLES.terms]
    unsaid = tuple(r for r in responses if role(r) not in RESPONDENT_ROLES)
    if unsaid:
        groups.append((UNSAID, "Did not say", unsaid))
    small = []
    for _, label, members in groups:
        if 0 < others(members, reader_id) < MIN_ROLE_GROUP:
            small.append(label)
    if small:
        return RoleGroups((), tuple(small))
    return RoleGroups(tuple(groups))


def spreads(
    edition: Edition, responses: Iterable, council_type: str | None = None, reader_id: str | None = None
) -> list[StatementSpread]:
    """The spread for every statement that applies to the council, most disagreement first.

    `responses` have `respondent_role` and `answers` (statement id -> an answer with `current`,
    `ambition` and `comment`). Roles are shown side by side only where somebody said which they are,
    and only when every group is large enough (`role_groups`); `reader_id` is the person reading,
    whose own response does not count towards a group's size.

    When too few people besides the reader have answered (`everyone_withheld`), nothing is counted:
    every statement comes with empty counts, `withheld` set, in questionnaire order.
    """
    responses = list(responses)
    if everyone_withheld(responses, reader_id):
        empty = distribution(())
        return [
            StatementSpread(statement, order, empty, empty, (), 0, withheld=True)
            for order, statement in enumerate(edition.statements)
            if statement.applies(council_type)
        ]
    groups = role_groups(responses, reader_id).groups
    out = []
    for order, statement in enumerate(edition.statements):
        if not statement.applies(council_type):
            continue
        answers = [(r.answers or {}).get(statement.id) for r in responses]
        by_role = tuple(
            RoleSpread(
                role,
                label,
                len(members),
                distribution(_field((r.answers or {}).get(statement.id), "current") for r in members),
                distribution(_field((r.answers or {}).get(statement.id), "ambition") for r in members),
            )
            for role, label, members in groups
        )
        out.append(
            StatementSpread(
                statement=statement,
                order=order,
                current=distribution(_field(a, "current") for a in answers),
                ambition=distribution(_field(a, "ambition") for a in answers),
                by_role=by_role,
                comments=sum(1 for a in answers if (_field(a, "comment") or "").strip()),
            )
        )
    return agenda(out)


def agenda(items: list[StatementSpread]) -> list[StatementSpread]:
    """Most disagreement first; ties in questionnaire order."""
    return sorted(items, key=lambda s: (tuple(-x for x in s.disagreement), s.order))
