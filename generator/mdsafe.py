"""A Markdown extension (listed in mkdocs.yml) that keeps contributed ids safe where Material prints them unescaped.

Material writes the skip link and the table of contents from the headings' ids, without escaping
them, outside the contributed part that the sanitiser cleans. An attribute list can give a heading
any id: `## Costs {: id='a" onmouseover="...' }` would become an event handler on the skip link.
After attr_list and before toc, this drops every id that is not a plain name (toc then makes one
from the heading's text) and every table-of-contents label, which toc would print as the entry.
"""

from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# Letters first: ids starting "_" are Material's own (__drawer, __search), which a contributed one must not shadow.
PLAIN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")
AFTER_ATTR_LIST_BEFORE_TOC = 6  # attr_list's treeprocessor runs at 8, toc's at 5


class _PlainIds(Treeprocessor):
    def run(self, root) -> None:
        for element in root.iter():
            if element.get("id") is not None and not PLAIN_ID.match(element.get("id")):
                del element.attrib["id"]
            element.attrib.pop("data-toc-label", None)


class PlainIdsExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_PlainIds(md), "tie_plain_ids", AFTER_ATTR_LIST_BEFORE_TOC)


def makeExtension(**kwargs) -> PlainIdsExtension:  # noqa: N802 (the name Python-Markdown looks for)
    return PlainIdsExtension(**kwargs)
