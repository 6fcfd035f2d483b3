"""The `tie` command: check, build and serve the Exchange, and the operators' and editors' tools."""

from __future__ import annotations

import argparse
import importlib
import sys

# Each command lives in its own module with add_arguments(parser) and run(args, settings) -> int.
COMMANDS = {
    "check": ("generator.commands.check", "check content and questionnaire; print every problem"),
    "build": ("generator.commands.build", "check, then build the site into site/"),
    "serve": ("functions.commands.serve", "serve the site and the app on http://127.0.0.1:PORT"),
    "new": ("generator.commands.new", 'start a resource: tie new <kind> "Title"'),
    "admin": ("functions.commands.admin", "operators: council domains, super-users, operators; tie admin --help"),
    "retention": ("functions.commands.retention", "remove what has passed its retention period (run nightly)"),
    "addresses": ("generator.commands.addresses", "record every published address in content/addresses.txt"),
    "report": ("generator.commands.report", "editors' reports: tie report stale"),
    "feedback": ("functions.commands.feedback", "feedback for a period, per page; --csv exports it"),
    "nightly": ("functions.commands.nightly", "the nightly benchmarks: anonymised figures by comparator group, as open data in data/benchmarks/"),
    "demo": ("functions.commands.demo", "fill a database of its own with synthetic responses; --night plays one more night"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tie", description="The Transformation and Innovation Exchange.")
    sub = parser.add_subparsers(dest="command", metavar="command")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(module=module)
        importlib.import_module(module).add_arguments(p)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    from functions.settings import SettingsError, from_env

    try:
        settings = from_env()
    except SettingsError as err:
        print(f"tie: {err}", file=sys.stderr)
        return 2
    try:
        return importlib.import_module(args.module).run(args, settings)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
