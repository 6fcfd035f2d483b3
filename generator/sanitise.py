"""Sanitising the rendered HTML of contributed content with nh3, keeping the markup Material styles."""

from __future__ import annotations

from pathlib import Path

import nh3

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
    if tag == "img" and name == "src" and ("//" in value or ":" in value.split("/")[0]):
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


def sanitise_page(html: str, nonce: str) -> tuple[str, bool]:
    """Clean the contributed part of a rendered page. Returns (page, whether it had one).

    The part runs from the start marker to the end marker; if the contribution broke the end
    marker (an unclosed comment, say), it runs to the end of the article, so that nothing
    contributed escapes cleaning.
    """
    start_marker, end_marker = START.format(nonce=nonce), END.format(nonce=nonce)
    start = html.find(start_marker)
    if start < 0:
        return html, False
    body_start = start + len(start_marker)
    end = html.find(end_marker, body_start)
    tail = end + len(end_marker) if end >= 0 else None
    if end < 0:
        end = html.find("</article>", body_start)
        end = end if end >= 0 else len(html)
        tail = end
    return html[:start] + '<div class="tie-contributed">' + clean(html[body_start:end]) + "</div>" + html[tail:], True


def sanitise_site(site: Path, pages: list[str], nonce: str) -> int:
    """Sanitise the built page of each contributed resource (`pages` are site-relative HTML paths)."""
    done = 0
    for rel in pages:
        path = site / rel
        html = path.read_text(encoding="utf-8")
        cleaned, found = sanitise_page(html, nonce)
        if not found:
            raise RuntimeError(f"{rel}: the contributed part's markers are missing after rendering")
        path.write_text(cleaned, encoding="utf-8")
        done += 1
    return done
