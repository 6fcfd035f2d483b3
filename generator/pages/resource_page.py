"""The page of one resource: title, banners, metadata, the contributed body (marked for the sanitiser), related resources."""

from __future__ import annotations

import datetime as dt

from generator.content.facets import BY_ID as FACETS
from generator.content.kinds import BY_ID as KINDS
from generator.content.resources import Resource
from generator.pages.mdtext import attr, front_matter, inline_html, relative, text
from model import vocabulary as v
from model.register import Register

# The contributed part of a page runs from START, written here before the body, to the end of what
# Markdown makes of the page; generator/safe/mdsafe.py cleans all of it as Markdown's last step. Whatever the
# body does (an unclosed tag or comment, footnotes, which Markdown appends at the very end), it cannot
# reach outside that. The nonce is new for every build: the build checks that each page was cleaned.
START = "<!--tie-contributed-start {nonce}-->"


def _date(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _links(r: Resource, facet_id: str, ids) -> str:
    facet = FACETS[facet_id]
    labels = {t.id: t.label for t in facet.terms}
    return ", ".join(f'<a href="{attr(relative(r.address, facet.page(i)))}">{inline_html(labels[i])}</a>' for i in ids)


def _meta_rows(r: Resource, register: Register | None) -> list[tuple[str, str]]:
    rows = [("Kind", _links(r, "kind", [r.kind.id])), ("Themes", _links(r, "theme", r.themes))]
    if r.ambition_routes:
        rows.append(("Ambition routes", _links(r, "route", r.ambition_routes)))
    council = register.get(r.council) if (register and r.council) else None
    if council:
        where = f"{v.COUNCIL_TYPES.label(council.type)}, {v.REGIONS.label(council.region)}"
        rows.append(("Council", f"{inline_html(council.name)} ({inline_html(where)})"))
    if r.council_types:
        rows.append(("Suits", _links(r, "council-type", r.council_types)))
    if r.nations:
        rows.append(("Nations", inline_html(", ".join(v.NATIONS.label(n) for n in r.nations))))
    if r.regions:
        rows.append(("Regions", _links(r, "region", r.regions)))
    if r.provider:
        rows.append(("Provider", inline_html(r.provider)))
    if r.duration:
        rows.append(("Time needed", inline_html(r.duration)))
    if r.link and r.link.startswith("https://"):  # the check insists on https; no other link is ever written
        rows.append(("Link", f'<a href="{attr(r.link)}" rel="noopener">{inline_html(r.link)}</a>'))
    rows.append(("Published", f'<time datetime="{r.published.isoformat()}">{_date(r.published)}</time>'))
    if r.updated:
        rows.append(("Updated", f'<time datetime="{r.updated.isoformat()}">{_date(r.updated)}</time>'))
    rows.append(("Review by", f'<time datetime="{r.review_by.isoformat()}">{_date(r.review_by)}</time>'))
    rows.append(("Contact", f'{inline_html(r.contact.name)}, <a href="mailto:{attr(r.contact.email)}">{inline_html(r.contact.email)}</a>'))
    rows.append(("Licence", inline_html(v.LICENCES.label(r.licence))))
    return rows


def render(r: Resource, related: list[Resource], register: Register | None, nonce: str, today: dt.date) -> str:
    """The generated Markdown of a resource's page."""
    kind = KINDS[r.kind.id]
    # Related resources are listed by the page template (overrides/partials/tie-related.html), after the
    # contributed part.
    related_meta = [{"url": relative(r.address, o.address), "title": o.title, "kind": o.kind.label} for o in related]
    meta = {"title": r.title, "description": r.summary, "tie_page": "resource", "tie_nonce": nonce, "tie_related": related_meta,
            "tie_changed": r.last_changed.isoformat()}  # the sitemap's lastmod (generator/overrides/sitemap.xml)
    out = [front_matter(meta)]
    out.append(f"# {text(r.title)}\n")
    out.append(f'<p class="tie-lede">{inline_html(r.summary)}</p>\n')
    if r.example:
        out.append(
            '<div class="tie-banner tie-banner--example" role="note"><p><strong>Example case study.</strong> '
            "This is an illustrative example written to show what good practice can look like. "
            "It is not an account of what any named council did.</p></div>\n"
        )
    if r.stale(today):
        out.append(
            '<div class="tie-banner tie-banner--stale" role="note"><p><strong>Due for review.</strong> '
            f"This page was due to be reviewed by {_date(r.review_by)}. Some details may be out of date; "
            f'check with <a href="mailto:{attr(r.contact.email)}">{inline_html(r.contact.name)}</a>.</p></div>\n'
        )
    rows = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in _meta_rows(r, register))
    out.append(f'<dl class="tie-meta" aria-label="About this {attr(kind.label.lower())}">{rows}</dl>\n')
    out.append(START.format(nonce=nonce) + "\n\n" + r.body.strip("\n") + "\n")
    return "\n".join(out) + "\n"
