"""A problem found by a check: where it is, which field, what was expected and what was found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, printed as `path:line: field: expected …, got …`."""

    path: str
    line: int
    field: str
    expected: str
    got: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: expected {self.expected}, got {self.got}"


def show(value: object, limit: int = 60) -> str:
    """A found value as it should appear in a message: quoted, shortened, one line."""
    if value is None:
        return "nothing"
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", "\\n")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text) if isinstance(value, str) else text


def one_of(values) -> str:
    """'one of a, b, c' for a message's expected part."""
    return "one of " + ", ".join(values)


class ProblemsFound(Exception):
    """Raised at an edge when a check found problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems)
