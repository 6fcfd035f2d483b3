"""`tie feedback`: the feedback for a period, summarised per page and per statement; `--csv` exports every piece of it."""

from __future__ import annotations

import sys
from pathlib import Path

from functions.feedback import report


def add_arguments(parser):
    parser.add_argument("--since", help=f"first day, as YYYY-MM-DD (default: {report.DEFAULT_DAYS} days before --until)")
    parser.add_argument("--until", help="last day, as YYYY-MM-DD (default: today)")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write every piece of feedback in the period to FILE as CSV ('-': print the CSV only)")


def run(args, settings) -> int:
    from functions.clock import Clock
    from functions.store import Store, StoreError

    try:
        period = report.period(args.since, args.until, Clock().now())
    except report.PeriodError as err:
        print(f"tie feedback: {err}", file=sys.stderr)
        return 2
    try:
        store = Store(settings.database_url)
        store.migrate()
        with store.transaction(write=False) as tx:
            summary = report.summarise(tx, period)
            exported = report.csv_text(tx, period) if args.csv else None
        store.close()
    except StoreError as err:
        print(f"tie feedback: {err}", file=sys.stderr)
        return 1
    if args.csv and str(args.csv) == "-":
        sys.stdout.write(exported)
        return 0
    sys.stdout.write(report.text(summary))
    if args.csv:
        args.csv.write_text(exported, encoding="utf-8")
        print(f"Wrote {len(exported.splitlines()) - 1} row(s) to {args.csv}.")
    return 0
