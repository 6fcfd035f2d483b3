"""`tie build`: check everything, then build the site (Markdown into build/docs, HTML into site/)."""

from __future__ import annotations

import sys
from pathlib import Path

from generator import editor as decap
from generator.build import BuildError, build
from generator.content.library import load


def add_arguments(parser):
    parser.add_argument("--content", type=Path, help="content folder (default: content/)")
    parser.add_argument("--site", type=Path, help="output folder (default: site/)")
    parser.add_argument("--site-url", help="the site's public address, for canonical links, the sitemap, robots.txt and the feed (default: TIE_SITE_URL)")
    parser.add_argument(
        "--full", action="store_true",
        help="render every page; by default only the pages that changed since the last build into the site it wrote are rendered again",
    )
    parser.add_argument(
        "--timings", action="store_true", help="print how long each step took (the indexer runs alongside generate and mkdocs)"
    )


def benchmarks_folder(settings, published) -> Path:
    """Where the benchmark package is: a demo database's goes to its own folder (tie nightly --demo), so that
    demo figures never mix with real ones; the demo mark comes with what the store published."""
    return settings.demo_benchmarks_dir if published.demo else settings.benchmarks_dir


def run(args, settings) -> int:
    content = args.content or settings.content_dir
    lib = load(content, settings.questionnaire_dir, settings.councils)
    if lib.problems:
        for problem in lib.problems:
            print(problem)
        print(f"{len(lib.problems)} problem(s) found; nothing was built.", file=sys.stderr)
        return 1
    if args.site_url and not args.site_url.startswith(("https://", "http://")):
        print(f"tie build: --site-url: expected an address like https://exchange.example, got {args.site_url!r}", file=sys.stderr)
        return 2
    site = args.site or settings.site_dir
    from functions.consensus import site as site_data  # the store's side: what councils published for everyone
    from functions.store import StoreError

    try:
        published = site_data.read(settings)
    except StoreError as err:
        print(f"tie build: {err} (the council pages show the responses published there)", file=sys.stderr)
        return 1
    try:
        site_url = args.site_url or settings.site_url
        editor = decap.Backend(settings.editor_repo, settings.editor_branch, settings.editor_auth_url, site_url) if settings.editor else None
        result = build(
            lib, settings.root, settings.build_dir / "docs", site, content, site_url=site_url, editor=editor, published=published,
            benchmarks_dir=benchmarks_folder(settings, published), full=args.full,
        )
    except BuildError as err:
        print(f"tie build: {err}", file=sys.stderr)
        return 1
    shown = f"; {len(published.responses)} councils' public responses" + (" (demo data)" if published.demo else "")
    again = "" if result.rendered is None else f"; {result.rendered} rendered again, the rest as the last build left them"
    print(f"Built {result.pages} pages ({result.resources} resources{shown if published.responses else ''}{again}) into {site}.")
    if args.timings:
        for step, seconds in result.timings.items():
            print(f"  {step:10} {seconds:7.2f} s")
    return 0
