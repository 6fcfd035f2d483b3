"""What keeps the build linear and its pages flat as the library grows (structure, not speed):
a few related resources per page, a navigation of fixed size, listings of at most 50 items a page,
and resource pages whose size does not depend on how many resources there are.

The libraries are synthetic (benchmarks/synthetic.py, as the build benchmark uses), built for real."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from pathlib import Path

import pytest

from benchmarks import synthetic
from functions.settings import ROOT
from generator.build import build
from generator.content.library import load
from generator.pages.listings import PAGE_SIZE
from generator.pages.related import RELATED
from tests.factories import COUNCILS, EXAMPLES
from tests.html_tree import parse

SMALL, LARGE = 30, 300
TODAY = dt.date(2026, 11, 27)
QUESTIONNAIRE = EXAMPLES / "questionnaire"
ITEM = '<li class="tie-item"'


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, tuple[Path, list[str]]]:
    """The real build of a synthetic library of SMALL and of LARGE resources: (site, resource addresses)."""
    inputs = synthetic.inputs(COUNCILS, QUESTIONNAIRE)
    built = {}
    for n in (SMALL, LARGE):
        tmp = tmp_path_factory.mktemp(f"library-{n}")
        synthetic.write_library(tmp / "content", n, inputs)
        lib = load(tmp / "content", QUESTIONNAIRE, COUNCILS)
        assert [str(p) for p in lib.problems] == []
        build(lib, ROOT, tmp / "build" / "docs", tmp / "site", tmp / "content", today=TODAY)
        built[n] = (tmp / "site", [r.address for r in lib.published])
    return built


def page(site: Path, address: str) -> str:
    return (site / address.strip("/") / "index.html").read_text(encoding="utf-8")


def resource_pages(sites, n: int) -> dict[str, str]:
    site, addresses = sites[n]
    return {a: page(site, a) for a in addresses}


def test_every_resource_page_lists_at_most_five_related_resources(sites):
    counts = []
    for html in resource_pages(sites, LARGE).values():
        related = parse(html).find("section", class_="tie-related")
        counts.append(len(related.find_all("li")) if related else 0)
    assert max(counts) == RELATED == 5  # always the full few when there are plenty to choose from
    assert min(counts) == RELATED


def _nav_links(html: str) -> int:
    nav = next(e for e in parse(html).find_all("nav") if "md-nav--primary" in (e.attrs.get("class") or ""))
    return len(nav.find_all("a"))


def test_the_navigation_holds_the_same_links_on_every_resource_page_however_large_the_library(sites):
    counts = {n: {_nav_links(html) for html in resource_pages(sites, n).values()} for n in (SMALL, LARGE)}
    assert counts[SMALL] == counts[LARGE]
    assert len(counts[LARGE]) == 1, f"resource pages differ in their navigation: {counts[LARGE]}"
    assert 0 < counts[LARGE].pop() < 60


def test_listing_pages_hold_at_most_fifty_items_and_together_list_everything(sites):
    site, addresses = sites[LARGE]
    listings = [p for folder in ("library", "themes", "kinds") for p in (site / folder).rglob("index.html")]
    assert len(listings) > 20
    for listing in listings:
        items = listing.read_text(encoding="utf-8").count(ITEM)
        assert items <= PAGE_SIZE, f"{listing.relative_to(site)}: {items} items"
    library = [site / "library" / "index.html", *sorted((site / "library" / "page").glob("*/index.html"))]
    assert len(library) == -(-LARGE // PAGE_SIZE)
    listed = [a for p in library for a in re.findall(ITEM + r'><a href="([^"]+)"', p.read_text(encoding="utf-8"))]
    assert len(listed) == len(set(listed)) == len(addresses)


def test_a_resource_page_is_the_same_size_whatever_the_size_of_the_library(sites):
    small, large = resource_pages(sites, SMALL), resource_pages(sites, LARGE)
    # The first SMALL resources are the same files in both libraries, so their pages compare like with like.
    for address, html in small.items():
        ratio = len(large[address].encode()) / len(html.encode())
        assert 0.9 <= ratio <= 1.1, (
            f"{address}: {len(html.encode())} bytes among {SMALL}, {len(large[address].encode())} among {LARGE}"
        )
    median = statistics.median(len(h.encode()) for h in large.values()) / statistics.median(
        len(h.encode()) for h in small.values()
    )
    assert 0.9 <= median <= 1.1
