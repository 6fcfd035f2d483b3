"""The built site as the app reads it: where the builder leaves what the app needs, and the policy both serve.

The builder (generator/) writes these files into the site; the app (functions/) reads them at
start-up. Both import the names from here, so neither reaches into the other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SHELL_ADDRESS = "/_tie/shell/"  # an empty page of the site, whose shell (header, footer, styles) app pages wear
SEARCH_RESULTS = "/app/search/"  # the app's page of search results, where search forms go without JavaScript
SCRIPT_HASHES_FILE = "_tie/script-hashes.json"  # the hashes of the site's inline scripts, for the policy
LIBRARY_FILE = "library.json"  # every published resource's metadata: the library's filters, the app's next steps
REDIRECTS_FILE = "_tie/redirects.json"  # moved addresses, old to new: the app answers 301
FEED_FILE = "feed.xml"  # the Atom feed of new and updated resources
# Media types that a file's name does not tell (Python's mimetypes and static hosts say application/xml for .xml).
MEDIA_TYPES = {"/" + FEED_FILE: "application/atom+xml; charset=utf-8"}


# How long browsers and caches may keep what the site serves (docs/decisions/0007-fingerprinted-assets.md).
# A file named by its content's hash (Material's main.57a0d79d.min.css, the site's own exchange.3f2a9c1b.css,
# generator/pages/fingerprint.py) is never changed under that name: kept for a year, never asked about again.
# Everything else (pages, the feed, the sitemap, images) may be kept but is revalidated each time (ETag
# and Last-Modified make that a 304 when nothing changed), so a new build is seen at once.
FINGERPRINT_LENGTH = 8  # hex digits of the content's hash in a name, as Material's own
FINGERPRINTED = re.compile(rf"^/assets/(?:[\w.-]+/)*[\w-]+\.[0-9a-f]{{{FINGERPRINT_LENGTH}}}(?:\.min)?\.(?:css|js)$")
IMMUTABLE = "public, max-age=31536000, immutable"  # a year, the longest lifetime HTTP caches are asked to honour
REVALIDATE = "no-cache"  # may be stored, but must be revalidated before each use


def cache_control(path: str) -> str:
    """The Cache-Control for a file of the built site at `path` (the address, from /)."""
    return IMMUTABLE if FINGERPRINTED.match(path) else REVALIDATE


def policy(hashes: set[str] | frozenset[str] = frozenset()) -> str:
    """The Content Security Policy every response carries. No 'unsafe-inline' script: inline scripts are allowed by hash only."""
    script = " ".join(["'self'", *sorted(hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# The optional editor's pages only (generator/editor.py). Decap compiles its configuration schema
# with `new Function` (ajv), so it needs 'unsafe-eval'; it talks to GitHub's API and shows images from
# GitHub; 'wasm-unsafe-eval': Decap loads WebAssembly chunks of its own. The rest of the site keeps
# `policy` (docs/decisions/0005-feedback.md, "The editor").
ADMIN_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https://avatars.githubusercontent.com https://raw.githubusercontent.com",
        "connect-src 'self' https://api.github.com",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _json(site: Path, name: str, empty):
    path = site / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else empty


def script_hashes(site: Path) -> frozenset[str]:
    """The hashes recorded by the last build (none if the site is not built)."""
    return frozenset(_json(site, SCRIPT_HASHES_FILE, []))


def library(site: Path) -> list[dict]:
    """The library's entries from the last build (none if the site is not built)."""
    return _json(site, LIBRARY_FILE, {"resources": []})["resources"]


def redirects(site: Path) -> dict[str, str]:
    """The moves recorded by the last build (none if the site is not built)."""
    return _json(site, REDIRECTS_FILE, {})
