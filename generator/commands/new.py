"""`tie new <kind> "Title"`: start a resource from a file that already passes `tie check`."""

from __future__ import annotations

import sys

from generator.content.kinds import KINDS
from generator.content.new import NewError, create


def add_arguments(parser):
    parser.add_argument("kind", help="one of " + ", ".join(k.id for k in KINDS))
    parser.add_argument("title", help="the resource's title, in quotes")


def run(args, settings) -> int:
    try:
        path = create(settings.content_dir, args.kind, args.title)
    except NewError as err:
        print(f"tie new: {err}", file=sys.stderr)
        return 2
    print(f"Wrote {path}. It is a draft: fill it in, remove 'draft: true', then run `tie check`.")
    return 0
