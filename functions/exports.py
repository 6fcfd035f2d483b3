"""Downloads: the answers and the action plan of a set of results, as CSV (for spreadsheets) and JSON (for systems)."""

from __future__ import annotations

import csv
import io
import json

from generator.vocabulary import ROUTES, THEMES

from .next_steps import Step
from .results import Results

ANSWER_COLUMNS = ("statement_id", "theme", "statement", "current_stage", "current", "ambition_stage", "ambition", "gap", "note")
PLAN_COLUMNS = ("priority", "statement_id", "theme", "statement", "current", "ambition", "gap", "note", "resources", "support")
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


def plan_rows(steps: tuple[Step, ...]) -> list[dict]:
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
            "resources": [{"title": r.title, "url": r.url} for r in step.resources],
            "support": [{"title": r.title, "url": r.url} for r in step.support],
        }
        for step in steps
    ]


def _links(items: list[dict], site_url: str) -> str:
    return "; ".join(f"{i['title']} ({site_url}{i['url']})" for i in items)


def answers_csv(results: Results, notes: bool = True) -> str:
    """`notes` False leaves out the free text (comments, the rationale): for readers outside the council."""
    return _csv(*_without_notes(ANSWER_COLUMNS, answer_rows(results), notes))


def plan_csv(steps: tuple[Step, ...], site_url: str, notes: bool = True) -> str:
    rows = [
        {**r, "resources": _links(r["resources"], site_url), "support": _links(r["support"], site_url)} for r in plan_rows(steps)
    ]
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
    rows = [
        {
            **r,
            "resources": [{**i, "url": site_url + i["url"]} for i in r["resources"]],
            "support": [{**i, "url": site_url + i["url"]} for i in r["support"]],
        }
        for r in plan_rows(steps)
    ]
    return _document(meta, results, action_plan=_without_notes(PLAN_COLUMNS, rows, notes)[1])
