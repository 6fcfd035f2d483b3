"""How the site build and a visitor's first search scale with the size of the library.

For each N (default 100, 1,000 and 5,000) this writes N synthetic resources (benchmarks/synthetic.py)
into a temporary content tree, then measures, side by side in one run:

- the full `tie build` (check, generate, MkDocs with the sanitiser, the search index alongside, feed,
  CSP), as a subprocess;
- a bare `mkdocs build` of the exact Markdown that build wrote, with the same theme, the same small
  nav, Markdown's and pymdownx's extensions but not the Exchange's own (generator.safe.mdsafe), and no
  plugins: the baseline the generator's overhead is measured against;
- a `mkdocs build` of the same Markdown with Material's `search` plugin, for the size of the
  search_index.json that Material's search downloads whole on a visitor's first search;
- the bytes a first search downloads from the Exchange's index: the search page is loaded in Chromium
  and one query run, then on a fresh page the same query narrowed by a theme; a local server counts
  every byte it sends.

Each build is a subprocess: wall time is measured around it, CPU time and peak memory come from
wait4 (the peak is the largest resident set of any one of its processes: the generator, MkDocs, or the
library's process, which writes the resource pages and the search index). A sampler reading /proc also reports the generator's own process and the sum of all the
build's processes at one moment.
With --repeat, the two builds alternate and the least disturbed figures are kept: on a shared machine,
other work slows whichever build it overlaps. It prints a table and PASS/FAIL against the targets, and
exits 1 if one fails.

    .venv/bin/python -m benchmarks.build_scale                    # or: make bench-build
    .venv/bin/python -m benchmarks.build_scale --sizes 100 1000   # quicker
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from benchmarks import synthetic

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COUNCILS = os.environ.get("TIE_COUNCILS") or str((ROOT / ".." / "shared" / "data" / "uk-councils" / "datapackage.json").resolve())
QUESTIONNAIRE = ROOT / "questionnaire"
FALLBACK_QUESTIONNAIRE = ROOT / "tests" / "examples" / "questionnaire"

# The targets, from the site's specification.
MAX_OVERHEAD = 1.3  # tie build / bare mkdocs build, time and memory, at 1,000 and 5,000
MAX_GROWTH = 5.5  # tie build at 5,000 / at 1,000: five times the work may cost at most 5.5 times as much
MAX_PAGE_GROWTH = 1.1  # resource page HTML at the largest N / at the smallest
MAX_FIRST_SEARCH = 500 * 1024  # bytes a first search downloads at 5,000
OVERHEAD_FROM = 1000  # below this, fixed start-up costs (Python imports, the register, processes' start) dominate
FILTER = ("theme", "financial-planning", "Financial planning and viability")  # the filtered first search's filter


@dataclass
class Run:
    """One measured subprocess (the best of the repeats)."""

    seconds: float  # wall time
    cpu_seconds: float  # user + system, with its children
    peak_bytes: int  # the largest resident set of any one process in the tree (wait4)
    own_peak_bytes: int  # the resident set of the process started (for tie build: the generator)
    largest: str  # which process had the largest resident set
    together_bytes: int  # the largest sum of the tree's resident sets at one moment (sampled)
    by_process: dict[str, int] = field(default_factory=dict)  # each kind of process (generator, MkDocs, library) -> peak


@dataclass
class Size:
    """Everything measured at one N."""

    n: int
    pages: int = 0
    tie: Run | None = None
    bare: Run | None = None
    material: Run | None = None
    material_index_bytes: int | None = None
    material_index_gzip_bytes: int | None = None
    page_bytes: dict[str, int] = field(default_factory=dict)  # resource page (path under content/) -> HTML bytes
    search_bytes: int | None = None
    search_files: dict[str, int] = field(default_factory=dict)  # kind of file -> bytes
    search_results: str = ""
    filtered_bytes: int | None = None  # the same query narrowed by FILTER
    filtered_files: dict[str, int] = field(default_factory=dict)
    filtered_results: str = ""


class _TreeMemory(threading.Thread):
    """Samples a process tree: each process's peak resident set (VmHWM) and the tree's total at each moment."""

    INTERVAL = 0.1  # seconds; MkDocs and the library's process run for seconds, so nothing large is missed

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[int, tuple[str, int]] = {}  # pid -> (name, peak bytes)
        self.together = 0
        self.done = threading.Event()

    @staticmethod
    def _status(pid: int) -> dict[str, str]:
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as f:
                return dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            return {}

    def _tree(self) -> list[int]:
        parents: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as f:
                        stat = f.read()
                except OSError:
                    continue
                parents.setdefault(int(stat[stat.rindex(b")") + 2 :].split()[1]), []).append(int(entry))
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += parents.get(pid, [])
        return tree

    @staticmethod
    def _label(pid: int, status: dict[str, str]) -> str:
        """What the process is: the build's workers are Python processes told apart by their command line."""
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            cmdline = ""
        for marker, name in (
            ("'warm_renderer'", "MkDocs"),  # generator/workers.py: the renderer is warmed, the library's process not
            ("generator.workers", "library"),
            ("mkdocs build", "MkDocs"),
            ("tie build", "generator"),
        ):
            if marker in cmdline:
                return name
        return status["Name"].strip()

    def sample(self) -> None:
        total = 0
        for pid in self._tree():
            status = self._status(pid)
            if "VmHWM" not in status:
                continue
            total += int(status["VmRSS"].split()[0]) * 1024
            name = self.peaks[pid][0] if pid in self.peaks else self._label(pid, status)
            self.peaks[pid] = (name, int(status["VmHWM"].split()[0]) * 1024)
        self.together = max(self.together, total)

    def run(self):
        while not self.done.wait(self.INTERVAL):
            self.sample()


def measure(cmd: list[str], env: dict[str, str], log: Path) -> Run:
    """Run `cmd`, returning its times and memory; on failure print the end of its output and stop."""
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        sampler = _TreeMemory(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        sys.exit(f"{' '.join(cmd[:3])}: exit {proc.returncode}\n" + "\n".join(tail))
    peak = usage.ru_maxrss * 1024  # Linux reports kilobytes; the largest of the process and its children
    own = sampler.peaks.get(proc.pid, ("", peak))[1]
    name, _ = max(sampler.peaks.values(), key=lambda p: p[1], default=("?", 0))
    by_process: dict[str, int] = {}
    for label, bytes_ in sampler.peaks.values():
        by_process[label] = max(by_process.get(label, 0), bytes_)
    return Run(seconds, usage.ru_utime + usage.ru_stime, peak, own, name, max(sampler.together, peak), by_process)


def best(runs: list[Run]) -> Run:
    """The least disturbed figures of repeated runs: the fastest time and the smallest memory of each kind."""
    return Run(
        min(r.seconds for r in runs),
        min(r.cpu_seconds for r in runs),
        min(r.peak_bytes for r in runs),
        min(r.own_peak_bytes for r in runs),
        min(runs, key=lambda r: r.peak_bytes).largest,
        min(r.together_bytes for r in runs),
        {label: min(r.by_process.get(label, 0) for r in runs) for label in runs[0].by_process},
    )


def mkdocs_config(work: Path, docs: Path, site: Path, plugins: list) -> Path:
    """The project's mkdocs.yml (same theme, overrides, extensions and small nav) pointed at `docs`, with `plugins`,
    and without the Exchange's own Markdown extension: sanitising is part of what `tie build` costs."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"], config["site_dir"] = str(docs), str(site)
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    config["plugins"] = plugins
    config["markdown_extensions"] = [e for e in config["markdown_extensions"] if not str(e).startswith("generator.")]
    config.pop("hooks", None)
    path = work / f"mkdocs-{site.name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


class _CountingWriter:
    """A response stream that reports the size of everything written to it."""

    def __init__(self, raw, record):
        self._raw, self._record = raw, record

    def write(self, data):
        self._record(len(data))
        return self._raw.write(data)

    def __getattr__(self, name):
        return getattr(self._raw, name)


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the built site and records the bytes of every response (headers and body)."""

    sent: list[tuple[str, int]]

    def setup(self):
        super().setup()
        self.wfile = _CountingWriter(self.wfile, lambda n: self.sent.append((self.path, n)))

    def log_message(self, *args):
        pass


def _kind_of(path: str) -> str:
    path = path.split("?")[0]
    for part, kind in (
        ("/search/terms/", "term shards"),
        ("/search/docs/", "document chunks"),
        ("/search/filters.json", "filter lists"),
        ("/search/manifest.json", "manifest"),
        ("/assets/search.js", "search.js"),
    ):
        if part in path:
            return kind
    return "other"


def _quiet(log: list, seconds: float = 0.8, limit: float = 30.0) -> None:
    """Wait until no byte has been sent for `seconds` (the page has stopped fetching)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = len(log)
        time.sleep(seconds)
        if len(log) == before:
            return


def first_search(site: Path, query: str, narrow: tuple[str, str, str] | None = None) -> tuple[int, dict[str, int], str]:
    """Load the search page in a fresh browser context, search once (then narrow by a filter, if given),
    and count what the search downloaded.

    Counted: every byte sent after the page has loaded and gone quiet, and search.js, which the page
    loads with it (the search's own code; no other page needs it). The server sends files as they are
    on disk, without compression, as a plain static host would.
    """
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    sent: list[tuple[str, int]] = []
    handler = type("Handler", (_Counting,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context().new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/", wait_until="load")
            page.get_by_label("Search the library").wait_for(state="visible", timeout=30_000)
            _quiet(sent)
            loaded = len(sent)
            status = page.locator(".tie-search__status")
            page.get_by_label("Search the library").fill(query)
            status.filter(has_text=f" for {query}").wait_for(timeout=30_000)
            if narrow:
                before = status.inner_text()
                page.locator(".tie-search__filters summary").click()
                page.get_by_label(narrow[2]).check()
                page.wait_for_function("([el, was]) => el.textContent !== was", arg=[status.element_handle(), before])
            _quiet(sent)
            message = status.inner_text()
            browser.close()
    finally:
        server.shutdown()
    counted = [(path, n) for i, (path, n) in enumerate(sent) if i >= loaded or _kind_of(path) == "search.js"]
    files: dict[str, int] = {}
    for path, n in counted:
        files[_kind_of(path)] = files.get(_kind_of(path), 0) + n
    return sum(n for _, n in counted), files, message


def measure_size(n: int, work: Path, inputs: synthetic.Inputs, args) -> Size:
    size = Size(n)
    content, build, site = work / "content", work / "build", work / "site"
    written = synthetic.write_library(content, n, inputs)
    env = {
        **os.environ,
        "TIE_CONTENT_DIR": str(content),
        "TIE_BUILD_DIR": str(build),
        "TIE_SITE_DIR": str(site),
        "TIE_DATA_DIR": str(work / "data"),
        "TIE_QUESTIONNAIRE_DIR": str(args.questionnaire),
        "TIE_COUNCILS": COUNCILS,
    }
    bare = mkdocs_config(work, build / "docs", work / "bare", [])
    tie_runs, bare_runs = [], []
    for attempt in range(1, args.repeat + 1):
        # Alternating the two spreads any other load on the machine over both alike.
        print(f"N={n}: tie build ({attempt}/{args.repeat}) ...", flush=True)
        tie_runs.append(measure([str(BIN / "tie"), "build", "--full"], env, work / "tie-build.log"))  # every page, each time
        print(f"N={n}: bare mkdocs build of the same Markdown ({attempt}/{args.repeat}) ...", flush=True)
        bare_runs.append(measure([str(BIN / "mkdocs"), "build", "--strict", "--quiet", "-f", str(bare)], env, work / "bare.log"))
    size.tie, size.bare = best(tie_runs), best(bare_runs)
    size.pages = sum(1 for _ in site.rglob("index.html"))
    docs = build / "docs"
    if n in args.material_at:
        print(f"N={n}: mkdocs build with Material's search plugin ...", flush=True)
        material = mkdocs_config(work, docs, work / "material", ["search"])
        size.material = measure([str(BIN / "mkdocs"), "build", "--quiet", "-f", str(material)], env, work / "material.log")
        index = (work / "material" / "search" / "search_index.json").read_bytes()
        size.material_index_bytes = len(index)
        size.material_index_gzip_bytes = len(zlib.compress(index, 6))
        shutil.rmtree(work / "material")
    for rel in written:
        page = site / rel.removesuffix(".md") / "index.html"
        size.page_bytes[rel] = page.stat().st_size
    if not args.no_browser:
        print(f"N={n}: first search in Chromium ...", flush=True)
        size.search_bytes, size.search_files, size.search_results = first_search(site, args.query)
        size.filtered_bytes, size.filtered_files, size.filtered_results = first_search(site, args.query, FILTER)
    return size


def _mb(b: float | None) -> str:
    return "-" if b is None else f"{b / 1024 / 1024:,.0f} MB"


def _kb(b: float | None) -> str:
    return "-" if b is None else f"{b / 1024:,.0f} KB"


def _s(t: float) -> str:
    return f"{t:,.1f} s"


def rows(sizes: list[Size]) -> list[tuple[str, list[str]]]:
    """The table: one row per figure, one column per N."""

    def row(label: str, figure) -> tuple[str, list[str]]:
        return label, [figure(s) for s in sizes]

    def median(s: Size) -> float:
        return statistics.median(s.page_bytes.values())

    return [
        row("pages built", lambda s: f"{s.pages:,}"),
        row("tie build: wall time", lambda s: _s(s.tie.seconds)),
        row("bare mkdocs build: wall time", lambda s: _s(s.bare.seconds)),
        row("  ratio (target <= 1.3)", lambda s: f"{s.tie.seconds / s.bare.seconds:.2f}"),
        row("tie build: CPU time", lambda s: _s(s.tie.cpu_seconds)),
        row("bare mkdocs build: CPU time", lambda s: _s(s.bare.cpu_seconds)),
        row("tie build: peak memory, largest process", lambda s: f"{_mb(s.tie.peak_bytes)} ({s.tie.largest})"),
        row("  the generator's process", lambda s: _mb(s.tie.own_peak_bytes)),
        row("  the library's process (resource pages, index)", lambda s: _mb(s.tie.by_process.get("library"))),
        row("  all its processes at once", lambda s: _mb(s.tie.together_bytes)),
        row("bare mkdocs build: peak memory", lambda s: _mb(s.bare.peak_bytes)),
        row("  ratio, largest process (target <= 1.3)", lambda s: f"{s.tie.peak_bytes / s.bare.peak_bytes:.2f}"),
        row("  ratio, all processes at once", lambda s: f"{s.tie.together_bytes / s.bare.peak_bytes:.2f}"),
        row("resource page HTML: median", lambda s: _kb(median(s))),
        row("resource page HTML: largest", lambda s: _kb(max(s.page_bytes.values()))),
        row("first search downloads", lambda s: _kb(s.search_bytes)),
        row("  the same, narrowed by a theme", lambda s: _kb(s.filtered_bytes)),
        row("Material's search_index.json", lambda s: _kb(s.material_index_bytes)),
        row("  gzip-compressed", lambda s: _kb(s.material_index_gzip_bytes)),
        row("mkdocs build with Material's search: wall time", lambda s: _s(s.material.seconds) if s.material else "-"),
        row("  peak memory", lambda s: _mb(s.material.peak_bytes) if s.material else "-"),
    ]


def checks(sizes: list[Size]) -> list[tuple[str, str, bool]]:
    """Each target: (what, the figure, whether it is met)."""
    out: list[tuple[str, str, bool]] = []
    for s in sizes:
        if s.n >= OVERHEAD_FROM:
            t, m = s.tie.seconds / s.bare.seconds, s.tie.peak_bytes / s.bare.peak_bytes
            out.append(
                (f"tie build / bare mkdocs build, wall time, N={s.n:,} (at most {MAX_OVERHEAD})", f"{t:.2f}", t <= MAX_OVERHEAD)
            )
            out.append(
                (f"tie build / bare mkdocs build, peak memory, N={s.n:,} (at most {MAX_OVERHEAD})", f"{m:.2f}", m <= MAX_OVERHEAD)
            )
    by_n = {s.n: s for s in sizes}
    if 1000 in by_n and 5000 in by_n:
        g = by_n[5000].tie.seconds / by_n[1000].tie.seconds
        out.append((f"tie build wall time, N=5,000 / N=1,000 (at most {MAX_GROWTH})", f"{g:.2f}", g <= MAX_GROWTH))
    small, large = sizes[0], sizes[-1]
    if large.n > small.n:
        med = statistics.median(large.page_bytes.values()) / statistics.median(small.page_bytes.values())
        out.append(
            (
                f"resource page median, N={large.n:,} / N={small.n:,} (at most {MAX_PAGE_GROWTH})",
                f"{med:.3f}",
                med <= MAX_PAGE_GROWTH,
            )
        )
        # The first resources are the same files at every N, so their pages compare like with like.
        same = max(large.page_bytes[rel] / small.page_bytes[rel] for rel in small.page_bytes)
        out.append(
            (
                f"the same resource's page, N={large.n:,} / N={small.n:,}, largest (at most {MAX_PAGE_GROWTH})",
                f"{same:.3f}",
                same <= MAX_PAGE_GROWTH,
            )
        )
    if large.search_bytes is not None:
        ok = large.search_bytes <= MAX_FIRST_SEARCH
        out.append((f"first search download, N={large.n:,} (at most {MAX_FIRST_SEARCH // 1024} KB)", _kb(large.search_bytes), ok))
        ok = large.filtered_bytes <= MAX_FIRST_SEARCH
        out.append(
            (
                f"first search narrowed by a theme, N={large.n:,} (at most {MAX_FIRST_SEARCH // 1024} KB)",
                _kb(large.filtered_bytes),
                ok,
            )
        )
    return out


def print_report(sizes: list[Size], query: str) -> list[tuple[str, str, bool]]:
    print(
        f"\nSite build and first search: {time.strftime('%Y-%m-%d')}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}\n"
    )
    table = rows(sizes)
    width = max(len(label) for label, _ in table)
    cols = [max(len(f"N={s.n:,}"), *(len(r[1][i]) for r in table)) for i, s in enumerate(sizes)]
    print(" " * width + "".join(f"  {f'N={s.n:,}':>{c}}" for s, c in zip(sizes, cols, strict=True)))
    for label, figures in table:
        print(f"{label:<{width}}" + "".join(f"  {f:>{c}}" for f, c in zip(figures, cols, strict=True)))
    largest = sizes[-1]
    for label, files, results in (
        (f"First search at N={largest.n:,} ({query!r}", largest.search_files, largest.search_results),
        (f"Narrowed by {FILTER[0]} {FILTER[1]!r} ({query!r}", largest.filtered_files, largest.filtered_results),
    ):
        if files:
            parts = ", ".join(f"{kind} {_kb(b)}" for kind, b in sorted(files.items(), key=lambda kv: -kv[1]))
            print(f"\n{label}, {results}): {parts}")
    verdicts = checks(sizes)
    print()
    for what, figure, ok in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {what}: {figure}")
    return verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000], help="library sizes (default: 100 1000 5000)")
    parser.add_argument("--query", default="budget", help="the first search's query (default: budget)")
    parser.add_argument(
        "--material-at", type=int, nargs="*", help="sizes at which to build Material's search index (default: every size)"
    )
    parser.add_argument("--repeat", type=int, default=2, help="run each build this many times and keep the fastest (default: 2)")
    parser.add_argument("--no-browser", action="store_true", help="skip the first-search measurement in Chromium")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    args.sizes = sorted(set(args.sizes))
    args.material_at = set(args.sizes if args.material_at is None else args.material_at)
    has_edition = QUESTIONNAIRE.is_dir() and any(QUESTIONNAIRE.glob("*.yaml"))
    args.questionnaire = QUESTIONNAIRE if has_edition else FALLBACK_QUESTIONNAIRE
    inputs = synthetic.inputs(COUNCILS, args.questionnaire)

    sizes = []
    with contextlib.ExitStack() as stack:
        base = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tie-bench-")))
        for n in args.sizes:
            work = base / f"n{n}"
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            sizes.append(measure_size(n, work, inputs, args))
            if not args.keep:
                shutil.rmtree(work)

    verdicts = print_report(sizes, args.query)
    if args.json:
        figures = [asdict(s) | {"page_bytes_median": statistics.median(s.page_bytes.values()), "page_bytes": None} for s in sizes]
        args.json.write_text(json.dumps({"sizes": figures, "checks": verdicts}, indent=2), encoding="utf-8")
    return 0 if all(ok for _, _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
