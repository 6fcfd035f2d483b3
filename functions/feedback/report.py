"""What editors read of the feedback for a period: a summary per page and per statement, the suggestions, and a CSV export.

Shared by `tie feedback` and the operators' page (/app/operator/feedback), so both say the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from functions.store import Tx

DEFAULT_DAYS = 30  # with no period given: the last 30 days, about the time between two editors' reviews
# The days a period may start and end on: from the start of the clocks the store's times count from, to
# the day before the calendar's last (a period ends at midnight after its last day, which must exist).
FIRST_DAY = dt.date(1970, 1, 1)
LAST_DAY = dt.date.max - dt.timedelta(days=1)
CSV_COLUMNS = ("received", "kind", "page", "statement", "edition", "verdict", "message", "reply_to")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


class PeriodError(ValueError):
    """A period that cannot be used; the message says which date and why."""


@dataclass(frozen=True)
class Period:
    """Whole days, from `since` to `until` inclusive (UTC)."""

    since: dt.date
    until: dt.date

    @property
    def start(self) -> int:
        return _epoch(self.since)

    @property
    def end(self) -> int:
        return _epoch(self.until + dt.timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.since.isoformat()} to {self.until.isoformat()}"


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _day(name: str, text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"{name}: expected a date as YYYY-MM-DD, got {text.strip()[:30]!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PeriodError(f"{name}: expected a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}, got {day.isoformat()!r}")
    return day


def period(since: str | None, until: str | None, now: int) -> Period:
    """The period asked for; the last DEFAULT_DAYS days up to today when a date is left out."""
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    end = _day("until", until) or today
    start = _day("since", since) or max(FIRST_DAY, end - dt.timedelta(days=DEFAULT_DAYS - 1))
    if start > end:
        raise PeriodError(f"since: expected a date on or before until ({end.isoformat()}), got {start.isoformat()!r}")
    return Period(start, end)


@dataclass
class PageSummary:
    """The feedback about one page of the site."""

    page: str
    useful: int = 0
    not_useful: int = 0
    suggestions: int = 0
    helped: int = 0
    not_helped: int = 0


@dataclass
class StatementSummary:
    """How often a statement was called unclear, and what people said about it."""

    statement: str
    edition: str
    unclear: int = 0
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    received: dt.datetime
    page: str
    message: str
    reply_to: str


@dataclass
class Report:
    period: Period
    pages: list[PageSummary]
    statements: list[StatementSummary]
    suggestions: list[Suggestion]

    @property
    def total(self) -> int:
        return sum(p.useful + p.not_useful + p.suggestions + p.helped + p.not_helped for p in self.pages) + sum(
            s.unclear for s in self.statements
        )


def rows(tx: Tx, p: Period) -> list[dict]:
    """Every piece of feedback received in the period, oldest first."""
    return tx.all(
        "SELECT at, kind, page, statement, edition, verdict, message, reply_to FROM feedback WHERE at >= ? AND at < ? ORDER BY at, id",
        (p.start, p.end),
    )


def _when(at: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(at, dt.UTC)


def summarise(tx: Tx, p: Period) -> Report:
    """The period's feedback, per page (most feedback first) and per statement."""
    pages: dict[str, PageSummary] = {}
    statements: dict[tuple[str, str], StatementSummary] = {}
    suggestions: list[Suggestion] = []
    for row in rows(tx, p):
        if row["kind"] == "unclear":
            s = statements.setdefault((row["statement"], row["edition"]), StatementSummary(row["statement"], row["edition"]))
            s.unclear += 1
            if row["message"]:
                s.comments.append(row["message"])
            continue
        page = pages.setdefault(row["page"], PageSummary(row["page"]))
        if row["kind"] == "useful":
            page.useful += row["verdict"] == "yes"
            page.not_useful += row["verdict"] == "no"
        elif row["kind"] == "suggestion":
            page.suggestions += 1
            suggestions.append(Suggestion(_when(row["at"]), row["page"], row["message"], row["reply_to"]))
        elif row["kind"] == "step":
            page.helped += row["verdict"] == "helped"
            page.not_helped += row["verdict"] == "not-helped"
    ordered = sorted(pages.values(), key=lambda s: (-(s.useful + s.not_useful + s.suggestions + s.helped + s.not_helped), s.page))
    unclear = sorted(statements.values(), key=lambda s: (-s.unclear, s.statement))
    return Report(p, ordered, unclear, suggestions)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(tx: Tx, p: Period) -> str:
    """Every piece of feedback in the period as CSV. Cells that a spreadsheet would run as a formula are quoted with '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows(tx, p):
        received = _when(row["at"]).strftime("%Y-%m-%d %H:%M:%S")
        writer.writerow([received] + [_cell(row[c]) for c in CSV_COLUMNS[1:]])
    return out.getvalue()


def text(report: Report) -> str:
    """The summary for a terminal."""
    out = [f"Feedback from {report.period} ({report.total} in all)", ""]
    if report.pages:
        out.append(f"{'page':50} {'useful':>6} {'not':>4} {'sugg':>4} {'helped':>6} {'not':>4}")
        for s in report.pages:
            out.append(f"{s.page:50} {s.useful:6} {s.not_useful:4} {s.suggestions:4} {s.helped:6} {s.not_helped:4}")
        out.append("")
    if report.statements:
        out.append("Statements called unclear:")
        for s in report.statements:
            out.append(f"  {s.statement} ({s.edition}): {s.unclear}")
            out.extend(f"    - {' '.join(c.split())}" for c in s.comments)
        out.append("")
    if report.suggestions:
        out.append(f"New suggestions ({len(report.suggestions)}):")
        for s in report.suggestions:
            reply = f" (reply to {s.reply_to})" if s.reply_to else ""
            out.append(f"  {s.received:%Y-%m-%d} {s.page}{reply}")
            out.append(f"    {' '.join(s.message.split())}")
        out.append("")
    if not report.total:
        out.append("No feedback in this period.")
    return "\n".join(out).rstrip("\n") + "\n"
