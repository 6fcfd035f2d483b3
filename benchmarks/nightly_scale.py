"""`tie nightly` at 400 councils and 3 editions, beside a plain `tie build` of 1,000 resources in the same run.

Not a test: run it with `make bench-nightly`. It makes, in a temporary folder, a database in which
every current council of the register (about 380) has published a response to each of three
editions (2024, 2025 and 2026: copies of the questionnaire with the same statements), with the
demo's mix of sharing choices and corrections, and a library of 1,000 synthetic resources
(benchmarks/synthetic.py). Then, alternately and twice each, keeping the faster run:

- a plain `tie build --full` with no benchmark package, every page rendered;
- `tie nightly` (snapshot, disclosure control for both audiences, package written and validated,
  release recorded), on a copy of the database as it was before any release, so that each run does
  the full first night's work;
- the `tie build` that the nightly triggers, with the new package baked into the pages: it renders again
  only the pages that changed since the plain build (generator/rerender.py), as the nightly workflow's
  build does with the last night's site kept;
- the next night: ten councils correct their newest response (two of them withdrawing it from the
  benchmarks), then `tie nightly` again, which re-checks only the figures whose contributors changed,
  and the build it triggers.

It prints wall time and peak memory (the largest resident set of any one process, from wait4), and
the ratios against the targets: the nightly under 10 s and 300 MB; nightly plus rebuild at most 1.2
times the plain build, for the first night (every figure decided) and for the next (a few changed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import tempfile
from pathlib import Path

import yaml

from benchmarks import synthetic
from benchmarks.build_scale import BIN, COUNCILS, ROOT, best, measure

NIGHTLY_SECONDS = 10.0
NIGHTLY_BYTES = 300 * 1024 * 1024
REBUILD_RATIO = 1.2
EDITIONS = ("2024", "2025", "2026")


def write_questionnaire(folder: Path) -> None:
    """Three editions with the shipped edition's statements, published a year apart."""
    folder.mkdir(parents=True)
    source = yaml.safe_load((ROOT / "questionnaire" / "2026.yaml").read_text(encoding="utf-8"))
    for edition in EDITIONS:
        data = dict(source, edition=edition, published=dt.date(int(edition), 4, 1))
        (folder / f"{edition}.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def fill(url: str, questionnaire: Path, seed: int = 1) -> int:
    """Every council publishes a response to each edition in the edition's year; returns the responses made."""
    from functions.demo import data
    from functions.store import Store
    from model import questionnaire as q
    from model.register import load

    register = load(COUNCILS)
    editions, problems = q.load_all(questionnaire)
    assert not problems, problems
    rng = random.Random(seed)
    report = data.Report()
    store = Store(url)
    store.migrate()
    with store.transaction() as tx:
        for edition_id in EDITIONS:
            edition = editions[edition_id]
            start = int(dt.datetime(int(edition_id), 5, 1, tzinfo=dt.UTC).timestamp())
            for council in sorted(register.councils.values(), key=lambda c: c.code):
                opened = start + rng.randint(0, 100) * data.DAY
                data._round(tx, council, edition, rng, data._answers(rng, edition, council, 0.0), opened, opened + 30 * data.DAY, report)
    store.close()
    return report.responses


def next_night(url: str, questionnaire: Path, seed: int = 2, revised: int = 8, withdrawn: int = 2) -> int:
    """A following night's arrivals: a few councils correct the newest edition's response, and two withdraw theirs."""
    from functions.assessment import rounds
    from functions.demo import data
    from functions.store import Store
    from model import questionnaire as q
    from model.register import load

    register = load(COUNCILS)
    editions, _ = q.load_all(questionnaire)
    edition = editions[EDITIONS[-1]]
    rng = random.Random(seed)
    report = data.Report()
    store = Store(url)
    at = int(dt.datetime.now(dt.UTC).timestamp()) - 60
    with store.transaction() as tx:
        found = tx.all("SELECT council, id FROM rounds WHERE edition = ? ORDER BY council", (edition.id,))
        chosen = rng.sample([(r["council"], r["id"]) for r in found if r["council"] in register.councils], revised + withdrawn)
        for i, (code, round_id) in enumerate(chosen):
            council = register.councils[code]
            round_ = rounds.get(tx, code, round_id)
            data._revise(tx, council, edition, rng, round_, at, report, sharing="council" if i < withdrawn else None)
    store.close()
    return report.republished


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=1000, help="synthetic resources in the library (default 1,000)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, keeping the fastest (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print where it is")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tie-bench-nightly-"))
    try:
        questionnaire = work / "questionnaire"
        write_questionnaire(questionnaire)
        fresh = work / "fresh.sqlite3"
        print(f"Filling a database: every council, {len(EDITIONS)} editions ...", flush=True)
        responses = fill(f"sqlite:///{fresh}", questionnaire)
        inputs = synthetic.inputs(COUNCILS, questionnaire)
        synthetic.write_library(work / "content", args.resources, inputs)
        db = work / "exchange.sqlite3"
        env = {
            **os.environ,
            "TIE_CONTENT_DIR": str(work / "content"),
            "TIE_BUILD_DIR": str(work / "build"),
            "TIE_SITE_DIR": str(work / "site"),
            "TIE_DATA_DIR": str(work / "data"),
            "TIE_QUESTIONNAIRE_DIR": str(questionnaire),
            "TIE_COUNCILS": COUNCILS,
            "TIE_DATABASE_URL": f"sqlite:///{db}",
        }
        empty, package = work / "no-benchmarks", work / "benchmarks"
        empty.mkdir()
        plain_runs, nightly_runs, rebuild_runs, next_runs, next_rebuild_runs = [], [], [], [], []
        for attempt in range(1, args.repeat + 1):
            shutil.copy(fresh, db)
            for suffix in ("-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            shutil.rmtree(package, ignore_errors=True)
            print(f"plain tie build ({attempt}/{args.repeat}) ...", flush=True)
            plain = [str(BIN / "tie"), "build", "--full"]  # every page rendered, whatever the last run left
            plain_runs.append(measure(plain, {**env, "TIE_BENCHMARKS_DIR": str(empty)}, work / "plain.log"))
            print(f"tie nightly ({attempt}/{args.repeat}) ...", flush=True)
            nightly_runs.append(measure([str(BIN / "tie"), "nightly", "--quiet", "--out", str(package)], env, work / "nightly.log"))
            print(f"tie build with the package ({attempt}/{args.repeat}) ...", flush=True)
            rebuild_runs.append(measure([str(BIN / "tie"), "build"], {**env, "TIE_BENCHMARKS_DIR": str(package)}, work / "rebuild.log"))
            changes = next_night(f"sqlite:///{db}", questionnaire, seed=attempt)
            print(f"tie nightly, the next night: {changes} responses corrected or withdrawn ({attempt}/{args.repeat}) ...", flush=True)
            next_runs.append(measure([str(BIN / "tie"), "nightly", "--quiet", "--out", str(package)], env, work / "next.log"))
            print(f"tie build with the next night's package ({attempt}/{args.repeat}) ...", flush=True)
            next_rebuild_runs.append(measure([str(BIN / "tie"), "build"], {**env, "TIE_BENCHMARKS_DIR": str(package)}, work / "rebuild.log"))
        plain, night, rebuild = best(plain_runs), best(nightly_runs), best(rebuild_runs)
        following, following_rebuild = best(next_runs), best(next_rebuild_runs)
        summary = (work / "nightly.log").read_text(encoding="utf-8").strip().splitlines()
        print()
        print(f"{responses} published responses ({len(EDITIONS)} editions), {args.resources} resources")
        for line in summary:
            print(f"  {line}")
        print()
        mb = 1024 * 1024
        print("| | wall time | peak memory |\n|---|---:|---:|")
        print(f"| plain `tie build` | {plain.seconds:.1f} s | {plain.peak_bytes / mb:.0f} MB |")
        print(f"| `tie nightly` | {night.seconds:.1f} s | {night.peak_bytes / mb:.0f} MB |")
        print(f"| `tie build` with the package | {rebuild.seconds:.1f} s | {rebuild.peak_bytes / mb:.0f} MB |")
        print(f"| `tie nightly`, the next night ({changes} changes) | {following.seconds:.1f} s | {following.peak_bytes / mb:.0f} MB |")
        print(f"| `tie build` with the next night's package | {following_rebuild.seconds:.1f} s | {following_rebuild.peak_bytes / mb:.0f} MB |")
        ratio = (night.seconds + rebuild.seconds) / plain.seconds
        next_ratio = (following.seconds + following_rebuild.seconds) / plain.seconds
        checks = [
            (f"tie nightly wall time: under {NIGHTLY_SECONDS:.0f} s", f"{night.seconds:.1f} s", night.seconds < NIGHTLY_SECONDS),
            (f"tie nightly peak memory: under {NIGHTLY_BYTES // mb} MB", f"{night.peak_bytes / mb:.0f} MB", night.peak_bytes < NIGHTLY_BYTES),
            (f"the next night's tie nightly, wall time: under {NIGHTLY_SECONDS:.0f} s", f"{following.seconds:.1f} s", following.seconds < NIGHTLY_SECONDS),
            (f"the next night's tie nightly, peak memory: under {NIGHTLY_BYTES // mb} MB", f"{following.peak_bytes / mb:.0f} MB",
             following.peak_bytes < NIGHTLY_BYTES),
            (f"(nightly + rebuild) / plain build: at most {REBUILD_RATIO}", f"{ratio:.2f}", ratio <= REBUILD_RATIO),
            (f"the next night: (nightly + rebuild) / plain build, at most {REBUILD_RATIO}", f"{next_ratio:.2f}", next_ratio <= REBUILD_RATIO),
        ]
        print()
        print("| target | figure | |\n|---|---:|---|")
        for label, figure, ok in checks:
            print(f"| {label} | {figure} | {'PASS' if ok else 'FAIL'} |")
        return 0
    finally:
        if args.keep:
            print(f"work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
