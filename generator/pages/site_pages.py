"""The site's own pages: home, search, the self-assessment overview, and the prose pages kept in generator/pages/."""

from __future__ import annotations

from pathlib import Path

from generator.content.facets import BY_ID as FACETS
from generator.content.kinds import KINDS
from generator.content.resources import Resource
from generator.pages.mdtext import attr, front_matter, inline_html, relative, text
from model import vocabulary as v
from model.questionnaire import Edition
from model.search import FACETS as SEARCH_INDEX_FACETS
from model.site import SEARCH_RESULTS

PAGES_DIR = Path(__file__).parent / "text"
# The page the app wraps its own pages in (functions/web/layout.py), so they look and navigate like the site.
SHELL_MARKDOWN = """---
title: TIE_APP_TITLE
hide:
  - toc
---

# TIE_APP_TITLE

TIE_APP_CONTENT
"""
LATEST = 6  # newest resources shown on the home page
# Each page has a description of its own, for search engines' results and link previews; the home page's is the site's.
HOME_DESCRIPTION = "An improvement resource for UK councils, built with councils, for councils: case studies, guidance, tools, training, data and support, and a self-assessment."
SELF_ASSESSMENT = "The Exchange's self-assessment for councils: how it works, who sees your answers, the scale you answer on and the statements in each theme."


def home(resources: list[Resource], edition: Edition | None) -> str:
    here = "/"
    # no title of its own: Material names the home page by the site's name alone, where a title would read
    # "Transformation and Innovation Exchange - Transformation and Innovation Exchange"
    out = [front_matter({"description": HOME_DESCRIPTION, "tie_page": "home"})]
    out.append("# Transformation and Innovation Exchange\n")
    out.append(
        '<p class="tie-lede">An improvement resource for UK councils, built with councils, for councils: '
        "case studies, guidance, tools, training, performance data and support, and a self-assessment "
        "to find out where your council stands and where it wants to be.</p>\n"
    )
    out.append(
        f'<p><a class="md-button md-button--primary" href="{relative(here, "/library/")}">Browse the library</a> '
        f'<a class="md-button" href="{relative(here, "/self-assessment/")}">Take the self-assessment</a></p>\n'
    )
    out.append("## Five focus themes\n")
    theme_items = "".join(
        f'<li><a href="{attr(relative(here, FACETS["theme"].page(t.id)))}">{inline_html(t.label)}</a>'
        f"<p>{inline_html(t.description)}</p></li>"
        for t in v.THEMES.terms
    )
    out.append(f'<ul class="tie-cards">{theme_items}</ul>\n')
    out.append("## What is in the library\n")
    kind_items = "".join(
        f'<li><a href="{attr(relative(here, FACETS["kind"].page(k.id)))}">{inline_html(k.plural)}</a>'
        f"<p>{inline_html(k.description)}</p></li>"
        for k in KINDS
    )
    out.append(f'<ul class="tie-cards">{kind_items}</ul>\n')
    newest = sorted(resources, key=lambda r: (r.last_changed, r.title), reverse=True)[:LATEST]
    if newest:
        out.append("## New and updated\n")
        out.append(
            '<ul class="tie-list">'
            + "".join(
                f'<li class="tie-item"><a href="{attr(relative(here, r.address))}">{inline_html(r.title)}</a> '
                f'<span class="tie-item__kind">{inline_html(r.kind.label)}</span><p>{inline_html(r.summary)}</p></li>'
                for r in newest
            )
            + "</ul>\n"
        )
        out.append(f'<p><a href="{relative(here, "/whats-new/")}">Everything new and updated</a></p>\n')
    out.append("## Share what works\n")
    out.append(
        "The Exchange grows with what councils share. "
        f'[Contribute a case study, a tool or guidance]({relative(here, "/contribute/")}) and tell us what would help.\n'
    )
    return "\n".join(out)


SEARCH_FACETS = SEARCH_INDEX_FACETS  # the filters the search index holds


def search() -> str:
    """The search page: a GET form that assets/search.js answers in place from the index in search/ (model/search.py
    reads it as the script does), keeping the query in the address (/search/?q=...&kind=...). Without JavaScript the
    form goes to the app's page of results (functions/search/, SEARCH_RESULTS), which reads the same index."""
    fieldsets = "".join(
        f"<fieldset><legend>{inline_html(FACETS[f].label)}</legend>"
        + "".join(
            f'<label for="tie-search-{f}-{attr(t.id)}"><input type="checkbox" id="tie-search-{f}-{attr(t.id)}" '
            f'name="{f}" value="{attr(t.id)}"> {inline_html(t.label)}</label>'
            for t in FACETS[f].terms
        )
        + "</fieldset>"
        for f in SEARCH_FACETS
    )
    return (
        front_matter({"title": "Search", "description": "Search the Exchange's library of case studies, guidance, tools, training, data and support for UK councils, by words, kind, theme or ambition route.", "tie_page": "search", "hide": ["toc"]})
        + "# Search the library\n\n"
        + '<div id="tie-search" class="tie-search" data-index="./" data-root="../">'
        + f'<form class="tie-search__form" action="{attr(relative("/search/", SEARCH_RESULTS))}" method="get" role="search">'
        + '<p class="tie-search__bar"><label for="tie-search-q">Search the library</label> '
        + '<input type="search" id="tie-search-q" name="q" autocomplete="off" spellcheck="false"> '
        + '<button type="submit" class="md-button md-button--primary">Search</button></p>'
        + '<details class="tie-search__filters"><summary>Filter by kind, theme or ambition route</summary>'
        + f'<div class="tie-search__facets">{fieldsets}</div></details>'
        + "</form>"
        + '<p class="tie-search__status" role="status"></p>'
        + '<ul class="tie-list tie-search__results"></ul>'
        + '<button type="button" class="md-button tie-more" hidden>Show more results</button>'
        + "</div>\n"
    )


def self_assessment(edition: Edition | None, benchmarks: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """An overview of the questionnaire and a page per theme listing its statements, to prepare from; `benchmarks`
    holds, by theme id, the HTML of the theme's public benchmark table (generator/pages/benchmarks.py)."""
    base = "/self-assessment/"
    if edition is None:
        return [(base, front_matter({"title": "Self-assessment", "description": SELF_ASSESSMENT}) + "# Self-assessment\n\nThe questionnaire is not published yet.\n")]
    out = [front_matter({"title": "Self-assessment", "description": SELF_ASSESSMENT, "tie_page": "self-assessment"}), "# Self-assessment\n"]
    out.append(f'<p class="tie-lede">{inline_html(edition.introduction)}</p>\n')
    out.append(
        '<div class="tie-banner" role="note"><p><strong>Who sees your answers.</strong> You answer on your own. '
        "Your council's super-user can read your individual answers and comments, to lead the discussion "
        "that agrees your council's response. Nobody else can, not even colleagues or other councils.</p></div>\n"
    )
    out.append(
        f'<p><a class="md-button md-button--primary" href="{relative(base, "/app/assessment/")}">Start or continue your self-assessment</a></p>\n'
    )
    out.append("## How you answer\n")
    out.append(
        "For each statement you say where your council is now, and where it aims to be within two years, on this scale:\n"
    )
    scale = "".join(f"<dt>{inline_html(s.label)}</dt><dd>{inline_html(s.description)}</dd>" for s in v.STAGES.terms)
    scale += f"<dt>{inline_html(v.DONT_KNOW.label)}</dt><dd>{inline_html(v.DONT_KNOW.description)}</dd>"
    out.append(f'<dl class="tie-scale">{scale}</dl>\n')
    out.append("## The themes\n")
    for theme in edition.themes:
        out.append(f"- [{text(theme.label)}]({theme.id}/index.md): {len(theme.statements)} statements")
    out.append("")
    pages = [(base, "\n".join(out))]
    for theme in edition.themes:
        about = f"The self-assessment's {len(theme.statements)} statements on {theme.label.lower()}, with what each asks, to prepare your answers."
        body = [front_matter({"title": theme.label, "description": about, "tie_page": "self-assessment"}), f"# {text(theme.label)}\n"]
        body.append(f"<p>{inline_html(theme.introduction)}</p>\n")
        for s in theme.statements:
            applies = (
                ""
                if set(s.applies_to) == set(v.COUNCIL_TYPES.ids)
                else "<p><em>For " + inline_html(", ".join(v.COUNCIL_TYPES.label(t).lower() + "s" for t in s.applies_to)) + ".</em></p>"
            )
            bv = inline_html(", ".join(v.BEST_VALUE.label(b) for b in s.best_value))
            body.append(
                f'<section class="tie-statement" aria-labelledby="{attr(s.id)}"><h2 id="{attr(s.id)}">'
                f"<span class=\"tie-statement__id\">{inline_html(s.id)}</span> {inline_html(s.text)}</h2>"
                f"<p>{inline_html(s.help)}</p>{applies}<p class=\"tie-statement__bv\">Best Value themes: {bv}</p></section>\n"
            )
        if benchmarks and theme.id in benchmarks:
            body.append(benchmarks[theme.id])
        pages.append((f"{base}{theme.id}/", "\n".join(body)))
    return pages


def prose_pages(contributing: Path) -> list[tuple[str, str]]:
    """The site's own prose pages (about, privacy, accessibility...) from generator/pages/, and the
    contributing guide from docs/, which is written to read well in both places."""
    pages = [(f"/{p.stem}/", p.read_text(encoding="utf-8")) for p in sorted(PAGES_DIR.glob("*.md"))]
    if contributing.is_file():
        meta = {"title": "Contribute", "description": "How council officers contribute a case study, a tool or guidance to the Exchange, and what makes a good resource."}
        pages.append(("/contribute/", front_matter(meta) + contributing.read_text(encoding="utf-8")))
    return pages


WHATS_NEW = 100  # newest resources listed on /whats-new/ (the feed carries the same)


def whats_new(resources: list[Resource]) -> str:
    """New and updated resources, newest first."""
    here = "/whats-new/"
    newest = sorted(resources, key=lambda r: (r.last_changed, r.title), reverse=True)[:WHATS_NEW]
    out = [front_matter({"title": "What's new", "description": "Resources new to the Exchange or updated, newest first, with the Atom feed to follow them in a feed reader.", "tie_page": "whats-new"}), "# What's new\n"]
    out.append(
        '<p>New and updated resources, newest first. Follow them in a feed reader with the '
        '<a href="../feed.xml" type="application/atom+xml">Atom feed</a>.</p>\n'  # a file, not a folder: no trailing slash
    )
    rows = "".join(
        f'<li class="tie-item"><a href="{attr(relative(here, r.address))}">{inline_html(r.title)}</a> '
        f'<span class="tie-item__kind">{inline_html(r.kind.label)}, '
        f'{"updated" if r.updated else "published"} <time datetime="{r.last_changed.isoformat()}">'
        f"{r.last_changed.day} {r.last_changed:%B %Y}</time></span><p>{inline_html(r.summary)}</p></li>"
        for r in newest
    )
    out.append(f'<ul class="tie-list">{rows}</ul>\n')
    return "\n".join(out)
