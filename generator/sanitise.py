"""Sanitising the rendered HTML of contributed content with nh3, keeping the markup Material styles."""

from __future__ import annotations

from pathlib import Path

import nh3

from .bodycheck import stays_on_site
from .resource_page import END, START

# What Markdown and Material's extensions produce from contributed content, and nothing more.
TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "details": {"open"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
STYLE_PROPERTIES = {"text-align"}  # Markdown tables align columns with it
DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript", "math", "svg"}


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "id" and value.startswith("_"):
        return None  # Material's own elements have ids starting "__"; a contributed one must not shadow them
    if tag == "img" and name == "src" and not stays_on_site(value):
        return None  # images come from the site itself: no request to another host
    return value


def clean(fragment: str) -> str:
    """The fragment with everything outside the allowlist removed."""
    return nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


class SanitiseError(Exception):
    """A resource page lacks its markers, so its contributed part cannot be found to be cleaned."""


def sanitise_page(html: str, nonce: str) -> str:
    """The page with its contributed part, from the start marker to the end marker, cleaned.

    The start marker is written before the body; the end marker comes from the page template, after
    everything Markdown made, so nothing contributed lies outside the part (see resource_page.py).
    """
    start_marker, end_marker = START.format(nonce=nonce), END.format(nonce=nonce)
    start = html.find(start_marker)
    end = html.find(end_marker, start + len(start_marker)) if start >= 0 else -1
    if end < 0:
        raise SanitiseError("the contributed part's markers are missing after rendering")
    body = clean(html[start + len(start_marker) : end])
    page = html[:start] + '<div class="tie-contributed">' + body + "</div>" + html[end + len(end_marker) :]
    # A heading's permalink mark is not words of the page: keep it out of search results' titles.
    return page.replace('<a class="headerlink" ', '<a class="headerlink" data-pagefind-ignore ')


def sanitise_site(site: Path, pages: list[str], nonce: str) -> int:
    """Sanitise the built page of each contributed resource (`pages` are site-relative HTML paths)."""
    for rel in pages:
        path = site / rel
        try:
            cleaned = sanitise_page(path.read_text(encoding="utf-8"), nonce)
        except SanitiseError as err:
            raise SanitiseError(f"{rel}: {err}") from None
        path.write_text(cleaned, encoding="utf-8")
    return len(pages)
