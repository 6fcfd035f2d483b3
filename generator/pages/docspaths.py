"""Where each site address lives in the generated Markdown tree, and links between them."""

from __future__ import annotations

import posixpath

from generator.content.kinds import BY_FOLDER


def docs_path(address: str) -> str:
    """The generated Markdown file for a site address.

    Resources keep their content path (guidance/front-door.md), so that contributors' relative
    links between .md files keep working; every generated page is an index.md of its address.
    """
    parts = [p for p in address.strip("/").split("/") if p]
    if len(parts) == 2 and parts[0] in BY_FOLDER:
        return f"{parts[0]}/{parts[1]}.md"
    return "/".join(parts + ["index.md"])


def md_link(from_address: str, to_address: str) -> str:
    """A relative link from one page's Markdown file to another's, which MkDocs checks and rewrites."""
    source = posixpath.dirname(docs_path(from_address))
    return posixpath.relpath(docs_path(to_address), source or ".")
