"""Listing pages: the library, a page per filter value (kind, theme, route, council type, region), paginated."""

from __future__ import annotations

from collections import Counter

from generator.content.facets import FACETS, Facet
from generator.content.resources import Resource
from generator.pages.mdtext import attr, front_matter, inline_html, relative, text
from model.register import Register

PAGE_SIZE = 50  # items per listing page: pages stay the same size however large the library grows


def page_address(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def item(here: str, r: Resource) -> str:
    """One resource in a list, as HTML written by the generator (every value escaped)."""
    return (
        f'<li class="tie-item"><a href="{attr(relative(here, r.address))}">{inline_html(r.title)}</a>'
        f' <span class="tie-item__kind">{inline_html(r.kind.label)}</span>'
        f"<p>{inline_html(r.summary)}</p></li>"
    )


def items(here: str, resources: list[Resource]) -> str:
    return '<ul class="tie-list">' + "".join(item(here, r) for r in resources) + "</ul>\n"


def filter_nav(here: str, counts: dict[str, Counter], current: tuple[str, str] | None) -> str:
    """The filters as plain links (they work without JavaScript); library.js turns them into checkboxes."""
    groups = []
    for facet in FACETS:
        links = []
        for term in facet.terms:
            n = counts[facet.id][term.id]
            if not n:
                continue
            target = facet.page(term.id)
            is_current = current == (facet.id, term.id)
            mark = ' aria-current="page"' if is_current else ""
            links.append(
                f'<li><a href="{attr(relative(here, target))}"{mark} data-facet="{facet.id}" data-value="{term.id}">'
                f'{inline_html(term.label)} <span class="tie-count">({n})</span></a></li>'
            )
        if links:
            groups.append(
                f'<div class="tie-facet" data-facet="{facet.id}"><h2 id="filter-{facet.id}">{inline_html(facet.label)}</h2>'
                f'<ul aria-labelledby="filter-{facet.id}">{"".join(links)}</ul></div>'
            )
    all_link = relative(here, "/library/")
    return (
        f'<nav class="tie-filters" aria-label="Filter the library" data-library="{attr(relative(here, "/") + "library.json")}">'
        f'<p><a href="{attr(all_link)}" data-all="">Show everything</a></p>{"".join(groups)}</nav>\n'
    )


def counts_for(resources: list[Resource], register: Register | None) -> dict[str, Counter]:
    counts: dict[str, Counter] = {f.id: Counter() for f in FACETS}
    for r in resources:
        for facet in FACETS:
            counts[facet.id].update(facet.values(r, register))
    return counts


def _pager(base: str, here: str, number: int, total: int) -> str:
    if total <= 1:
        return ""
    parts = []
    if number > 1:
        parts.append(f'<li><a href="{attr(relative(here, page_address(base, number - 1)))}" rel="prev">Previous page</a></li>')
    for n in range(1, total + 1):
        if n == number:
            parts.append(f'<li><a href="./" aria-current="page">{n}</a></li>')
        elif n in (1, total) or abs(n - number) <= 2:
            parts.append(f'<li><a href="{attr(relative(here, page_address(base, n)))}">{n}</a></li>')
        elif abs(n - number) == 3:
            parts.append('<li aria-hidden="true">…</li>')
    if number < total:
        parts.append(f'<li><a href="{attr(relative(here, page_address(base, number + 1)))}" rel="next">Next page</a></li>')
    return f'<nav class="tie-pager" aria-label="Pages of this list"><ul>{"".join(parts)}</ul></nav>\n'


def listing(
    base: str,
    title: str,
    intro: str,
    resources: list[Resource],
    counts: dict[str, Counter],
    current: tuple[str, str] | None,
    description: str,
) -> list[tuple[str, str]]:
    """The pages of one list: (address, Markdown) for each page of PAGE_SIZE resources. Each page's
    `description` (for search engines and link previews) says which page of the list it is."""
    ordered = sorted(resources, key=lambda r: (r.title.lower(), r.address))
    total = max(1, -(-len(ordered) // PAGE_SIZE))
    pages = []
    for number in range(1, total + 1):
        here = page_address(base, number)
        chunk = ordered[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        heading = title if number == 1 else f"{title} (page {number} of {total})"
        about = description if number == 1 else f"{description} Page {number} of {total}."
        # no table of contents: the filters and results take the width it would leave empty
        body = [front_matter({"title": heading, "description": about, "tie_page": "listing", "hide": ["toc"]}), f"# {text(heading)}\n"]
        if intro:
            body.append(intro + "\n")
        first, last = (number - 1) * PAGE_SIZE + 1, (number - 1) * PAGE_SIZE + len(chunk)
        shown = f"Showing {first} to {last} of {len(ordered)}" if ordered else "Nothing here yet"
        body.append(f'<p class="tie-showing" id="tie-showing" aria-live="polite">{shown}.</p>\n')
        body.append('<div class="tie-library">\n')
        body.append(filter_nav(here, counts, current))
        body.append('<div class="tie-results" id="tie-results">' + items(here, chunk) + _pager(base, here, number, total) + "</div>\n")
        body.append("</div>\n")
        pages.append((here, "\n".join(body)))
    return pages


def facet_pages(facet: Facet, resources: list[Resource], register: Register | None, counts) -> list[tuple[str, str]]:
    """The listing pages of every value of a filter."""
    pages = []
    for term in facet.terms:
        matching = [r for r in resources if term.id in facet.values(r, register)]
        intro = inline_html(term.description)
        description = f"{facet.label}: {term.label}. {term.description} Resources for councils in the Exchange's library."
        pages += listing(facet.page(term.id), f"{term.label}", f"<p>{intro}</p>", matching, counts, (facet.id, term.id), description)
    return pages
