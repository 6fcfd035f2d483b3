"""Sanitising the rendered HTML of contributed content with nh3, keeping the markup Material styles.

mdsafe.py applies it to the contributed part of each resource page as Markdown renders it.
"""

from __future__ import annotations

import nh3

from generator.content.bodycheck import stays_on_site

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
