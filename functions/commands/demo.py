"""`tie demo`: fill a database of its own with synthetic published responses; `tie demo --night` plays one more night."""

from __future__ import annotations

import sys

REFUSED = (
    "tie demo: the database at {url} holds {what}; demo data goes only into a database of its own, "
    "for example TIE_DATABASE_URL=sqlite:///data/demo.sqlite3 tie demo"
)


def add_arguments(parser):
    parser.add_argument(
        "--night", action="store_true", help="play one more night on a demo database: fewer than ten councils join, revise or withdraw"
    )
    parser.add_argument("--seed", type=int, help="the random seed of a new demo (default: the same demo every time)")


def run(args, settings) -> int:
    from functions.clock import Clock
    from functions.demo import data
    from functions.demo import store as demo
    from functions.store import Store, StoreError
    from model import questionnaire, register

    try:
        reg = register.load(settings.councils)
    except register.RegisterError as err:
        print(f"tie demo: {err}", file=sys.stderr)
        return 1
    editions, problems = questionnaire.load_all(settings.questionnaire_dir)
    edition = questionnaire.latest(editions)
    if problems or edition is None:
        print("tie demo: the questionnaire has problems; run tie check", file=sys.stderr)
        return 1
    url = settings.database_url.split("@")[-1]
    try:
        store = Store(settings.database_url)
        try:
            store.migrate()
            now = Clock().now()
            with store.transaction(write=False) as tx:
                mark, real = demo.get(tx), demo.real_rounds(tx)
            if real:
                print(REFUSED.format(url=url, what=f"{real} real round(s) and response(s)"), file=sys.stderr)
                return 1
            if args.night:
                if mark is None:
                    print(f"tie demo --night: the database at {url} holds no demo data; run tie demo first", file=sys.stderr)
                    return 1
                report = data.night(store, reg, edition, now)
                print(
                    f"Night {report.night}: {len(report.joined)} joined ({', '.join(report.joined) or 'none'}), "
                    f"{len(report.revised)} revised ({', '.join(report.revised) or 'none'}), "
                    f"{len(report.withdrawn)} withdrew ({', '.join(report.withdrawn) or 'none'})."
                )
                return 0
            if mark is not None:
                print(f"The database at {url} already holds demo data; nothing changed. tie demo --night plays another night.")
                return 0
            report = data.fill(store, reg, edition, now, seed=args.seed if args.seed is not None else data.DEFAULT_SEED)
        finally:
            store.close()
    except demo.HoldsRealResponses as err:
        print(REFUSED.format(url=url, what=str(err).removeprefix("the database holds ")), file=sys.stderr)
        return 1
    except StoreError as err:
        print(f"tie demo: {err}", file=sys.stderr)
        return 1
    shares = ", ".join(f"{n} {s}" for s, n in sorted(report.by_sharing.items()))
    print(
        f"Demo data: {report.councils} councils, {report.responses} published responses ({shares}), "
        f"{report.republished} republished, in {url}. Every page served from it says it is demo data."
    )
    return 0
