"""Checks that a body's Markdown keeps the structure its author wrote: no list or heading swallowed into a paragraph
or a table cell.

Python-Markdown starts a list or a heading only where a block may start. Written after a table, or indented
under a list item without the blank line it needs, "2. Next step" or "## Next" is read as more of the
paragraph or the table before it, and the page shows one run-on paragraph where the author wrote eight steps.
The text still renders, so nothing else notices. This renders the body as the site does (the block-level
extensions of mkdocs.yml) and looks in every paragraph and table cell for a line that starts as a list item
or a heading would: that line was meant to start a block.
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

import markdown

from model.problems import Problem, show

# The extensions of mkdocs.yml's markdown_extensions that decide where blocks start and end
# (tests/test_structure.py keeps this list inside mkdocs.yml's).
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "tables", "pymdownx.details", "pymdownx.superfences"]
# A line that would start a list item or a heading. Numbers of more than two digits are left out: a wrapped
# line may start with a year ("2019. The council...") and nobody numbers steps past 99.
BLOCK_START = re.compile(r"^[ \t]*(?:\d{1,2}[.)][ \t]+\S|[-*+][ \t]+\S|#{1,6}[ \t]+\S)")
INLINE_MARKS = re.compile(r"[*_`\\]|!?\[|\]\([^)]*\)|\]")
CONTAINERS = {"p": "paragraph", "td": "table", "th": "table"}


class _Blocks(HTMLParser):
    """The text of every paragraph and table cell, as (kind, text), tags dropped and line breaks kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in CONTAINERS:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        if tag in CONTAINERS and self._open and self._open[-1][0] == tag:
            opened, parts = self._open.pop()
            self.found.append((CONTAINERS[opened], "".join(parts)))

    def handle_data(self, data):
        if self._open:
            self._open[-1][1].append(data)


def _plain(text: str) -> str:
    """A line as it reads, Markdown's inline marks dropped, so rendered text finds its source line."""
    return " ".join(INLINE_MARKS.sub("", html.unescape(text)).split())


@functools.cache
def _renderer() -> markdown.Markdown:
    """One Markdown for every body, reset before each: making one, with its extensions, cost as much as a short body's rendering."""
    return markdown.Markdown(extensions=EXTENSIONS)


def check(path: str, body: str, first_line: int) -> list[Problem]:
    """Every line of the body that was written to start a list item or a heading but was read into a paragraph or
    a table cell. `first_line` is the body's line in the file."""
    parser = _Blocks()
    parser.feed(_renderer().reset().convert(body))
    lines = body.split("\n")
    plain = [_plain(line) for line in lines]
    problems: list[Problem] = []
    used: set[int] = set()
    for kind, text in parser.found:
        # a paragraph's first line starts it, as written; a table cell never starts a list or a heading (a line
        # after a table, with no blank line, becomes a row of its own)
        for swallowed in text.split("\n")[(1 if kind == "paragraph" else 0) :]:
            if not BLOCK_START.match(swallowed):
                continue
            wanted = _plain(swallowed)
            index = next((i for i, p in enumerate(plain) if p and i not in used and p == wanted), None)
            if index is None:
                index = next((i for i, p in enumerate(plain) if p and i not in used and wanted.startswith(p[:40])), 0)
            used.add(index)
            what = "a heading" if swallowed.lstrip().startswith("#") else "a list item"
            problems.append(
                Problem(
                    path,
                    first_line + index,
                    "markdown",
                    f"{what} on its own (leave a blank line before it, and indent what belongs to a list item by 4 spaces)",
                    f"a line read into the {kind} before it: {show(swallowed.strip())}",
                )
            )
    return sorted(problems, key=lambda p: p.line)
