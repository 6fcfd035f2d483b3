"""Search: Pagefind's index and interface, served by the app under its Content Security Policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
DONE = re.compile(r"^(\d+ results?|No results) for ")  # the message once a search has finished ("Searching for ..." before)


@pytest.fixture
def search(page, live_server):
    """The search page, loaded through the app, with every console error and warning kept."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(live_server.url + "/search/")
    box = page.get_by_label("Search the library")

    def query(text: str):
        box.fill(text)
        expect(page.locator(".pagefind-ui__message")).to_have_text(DONE)
        result_titles(page)  # every result loaded: the filters' counts are this search's too
        return page.locator(".pagefind-ui__result")

    query.page = page
    query.problems = problems
    yield query
    assert [p for p in problems if "Content Security Policy" in p or "Refused to" in p] == []


def result_titles(page) -> list[str]:
    """The titles of the results, once each has loaded (Pagefind fetches every result's text separately)."""
    message = page.locator(".pagefind-ui__message")
    expect(message).to_have_text(DONE)
    first_word = message.inner_text().split()[0]
    count = 0 if first_word == "No" else int(first_word)
    expect(page.locator(".pagefind-ui__result-title")).to_have_count(count)
    return page.locator(".pagefind-ui__result-title").all_inner_texts()


def open_filter(page, name: str) -> None:
    block = page.locator(".pagefind-ui__filter-block", has=page.locator(".pagefind-ui__filter-name", has_text=name))
    block.locator("summary").click()
    expect(block).to_have_attribute("open", "")


def test_a_query_finds_the_right_resource(search, live_server):
    results = search("reserves")
    assert result_titles(search.page)[0] == "Reserves policy checklist"
    results.first.get_by_role("link", name="Reserves policy checklist").click()
    expect(search.page).to_have_url(live_server.url + "/tools/reserves-checklist/")


def test_a_council_named_only_in_the_metadata_is_found(search):
    search("aberdeen")
    assert result_titles(search.page) == ["Redesigning the front door"]


def test_words_that_appear_nowhere_find_nothing(search):
    search("zanzibar")
    expect(search.page.locator(".pagefind-ui__message")).to_have_text("No results for zanzibar")


def test_a_kind_filter_narrows_the_results(search):
    search("council")
    before = result_titles(search.page)
    assert len(before) > 1
    open_filter(search.page, "Kind")
    search.page.get_by_label("Support offers").check()
    expect(search.page.locator(".pagefind-ui__message")).to_have_text("1 result for council")
    assert result_titles(search.page) == ["Corporate peer challenge"]


def test_a_theme_filter_narrows_the_results(search):
    search("council")
    open_filter(search.page, "Theme")
    search.page.get_by_label("Financial planning and viability").check()
    expect(search.page.locator(".pagefind-ui__message")).to_have_text("1 result for council")
    assert result_titles(search.page) == ["Council tax collection rates"]


def test_search_needs_no_request_beyond_the_site(page, live_server):
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(live_server.url + "/search/")
    page.get_by_label("Search the library").fill("peer")
    page.locator(".pagefind-ui__result").first.wait_for()
    assert elsewhere == []


def test_without_javascript_the_search_page_points_to_the_library(no_js_page, live_server):
    no_js_page.goto(live_server.url + "/search/")
    assert "Search needs JavaScript" in no_js_page.locator("#tie-search").inner_text()
    no_js_page.get_by_role("link", name="browse the library").click()
    assert no_js_page.url == live_server.url + "/library/"
