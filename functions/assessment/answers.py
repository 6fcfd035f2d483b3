"""Checking a response against its questionnaire edition: every problem is reported, nothing is stored until none remain.

The form and the JSON API both send what they received through `check`, so a person filling in
the form and a program calling the API meet the same rules. Each problem says where it is, what
was expected and what was found (for programs), and the same thing in words for people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from functions.assessment.responses import Answer
from functions.web.security import UNSTORABLE
from model import vocabulary as v
from model.questionnaire import Edition, Statement

COMMENT_MAX = 2000  # characters; a paragraph of context, not an essay (the super-user reads every one)
VERSION_MAX = 2**31 - 1  # the largest version a database INTEGER holds
ANSWER_KEYS = ("current", "ambition", "comment")
BODY_KEYS = ("version", "respondent_role", "routes", "answers", "submit")
ONE_ANSWER_KEYS = ("version", *ANSWER_KEYS)  # the body that saves one statement's answer
CHOICES = (*v.STAGES.ids, v.DONT_KNOW.id)
POSITION = {stage: i for i, stage in enumerate(v.STAGES.ids)}  # the stages in order; "don't know" has no place


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a response: `where` (a path into the JSON body), what was expected, what
    was found, and `says`: the same for a person, shown beside the field in the form."""

    where: str
    expected: str
    got: str
    says: str

    @property
    def message(self) -> str:
        return f"{self.where}: expected {self.expected}, got {self.got}"

    def as_dict(self) -> dict:
        return {"where": self.where, "message": self.message, "expected": self.expected, "got": self.got}


@dataclass(frozen=True)
class Draft:
    """A response that has passed the checks, ready to store."""

    version: int
    respondent_role: str | None
    routes: tuple[str, ...]
    answers: dict[str, Answer]
    submit: bool


@dataclass(frozen=True)
class AnswerDraft:
    """One statement's answer that has passed the checks; `answer` is None when the body clears it."""

    version: int
    statement_id: str
    answer: Answer | None


def show(value: Any) -> str:
    """A found value, briefly, for a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(UNSTORABLE.sub("?", text))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _key(key: str) -> str:
    """A key from the body, safe to repeat in a message: short, and without unprintable characters."""
    return UNSTORABLE.sub("?", key[:60])


def stage_label(choice: str) -> str:
    return v.DONT_KNOW.label if choice == v.DONT_KNOW.id else v.STAGES.label(choice)


def _type_label(council_type: str | None) -> str:
    return v.COUNCIL_TYPES.label(council_type).lower() + "s" if council_type in v.COUNCIL_TYPES else "this council"


_INDEX: dict[int, tuple[Edition, dict[str, Statement]]] = {}


def _statements(edition: Edition) -> dict[str, Statement]:
    """The edition's statements by id, made once per edition (editions are loaded once, at start-up)."""
    found = _INDEX.get(id(edition))
    if found is None or found[0] is not edition:
        found = _INDEX[id(edition)] = (edition, {s.id: s for s in edition.statements})
    return found[1]


def applicable(edition: Edition, council_type: str | None) -> list[str]:
    """The ids of the statements that apply to a council of this type, in questionnaire order."""
    return [sid for sid, s in _statements(edition).items() if s.applies(council_type)]


def check(
    edition: Edition,
    council_type: str | None,
    body: Any,
    *,
    required: Iterable[str] = (),
) -> tuple[Draft | None, list[Problem]]:
    """Check a response body against the edition. Returns the draft, or None and every problem.

    `required` names the statements that must have both a current stage and an ambition (a step of
    the form being continued, or every applicable statement when submitting).
    """
    problems: list[Problem] = []
    if not isinstance(body, dict):
        return None, [Problem("body", "an object with " + ", ".join(BODY_KEYS), show(body), "Send the answers as an object.")]
    for key in body:
        if key not in BODY_KEYS:
            problems.append(Problem(_key(key), "only " + ", ".join(BODY_KEYS), "an unknown field", "Remove this field."))

    version = _version(body.get("version"), problems)

    role = body.get("respondent_role")
    if role is not None and role not in v.RESPONDENT_ROLES:
        problems.append(Problem("respondent_role", "officer, councillor or nothing", show(role), "Select officer or councillor."))

    routes = _routes(body.get("routes", []), problems)
    answers = _answers(edition, council_type, body.get("answers", {}), problems)
    submit = body.get("submit", False)
    if not isinstance(submit, bool):
        problems.append(Problem("submit", "true or false", show(submit), "Use the Submit button."))

    reported = list(problems)  # a statement already found wrong is not also reported missing
    for statement_id in required:
        answer = answers.get(statement_id)
        if _reported(reported, f"answers.{statement_id}"):
            continue
        for part, says in (
            ("current", "Select where your council is now"),
            ("ambition", "Select where your council aims to be within two years"),
        ):
            if answer is None or getattr(answer, part) is None:
                problems.append(Problem(f"answers.{statement_id}.{part}", "one of " + ", ".join(CHOICES), "nothing", says))

    if problems:
        return None, problems
    return Draft(version, role, routes, answers, submit), []


def check_answer(
    edition: Edition, council_type: str | None, statement_id: str, body: Any, *, required: bool = False
) -> tuple[AnswerDraft | None, list[Problem]]:
    """Check the body that saves one statement's answer (`version`, `current`, `ambition`, `comment`).

    Returns the draft, or None and every problem, with the same rules as `check` applies to each
    answer of a whole response. An answer with no stage and no comment clears the statement's answer;
    `required` (a submitted response stays complete) needs both stages.
    """
    if not isinstance(body, dict):
        expected = "an object with " + ", ".join(ONE_ANSWER_KEYS)
        return None, [Problem("body", expected, show(body), "Send the answer as an object.")]
    problems: list[Problem] = []
    for key in body:
        if key not in ONE_ANSWER_KEYS:
            problems.append(Problem(_key(key), "only " + ", ".join(ONE_ANSWER_KEYS), "an unknown field", "Remove this field."))
    version = _version(body.get("version"), problems)
    statement = _statements(edition).get(statement_id)
    if statement is None:
        problems.append(
            Problem(
                "statement_id",
                f"a statement id of edition {edition.id}, like {edition.statements[0].id}",
                show(statement_id),
                "This is not a statement of this questionnaire.",
            )
        )
    elif not statement.applies(council_type):
        problems.append(
            Problem(
                "statement_id",
                f"a statement that applies to {_type_label(council_type)}",
                f"{statement_id}, which does not",
                f"This statement does not apply to {_type_label(council_type)}.",
            )
        )
    answer = _answer("", statement_id, {k: body[k] for k in ANSWER_KEYS if k in body}, problems)
    if required and answer is not None:
        for part, says in (
            ("current", "Select where your council is now"),
            ("ambition", "Select where your council aims to be within two years"),
        ):
            if getattr(answer, part) is None:
                problems.append(Problem(part, "one of " + ", ".join(CHOICES) + " (the response is submitted)", "nothing", says))
    if problems:
        return None, problems
    empty = answer.current is None and answer.ambition is None and not answer.comment
    return AnswerDraft(version, statement_id, None if empty else answer), []


def _version(version: Any, problems: list[Problem]) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version <= VERSION_MAX:
        problems.append(
            Problem(
                "version",
                "the version your answers were based on (0 for a new response)",
                show(version),
                "Reload the page and try again.",
            )
        )
    return version


def _at(where: str, part: str) -> str:
    """A path into the body: `answers.PLC-01.current` in a whole response, `current` in a body of one answer."""
    return f"{where}.{part}" if where else part


def _reported(problems: list[Problem], where: str) -> bool:
    return any(p.where == where or p.where.startswith(where + ".") for p in problems)


def _routes(value: Any, problems: list[Problem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(
            Problem(
                "routes", "a list of route ids (" + ", ".join(v.ROUTES.ids) + ")", show(value), "Select routes from the list."
            )
        )
        return ()
    good: list[str] = []
    for i, route in enumerate(value):
        if route not in v.ROUTES:
            problems.append(
                Problem(f"routes[{i}]", "one of " + ", ".join(v.ROUTES.ids), show(route), "Select routes from the list.")
            )
        elif route in good:
            problems.append(Problem(f"routes[{i}]", "each route once", f"{route} again", "Select each route once."))
        else:
            good.append(route)
    return tuple(r for r in v.ROUTES.ids if r in good)


def _answers(edition: Edition, council_type: str | None, value: Any, problems: list[Problem]) -> dict[str, Answer]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem("answers", "an object of answers by statement id", show(value), "Send the answers by statement."))
        return {}
    out: dict[str, Answer] = {}
    statements = _statements(edition)
    for statement_id, raw in value.items():
        statement = statements.get(statement_id)
        where = f"answers.{statement_id if statement else _key(statement_id)}"
        if statement is None:
            problems.append(
                Problem(
                    where,
                    f"a statement id of edition {edition.id}, like {edition.statements[0].id}",
                    show(statement_id),
                    "This is not a statement of this questionnaire.",
                )
            )
            continue
        if not statement.applies(council_type):
            problems.append(
                Problem(
                    where,
                    f"no answer ({statement_id} does not apply to {_type_label(council_type)})",
                    "an answer",
                    f"This statement does not apply to {_type_label(council_type)}.",
                )
            )
            continue
        answer = _answer(where, statement_id, raw, problems)
        if answer is not None:
            out[statement_id] = answer
    return {sid: out[sid] for sid in statements if sid in out}


def _answer(where: str, statement_id: str, raw: Any, problems: list[Problem]) -> Answer | None:
    """One answer, its problems added to `problems`; `where` is its path in the body ("" when it is the body)."""
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                where, "an object with current, ambition and comment", show(raw), "Answer with a current stage and an ambition."
            )
        )
        return None
    before = len(problems)
    for key in raw:
        if key not in ANSWER_KEYS:
            problems.append(
                Problem(_at(where, _key(key)), "only current, ambition and comment", "an unknown field", "Remove this field.")
            )
    current, ambition = raw.get("current"), raw.get("ambition")
    for part, choice, says in (
        ("current", current, "Select where your council is now from the stages listed"),
        ("ambition", ambition, "Select where your council aims to be from the stages listed"),
    ):
        if choice is not None and choice not in CHOICES:
            problems.append(Problem(_at(where, part), "one of " + ", ".join(CHOICES), show(choice), says))
    comment = raw.get("comment", "")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        problems.append(Problem(_at(where, "comment"), "text", show(comment), "Write the comment as text."))
    elif len(comment) > COMMENT_MAX:
        problems.append(
            Problem(
                _at(where, "comment"),
                f"at most {COMMENT_MAX} characters",
                f"{len(comment)}",
                f"Comment must be {COMMENT_MAX:,} characters or fewer (it has {len(comment):,})",
            )
        )
    elif UNSTORABLE.search(comment):
        problems.append(
            Problem(
                _at(where, "comment"),
                "text without control characters",
                "a control character",
                "Remove the unusual characters from the comment.",
            )
        )
    now, aim = (POSITION.get(x) if isinstance(x, str) else None for x in (current, ambition))
    if now is not None and aim is not None and aim < now:
        problems.append(
            Problem(
                _at(where, "ambition"),
                f"a stage at or above the current stage ({current}), or {v.DONT_KNOW.id}",
                show(ambition),
                f"The ambition cannot be below where your council is now: select {stage_label(current)} or a later stage, or Don't know",
            )
        )
    if len(problems) > before:
        return None
    return Answer(statement_id, current, ambition, comment.replace("\r\n", "\n").strip())
