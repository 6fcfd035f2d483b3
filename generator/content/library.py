"""Everything the site is built from, loaded and checked together: content, questionnaire and council register
(with the comparator groups made from it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.content import facets, fieldcheck, ledger
from generator.content import resources as content
from model import questionnaire, register, similar
from model.problems import Problem


@dataclass
class Library:
    """The checked inputs of a build, and every problem found in them."""

    resources: list[content.Resource]
    editions: dict[str, questionnaire.Edition]
    register: register.Register | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def published(self) -> list[content.Resource]:
        return [r for r in self.resources if not r.draft]

    @property
    def edition(self) -> questionnaire.Edition | None:
        return questionnaire.latest(self.editions)


def load(content_dir: Path, questionnaire_dir: Path, councils: str) -> Library:
    """Load and check everything; problems are collected, never raised."""
    problems: list[Problem] = []
    try:
        reg = register.load(councils)
    except register.RegisterError as err:
        reg = None
        # every problem of the register, each at its file and row, or the one reason it could not be read
        problems.extend(err.problems or [Problem(councils, 1, "council register", "a valid Frictionless data package (TIE_COUNCILS)", str(err))])
    editions, found = questionnaire.load_all(questionnaire_dir)
    problems.extend(found)
    statements = frozenset(s.id for e in editions.values() for s in e.statements)
    ctx = fieldcheck.Context(councils=frozenset(reg.councils) if reg else None, statements=statements)
    addresses = facets.generated_addresses() | frozenset(
        f"/self-assessment/{t.id}/" for e in editions.values() for t in e.themes
    )
    resources, found = content.load(content_dir, ctx, addresses)
    problems.extend(found)
    problems.extend(ledger.check(content_dir, resources, addresses))  # no published address may 404
    if reg:
        problems.extend(similar.problems(reg))  # a comparator group under 10 councils: MERGES must follow the register
    return Library(resources, editions, reg, sorted(set(problems)))
