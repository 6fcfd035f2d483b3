"""What the site may show of councils' self-assessments: each council's response published to everyone.

The app's store reads it (functions/consensus/public.py) and `tie build` bakes it into the council
pages, when a database is configured. Only a response the council published for everyone is here,
and only its stages, ambitions and routes: never its rationale, never who published it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.questionnaire import Edition
from model.vocabulary import STAGES

POSITION = {stage: i for i, stage in enumerate(STAGES.ids)}


@dataclass(frozen=True)
class PublicResponse:
    """A council's official response, as published for everyone: the newest version of its newest round."""

    council: str
    round_id: str
    edition: str
    year: int
    version: int  # 1 when first published; higher when the council republished a correction
    published_at: int
    routes: tuple[str, ...]
    answers: dict[str, tuple[str, str]]  # statement id -> (current stage, ambition stage)

    @property
    def results_address(self) -> str:
        """Where anyone can read its results (the app's page, which shows a public response to outsiders)."""
        return f"/app/councils/{self.council}/rounds/{self.round_id}/results"


@dataclass(frozen=True)
class Published:
    """Everything the build reads from the store: the public responses by council, and whether they are demo data."""

    responses: dict[str, PublicResponse] = field(default_factory=dict)
    demo: bool = False  # the database holds synthetic demo data (tie demo): every page built from it says so


NONE = Published()  # no database configured: no council has published a response, as far as the site knows


@dataclass(frozen=True)
class ThemeSummary:
    """One theme of a response: its statements' middle current stage and middle ambition."""

    theme_id: str
    label: str
    statements: int
    current: str  # a stage id
    ambition: str


def _middle(stages: list[str]) -> str:
    """The middle stage (the lower of the two middles when there is an even number)."""
    ordered = sorted(stages, key=POSITION.__getitem__)
    return ordered[(len(ordered) - 1) // 2]


def summary(edition: Edition, response: PublicResponse) -> list[ThemeSummary]:
    """Theme by theme, where the council puts itself now and where it aims to be (middle stages)."""
    out = []
    for theme in edition.themes:
        found = [response.answers[s.id] for s in theme.statements if s.id in response.answers]
        found = [(c, a) for c, a in found if c in POSITION and a in POSITION]
        if found:
            out.append(ThemeSummary(theme.id, theme.label, len(found), _middle([c for c, _ in found]), _middle([a for _, a in found])))
    return out
