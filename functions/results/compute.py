"""Results: where a set of answers puts the council, theme by theme; its strengths; its areas for improvement; its progress.

The same computation serves a person's own answers and the council's official (consensus)
response: both are a map from statement id to a current stage and an ambition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from model.questionnaire import Edition, Statement, Theme
from model.vocabulary import DONT_KNOW, STAGES

POSITION = {stage: i for i, stage in enumerate(STAGES.ids)}
TOP = len(STAGES.ids) - 1
# Doing something consistently ("does") is a strength, whatever the ambition: it is what the
# questionnaire's statements describe an effective council doing.
STRENGTH_FROM = POSITION["does"]


def stage_label(stage: str | None) -> str:
    if stage == DONT_KNOW.id:
        return DONT_KNOW.label
    return STAGES.label(stage) if stage in POSITION else "Not answered"


def _field(answer, name: str):
    if answer is None:
        return None
    return answer.get(name) if isinstance(answer, Mapping) else getattr(answer, name, None)


@dataclass(frozen=True)
class StatementResult:
    """One statement's answer: current stage, ambition, and the gap between them in steps."""

    statement: Statement
    order: int
    current: str | None  # a stage id, "dont-know", or None when not answered
    ambition: str | None
    note: str = ""  # the person's comment, or the consensus rationale

    @property
    def current_position(self) -> int | None:
        return POSITION.get(self.current)

    @property
    def ambition_position(self) -> int | None:
        return POSITION.get(self.ambition)

    @property
    def gap(self) -> int | None:
        """Steps from the current stage up to the ambition; 0 when the ambition is not above it; None if either is unknown."""
        if self.current_position is None or self.ambition_position is None:
            return None
        return max(0, self.ambition_position - self.current_position)

    @property
    def current_label(self) -> str:
        return stage_label(self.current)

    @property
    def ambition_label(self) -> str:
        return stage_label(self.ambition)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass(frozen=True)
class ThemeResult:
    """One theme: its statements and the mean positions of their current stages and ambitions."""

    theme: Theme
    statements: tuple[StatementResult, ...]

    @property
    def current_mean(self) -> float | None:
        return _mean([s.current_position for s in self.statements if s.current_position is not None])

    @property
    def ambition_mean(self) -> float | None:
        return _mean([s.ambition_position for s in self.statements if s.ambition_position is not None])

    @property
    def gap(self) -> float | None:
        if self.current_mean is None or self.ambition_mean is None:
            return None
        return round(max(0.0, self.ambition_mean - self.current_mean), 2)


@dataclass(frozen=True)
class Change:
    """How one statement (or one theme) moved since the last round: positions then and now."""

    key: str  # statement id or theme id
    label: str
    before: float | None
    now: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.now is None:
            return None
        return round(self.now - self.before, 2)


@dataclass(frozen=True)
class Progress:
    """Progress since an earlier round: per theme and per statement, matched through `supersedes`."""

    earlier_round: str
    earlier_label: str
    themes: tuple[Change, ...]
    statements: tuple[Change, ...]

    @property
    def improved(self) -> tuple[Change, ...]:
        return tuple(c for c in self.statements if c.change is not None and c.change > 0)

    @property
    def declined(self) -> tuple[Change, ...]:
        return tuple(c for c in self.statements if c.change is not None and c.change < 0)


@dataclass(frozen=True)
class Results:
    """Everything the results page, the chart, the action plan and the downloads show."""

    edition: Edition
    themes: tuple[ThemeResult, ...]
    routes: tuple[str, ...] = ()
    progress: Progress | None = None

    @property
    def statements(self) -> tuple[StatementResult, ...]:
        return tuple(s for t in self.themes for s in t.statements)

    @property
    def strengths(self) -> tuple[StatementResult, ...]:
        """Statements at "does" or beyond, the most advanced first."""
        found = [s for s in self.statements if s.current_position is not None and s.current_position >= STRENGTH_FROM]
        return tuple(sorted(found, key=lambda s: (-s.current_position, s.order)))

    @property
    def improvements(self) -> tuple[StatementResult, ...]:
        """Areas for improvement: every statement with a gap, the widest gap first, then the earliest stage, then questionnaire order."""
        found = [s for s in self.statements if s.gap]
        return tuple(sorted(found, key=lambda s: (-s.gap, s.current_position, s.order)))

    @property
    def unknown(self) -> tuple[StatementResult, ...]:
        """Statements answered "don't know" (or not answered): finding out comes first."""
        return tuple(s for s in self.statements if s.current_position is None)


def compute(
    edition: Edition, answers: Mapping, council_type: str | None = None, routes=(), note_field: str = "comment"
) -> Results:
    """Results for `answers` (statement id -> an answer with `current` and `ambition`), statements that apply only."""
    themes = []
    order = 0
    for theme in edition.themes:
        rows = []
        for statement in theme.statements:
            order += 1
            if not statement.applies(council_type):
                continue
            answer = answers.get(statement.id)
            rows.append(
                StatementResult(
                    statement=statement,
                    order=order,
                    current=_field(answer, "current"),
                    ambition=_field(answer, "ambition"),
                    note=(_field(answer, note_field) or "").strip(),
                )
            )
        themes.append(ThemeResult(theme, tuple(rows)))
    return Results(edition, tuple(themes), tuple(routes))


def progress(now: Results, before: Results, earlier_round: str, earlier_label: str) -> Progress:
    """Compare two results. A statement is matched with the same id earlier or with the one it supersedes."""
    earlier = {s.statement.id: s for s in before.statements}
    statements = []
    for s in now.statements:
        then = earlier.get(s.statement.id) or (earlier.get(s.statement.supersedes) if s.statement.supersedes else None)
        if then is None:
            continue
        statements.append(Change(s.statement.id, s.statement.text, then.current_position, s.current_position))
    earlier_themes = {t.theme.id: t for t in before.themes}
    themes = [
        Change(t.theme.id, t.theme.label, earlier_themes[t.theme.id].current_mean, t.current_mean)
        for t in now.themes
        if t.theme.id in earlier_themes
    ]
    return Progress(earlier_round, earlier_label, tuple(themes), tuple(statements))


def with_progress(results: Results, progress_: Progress | None) -> Results:
    return Results(results.edition, results.themes, results.routes, progress_)
