"""`tie addresses`: record every published address in content/addresses.txt, so that none is ever lost."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.content import ledger as addresses
from generator.content.library import load


def add_arguments(parser):
    parser.add_argument("--content", type=Path, help="content folder (default: content/)")
    parser.add_argument("--check", action="store_true", help="record nothing; exit 1 if a published address is not recorded yet")


def run(args, settings) -> int:
    content = args.content or settings.content_dir
    lib = load(content, settings.questionnaire_dir, settings.councils)
    if lib.problems:
        for problem in lib.problems:
            print(problem)
        print(f"tie addresses: {len(lib.problems)} problem(s) found; fix them first (nothing was recorded).", file=sys.stderr)
        return 1
    ledger = addresses.ledger_path(content)
    if args.check:
        missing = addresses.unrecorded(content, lib.resources)
        for address in missing:
            print(f"{ledger}: {address}: expected it to be recorded (run `tie addresses`), got nothing")
        return 1 if missing else 0
    new = addresses.record(content, lib.resources)
    if new:
        print(f"Recorded {len(new)} new address(es) in {ledger}:")
        for address in new:
            print(f"  {address}")
    else:
        print(f"Every published address is already recorded in {ledger}.")
    return 0
