"""The councils: a page per current principal council, and the searchable, filterable list that leads to them.

Each council's page has its context figures from the register (with the attribution and the
register's version), its fixed comparator groups with their members, its nearest neighbours (each
linked), the library's case studies by that council, and, where the council published its
self-assessment response to everyone, that response's summary with a link to its results. Pages are
of fixed size and the list is paginated, so the build stays linear in the library.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from generator.content.resources import Resource
from generator.pages.listings import PAGE_SIZE, _pager, page_address
from generator.pages.mdtext import attr, front_matter, inline_html, relative, text
from model import similar
from model import vocabulary as v
from model.published import PublicResponse, Published, summary
from model.questionnaire import Edition
from model.register import ATTRIBUTION_HTML, Council, Register

BASE = "/councils/"
METHOD = "/similar-councils/"
INDEX = "councils.json"  # beside the list: what assets/councils.js searches, fetched on the first keystroke
FILTERS = (
    ("by-type", "Council type", v.COUNCIL_TYPES, lambda c: c.type),
    ("by-region", "Region", v.REGIONS, lambda c: c.region),
)


def address(code: str) -> str:
    return f"{BASE}{code.lower()}/"


def _name_key(c: Council) -> tuple[str, str]:
    return (c.short_name.lower(), c.code)


def _date(at: int) -> str:
    day = dt.datetime.fromtimestamp(at, dt.UTC).date()
    return f"{day.day} {day:%B %Y}"


def demo_banner() -> str:
    return (
        '<div class="tie-banner tie-banner--demo" role="note" data-tie-demo><p><strong>Demo data.</strong> '
        "The self-assessment responses on this site are synthetic, made by <code>tie demo</code> to show how "
        "the pages look. No council gave them.</p></div>\n"
    )


def attribution(register: Register, here: str) -> str:
    version = register.version.label if register.version else register.location
    return (
        f'<p class="tie-attribution">{ATTRIBUTION_HTML} Register version: {inline_html(version)}. '
        f'<a href="{attr(relative(here, METHOD))}">How similar councils are found</a>.</p>\n'
    )


# -- the list -----------------------------------------------------------------------------------


def _filter_nav(here: str, register: Register, current: tuple[str, str] | None) -> str:
    groups = []
    for slug, label, vocabulary, value in FILTERS:
        counts: dict[str, int] = defaultdict(int)
        for c in register.councils.values():
            counts[value(c)] += 1
        links = []
        for term in vocabulary.terms:
            if not counts[term.id]:
                continue
            mark = ' aria-current="page"' if current == (slug, term.id) else ""
            links.append(
                f'<li><a href="{attr(relative(here, f"{BASE}{slug}/{term.id}/"))}"{mark}>{inline_html(term.label)} '
                f'<span class="tie-count">({counts[term.id]})</span></a></li>'
            )
        groups.append(
            f'<div class="tie-facet"><h2 id="filter-{slug}">{inline_html(label)}</h2>'
            f'<ul aria-labelledby="filter-{slug}">{"".join(links)}</ul></div>'
        )
    return (
        f'<nav class="tie-filters" aria-label="Filter the councils"><p><a href="{attr(relative(here, BASE))}">Every council</a></p>'
        + "".join(groups)
        + "</nav>\n"
    )


def _letters(base: str, here: str, ordered: list[Council]) -> str:
    """A–Z links to the page and place where each first letter starts: finding a council without JavaScript."""
    first: dict[str, int] = {}
    for i, c in enumerate(ordered):
        first.setdefault(c.short_name[:1].upper(), i)
    links = "".join(
        f'<li><a href="{attr(relative(here, page_address(base, i // PAGE_SIZE + 1)))}#letter-{letter.lower()}">{letter}</a></li>'
        for letter, i in first.items()
    )
    return f'<nav class="tie-letters" aria-label="Councils by first letter"><ul>{links}</ul></nav>\n'


def _item(here: str, c: Council, anchor: str | None) -> str:
    where = f"{v.COUNCIL_TYPES.label(c.type)}, {v.REGIONS.label(c.region)}"
    id_attr = f' id="{anchor}"' if anchor else ""
    return (
        f'<li class="tie-item"{id_attr}><a href="{attr(relative(here, address(c.code)))}">{inline_html(c.short_name)}</a>'
        f' <span class="tie-item__kind">{inline_html(where)}</span></li>'
    )


def _search(here: str) -> str:
    """The search box: hidden until assets/councils.js shows it; the letters and filters work without it."""
    return (
        f'<div class="tie-council-search" data-councils="{attr(relative(here, BASE) + INDEX)}" data-root="{attr(relative(here, "/"))}" hidden>'
        '<p class="tie-search__bar"><label for="tie-council-q">Find a council by name or code</label> '
        '<input type="search" id="tie-council-q" autocomplete="off" spellcheck="false"></p></div>\n'
    )


def listing(
    base: str, title: str, intro: Callable[[str], str], councils: list[Council], register: Register, current, published: Published
) -> list[tuple[str, str]]:
    """The pages of one list of councils, PAGE_SIZE to a page, by name."""
    ordered = sorted(councils, key=_name_key)
    total = max(1, -(-len(ordered) // PAGE_SIZE))
    pages = []
    for number in range(1, total + 1):
        here = page_address(base, number)
        chunk = ordered[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        heading = title if number == 1 else f"{title} (page {number} of {total})"
        first, last = (_name_key(chunk[0]), _name_key(chunk[-1])) if chunk else ("", "")
        span = f", {chunk[0].name} to {chunk[-1].name}" if chunk and first != last else ""
        described = f"{heading}{span}: each council's context figures, comparator groups and nearest neighbours."
        body = [front_matter({"title": heading, "description": described, "tie_page": "councils"}), f"# {text(heading)}\n"]
        if published.demo:
            body.append(demo_banner())
        body.append(intro(here) + "\n")
        body.append(_search(here))
        body.append(_letters(base, here, ordered))
        first, last = (number - 1) * PAGE_SIZE + 1, (number - 1) * PAGE_SIZE + len(chunk)
        body.append(f'<p class="tie-showing" id="tie-showing" aria-live="polite">Showing {first} to {last} of {len(ordered)}.</p>\n')
        body.append('<div class="tie-library">\n')
        body.append(_filter_nav(here, register, current))
        seen: set[str] = {c.short_name[:1].upper() for c in ordered[: (number - 1) * PAGE_SIZE]}
        items = []
        for c in chunk:
            letter = c.short_name[:1].upper()
            items.append(_item(here, c, None if letter in seen else f"letter-{letter.lower()}"))
            seen.add(letter)
        body.append(
            f'<div class="tie-results" id="tie-results"><ul class="tie-list">{"".join(items)}</ul>{_pager(base, here, number, total)}</div>\n'
        )
        body.append("</div>\n")
        body.append(attribution(register, here))
        pages.append((here, "\n".join(body)))
    return pages


def list_pages(register: Register, published: Published) -> list[tuple[str, str]]:
    """The list of every council and a list per filter value."""
    def intro(here: str) -> str:
        return (
            "<p>Every current principal council in the UK: its context, the councils most like it, the library's case studies "
            f'from it and any self-assessment it published for everyone. <a href="{attr(relative(here, METHOD))}">How similar '
            "councils are found</a>.</p>"
        )

    councils = list(register.councils.values())
    pages = listing(BASE, "Councils", intro, councils, register, None, published)
    for slug, _label, vocabulary, value in FILTERS:
        for term in vocabulary.terms:
            matching = [c for c in councils if value(c) == term.id]
            if matching:
                base = f"{BASE}{slug}/{term.id}/"
                described = f"<p>{inline_html(term.description)}</p>"
                pages += listing(base, f"Councils: {term.label}", lambda _, d=described: d, matching, register, (slug, term.id), published)
    return pages


def write_index(docs: Path, register: Register) -> None:
    """councils.json beside the list: code, names, type, region and address of every council, for the search box."""
    entries = [
        {"code": c.code, "name": c.short_name, "official": c.name, "where": f"{v.COUNCIL_TYPES.label(c.type)}, {v.REGIONS.label(c.region)}",
         "url": address(c.code).lstrip("/")}  # fmt: skip
        for c in sorted(register.councils.values(), key=_name_key)
    ]
    target = docs / BASE.strip("/") / INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(entries, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# -- a council's page ---------------------------------------------------------------------------


def _figure(value: float | int | None, unit: str = "", places: int = 0) -> str:
    if value is None:
        return "not known"
    return f"{value:,.{places}f}{unit}"


def _context(c: Council) -> str:
    quintile = f", quintile {c.deprivation_quintile} of 5 (1 is the most deprived fifth)" if c.deprivation_quintile else ""
    rows = [
        ("Type", v.COUNCIL_TYPES.label(c.type)),
        ("Tier", v.TIERS.label(c.tier)),
        ("Region", v.REGIONS.label(c.region)),
        ("Nation", v.NATIONS.label(c.nation)),
        ("Population (2020)", _figure(c.population)),
        ("Area", _figure(c.area, " km²")),
        ("Density", _figure(c.density, " people per km²")),
        ("Deprivation score", _figure(c.deprivation_score, "", 1) + quintile),
        ("Register code", c.code + (f" (GSS {c.gss})" if c.gss else "")),
    ]
    cells = "".join(f"<dt>{inline_html(k)}</dt><dd>{inline_html(val)}</dd>" for k, val in rows)
    return f'<dl class="tie-meta" aria-label="Context figures">{cells}</dl>\n'


def _groups(here: str, c: Council, mine: dict[str, similar.Group], register: Register) -> str:
    out = ['<h2 id="groups">Comparator groups</h2>\n']
    out.append(
        "<p>Fixed groups that do not overlap, used for open data: every figure published for a group counts at least "
        f"{similar.MINIMUM_GROUP} councils.</p>\n"
    )
    for grouping, label in similar.GROUPINGS.items():
        group = mine[grouping]
        others = [register.get(code) for code in group.members]
        links = ", ".join(
            inline_html(o.short_name) if o.code == c.code else f'<a href="{attr(relative(here, address(o.code)))}">{inline_html(o.short_name)}</a>'
            for o in sorted(others, key=_name_key)
        )
        merged = f" {inline_html(group.merge.reason)}" if group.merge else ""
        out.append(
            f'<h3 id="group-{grouping}">{inline_html(label)}: {inline_html(group.label)}</h3>\n'
            f"<p>{len(group.members)} councils.{merged}</p>\n"
            f'<details class="tie-members"><summary>The {len(group.members)} councils in this group</summary><p>{links}</p></details>\n'
        )
    return "".join(out)


def _neighbours(here: str, c: Council, near: tuple[similar.Neighbour, ...], register: Register, tier_size: int) -> str:
    out = ['<h2 id="neighbours">Nearest neighbours</h2>\n']
    note = ""
    if len(near) < similar.NEIGHBOURS:
        note = (
            f" {v.TIERS.label(c.tier)} councils number {tier_size}, so each has only {len(near)} others of its tier: "
            f"all {len(near)} are shown."
        )
    out.append(
        f"<p>The {len(near)} councils of the same tier ({inline_html(v.TIERS.label(c.tier).lower())}) closest to "
        f"{inline_html(c.short_name)} by population, population density and deprivation, nearest first.{inline_html(note)}</p>\n"
    )
    rows = []
    for n in near:
        o = register.get(n.code)
        rows.append(
            f'<tr><td>{n.rank}</td><td><a href="{attr(relative(here, address(o.code)))}">{inline_html(o.short_name)}</a></td>'
            f"<td>{inline_html(v.COUNCIL_TYPES.label(o.type))}, {inline_html(v.REGIONS.label(o.region))}</td>"
            f"<td>{_figure(o.population)}</td><td>{n.distance:.2f}</td></tr>"
        )
    out.append(
        '<div class="tie-table"><table><caption>Nearest neighbours, with their distance (0 is identical)</caption>'
        '<thead><tr><th scope="col">Rank</th><th scope="col">Council</th><th scope="col">Type and region</th>'
        f'<th scope="col">Population</th><th scope="col">Distance</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>\n'
    )
    return "".join(out)


def _case_studies(here: str, c: Council, studies: list[Resource]) -> str:
    out = ['<h2 id="case-studies">Case studies from this council</h2>\n']
    if not studies:
        out.append(f"<p>The library has no case study from {inline_html(c.short_name)} yet.</p>\n")
        return "".join(out)
    items = "".join(
        f'<li class="tie-item"><a href="{attr(relative(here, r.address))}">{inline_html(r.title)}</a><p>{inline_html(r.summary)}</p></li>'
        for r in sorted(studies, key=lambda r: (r.title.lower(), r.address))
    )
    return "".join(out) + f'<ul class="tie-list">{items}</ul>\n'


def _response(here: str, c: Council, response: PublicResponse | None, editions: dict[str, Edition]) -> str:
    out = ['<h2 id="self-assessment">Self-assessment</h2>\n']
    if response is None:
        out.append(
            f"<p>{inline_html(c.short_name)} has not published a self-assessment response to everyone. A council chooses "
            "who sees its response: only one published for everyone is shown here.</p>\n"
        )
        return "".join(out)
    again = f" (version {response.version}: republished with corrections)" if response.version > 1 else ""
    out.append(
        f"<p>{inline_html(c.short_name)} published its {response.year} self-assessment response to everyone on "
        f"{_date(response.published_at)}{again}.</p>\n"
    )
    edition = editions.get(response.edition)
    themes = summary(edition, response) if edition else []
    if themes:
        rows = "".join(
            f"<tr><th scope=\"row\">{inline_html(t.label)}</th><td>{inline_html(v.STAGES.label(t.current))}</td>"
            f"<td>{inline_html(v.STAGES.label(t.ambition))}</td></tr>"
            for t in themes
        )
        out.append(
            '<div class="tie-table"><table><caption>Where the council puts itself, theme by theme (the middle stage of the '
            'theme\'s statements)</caption><thead><tr><th scope="col">Theme</th><th scope="col">Now</th>'
            f'<th scope="col">Aims for</th></tr></thead><tbody>{rows}</tbody></table></div>\n'
        )
    if response.routes:
        out.append(f"<p>Favoured ambition routes: {inline_html(', '.join(v.ROUTES.label(r) for r in response.routes if r in v.ROUTES))}.</p>\n")
    link = relative(here, "/") + response.results_address.lstrip("/")
    out.append(f'<p><a href="{attr(link)}">Read {inline_html(c.short_name)}\'s full results</a></p>\n')
    return "".join(out)


def council_pages(
    register: Register, resources: list[Resource], editions: dict[str, Edition], published: Published
) -> list[tuple[str, str]]:
    """A page for every current principal council."""
    all_groups = similar.membership(similar.groups(register))
    near = similar.neighbours(register)
    sizes = similar.tier_sizes(register)
    studies: dict[str, list[Resource]] = defaultdict(list)
    for r in resources:
        if r.kind.id == "case-study" and r.council:
            studies[r.council].append(r)
    pages = []
    for c in sorted(register.councils.values(), key=lambda c: c.code):
        here = address(c.code)
        where = f"{v.COUNCIL_TYPES.label(c.type)}, {v.REGIONS.label(c.region)}"
        out = [front_matter({"title": c.name, "description": f"{c.name}: {where}. Context, similar councils and case studies.",
                             "tie_page": "council"})]  # fmt: skip
        out.append(f"# {text(c.name)}\n")
        if published.demo:
            out.append(demo_banner())
        out.append(f'<p class="tie-lede">{inline_html(where)}.</p>\n')
        out.append(_context(c))
        out.append(attribution(register, here))
        out.append(_response(here, c, published.responses.get(c.code), editions))
        out.append(_groups(here, c, all_groups[c.code], register))
        out.append(_neighbours(here, c, near[c.code], register, sizes[c.tier]))
        out.append(_case_studies(here, c, studies.get(c.code, [])))
        out.append(f'<p><a href="{attr(relative(here, BASE))}">Every council</a></p>\n')
        pages.append((here, "\n".join(out)))
    return pages
