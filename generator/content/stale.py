"""Resources past their review date: who to ask, and how overdue each one is (`tie report stale`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from generator.content.resources import Resource

COLUMNS = ("path", "title", "review_by", "days_overdue", "contact_name", "contact_email", "address")


@dataclass(frozen=True)
class Overdue:
    """A published resource whose review date has passed."""

    resource: Resource
    days: int


def overdue(resources: list[Resource], today: dt.date) -> list[Overdue]:
    """Published resources past their review date, most overdue first. Drafts are not published, so not listed."""
    found = [Overdue(r, (today - r.review_by).days) for r in resources if not r.draft and r.stale(today)]
    return sorted(found, key=lambda o: (-o.days, o.resource.path))


def _date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def text(items: list[Overdue], today: dt.date) -> str:
    """The report for people: one line per resource."""
    if not items:
        return f"Nothing is past its review date ({_date(today)}).\n"
    noun = "resource is" if len(items) == 1 else "resources are"
    lines = [f"{len(items)} {noun} past the review date ({_date(today)}), most overdue first:"]
    for o in items:
        r = o.resource
        days = "1 day" if o.days == 1 else f"{o.days} days"
        lines.append(
            f"  {r.path}: {r.title!r}, review by {_date(r.review_by)}, {days} overdue; ask {r.contact.name} <{r.contact.email}>"
        )
    return "\n".join(lines) + "\n"


def csv_text(items: list[Overdue]) -> str:
    """The report as CSV, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for o in items:
        r = o.resource
        writer.writerow([r.path, r.title, r.review_by.isoformat(), o.days, r.contact.name, r.contact.email, r.address])
    return out.getvalue()
