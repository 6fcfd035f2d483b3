"""`tie new <kind> "Title"`: write a resource file that passes the checks, to start from."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import yaml

from generator.content.fields import FIELDS
from generator.content.kinds import BY_ID, KINDS

BODIES = {
    "case-study": "## The challenge\n\nWhat was the problem, and for whom?\n\n## What we did\n\nThe steps, in order.\n\n"
    "## What happened\n\nResults, with numbers where you have them.\n\n## What we learned\n\nWhat you would do again, and differently.\n",
    "guidance": "## Who this is for\n\n## Before you start\n\n## Steps\n\n1. First step.\n2. Second step.\n\n## Common pitfalls\n",
    "tool": "## What it is for\n\n## How to use it\n\n## The template\n",
    "training": "## Who it is for\n\n## What people will be able to do\n\n## Outline\n\n1. Session one.\n\n## Preparing to run it\n",
    "data": "## What it measures\n\n## Where it comes from\n\n## How to use it\n\n## Cautions\n",
    "support": "## What you get\n\n## Who can ask for it\n\n## How to ask for it\n",
}


class NewError(Exception):
    """The resource could not be started; the message says why."""


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def front_matter(kind: str, title: str, today: dt.date) -> dict:
    """Starting values for every required field of `kind`, from each field's example."""
    values: dict = {}
    for f in FIELDS:
        if not (f.required(kind) or f.name == "draft"):
            continue
        values[f.name] = f.example
    values["title"] = title
    values["summary"] = "One or two sentences on what this is and who it helps."
    values["published"] = today
    values["review_by"] = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today + dt.timedelta(days=365)
    values["draft"] = True
    return values


def create(content_dir: Path, kind: str, title: str, today: dt.date | None = None) -> Path:
    """Write content/<folder>/<slug>.md for a new resource and return its path."""
    if kind not in BY_ID:
        raise NewError(f"kind: expected one of {', '.join(k.id for k in KINDS)}, got {kind!r}")
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise NewError(f"title: expected words to make a file name from, got {title!r}")
    target = content_dir / BY_ID[kind].folder / f"{slug}.md"
    if target.exists():
        raise NewError(f"{target}: already exists; choose another title")
    values = front_matter(kind, title, today or dt.date.today())
    text = "---\n" + yaml.safe_dump(values, sort_keys=False, allow_unicode=True, width=100) + "---\n\n" + BODIES[kind]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
