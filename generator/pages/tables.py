"""A Markdown extension (listed in mkdocs.yml) that puts every table in a scroll region a keyboard can reach.

A table wider than the screen scrolls sideways inside its box; a box that scrolls must take focus, or
someone using a keyboard cannot scroll it (axe-core's scrollable-region-focusable, WCAG 2.1.1). So each
table is wrapped, in the built HTML and so without JavaScript, in a region that takes focus and is named
after the table's caption, or else the nearest heading before it:

    <div class="tie-table-wrap" role="region" tabindex="0" aria-label="Recommendations tracker"><table>...

It runs after mdsafe's cleaning of contributed content (which would remove the wrapper's attributes), over
the page's whole HTML, generator-written tables included. exchange.css makes the wrapper, not the table
or Material's own wrapper, the box that scrolls, and shows its focus.
"""

from __future__ import annotations

import html
import re

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

AFTER_CLEANING = -10  # mdsafe's cleaning runs at 0, Markdown's last step; this follows it
TOKEN = re.compile(r"<h([1-6])\b[^>]*>(?P<heading>.*?)</h\1>|(?P<open><table\b[^>]*>)|(?P<close></table>)", re.S | re.I)
CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S | re.I)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)  # toc's ¶, which is no part of the name
TAG = re.compile(r"<[^>]*>")
WRAPPER = '<div class="tie-table-wrap" role="region" tabindex="0" aria-label="{name}">'


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", HEADERLINK.sub("", fragment))).split())


def wrap_tables(page: str) -> str:
    """The page with each outermost table in a focusable, named scroll region. Names are kept unique on the
    page ("Costs", "Costs, table 2"), as landmarks' names must be."""
    out, last, depth, heading, start = [], 0, 0, "", 0
    used: dict[str, int] = {}
    for token in TOKEN.finditer(page):
        if token.group("heading") is not None and depth == 0:
            heading = _text(token.group("heading"))
        elif token.group("open"):
            if depth == 0:
                out.append(page[last : token.start()])
                start = last = token.start()
            depth += 1
        elif token.group("close") and depth:
            depth -= 1
            if depth == 0:
                table = page[start : token.end()]
                caption = CAPTION.search(table)
                name = (_text(caption.group(1)) if caption else "") or heading or "Table"
                used[name] = used.get(name, 0) + 1
                if used[name] > 1:
                    name = f"{name}, table {used[name]}"
                out.append(WRAPPER.format(name=html.escape(name, quote=True)) + table + "</div>")
                last = token.end()
    if depth:  # a table never closed: leave the rest as it was
        last = start
    out.append(page[last:])
    return "".join(out)


class _WrapTables(Postprocessor):
    def run(self, text: str) -> str:
        return wrap_tables(text) if "<table" in text else text


class ScrollableTablesExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.postprocessors.register(_WrapTables(md), "tie_wrap_tables", AFTER_CLEANING)


def makeExtension(**kwargs) -> ScrollableTablesExtension:  # noqa: N802 (the name Python-Markdown looks for)
    return ScrollableTablesExtension(**kwargs)
