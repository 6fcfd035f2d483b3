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
from collections.abc import Iterable
from dataclasses import dataclass

from generator.questionnaire import Edition, Statement
from generator.vocabulary import DONT_KNOW, RESPONDENT_ROLES, STAGES

POSITION = {stage: i for i, stage in enumerate(STAGES.ids)}
UNSAID = "unsaid"  # people who did not say whether they are an officer or a councillor


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


def spreads(edition: Edition, responses: Iterable, council_type: str | None = None) -> list[StatementSpread]:
    """The spread for every statement that applies to the council, most disagreement first.

    `responses` have `respondent_role` and `answers` (statement id -> an answer with `current`,
    `ambition` and `comment`). Roles are shown side by side only where somebody said which they are.
    """
    responses = list(responses)
    said = [r for r in responses if getattr(r, "respondent_role", None) in RESPONDENT_ROLES]
    groups: list[tuple[str, str, list]] = []
    if said:
        for term in RESPONDENT_ROLES.terms:
            groups.append((term.id, term.label + "s", [r for r in responses if getattr(r, "respondent_role", None) == term.id]))
        unsaid = [r for r in responses if getattr(r, "respondent_role", None) not in RESPONDENT_ROLES]
        if unsaid:
            groups.append((UNSAID, "Did not say", unsaid))
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
