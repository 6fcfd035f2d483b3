"""`tie report stale`: resources past their review date, with their contact and how overdue each is."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from generator.content import stale
from generator.content.library import load


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def add_arguments(parser):
    sub = parser.add_subparsers(dest="report", metavar="report", required=True)
    p = sub.add_parser("stale", help="resources past their review date", description="Resources past their review date, most overdue first.")
    p.add_argument("--content", type=Path, help="content folder (default: content/)")
    p.add_argument("--today", type=_date, help="the day to report on, as YYYY-MM-DD (default: today)")
    p.add_argument("--csv", action="store_true", help="print CSV instead of text")
    p.add_argument("--fail", action="store_true", help="exit 1 when anything is overdue (for a scheduled check)")


def run(args, settings) -> int:
    today = args.today or dt.date.today()
    lib = load(args.content or settings.content_dir, settings.questionnaire_dir, settings.councils)
    items = stale.overdue(lib.resources, today)
    sys.stdout.write(stale.csv_text(items) if args.csv else stale.text(items, today))
    if lib.problems:
        print(f"tie report: {len(lib.problems)} problem(s) in the content left some resources out; run `tie check`.", file=sys.stderr)
    return 1 if (args.fail and items) else 0
