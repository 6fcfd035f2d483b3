"""Every page template has no axe-core violations (WCAG 2.2 A and AA, and best practice) in real Chromium,
as served by the app with its Content Security Policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import axe_violations

pytestmark = pytest.mark.browser

# One page of each template the site has: (name, address).
PAGES = [
    ("home", "/"),
    ("library", "/library/"),
    ("library, second page", "/library/page/2/"),
    ("theme", "/themes/governance/"),
    ("kind", "/kinds/guidance/"),
    ("kind, second page", "/kinds/guidance/page/2/"),
    ("ambition route", "/library/route/process-redesign/"),
    ("council type", "/library/council-type/unitary/"),
    ("region", "/library/region/scotland/"),
    ("empty filter", "/library/region/wales/"),
    ("case study: example and due for review", "/case-studies/front-door/"),
    ("guidance with related resources", "/guidance/budget-consultation/"),
    ("tool with a table", "/tools/reserves-checklist/"),
    ("training", "/training/scrutiny-skills/"),
    ("performance data with a link", "/data/council-tax-collection/"),
    ("support offer", "/support/peer-challenge/"),
    ("self-assessment", "/self-assessment/"),
    ("self-assessment theme", "/self-assessment/governance/"),
    ("what's new", "/whats-new/"),
    ("about", "/about/"),
    ("privacy", "/privacy/"),
    ("accessibility", "/accessibility/"),
    ("contribute", "/contribute/"),
    ("search, before a query", "/search/"),
    ("councils", "/councils/"),
    ("councils of a type, second page", "/councils/by-type/district/page/2/"),
    ("council", "/councils/abe/"),
    ("Northern Ireland council", "/councils/bfs/"),
    ("how similar councils are found", "/similar-councils/"),
    ("not found", "/no-such-page/"),
    ("an app page in the site's layout", "/app/no-such-page"),
]


@pytest.fixture
def load(page, library_server):
    def go(address: str):
        response = page.goto(library_server.url + address)
        page.wait_for_load_state("networkidle")
        return response

    return go


@pytest.mark.parametrize("address", [a for _, a in PAGES], ids=[n for n, _ in PAGES])
def test_page_has_no_axe_violations(load, page, address):
    load(address)
    assert axe_violations(page) == []


def test_the_not_found_pages_are_real_404s_in_the_sites_layout(load, page):
    assert load("/no-such-page/").status == 404
    assert page.locator(".md-header").count() == 1
    assert load("/app/no-such-page").status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert page.locator(".md-header").count() == 1  # the app's page shell is the site's


def test_search_page_with_results_showing_has_no_axe_violations(load, page):
    load("/search/")
    page.get_by_label("Search the library").fill("reserves")
    page.locator(".tie-search__results li").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


def test_search_page_with_a_filter_open_has_no_axe_violations(load, page):
    load("/search/")
    page.get_by_label("Search the library").fill("practice")
    expect(page.locator(".tie-search__status")).to_have_text(re.compile(r"^\d+ results for practice"))
    filters = page.locator(".tie-search__filters")
    filters.locator("summary").click()
    expect(filters).to_have_attribute("open", "")
    page.get_by_label("Leadership of place").check()
    expect(page.locator(".tie-search__status")).to_have_text(re.compile(r"^11 results for practice"))
    page.get_by_role("button", name="Show more results").wait_for(state="hidden")
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


def test_library_with_its_javascript_filters_active_has_no_axe_violations(load, page):
    load("/library/")
    page.get_by_role("checkbox", name="Financial planning and viability").check()
    page.get_by_role("checkbox", name="Guidance").check()
    assert page.locator("#tie-showing").inner_text().startswith("Showing 1")
    assert axe_violations(page) == []


def test_a_phone_sized_screen_has_no_axe_violations(browser, library_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        for address in ("/", "/library/", "/case-studies/front-door/", "/search/", "/councils/", "/councils/abe/"):
            page.goto(library_server.url + address)
            page.wait_for_load_state("networkidle")
            assert axe_violations(page) == [], address
    finally:
        context.close()
