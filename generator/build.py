"""`tie build`: write plain Markdown into build/docs and render it with MkDocs (strict), indexing the library for search
alongside, then secure the site."""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator import editor as decap
from generator import rerender, workers
from generator.content import ledger as addresses
from generator.content.facets import FACETS
from generator.content.library import Library
from generator.content.resources import Resource
from generator.pages import (
    benchmarks,
    councils,
    feed,
    library_index,
    listings,
    redirects,
    related,
    resource_page,
    similar_councils,
    site_pages,
    webfiles,
)
from generator.pages.docspaths import docs_path
from generator.pages.fingerprint import fingerprint
from generator.safe import csp
from generator.search import index as search_index
from model.published import NONE, Published
from model.register import Register
from model.site import SEARCH_RESULTS, SHELL_ADDRESS

ASSETS = Path(__file__).parent / "assets"


class BuildError(Exception):
    """The build could not finish; the message says which step and why."""

    for_the_user = True  # raised in a worker, it is passed on as it is said (generator/workers.py)


@dataclass
class BuildResult:
    """What a build made, and how long each step took (seconds)."""

    pages: int = 0
    resources: int = 0
    rendered: int | None = None  # pages MkDocs rendered, when not all: those that changed since the last build, and the navigation's
    timings: dict[str, float] = field(default_factory=dict)


class _Timer:
    def __init__(self, result: BuildResult):
        self.result = result

    def step(self, name: str):
        return _Step(self.result, name)


class _Step:
    def __init__(self, result: BuildResult, name: str):
        self.result, self.name = result, name

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.result.timings[self.name] = time.perf_counter() - self.start


def clear_later(folder: Path, keep_hidden: bool = False) -> subprocess.Popen | None:
    """Empty `folder` at once by moving what it holds aside, and delete that in another process.

    Deleting the last build's thousands of files takes a second or more at 5,000 resources; moved aside
    (a rename), it happens on the other core while the pages are written and rendered. With `keep_hidden`,
    entries starting "." stay, as MkDocs leaves them in the site folder. Returns the deleting process.
    """
    entries = [e for e in folder.iterdir() if not (keep_hidden and e.name.startswith("."))] if folder.is_dir() else []
    if not entries:
        return None
    trash = Path(tempfile.mkdtemp(prefix=".tie-old-", dir=folder.parent))
    for entry in entries:
        entry.rename(trash / entry.name)
    return _remove_later(trash)


def _set_aside(folder: Path) -> Path | None:
    """Move `folder` beside itself under a new name (a rename), leaving its place empty; None when it is not there."""
    if not folder.is_dir():
        return None
    aside = Path(tempfile.mkdtemp(prefix=".tie-last-", dir=folder.parent))
    aside.rmdir()
    folder.rename(aside)
    return aside


def _remove_later(folder: Path) -> subprocess.Popen:
    """Delete `folder` in another process (see clear_later)."""
    code = "import os, shutil, sys; os.nice(10) if hasattr(os, 'nice') else None; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    return subprocess.Popen([sys.executable, "-c", code, str(folder)])


class _Writer:
    """Writes generated pages under `docs` as they are made, and counts them."""

    def __init__(self, docs: Path):
        self.docs = docs
        self.folders: set[Path] = {docs}
        self.written = 0

    def __call__(self, pages) -> None:
        # Each page goes to disk as soon as it is made: holding every page's Markdown at once
        # would make the build's memory grow with the library on top of what MkDocs needs.
        for address, markdown in pages:
            target = self.docs / docs_path(address)
            if target.parent not in self.folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                self.folders.add(target.parent)
            target.write_text(markdown, encoding="utf-8")
            self.written += 1


def write_resource_pages(resources: list[Resource], register: Register | None, docs: Path, nonce: str, today: dt.date) -> int:
    """Write each resource's page, with its related resources. Returns how many."""
    docs.mkdir(parents=True, exist_ok=True)
    write = _Writer(docs)
    related_to = related.related(resources)
    write((r.address, resource_page.render(r, related_to[r.address], register, nonce, today)) for r in resources)
    return write.written


def write_other_pages(
    lib: Library,
    docs: Path,
    contributing: Path,
    extra_pages: list[tuple[str, str]] = (),
    published: Published = NONE,
    package: benchmarks.Package | None = None,
) -> int:
    """Write every page but the resources' (listings, home, search, self-assessment, prose, councils, benchmarks) and
    the assets. Returns how many pages."""
    docs.mkdir(parents=True, exist_ok=True)
    write = _Writer(docs)
    resources = lib.published
    counts = listings.counts_for(resources, lib.register)
    write(
        listings.listing(
            "/library/",
            "Library",
            "<p>Everything in the Exchange. Filter by kind, theme, ambition route, council type or region.</p>",
            resources,
            counts,
            None,
            "Every case study, guidance note, tool, training course, data set and support offer in the Exchange, "
            "to filter by kind, theme, ambition route, council type or region.",
        )
    )
    for facet in FACETS:
        write(listings.facet_pages(facet, resources, lib.register, counts))
    write(
        [
            ("/", site_pages.home(resources, lib.edition)),
            ("/search/", site_pages.search()),
            ("/whats-new/", site_pages.whats_new(resources)),
        ]
    )
    write(site_pages.self_assessment(lib.edition, benchmarks.theme_tables(package, lib.edition)))
    write(benchmarks.pages(package, lib.editions))
    benchmarks.copy_package(docs, package)
    write([(SHELL_ADDRESS, site_pages.SHELL_MARKDOWN)])
    write(site_pages.prose_pages(contributing))
    if lib.register:  # the build refuses a library whose register could not be read; this is for its tests
        write(councils.list_pages(lib.register, published))
        write(councils.council_pages(lib.register, resources, lib.editions, published))
        write([similar_councils.method_page(lib.register)])
        councils.write_index(docs, lib.register)
        similar_councils.write_package(docs, lib.register)
    write(extra_pages)
    shutil.copytree(ASSETS, docs / "assets")
    return write.written


def copy_content_assets(content_dir: Path, docs: Path) -> None:
    """Images and documents kept beside resources are published beside their pages."""
    for file in content_dir.rglob("*"):  # the name first: a stat of each of thousands of resources costs a second
        if (
            file.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".csv", ".xlsx", ".docx", ".odt", ".ods"}
            and file.is_file()
        ):
            target = docs / file.relative_to(content_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def fingerprint_assets(config, docs: Path) -> None:
    """Link the site's own styles and scripts by their fingerprinted names (generator/pages/fingerprint.py):
    those mkdocs.yml lists for every page, and the search page's script (main.html reads extra.tie_search_js)."""
    config.extra_css = [fingerprint(docs, str(path)) for path in config.extra_css]
    for number, script in enumerate(config.extra_javascript):
        if isinstance(script, str):
            config.extra_javascript[number] = fingerprint(docs, script)
        else:  # a script given with attributes (path:, defer:...)
            script.path = fingerprint(docs, script.path)
    config.extra["tie_search_js"] = fingerprint(docs, "assets/search.js")


def render(
    config_file: Path, docs: Path, site: Path, site_url: str = "", register_version: str | None = None,
    changed: frozenset[str] | None = None,
) -> list[list[str]]:
    """Run MkDocs (strict) on the generated Markdown, in this process. Raises BuildError listing every warning.

    `site_url`, the site's public address, gives every page its canonical link and the sitemap its
    absolute addresses. `register_version` is added to the footer's attribution of the council register,
    so that every page names the register it was built from. With `changed` (files relative to docs), only
    those pages and the navigation's are rendered into the site the last build wrote (generator/rerender.py).
    Returns the navigation's [source, title] pairs."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from generator.render_only import QuietDirty, RenderOnly

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    quiet = QuietDirty()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        config = load_config(
            config_file=str(config_file), docs_dir=str(docs), site_dir=str(site), strict=True, site_url=site_url.rstrip("/") + "/"
        )
        fingerprint_assets(config, docs)
        config.extra["tie_search_results"] = SEARCH_RESULTS.lstrip("/")  # the header's search box goes there without JavaScript
        if register_version and config.get("copyright"):
            config["copyright"] = f"{config['copyright']} Register version: {html.escape(register_version)}."
        only = RenderOnly(changed)
        config.plugins["tie-render-only"] = only
        mkdocs_build(config, dirty=changed is not None)
        return only.nav
    except (Abort, ConfigurationError) as err:
        detail = "; ".join(handler.messages) or str(err)
        raise BuildError(f"mkdocs (strict): {detail}") from None
    finally:
        logger.removeHandler(handler)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


# -- what the build's other processes run (generator/workers.py) -----------------------------------


def warm_renderer() -> None:
    """What MkDocs will import, imported while the generator writes the pages."""
    import markdown  # noqa: F401
    import material  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config  # noqa: F401
    import pymdownx.highlight  # noqa: F401
    import pymdownx.superfences  # noqa: F401


def render_and_count(
    config_file: str, docs: str, site: str, nonce: str, site_url: str, register_version: str | None = None,
    changed: frozenset[str] | None = None, nav: list[list[str]] | None = None,
) -> tuple[int, list[list[str]], bool]:
    """Render with MkDocs (in the renderer's own process): the number of pages whose contributed part
    carrying this build's nonce was cleaned (generator/safe/mdsafe.py), the navigation's titles, and whether
    every page was rendered. Rendering only the `changed` pages, when the navigation's titles are not the
    last build's `nav` (every page shows them), it renders every page after all."""
    from generator.safe import mdsafe

    mdsafe.CLEANED[nonce] = 0
    titles = render(Path(config_file), Path(docs), Path(site), site_url, register_version, changed)
    if changed is not None and titles != nav:
        mdsafe.CLEANED[nonce] = 0
        titles, changed = render(Path(config_file), Path(docs), Path(site), site_url, register_version), None
    return mdsafe.CLEANED[nonce], titles, changed is None


_documents: list[search_index.Document] = []  # in the library's process: what the index is written from, kept between calls


def pages_of_resources(resources: list[Resource], register: Register | None, docs: str, nonce: str, today: dt.date) -> int:
    """In the library's process: write the resource pages, and keep what the index needs."""
    written = write_resource_pages(resources, register, Path(docs), nonce, today)
    _documents[:] = search_index.documents(resources, register)
    return written


def index_of_resources(out: str) -> dict:
    """In the library's process, after `pages_of_resources`: write the search index into `out`. It gives way
    to the generator and MkDocs, which the build waits for; it has all of MkDocs' time to finish in."""
    if hasattr(os, "nice"):
        os.nice(INDEXER_NICENESS)
    return search_index.write(_documents, Path(out))


def _template_pages(site: Path, resource_address: str | None) -> list[Path]:
    """One built page of each template: its inline scripts are every page's of that template (Material's
    depend on the template and mkdocs.yml, not on a page's content; extra.scope makes them the same at any depth)."""
    rels = ["index.html", "library/index.html", "themes/governance/index.html", "search/index.html", "self-assessment/index.html",
            "about/index.html", "whats-new/index.html", "404.html", SHELL_ADDRESS.strip("/") + "/index.html",
            "councils/index.html", "similar-councils/index.html", "benchmarks/index.html"]  # fmt: skip
    if resource_address:
        rels.append(docs_path(resource_address).removesuffix(".md") + "/index.html")
    return [site / rel for rel in rels if (site / rel).is_file()]


INDEXER_NICENESS = 10  # added to the indexer's niceness, so that on a busy machine the other two get the cores first

# The feed, the sitemap, robots.txt and canonical links need absolute addresses; TIE_SITE_URL sets the real one.
# Without it, the address `make run` serves on (functions/settings.py gives the same, with PORT).
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def build(
    lib: Library,
    root: Path,
    docs: Path,
    site: Path,
    content_dir: Path,
    today: dt.date | None = None,
    extra_pages: list[tuple[str, str]] = (),
    site_url: str | None = None,
    editor: decap.Backend | None = None,
    published: Published = NONE,
    benchmarks_dir: Path | None = None,
    full: bool = False,
) -> BuildResult:
    """Build the site from a loaded library. Refuses when the library has problems.

    `published` is what the store holds that the council pages show (responses published for everyone);
    the command reads it when a database is configured (functions/consensus/site.py). `benchmarks_dir` is
    the folder of the benchmark package `tie nightly` wrote; without one there (a fresh clone), the pages
    say that no benchmarks are published yet. MkDocs renders only the pages that changed since the last
    build into the site it wrote, when that is sound (generator/rerender.py); with `full`, every page."""
    if lib.problems:
        raise BuildError(f"{len(lib.problems)} problem(s) in the content; run `tie check` to see them")
    try:
        package = benchmarks.load(benchmarks_dir)
    except benchmarks.PackageError as err:
        raise BuildError(f"benchmarks: {err}") from None
    if editor is not None:
        try:
            decap.ready(root, editor)  # say so now, not after the whole build
        except decap.EditorError as err:
            raise BuildError(str(err)) from None
    site_url = site_url or DEFAULT_SITE_URL
    result = BuildResult(resources=len(lib.published))
    timer = _Timer(result)
    nonce = secrets.token_hex(16)
    today = today or dt.date.today()
    site.parent.mkdir(parents=True, exist_ok=True)
    docs.parent.mkdir(parents=True, exist_ok=True)
    version = lib.register.version.label if lib.register and lib.register.version else None
    config_file = root / "mkdocs.yml"
    frame = rerender.frame(config_file, site_url, version, editor is not None)
    last = None if full else rerender.last(docs.parent, site, frame)
    rerender.forget(docs.parent)
    # MkDocs empties the site folder when it starts, so the index is written beside it and moved in after.
    staging = Path(tempfile.mkdtemp(prefix=".tie-search-", dir=site.parent))
    # Three processes on the machine's two cores: the library's process writes the resource pages while
    # this one writes the rest, then MkDocs renders them in its own (holding only the pages) while the
    # library's process writes the search index.
    library = workers.Worker("generator.build", label="library")
    renderer = workers.Worker("generator.build", warm="warm_renderer", label="MkDocs")
    before = _set_aside(docs) if last else None  # the last build's Markdown, to compare this one's with
    last = last if before else None
    removing = [p for p in (clear_later(docs), None if last else clear_later(site, keep_hidden=True)) if p is not None]
    try:
        library.call("pages_of_resources", lib.published, lib.register, str(docs), nonce, today)
        library.call("index_of_resources", str(staging))
        with timer.step("generate"):
            pages = write_other_pages(lib, docs, root / "docs" / "contributing.md", extra_pages, published, package)
            copy_content_assets(content_dir, docs)
            webfiles.write(docs, site_url)
            pages += library.result()
        changed = None
        if last:
            with timer.step("compare"):
                changes = rerender.compare(before, docs, last.nonce, nonce)
                removing.append(_remove_later(before))
                if changes.removed:  # a page or file gone: the last build's site may still link to it
                    removing.append(clear_later(site, keep_hidden=True))
                else:
                    changed = changes.changed
                    redirects.remove(site)
        with timer.step("mkdocs"):
            renderer.call("render_and_count", str(config_file), str(docs), str(site), nonce, site_url, version, changed, last.nav if last else None)  # fmt: skip
            cleaned, nav, everything = renderer.result()
        result.timings["mkdocs cpu"] = renderer.cpu_seconds
        renderer.close()
        resource_pages = {docs_path(r.address) for r in lib.published}
        result.rendered = None if everything else len({src for src in changed if src.endswith(".md")} | {src for src, _ in nav})
        expected = len(resource_pages) if everything else len(resource_pages & changed)
        if cleaned != expected:
            raise BuildError(
                f"sanitise: {expected} resource pages rendered, but {cleaned} had their contributed part cleaned; "
                "mkdocs.yml must list generator.safe.mdsafe in markdown_extensions"
            )
        with timer.step("index"):  # waiting for the index, written alongside MkDocs: see "indexer"
            library.result()
            result.timings["indexer"] = library.seconds
            result.timings["indexer cpu"] = library.cpu_seconds
            library.close()
            search_index.install(staging, site)
    except workers.TaskFailed as err:
        library.stop()
        renderer.stop()
        raise BuildError(str(err)) from None
    except BaseException:
        library.stop()
        renderer.stop()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for process in removing:
            if process is not None:
                process.wait()
        if before is not None:  # gone already when the comparison was made: removed alongside MkDocs
            shutil.rmtree(before, ignore_errors=True)
    with timer.step("feed"):
        feed.write(site, lib.published, site_url, today)
        titles = {r.address: r.title for r in lib.published}
        try:
            pages += redirects.write(site, addresses.moves(content_dir, lib.published), titles, site_url)
        except FileExistsError as err:
            raise BuildError(f"redirects: {err}") from None
    with timer.step("secure"):
        csp.write(site, csp.page_hashes(_template_pages(site, lib.published[0].address if lib.published else None)))
        webfiles.add_headers(site)
        library_index.write(site, lib.published, lib.register)
    if editor is not None:  # optional, off by default (TIE_EDITOR=1)
        with timer.step("editor"):
            try:
                decap.write(site, root, lib, editor)
                pages += 1  # admin/
            except decap.EditorError as err:
                raise BuildError(str(err)) from None
    rerender.record(docs.parent, site, frame, nonce, nav)
    result.pages = pages  # counted as written: walking the site's thousands of folders would cost a second
    return result
