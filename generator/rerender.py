"""Render again only the pages whose Markdown changed since the last build.

MkDocs takes most of a build's time, and most builds change few pages: the nightly's new benchmark package
changes its own pages and nothing else (docs/decisions/0010-render-what-changed.md). So a build records what
it rendered (`STATE`, beside build/docs, never in the site): the frame every page is rendered in, the nonce
its Markdown carries, its navigation's titles, and the site folder it wrote, marked there with `STAMP`.

The next build writes every page's Markdown as always and compares each file with the last build's. When
the frame, the site folder and its stamp are the same, MkDocs renders only the pages whose Markdown
changed, and the pages the navigation lists (every page shows their titles); the rest of the site stays
as the last build rendered it. Anything else renders everything: a file gone since the last build (a page
could still link to it), another frame, navigation titles that changed, `tie build --full`.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from model.site import FINGERPRINTED

STATE = "last-build.json"  # in the build folder, beside docs/
STAMP = ".tie-build"  # in the site folder: which build wrote it (hidden: MkDocs leaves such files where they are)

ROOT = Path(__file__).resolve().parent.parent
# What renders a page's Markdown into its HTML, apart from the Markdown itself: the configuration, the
# templates, styles and scripts, and the code that runs inside MkDocs or sets its configuration.
CODE = ("generator", "model")
RENDERERS = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Pygments", "Jinja2", "nh3")


def frame(config_file: Path, site_url: str, register_version: str | None, editor: bool) -> str:
    """A digest of everything a page's HTML depends on besides its own Markdown."""
    digest = hashlib.sha256()
    digest.update(json.dumps([site_url, register_version, editor, [(n, _version(n)) for n in RENDERERS]]).encode())
    files = [("mkdocs.yml", config_file)]
    for folder in CODE:
        found = (p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        files += sorted((p.relative_to(ROOT).as_posix(), p) for p in found)
    for label, path in files:
        digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "(none)"


@dataclass(frozen=True)
class Last:
    """What the last build rendered from."""

    frame: str
    nonce: str
    site: str
    stamp: str
    nav: list[list[str]]  # [source, title] of each page the navigation lists


def last(build: Path, site: Path, frame_: str) -> Last | None:
    """The last build, when the site folder still holds what it rendered in the same frame; else None."""
    try:
        data = json.loads((build / STATE).read_text(encoding="utf-8"))
        found = Last(**data)
        stamp = (site / STAMP).read_text(encoding="utf-8")
    except (OSError, ValueError, TypeError):
        return None
    if found.frame != frame_ or found.site != str(site.resolve()) or stamp != found.stamp:
        return None
    return found


def forget(build: Path) -> None:
    """Before a build changes anything: a build that fails leaves no record, and the next renders everything."""
    (build / STATE).unlink(missing_ok=True)


def record(build: Path, site: Path, frame_: str, nonce: str, nav: list[list[str]]) -> None:
    """After a build that finished: what it rendered from, and the stamp in the site that says so."""
    stamp = secrets.token_hex(16)
    (site / STAMP).write_text(stamp, encoding="utf-8")
    data = Last(frame_, nonce, str(site.resolve()), stamp, nav)
    (build / STATE).write_text(json.dumps(asdict(data), indent=1), encoding="utf-8")


@dataclass(frozen=True)
class Changes:
    changed: frozenset[str]  # files (relative to docs, "/"-separated) new or different since the last build
    removed: frozenset[str]  # files the last build had and this one has not


def compare(before: Path, after: Path, nonce_before: str, nonce_after: str) -> Changes:
    """Each file of `after` against the same file in `before`. A resource page's Markdown carries its build's
    nonce (generator/safe/mdsafe.py), which no rendered page shows: it is compared with the nonces put aside."""
    old, new = _files(before), _files(after)
    changed = set()
    for rel in new:
        if rel not in old:
            changed.add(rel)
            continue
        a, b = (after / rel).read_bytes(), (before / rel).read_bytes()
        if rel.endswith(".md") and a != b:
            a, b = a.replace(nonce_after.encode(), b""), b.replace(nonce_before.encode(), b"")
        if a != b:
            changed.add(rel)
    # The styles' and scripts' copies under their fingerprinted names are made as MkDocs starts (build.render),
    # from files of the frame: the same frame makes the same ones.
    return Changes(frozenset(changed), frozenset(rel for rel in old - new if not FINGERPRINTED.match("/" + rel)))


def _files(folder: Path) -> set[str]:
    out = set()
    for parent, _, names in os.walk(folder):
        rel = Path(parent).relative_to(folder).as_posix()
        prefix = "" if rel == "." else rel + "/"
        out.update(prefix + name for name in names)
    return out
