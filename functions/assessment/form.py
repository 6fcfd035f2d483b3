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

Everything here is plain HTML that works without JavaScript; `problems` map a `where` to the
words shown beside the field and in the error summary (the GOV.UK error summary pattern).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from functions.feedback.links import unclear_link
from model import vocabulary as v
from model.questionnaire import Edition, Statement, Theme

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


# -- pieces of the page ---------------------------------------------------------------------------


def progress(edition: Edition, current: Step, base: str) -> Markup:
    """Where the person is in the form: "Step 2 of 7" and the list of steps, each a link (answers are saved)."""
    all_steps = steps(edition)
    items = []
    for s in all_steps:
        here = ' aria-current="step"' if s.slug == current.slug else ""
        items.append(f'<li><a href="{escape(base + s.slug)}"{here}>{escape(s.title)}</a></li>')
    return Markup(
        '<nav class="tie-progress" aria-label="Steps of the self-assessment">'
        f'<p class="tie-progress__count">Step {current.number} of {len(all_steps)}</p>'
        f'<ol class="tie-progress__steps">{"".join(items)}</ol></nav>'
    )


def error_summary(problems: Mapping[str, str], href: Mapping[str, str] | None = None) -> Markup:
    """The error summary for the top of the page: every problem, each a link to its field.

    `href` may give a link for a `where` (on the review page, the field lives on another step).
    """
    if not problems:
        return Markup("")
    items = []
    for where, says in problems.items():
        target = (href or {}).get(where) or (f"#{field_id(where)}" if field_id(where) else None)
        label = escape(_summary_text(where, says))
        items.append(f'<li><a href="{escape(target)}">{label}</a></li>' if target else f"<li>{label}</li>")
    return Markup(
        '<div class="tie-error-summary" aria-labelledby="tie-error-summary-title" role="alert" tabindex="-1">'
        '<h2 class="tie-error-summary__title" id="tie-error-summary-title">There is a problem</h2>'
        f'<ul class="tie-error-summary__list">{"".join(items)}</ul></div>'
    )


def _summary_text(where: str, says: str) -> str:
    parts = where.split(".")
    if parts[0] == "answers" and len(parts) >= 2:
        return f"{parts[1]}: {says}"
    return says


def _error(field: str, says: str | None) -> str:
    if not says:
        return ""
    return f'<p class="tie-error-message" id="{field}-error"><span class="visually-hidden">Error:</span> {escape(says)}</p>'


def _problem_for(problems: Mapping[str, str], *wheres: str) -> str | None:
    return next((problems[w] for w in wheres if w in problems), None)


def _radios(sid: str, part: str, chosen: str | None, says: str | None) -> str:
    base = f"{sid}-{part}"
    items = []
    for i, term in enumerate(CHOICES):
        rid = base if i == 0 else f"{base}-{term.id}"
        if term is v.DONT_KNOW:
            items.append('<p class="tie-radios__or">or</p>')
        checked = " checked" if chosen == term.id else ""
        items.append(
            f'<div class="tie-radios__item"><input class="tie-radios__input" type="radio" id="{rid}" name="{sid}.{part}" '
            f'value="{term.id}"{checked}><label class="tie-radios__label" for="{rid}">{escape(term.label)}</label></div>'
        )
    described = f' aria-describedby="{base}-error"' if says else ""
    group = " tie-form-group--error" if says else ""
    return (
        f'<div class="tie-form-group{group}"><fieldset class="tie-fieldset tie-radios"{described}>'
        f'<legend class="tie-fieldset__legend tie-fieldset__legend--s">{QUESTIONS[part]}</legend>'
        f'{_error(base, says)}<div class="tie-radios__items">{"".join(items)}</div></fieldset></div>'
    )


def _comment(sid: str, value: str, says: str | None) -> str:
    cid = f"{sid}-comment"
    described = f"{cid}-hint" + (f" {cid}-error" if says else "")
    group = " tie-form-group--error" if says else ""
    return (
        f'<div class="tie-form-group{group}"><label class="tie-label" for="{cid}">Comment (optional)</label>'
        f'<p class="tie-hint" id="{cid}-hint">Anything your council\'s discussion should know. Up to 2,000 characters.</p>'
        f'{_error(cid, says)}<textarea class="tie-textarea" id="{cid}" name="{sid}.comment" rows="3" '
        f'aria-describedby="{described}">{escape(value)}</textarea></div>'
    )


def statement_fields(s: Statement, council_type: str | None, answer: Mapping[str, Any], problems: Mapping[str, str]) -> str:
    """One statement: a fieldset (legend: the statement; hint: its help) with both radio groups and the comment.

    A statement that does not apply to the council's type is shown, marked not applicable, with no fields.
    """
    if not s.applies(council_type):
        kind = v.COUNCIL_TYPES.label(council_type).lower() + "s" if council_type in v.COUNCIL_TYPES else "your council"
        return (
            f'<section class="tie-statement tie-statement--na" id="{s.id}" aria-labelledby="{s.id}-text">'
            f'<p class="tie-statement__text" id="{s.id}-text"><span class="tie-statement__id">{s.id}</span> {escape(s.text)}</p>'
            f'<p class="tie-statement__na"><strong>Not applicable.</strong> This statement does not apply to {escape(kind)}, '
            "so there is nothing to answer.</p></section>"
        )
    where = f"answers.{s.id}"
    current = _problem_for(problems, f"{where}.current", where)
    ambition = _problem_for(problems, f"{where}.ambition")
    comment = _problem_for(problems, f"{where}.comment")
    error = " tie-statement--error" if current or ambition or comment else ""
    return (
        f'<div class="tie-statement{error}" id="{s.id}"><fieldset class="tie-fieldset" aria-describedby="{s.id}-help">'
        f'<legend class="tie-fieldset__legend tie-statement__text"><span class="tie-statement__id">{s.id}</span> {escape(s.text)}</legend>'
        f'<p class="tie-hint" id="{s.id}-help">{escape(s.help)}</p>'
        + unclear_link(s.id)
        + _radios(s.id, "current", _choice(answer.get("current")), current)
        + _radios(s.id, "ambition", _choice(answer.get("ambition")), ambition)
        + _comment(s.id, str(answer.get("comment") or ""), comment)
        + "</fieldset></div>"
    )


def _choice(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def scale() -> Markup:
    """What the stages mean, in a disclosure at the top of each theme."""
    rows = "".join(f"<dt>{escape(t.label)}</dt><dd>{escape(t.description)}</dd>" for t in CHOICES)
    return Markup(
        f'<details class="tie-details"><summary>What the stages mean</summary><dl class="tie-scale">{rows}</dl></details>'
    )


def about_fields(edition: Edition, values: Mapping[str, Any], problems: Mapping[str, str]) -> str:
    """Whether the person is an officer or a councillor, and the routes to change the council favours."""
    role = values.get("respondent_role")
    role_says = _problem_for(problems, "respondent_role")
    options = [*v.RESPONDENT_ROLES.terms, v.Term(ROLE_NOT_SAID, "I would rather not say", "")]
    radios = "".join(
        f'<div class="tie-radios__item"><input class="tie-radios__input" type="radio" id="{"respondent_role" if i == 0 else "respondent_role-" + t.id}" '
        f'name="respondent_role" value="{t.id}"{" checked" if role == t.id else ""}>'
        f'<label class="tie-radios__label" for="{"respondent_role" if i == 0 else "respondent_role-" + t.id}">{escape(t.label)}</label></div>'
        for i, t in enumerate(options)
    )
    role_described = "respondent_role-hint" + (" respondent_role-error" if role_says else "")
    chosen = values.get("routes") or []
    routes_says = next((says for where, says in problems.items() if where.startswith("routes")), None)
    boxes = "".join(
        f'<div class="tie-checkboxes__item"><input class="tie-checkboxes__input" type="checkbox" id="{"routes" if i == 0 else "routes-" + t.id}" '
        f'name="routes" value="{t.id}"{" checked" if t.id in chosen else ""} aria-describedby="routes-{t.id}-hint">'
        f'<label class="tie-checkboxes__label" for="{"routes" if i == 0 else "routes-" + t.id}">{escape(t.label)}</label>'
        f'<p class="tie-hint tie-checkboxes__hint" id="routes-{t.id}-hint">{escape(t.description)}</p></div>'
        for i, t in enumerate(v.ROUTES.terms)
    )
    routes_described = "routes-hint" + (" routes-error" if routes_says else "")
    return (
        f'<div class="tie-form-group{" tie-form-group--error" if role_says else ""}">'
        f'<fieldset class="tie-fieldset tie-radios" aria-describedby="{role_described}">'
        '<legend class="tie-fieldset__legend tie-fieldset__legend--m">Are you an officer or a councillor?</legend>'
        '<p class="tie-hint" id="respondent_role-hint">Your council\'s super-user can then set officers\' and councillors\' '
        "views side by side. You do not have to say.</p>"
        f'{_error("respondent_role", role_says)}<div class="tie-radios__items">{radios}</div></fieldset></div>'
        f'<div class="tie-form-group{" tie-form-group--error" if routes_says else ""}">'
        f'<fieldset class="tie-fieldset tie-checkboxes" aria-describedby="{routes_described}">'
        f'<legend class="tie-fieldset__legend tie-fieldset__legend--m">{escape(edition.ambition_question)}</legend>'
        f'<p class="tie-hint" id="routes-hint">{escape(edition.ambition_help)} Select all that apply.</p>'
        f"{_error('routes', routes_says)}{boxes}</fieldset></div>"
    )


def step_fields(
    edition: Edition, current: Step, council_type: str | None, values: Mapping[str, Any], problems: Mapping[str, str]
) -> Markup:
    """The fields of one step (not the review step), with the problems beside them."""
    if current.slug == ABOUT:
        return Markup(about_fields(edition, values, problems))
    answers = values.get("answers") or {}
    parts = [f'<p class="tie-lede">{escape(current.theme.introduction)}</p>', str(scale())]
    parts += [statement_fields(s, council_type, answers.get(s.id) or {}, problems) for s in step_statements(current)]
    return Markup("".join(parts))


def buttons(current: Step) -> Markup:
    """Save and continue (the default, so Enter continues), and save and come back later."""
    if current.slug == REVIEW:
        return Markup(
            '<div class="tie-button-group"><button class="tie-button" type="submit" name="action" value="submit">Submit your answers</button></div>'
        )
    return Markup(
        '<div class="tie-button-group">'
        '<button class="tie-button" type="submit" name="action" value="continue">Save and continue</button>'
        '<button class="tie-button tie-button--secondary" type="submit" name="action" value="later">Save and come back later</button>'
        "</div>"
    )


def review(edition: Edition, council_type: str | None, values: Mapping[str, Any], base: str) -> Markup:
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
    out = [f'<h2 class="tie-review__heading">{escape(steps(edition)[0].title)}</h2>', _summary_list(about_rows)]
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
        out.append(f'<h2 class="tie-review__heading">{escape(theme.label)}</h2>')
        out.append(_summary_list(rows))
    return Markup("".join(out))


def _stage(choice: Any) -> str:
    if choice == v.DONT_KNOW.id:
        return v.DONT_KNOW.label
    return v.STAGES.label(choice) if choice in v.STAGES else "Not answered"


def _summary_list(rows: Sequence[tuple[str, str, str | None]]) -> str:
    items = []
    for key, value, change in rows:
        link = (
            f'<dd class="tie-summary__actions"><a href="{escape(change)}">Change<span class="visually-hidden"> {escape(key)}</span></a></dd>'
            if change
            else '<dd class="tie-summary__actions"></dd>'
        )
        items.append(f'<div class="tie-summary__row"><dt>{escape(key)}</dt><dd>{escape(value)}</dd>{link}</div>')
    return f'<dl class="tie-summary">{"".join(items)}</dl>'


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
