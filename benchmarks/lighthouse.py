"""Lighthouse's performance score for four pages of a running Exchange: home, a resource, the library and search.

Lighthouse (the npm package, not installed by `make setup`; `make bench-lighthouse` installs it into .lighthouse/)
runs in Debian's Chromium with its defaults: a mobile device and simulated throttling (a slow 4G link and
a CPU four times slower). Each page is measured --runs times and the median is printed with the metrics
behind it, since one run on a shared machine can be disturbed.

    .venv/bin/tie serve &                          # or: make run
    .venv/bin/python -m benchmarks.lighthouse http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "resource": "/case-studies/council-tax-online-account/",
    "library": "/library/",
    "search": "/search/?q=budget",
}
GOAL = 95  # Lighthouse's performance score, mobile, simulated throttling
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")


def lighthouse_command(prefix: Path) -> list[str]:
    local = prefix / "node_modules" / ".bin" / "lighthouse"
    return [str(local)] if local.exists() else ["npx", "--no-install", "lighthouse"]


def measure(command: list[str], url: str, chromium: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [*command, url, "--only-categories=performance", "--output=json", f"--output-path={out}", "--quiet",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],  # fmt: skip
            check=True,
            env={**os.environ, "CHROME_PATH": chromium},
            timeout=300,
        )
        report = json.loads(out.read_text(encoding="utf-8"))
    figures = {"score": round(report["categories"]["performance"]["score"] * 100)}
    for metric in METRICS:
        figures[metric] = report["audits"][metric]["numericValue"]
    figures["bytes"] = report["audits"]["total-byte-weight"]["numericValue"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the running Exchange, e.g. http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--prefix", type=Path, default=ROOT / ".lighthouse", help="where lighthouse is installed")
    parser.add_argument("--chromium", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    command = lighthouse_command(args.prefix)
    failed = False
    print(f"{'page':10} {'score':>5} {'runs':>14} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6} {'SI ms':>7} {'KiB':>6}")
    for name, path in PAGES.items():
        runs = [measure(command, args.base.rstrip("/") + path, args.chromium) for _ in range(args.runs)]
        median = sorted(runs, key=lambda r: r["score"])[len(runs) // 2]
        scores = ",".join(str(r["score"]) for r in runs)
        print(
            f"{name:10} {median['score']:5} {scores:>14} {median['first-contentful-paint']:7.0f} "
            f"{median['largest-contentful-paint']:7.0f} {median['total-blocking-time']:7.0f} "
            f"{median['cumulative-layout-shift']:6.3f} {median['speed-index']:7.0f} {median['bytes'] / 1024:6.0f}"
        )
        failed |= statistics.median(r["score"] for r in runs) < GOAL
    print("PASS" if not failed else f"FAIL: a page's median score is below {GOAL}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
