"""`tie nightly`: turn shared consensus responses into the benchmark release and its open-data package."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def add_arguments(parser):
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the database holds synthetic demo data (tie demo) and that is what you want: without this flag a demo "
        "database is refused. The package then says it is synthetic and goes to data/demo-benchmarks/",
    )
    parser.add_argument("--as-of", type=int, metavar="UNIX-TIME", help="count the publications made by this time (default: now)")
    parser.add_argument("--out", type=Path, metavar="FOLDER", help="where to write the package (default: data/benchmarks/, TIE_BENCHMARKS_DIR)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")


def run(args, settings) -> int:
    from functions.benchmarks import nightly, package
    from functions.benchmarks.rules import AUDIENCES, reason
    from functions.clock import Clock
    from functions.store import Store, StoreError
    from model import questionnaire, register

    started = time.monotonic()

    def say(message: str) -> None:
        if not args.quiet:
            print(f"[{time.monotonic() - started:5.1f}s] {message}", flush=True)

    try:
        reg = register.load(settings.councils)
    except register.RegisterError as err:
        print(f"tie nightly: {err}", file=sys.stderr)
        return 1
    editions, problems = questionnaire.load_all(settings.questionnaire_dir)
    if problems or not editions:
        print("tie nightly: the questionnaire has problems; run tie check", file=sys.stderr)
        return 1
    target = args.out or (settings.demo_benchmarks_dir if args.demo else settings.benchmarks_dir)
    try:
        store = Store(settings.database_url, pool_size=1)
        try:
            pending = store.pending()
            if pending:
                try:
                    store.migrate()
                except Exception as err:  # the nightly role may not change the schema: say what to do instead
                    print(f"tie nightly: the database needs migrations {', '.join(pending)}, and they could not be applied "
                          f"({str(err).splitlines()[0]}); run them with the app's role (tie serve applies them)", file=sys.stderr)  # fmt: skip
                    return 1
            outcome = nightly.run(store, reg, editions, target, now=Clock().now(), as_of=args.as_of, allow_demo=args.demo, progress=say)
        finally:
            store.close()
    except nightly.DemoRefused:
        print(
            "tie nightly: the database holds synthetic demo data (tie demo); nothing was published. "
            "If a demo package is what you want, run tie nightly --demo",
            file=sys.stderr,
        )
        return 2
    except package.InvalidPackage as err:
        print(f"tie nightly: {err}\nNothing was replaced and no release was recorded.", file=sys.stderr)
        return 1
    except StoreError as err:
        print(f"tie nightly: {err}", file=sys.stderr)
        return 1
    if outcome.release is None:
        print(f"Nothing new since the last release: nothing written; the package stays at version {outcome.version or '(none yet)'}"
              + (" (rewritten from the store, which was ahead of it)" if outcome.rewritten else "") + ".")  # fmt: skip
    else:
        print(f"Release {outcome.release}: package version {outcome.version} in {target}.")
    for aud_id, audience in AUDIENCES.items():
        blank = ", ".join(f"{n} {reason(code, audience)}" for code, n in sorted(outcome.blank.get(aud_id, {}).items()) if code != "no-contributors")
        cells = ", ".join(f"{n} {reason(code, audience)}" for code, n in sorted(outcome.cells_blank.get(aud_id, {}).items()))
        print(
            f"  {audience.label}: {outcome.councils.get(aud_id, 0)} councils counted; {outcome.shown.get(aud_id, 0)} figures shown, "
            f"{outcome.kept.get(aud_id, 0)} kept from earlier releases, {sum(outcome.blank.get(aud_id, {}).values())} blank"
            + (f" ({blank})" if blank else "")
            + (f"; cells blank in shown figures: {cells}" if cells else "")
            + f"; {outcome.changed.get(aud_id, 0)} changed."
        )
    if outcome.undecided:
        print(f"  {outcome.undecided} checks could not decide exactly; what they were about was blanked to be safe.")
    print(f"Done in {time.monotonic() - started:.1f}s.")
    return 0
