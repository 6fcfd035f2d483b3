"""`tie check`: every problem in the content and questionnaire, one `path:line: field: expected …, got …` line each."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.content.library import load


def add_arguments(parser):
    parser.add_argument("--content", type=Path, help="content folder (default: content/)")
    parser.add_argument("--questionnaire", type=Path, help="questionnaire folder (default: questionnaire/)")


def run(args, settings) -> int:
    lib = load(args.content or settings.content_dir, args.questionnaire or settings.questionnaire_dir, settings.councils)
    for problem in lib.problems:
        print(problem)
    if lib.problems:
        print(f"{len(lib.problems)} problem(s) found.", file=sys.stderr)
        return 1
    editions = ", ".join(sorted(lib.editions)) or "none"
    print(f"All clear: {len(lib.resources)} resources, questionnaire editions: {editions}.")
    return 0
