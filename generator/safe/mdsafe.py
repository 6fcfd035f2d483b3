"""A Markdown extension (listed in mkdocs.yml) that makes contributed content safe as Markdown renders it.

Two steps, so that any renderer of mkdocs.yml that runs Python-Markdown's extensions keeps them:

- Plain ids. Material writes the skip link and the table of contents from the headings' ids, without
  escaping them, outside the contributed part. An attribute list can give a heading any id:
  `## Costs {: id='a" onmouseover="...' }` would become an event handler on the skip link. After
  attr_list and before toc, this drops every id that is not a plain name (toc then makes one from the
  heading's text) and every table-of-contents label, which toc would print as the entry.
- The contributed part cleaned. A resource page's Markdown has the contributed-start marker
  (resource_page.START) before its body. Everything Markdown makes from there to the end of its
  output is contributed, footnotes included (Markdown appends them at the very end), and is cleaned
  by sanitise.clean as Markdown's last step, after raw HTML has been put back. Nothing before the
  marker is contributed except values the generator escapes, so the first marker is always the
  generator's; one written into a body lies inside the part and is cleaned away with it.
"""

from __future__ import annotations

import re
from collections import Counter

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from generator.pages.resource_page import START
from generator.safe.sanitise import clean

# Letters first: ids starting "_" are Material's own (__drawer, __search), which a contributed one must not shadow.
PLAIN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")
AFTER_ATTR_LIST_BEFORE_TOC = 6  # attr_list's treeprocessor runs at 8, toc's at 5
LAST = 0  # raw_html (30), footnote (25) and amp_substitute (20) put the page's HTML together before this
MARKER = re.compile(re.escape(START).replace(re.escape("{nonce}"), "([0-9a-f]+)"))
WRAPPER = '<div class="tie-contributed">'

# Pages cleaned in this process, by the nonce of their marker: the build checks that every resource page was.
CLEANED: Counter[str] = Counter()


class _PlainIds(Treeprocessor):
    def run(self, root) -> None:
        for element in root.iter():
            if element.get("id") is not None and not PLAIN_ID.match(element.get("id")):
                del element.attrib["id"]
            element.attrib.pop("data-toc-label", None)


class _CleanContributed(Postprocessor):
    def run(self, text: str) -> str:
        marker = MARKER.search(text)
        if marker is None:
            return text  # not a resource page: nothing on it is contributed
        CLEANED[marker.group(1)] += 1
        return text[: marker.start()] + WRAPPER + clean(text[marker.end() :]) + "</div>"


class SafeContentExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_PlainIds(md), "tie_plain_ids", AFTER_ATTR_LIST_BEFORE_TOC)
        md.postprocessors.register(_CleanContributed(md), "tie_clean_contributed", LAST)


def makeExtension(**kwargs) -> SafeContentExtension:  # noqa: N802 (the name Python-Markdown looks for)
    return SafeContentExtension(**kwargs)
