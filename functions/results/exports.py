"""Downloads: the answers and the action plan of a set of results, as CSV (for spreadsheets) and JSON (for systems).

The action plan carries what the results page shows of it, to the same reader: each area for
improvement in priority order with its resources and support offers (title, address, summary and why
each was chosen), and the statements to find out about first. Only the free text is left out for
readers outside the council (`notes`), as on the page.
"""

from __future__ import annotations

import csv
import io
import json

from functions.results.compute import Results
from functions.results.next_steps import Step, Suggestion
from model.vocabulary import ROUTES, THEMES

ANSWER_COLUMNS = ("statement_id", "theme", "statement", "current_stage", "current", "ambition_stage", "ambition", "gap", "note")
PLAN_COLUMNS = (
    "section",
    "priority",
    "statement_id",
    "theme",
    "statement",
    "current",
    "ambition",
    "gap",
    "note",
    "resources",
    "support",
)
# The CSV's sections, named as the results page heads them; the JSON keeps them as two lists.
IMPROVE = "area for improvement"
FIND_OUT = "to find out"
# A spreadsheet runs a cell that starts with one of these as a formula; such cells get a leading
# apostrophe so that a comment like "=HYPERLINK(...)" stays text (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _without_notes(columns: tuple[str, ...], rows: list[dict], notes: bool) -> tuple[tuple[str, ...], list[dict]]:
    """Drop the `note` column (a comment or the rationale: free text) for readers outside the council.

    The column goes, not just its values: an empty "note" would read as "the council wrote nothing".
    """
    if notes:
        return columns, rows
    return tuple(c for c in columns if c != "note"), [{k: v for k, v in r.items() if k != "note"} for r in rows]


def _csv(columns: tuple[str, ...], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def answer_rows(results: Results) -> list[dict]:
    """One row per statement that applies, in questionnaire order."""
    return [
        {
            "statement_id": s.statement.id,
            "theme": THEMES.label(s.statement.theme),
            "statement": s.statement.text,
            "current_stage": s.current,
            "current": s.current_label,
            "ambition_stage": s.ambition,
            "ambition": s.ambition_label,
            "gap": s.gap,
            "note": s.note,
        }
        for s in results.statements
    ]


def _suggestions(items: tuple[Suggestion, ...], site_url: str) -> list[dict]:
    """Each suggestion as the page shows it: title, full address, summary, and why it was chosen."""
    return [{"title": s.title, "url": site_url + s.url, "summary": s.summary, "reasons": list(s.reasons)} for s in items]


def plan_rows(steps: tuple[Step, ...], site_url: str = "") -> list[dict]:
    """One row per area for improvement, in priority order, with its next steps."""
    return [
        {
            "priority": step.rank,
            "statement_id": step.area.statement.id,
            "theme": THEMES.label(step.area.statement.theme),
            "statement": step.area.statement.text,
            "current": step.area.current_label,
            "ambition": step.area.ambition_label,
            "gap": step.area.gap,
            "note": step.area.note,
            "resources": _suggestions(step.resources, site_url),
            "support": _suggestions(step.support, site_url),
        }
        for step in steps
    ]


def find_out_rows(results: Results) -> list[dict]:
    """The statements answered "don't know" or not at all, in questionnaire order: finding out comes first."""
    return [
        {
            "statement_id": s.statement.id,
            "theme": THEMES.label(s.statement.theme),
            "statement": s.statement.text,
            "current": s.current_label,
            "ambition": s.ambition_label,
            "note": s.note,
        }
        for s in results.unknown
    ]


def _suggestions_cell(items: list[dict]) -> str:
    """One line per suggestion, as on the page: "Title (address): summary (why: reason; reason)"."""
    lines = []
    for i in items:
        line = f"{i['title']} ({i['url']})"
        if i["summary"]:
            line += f": {i['summary']}"
        if i["reasons"]:
            line += f" (why: {'; '.join(i['reasons'])})"
        lines.append(line)
    return "\n".join(lines)


def answers_csv(results: Results, notes: bool = True) -> str:
    """`notes` False leaves out the free text (comments, the rationale): for readers outside the council."""
    return _csv(*_without_notes(ANSWER_COLUMNS, answer_rows(results), notes))


def plan_csv(results: Results, steps: tuple[Step, ...], site_url: str, notes: bool = True) -> str:
    """The areas for improvement in priority order, then the statements to find out about (`section` says which)."""
    rows = [
        {**r, "section": IMPROVE, "resources": _suggestions_cell(r["resources"]), "support": _suggestions_cell(r["support"])}
        for r in plan_rows(steps, site_url)
    ]
    rows += [{**r, "section": FIND_OUT} for r in find_out_rows(results)]
    return _csv(*_without_notes(PLAN_COLUMNS, rows, notes))


def _document(meta: dict, results: Results, **parts) -> str:
    body = {
        **meta,
        "edition": results.edition.id,
        "routes": [{"id": r, "label": ROUTES.label(r)} for r in results.routes],
        **parts,
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def answers_json(meta: dict, results: Results, notes: bool = True) -> str:
    """`meta` says whose answers these are (council, round, official or own) and when they were exported."""
    return _document(meta, results, answers=_without_notes(ANSWER_COLUMNS, answer_rows(results), notes)[1])


def plan_json(meta: dict, results: Results, steps: tuple[Step, ...], site_url: str, notes: bool = True) -> str:
    return _document(
        meta,
        results,
        action_plan=_without_notes(PLAN_COLUMNS, plan_rows(steps, site_url), notes)[1],
        to_find_out=_without_notes(PLAN_COLUMNS, find_out_rows(results), notes)[1],
    )
