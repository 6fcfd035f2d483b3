"""The self-assessment form, generated from a questionnaire edition: its steps, their fields, and reading them back.

Steps: "about" (whether you are an officer or a councillor, and the routes to change your council
favours), one step per theme, then "review" (check and submit). Each statement is a fieldset with
its text as the legend and its help as the hint, holding two radio groups (where the council is
now; where it aims to be within two years), each its own fieldset, and an optional comment.

Field names and ids follow one scheme, so that a problem's `where` (a path into the API's JSON
body, such as `answers.PLC-01.ambition`) finds the field it is about:

    name PLC-01.current    first radio id PLC-01-current    others PLC-01-current-<choice>
    name PLC-01.ambition   first radio id PLC-01-ambition   ...
    name PLC-01.comment    id PLC-01-comment
    name respondent_role   first radio id respondent_role
    name routes            first checkbox id routes

Everything here is plain HTML that works without JavaScript, written by the macros of
functions/templates/assessment/form.html (autoescaped) with the app's Jinja environment (`env`, which
pages pass; without one, the same environment without a built site); this module works out what each
piece shows. `problems` map a `where` to the words shown beside the field and in the error summary (the
GOV.UK error summary pattern).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from functions.web import templates
from model import vocabulary as v
from model.questionnaire import Edition, Statement, Theme

TEMPLATE = "assessment/form.html"  # the macros that write the form's HTML
ABOUT = "about"
REVIEW = "review"
CHOICES = (*v.STAGES.terms, v.DONT_KNOW)
ROLE_NOT_SAID = "not-said"
QUESTIONS = {
    "current": "Where is your council now?",
    "ambition": "Where does your council aim to be within two years?",
}


@dataclass(frozen=True)
class Step:
    """One page of the form."""

    slug: str
    title: str
    number: int
    theme: Theme | None = None


def steps(edition: Edition) -> tuple[Step, ...]:
    """The form's steps, in order."""
    out = [Step(ABOUT, "About you and your council's ambition", 1)]
    out += [Step(t.id, t.label, i + 2, t) for i, t in enumerate(edition.themes)]
    out.append(Step(REVIEW, "Check and submit your answers", len(out) + 1))
    return tuple(out)


def step(edition: Edition, slug: str) -> Step | None:
    return next((s for s in steps(edition) if s.slug == slug), None)


def next_step(edition: Edition, current: Step) -> Step:
    all_steps = steps(edition)
    return all_steps[min(current.number, len(all_steps) - 1)]


def step_statements(current: Step) -> tuple[Statement, ...]:
    return current.theme.statements if current.theme else ()


def field_id(where: str) -> str | None:
    """The id of the field a problem is about (the first of a group), or None if it has none."""
    parts = where.split(".")
    if parts[0] == "answers" and len(parts) >= 2:
        part = parts[2] if len(parts) > 2 and parts[2] in ("current", "ambition", "comment") else "current"
        return f"{parts[1]}-{part}"
    if parts[0].startswith("routes"):
        return "routes"
    if parts[0] == "respondent_role":
        return "respondent_role"
    return None


def step_of(edition: Edition, where: str) -> str | None:
    """The slug of the step that holds the field a problem is about."""
    parts = where.split(".")
    if parts[0] == "answers" and len(parts) >= 2:
        statement = edition.statement(parts[1])
        return statement.theme if statement else None
    if parts[0].startswith("routes") or parts[0] == "respondent_role":
        return ABOUT
    return None


def title(current: Step, total: int, problems: Mapping[str, str]) -> str:
    """The page title: the step and where it is in the form, prefixed "Error:" when there are problems."""
    text = f"{current.title} (step {current.number} of {total}) - Self-assessment"
    return f"Error: {text}" if problems else text


# -- pieces of the page: what each shows, rendered by the macros of templates/assessment/form.html -------


@functools.cache
def _plain_templates() -> Environment:
    """The app's Jinja environment as `web.templates` makes it, without a built site: for the pieces rendered outside a request."""
    return templates(None)


def _macros(env: Environment | None):
    return (env or _plain_templates()).get_template(TEMPLATE).module


def progress(edition: Edition, current: Step, base: str, *, env: Environment | None = None) -> Markup:
    """Where the person is in the form: "Step 2 of 7" and the list of steps, each a link (answers are saved)."""
    return _macros(env).progress(steps(edition), current, base)


def error_summary(problems: Mapping[str, str], href: Mapping[str, str] | None = None, *, env: Environment | None = None) -> Markup:
    """The error summary for the top of the page: every problem, each a link to its field.

    `href` may give a link for a `where` (on the review page, the field lives on another step).
    """
    if not problems:
        return Markup("")
    items = []
    for where, says in problems.items():
        target = (href or {}).get(where) or (f"#{field_id(where)}" if field_id(where) else None)
        items.append((target, _summary_text(where, says)))
    return _macros(env).error_summary(items)


def _summary_text(where: str, says: str) -> str:
    parts = where.split(".")
    if parts[0] == "answers" and len(parts) >= 2:
        return f"{parts[1]}: {says}"
    return says


def _problem_for(problems: Mapping[str, str], *wheres: str) -> str | None:
    return next((problems[w] for w in wheres if w in problems), None)


def statement_fields(
    s: Statement, council_type: str | None, answer: Mapping[str, Any], problems: Mapping[str, str], *, env: Environment | None = None
) -> Markup:
    """One statement: a fieldset (legend: the statement; hint: its help) with both radio groups and the comment.

    A statement that does not apply to the council's type is shown, marked not applicable, with no fields.
    """
    macros = _macros(env)
    if not s.applies(council_type):
        kind = v.COUNCIL_TYPES.label(council_type).lower() + "s" if council_type in v.COUNCIL_TYPES else "your council"
        return macros.not_applicable(s, kind)
    where = f"answers.{s.id}"
    says = {
        "current": _problem_for(problems, f"{where}.current", where),
        "ambition": _problem_for(problems, f"{where}.ambition"),
        "comment": _problem_for(problems, f"{where}.comment"),
    }
    chosen = {part: _choice(answer.get(part)) for part in ("current", "ambition")}
    return macros.statement(s, QUESTIONS, CHOICES, v.DONT_KNOW.id, chosen, str(answer.get("comment") or ""), says)


def _choice(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def scale(*, env: Environment | None = None) -> Markup:
    """What the stages mean, in a disclosure at the top of each theme."""
    return _macros(env).scale(CHOICES)


def about_fields(edition: Edition, values: Mapping[str, Any], problems: Mapping[str, str], *, env: Environment | None = None) -> Markup:
    """Whether the person is an officer or a councillor, and the routes to change the council favours."""
    roles = [*v.RESPONDENT_ROLES.terms, v.Term(ROLE_NOT_SAID, "I would rather not say", "")]
    routes_says = next((says for where, says in problems.items() if where.startswith("routes")), None)
    return _macros(env).about(
        edition,
        roles,
        values.get("respondent_role"),
        _problem_for(problems, "respondent_role"),
        v.ROUTES.terms,
        values.get("routes") or [],
        routes_says,
    )


def step_fields(
    edition: Edition,
    current: Step,
    council_type: str | None,
    values: Mapping[str, Any],
    problems: Mapping[str, str],
    *,
    env: Environment | None = None,
) -> Markup:
    """The fields of one step (not the review step), with the problems beside them."""
    if current.slug == ABOUT:
        return about_fields(edition, values, problems, env=env)
    answers = values.get("answers") or {}
    parts = [Markup('<p class="tie-lede">{}</p>').format(current.theme.introduction), scale(env=env)]
    parts += [statement_fields(s, council_type, answers.get(s.id) or {}, problems, env=env) for s in step_statements(current)]
    return Markup("").join(parts)


def buttons(current: Step, *, env: Environment | None = None) -> Markup:
    """Save and continue (the default, so Enter continues), and save and come back later."""
    return _macros(env).buttons(current.slug == REVIEW)


def review(edition: Edition, council_type: str | None, values: Mapping[str, Any], base: str, *, env: Environment | None = None) -> Markup:
    """Every answer so far, by step, each with a link to change it."""
    answers = values.get("answers") or {}
    role = values.get("respondent_role")
    routes = values.get("routes") or []
    about_rows = [
        (
            "Officer or councillor",
            v.RESPONDENT_ROLES.label(role) if role in v.RESPONDENT_ROLES else "Not said",
            f"{base}{ABOUT}#respondent_role",
        ),
        (
            "Routes to change",
            ", ".join(v.ROUTES.label(r) for r in routes if r in v.ROUTES) or "None chosen",
            f"{base}{ABOUT}#routes",
        ),
    ]
    sections = [(steps(edition)[0].title, about_rows)]
    for theme in edition.themes:
        rows = []
        for s in theme.statements:
            if not s.applies(council_type):
                rows.append((f"{s.id} {s.text}", "Not applicable", None))
                continue
            a = answers.get(s.id) or {}
            shown = "; ".join(
                f"{label}: {_stage(a.get(part))}" for part, label in (("current", "Now"), ("ambition", "In two years"))
            )
            if a.get("comment"):
                shown += f". Comment: {a['comment']}"
            rows.append((f"{s.id} {s.text}", shown, f"{base}{theme.id}#{s.id}"))
        sections.append((theme.label, rows))
    return _macros(env).review(sections)


def _stage(choice: Any) -> str:
    if choice == v.DONT_KNOW.id:
        return v.DONT_KNOW.label
    return v.STAGES.label(choice) if choice in v.STAGES else "Not answered"


# -- reading a submitted step back -----------------------------------------------------------------


def _one(value: Any) -> Any:
    """A field as sent: a single value stays as it is, so a repeated one (a list) is reported, not guessed."""
    if value == "":
        return None
    return value


def read(edition: Edition, current: Step, fields: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """The whole response body the submitted step makes: the stored answers, with this step's fields in place of theirs."""
    body: dict[str, Any] = {
        "respondent_role": stored.get("respondent_role"),
        "routes": list(stored.get("routes") or []),
        "answers": {k: dict(a) for k, a in (stored.get("answers") or {}).items()},
    }
    if current.slug == ABOUT:
        role = _one(fields.get("respondent_role"))
        body["respondent_role"] = None if role == ROLE_NOT_SAID else role
        routes = fields.get("routes") or []
        body["routes"] = [routes] if isinstance(routes, str) else list(routes)
    for s in step_statements(current):
        body["answers"].pop(s.id, None)
        answer = {part: _one(fields.get(f"{s.id}.{part}")) for part in ("current", "ambition")}
        comment = fields.get(f"{s.id}.comment", "")
        answer["comment"] = comment
        if answer["current"] is not None or answer["ambition"] is not None or comment:
            body["answers"][s.id] = answer
    return body
