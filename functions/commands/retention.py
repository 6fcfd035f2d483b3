"""`tie retention`: remove what has passed its retention period (run nightly); prints what it removed."""

from __future__ import annotations

import sys


def add_arguments(parser):
    parser.add_argument("--schedule", action="store_true", help="print what is kept for how long, and remove nothing")


def run(args, settings) -> int:
    from functions import retention
    from functions.clock import Clock
    from functions.store import Store, StoreError

    if args.schedule:
        for step in retention.STEPS:
            print(f"{step.what}: {step.kept}")
        return 0
    try:
        store = Store(settings.database_url)
        store.migrate()
        try:
            removed = retention.run(store, Clock().now(), settings.outbox_dir)
        finally:
            store.close()
    except StoreError as err:
        print(f"tie retention: {err}", file=sys.stderr)
        return 1
    for what, count in removed.items():
        print(f"{what}: {count} removed")
    return 0
