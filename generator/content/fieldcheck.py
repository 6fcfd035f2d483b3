"""Checks a resource's front matter against the field definitions, reporting every problem."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.content.fields import BY_NAME, CONTACT_FIELDS, FIELDS, Field
from model.frontmatter import Document
from model.problems import Problem, one_of, show

EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
ADDRESS = re.compile(r"^/([a-z0-9-]+/)+$")
HTML_TAG = re.compile(r"<[A-Za-z!/]")


@dataclass(frozen=True)
class Context:
    """What the checks need to know beyond the file itself."""

    councils: frozenset[str] | None = None  # None: the register could not be read, so codes are not checked
    statements: frozenset[str] = frozenset()


def check(doc: Document, kind: str, ctx: Context) -> list[Problem]:
    """Every problem with the front matter of `doc`, a resource of `kind`."""
    problems: list[Problem] = []
    for name in doc.data:
        f = BY_NAME.get(name)
        if f is None:
            near = [g.name for g in FIELDS if g.allowed(kind)]
            problems.append(Problem(doc.path, doc.line(name), name, "a known field (" + ", ".join(near) + ")", "an unknown field"))
        elif not f.allowed(kind):
            problems.append(Problem(doc.path, doc.line(name), name, f"only fields a {kind} may have", f"a field for {', '.join(f.kinds)} only"))
    for f in FIELDS:
        if f.name not in doc.data or doc.data[f.name] in (None, "", []):
            if f.required(kind):
                problems.append(Problem(doc.path, 1 if f.name not in doc.lines else doc.line(f.name), f.name, _expect(f), "nothing (it is required)"))
            continue
        if f.allowed(kind):
            problems.extend(_check_value(doc, f, doc.data[f.name], ctx))
    problems.extend(_check_dates(doc))
    return problems


def _expect(f: Field) -> str:
    return {
        "text": "a line of text",
        "longtext": "text",
        "date": "a date as YYYY-MM-DD",
        "terms": f"a list of ids from the {f.vocabulary.name if f.vocabulary else ''} list",
        "term": one_of(f.vocabulary.ids) if f.vocabulary else "a value",
        "council": "a council code from the council register",
        "email": "an email address",
        "url": "an https address",
        "bool": "true or false",
        "contact": "name and email",
        "statements": "a list of self-assessment statement ids",
        "addresses": "a list of site addresses like /guidance/old-name/",
    }[f.type]


def _check_value(doc: Document, f: Field, value, ctx: Context) -> list[Problem]:
    p = doc.path
    line = doc.line(f.name)
    out: list[Problem] = []
    if f.type in ("text", "longtext"):
        if not isinstance(value, str):
            return [Problem(p, line, f.name, "text", show(value))]
        if f.type == "text" and "\n" in value.strip():
            out.append(Problem(p, line, f.name, "a single line of text", "several lines"))
        if f.max_length and len(value) > f.max_length:
            out.append(Problem(p, line, f.name, f"at most {f.max_length} characters", f"{len(value)}"))
        if HTML_TAG.search(value):
            out.append(Problem(p, line, f.name, "plain text without HTML", show(value)))
        return out
    if f.type == "date":
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            return [Problem(p, line, f.name, "a date as YYYY-MM-DD", show(value))]
        return []
    if f.type == "bool":
        return [] if isinstance(value, bool) else [Problem(p, line, f.name, "true or false", show(value))]
    if f.type == "term":
        if value not in f.vocabulary:
            return [Problem(p, line, f.name, one_of(f.vocabulary.ids), show(value))]
        return []
    if f.type == "council":
        if not isinstance(value, str) or (ctx.councils is not None and value not in ctx.councils):
            return [Problem(p, line, f.name, "a current council's code in the council register (e.g. ABE)", show(value))]
        return []
    if f.type == "url":
        if not isinstance(value, str) or not re.match(r"^https://[^\s/]+\.[^\s]+$", value):
            return [Problem(p, line, f.name, "an https:// address", show(value))]
        return []
    if f.type == "contact":
        if not isinstance(value, dict):
            return [Problem(p, line, f.name, "name and email on their own indented lines", show(value))]
        for key in value:
            if key not in CONTACT_FIELDS:
                out.append(Problem(p, doc.line(f"contact.{key}"), f"contact.{key}", "name or email", "an unknown field"))
        name, email = value.get("name"), value.get("email")
        if not isinstance(name, str) or not name.strip():
            out.append(Problem(p, doc.line("contact.name", line), "contact.name", "a name or team", show(name)))
        elif HTML_TAG.search(name):
            out.append(Problem(p, doc.line("contact.name", line), "contact.name", "plain text without HTML", show(name)))
        if not isinstance(email, str) or not EMAIL.match(email):
            out.append(Problem(p, doc.line("contact.email", line), "contact.email", "an email address", show(email)))
        return out
    # the list types
    if not isinstance(value, list):
        return [Problem(p, line, f.name, "a list (one '- item' per line)", show(value))]
    seen = set()
    for index, item in enumerate(value):
        where = doc.line(f"{f.name}[{index}]", line)
        if not isinstance(item, str):
            out.append(Problem(p, where, f.name, "a single value per line", show(item)))
            continue
        if item in seen:
            out.append(Problem(p, where, f.name, "each value once", f"{show(item)} again"))
            continue
        seen.add(item)
        if f.type == "terms" and item not in f.vocabulary:
            out.append(Problem(p, where, f.name, one_of(f.vocabulary.ids), show(item)))
        elif f.type == "statements" and item not in ctx.statements:
            out.append(Problem(p, where, f.name, "a statement id from the questionnaire (e.g. FIN-03)", show(item)))
        elif f.type == "addresses" and not (isinstance(item, str) and ADDRESS.match(item)):
            out.append(Problem(p, where, f.name, "an address like /guidance/old-name/", show(item)))
    return out


def _check_dates(doc: Document) -> list[Problem]:
    published, review_by, updated = (doc.data.get(k) for k in ("published", "review_by", "updated"))
    out = []
    is_date = lambda d: isinstance(d, dt.date) and not isinstance(d, dt.datetime)  # noqa: E731
    if is_date(published) and is_date(review_by) and review_by <= published:
        out.append(Problem(doc.path, doc.line("review_by"), "review_by", f"a date after published ({published})", str(review_by)))
    if is_date(published) and is_date(updated) and updated < published:
        out.append(Problem(doc.path, doc.line("updated"), "updated", f"a date on or after published ({published})", str(updated)))
    return out
