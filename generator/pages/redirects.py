"""Redirect pages for moved addresses: static HTML that works on any host, plus maps for the app and for hosts that read one."""

from __future__ import annotations

import json
from pathlib import Path

from generator.pages.mdtext import attr, inline_html, relative
from model.site import REDIRECTS_FILE

HOST_FILE = "_redirects"  # read by static hosts that support it (one "old new 301" a line)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>This page has moved: {title}</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={href}">
<link rel="canonical" href="{canonical}">
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>It is now at <a href="{href}">{title}</a>.</p>
</main>
</body>
</html>
"""


def page(old: str, new: str, title: str, site_url: str) -> str:
    """The redirect page written at `old`: a meta refresh, a link for people, and the canonical address."""
    href = relative(old, new)
    return PAGE.format(href=attr(href), canonical=attr(site_url.rstrip("/") + new), title=inline_html(title))


def write(site: Path, moves: dict[str, str], titles: dict[str, str], site_url: str) -> int:
    """Write a redirect page for each old address, and the maps. Never overwrites a real page."""
    for old, new in moves.items():
        target = site / old.strip("/") / "index.html"
        if target.exists():
            raise FileExistsError(f"redirect from {old}: a page already exists there")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(old, new, titles.get(new, new), site_url), encoding="utf-8")
    (site / REDIRECTS_FILE).parent.mkdir(parents=True, exist_ok=True)
    (site / REDIRECTS_FILE).write_text(json.dumps(moves, indent=1, sort_keys=True), encoding="utf-8")
    (site / HOST_FILE).write_text("".join(f"{old} {new} 301\n" for old, new in moves.items()), encoding="utf-8")
    return len(moves)


def remove(site: Path) -> None:
    """Remove the redirect pages a last build wrote into `site`, which its map names: before a build renders into the
    site it keeps (generator/rerender.py), so that a page now at an old address is rendered there, and `write` is
    left a site with no redirect page in it, as after a full build."""
    last = site / REDIRECTS_FILE
    for old in json.loads(last.read_text(encoding="utf-8")) if last.is_file() else ():
        (site / old.strip("/") / "index.html").unlink(missing_ok=True)
