"""`tie build`: write plain Markdown into build/docs, render it with MkDocs (strict), then sanitise, index and secure it."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import (
    addresses,
    csp,
    decap,
    feed,
    library_index,
    listings,
    redirects,
    related,
    resource_page,
    sanitise,
    search,
    site_pages,
)
from .docspaths import docs_path
from .facets import FACETS
from .library import Library

ASSETS = Path(__file__).parent / "assets"


class BuildError(Exception):
    """The build could not finish; the message says which step and why."""


@dataclass
class BuildResult:
    """What a build made, and how long each step took (seconds)."""

    pages: int = 0
    resources: int = 0
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


def write_docs(lib: Library, docs: Path, nonce: str, today: dt.date, contributing: Path, extra_pages: list[tuple[str, str]] = ()) -> list[str]:
    """Write every page's Markdown under `docs`. Returns the addresses of contributed resource pages."""
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    resources = lib.published

    def write(pages) -> None:
        # Each page goes to disk as soon as it is made: holding every page's Markdown at once
        # would make the build's memory grow with the library on top of what MkDocs needs.
        for address, markdown in pages:
            target = docs / docs_path(address)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")

    related_to = related.related(resources)
    write((r.address, resource_page.render(r, related_to[r.address], lib.register, nonce, today)) for r in resources)
    counts = listings.counts_for(resources, lib.register)
    write(
        listings.listing(
            "/library/",
            "Library",
            "<p>Everything in the Exchange. Filter by kind, theme, ambition route, council type or region.</p>",
            resources,
            counts,
            None,
        )
    )
    for facet in FACETS:
        write(listings.facet_pages(facet, resources, lib.register, counts))
    write([("/", site_pages.home(resources, lib.edition)), ("/search/", site_pages.search()), ("/whats-new/", site_pages.whats_new(resources))])
    write(site_pages.self_assessment(lib.edition))
    write([(site_pages.SHELL_ADDRESS, site_pages.SHELL_MARKDOWN)])
    write(site_pages.prose_pages(contributing))
    write(extra_pages)
    shutil.copytree(ASSETS, docs / "assets")
    return [r.address for r in resources]


def copy_content_assets(content_dir: Path, docs: Path) -> None:
    """Images and documents kept beside resources are published beside their pages."""
    for file in content_dir.rglob("*"):
        if file.is_file() and file.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".csv", ".xlsx", ".docx", ".odt", ".ods"}:
            target = docs / file.relative_to(content_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render(config_file: Path, docs: Path, site: Path) -> None:
    """Run MkDocs (strict) on the generated Markdown. Raises BuildError listing every warning."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs), site_dir=str(site), strict=True)
        mkdocs_build(config)
    except (Abort, ConfigurationError) as err:
        detail = "; ".join(handler.messages) or str(err)
        raise BuildError(f"mkdocs (strict): {detail}") from None
    finally:
        logger.removeHandler(handler)


DEFAULT_SITE_URL = "http://127.0.0.1:8000"  # the feed and canonical links need absolute addresses; TIE_SITE_URL sets the real one


def build(lib: Library, root: Path, docs: Path, site: Path, content_dir: Path, today: dt.date | None = None,
          extra_pages: list[tuple[str, str]] = (), site_url: str | None = None, editor: decap.Backend | None = None) -> BuildResult:
    """Build the site from a loaded library. Refuses when the library has problems."""
    if lib.problems:
        raise BuildError(f"{len(lib.problems)} problem(s) in the content; run `tie check` to see them")
    if editor is not None:
        try:
            decap.ready(root, editor)  # say so now, not after the whole build
        except decap.EditorError as err:
            raise BuildError(str(err)) from None
    result = BuildResult(resources=len(lib.published))
    timer = _Timer(result)
    nonce = secrets.token_hex(16)
    today = today or dt.date.today()
    with timer.step("generate"):
        contributed = write_docs(lib, docs, nonce, today, root / "docs" / "contributing.md", extra_pages)
        copy_content_assets(content_dir, docs)
    with timer.step("mkdocs"):
        render(root / "mkdocs.yml", docs, site)
    with timer.step("sanitise"):
        html_pages = [docs_path(a).removesuffix(".md") + "/index.html" for a in contributed]
        sanitise.sanitise_site(site, html_pages, nonce)
    with timer.step("feed"):
        site_url = site_url or DEFAULT_SITE_URL
        feed.write(site, lib.published, site_url, today)
        titles = {r.address: r.title for r in lib.published}
        try:
            redirects.write(site, addresses.moves(content_dir, lib.published), titles, site_url)
        except FileExistsError as err:
            raise BuildError(f"redirects: {err}") from None
    with timer.step("search"):
        # Pagefind indexes on its own threads while the scripts' hashes are taken here: both only
        # read the pages, and what each writes (pagefind/; the hashes, _headers, library.json) the other does not read.
        indexing = search.start(site)
        try:
            with timer.step("secure"):
                hashes: set[str] = set()
                for page in site.rglob("*.html"):
                    hashes |= csp.script_hashes(page.read_text(encoding="utf-8"))
                csp.write(site, hashes)
                library_index.write(site, lib.published, lib.register)
        except BaseException:
            indexing.kill()
            indexing.wait()
            raise
        search.wait(indexing)
    if editor is not None:  # optional, off by default (TIE_EDITOR=1)
        with timer.step("editor"):
            try:
                decap.write(site, root, lib, editor)
            except decap.EditorError as err:
                raise BuildError(str(err)) from None
    result.pages = sum(1 for _ in site.rglob("index.html"))
    return result

