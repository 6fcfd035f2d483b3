"""Search: the static index (generator/search/index.py) and its page (assets/search.js), served by the app
under its Content Security Policy, in real Chromium. What the browser finds is checked against the same
query evaluated in Python over the same files."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from model import search as ms
from tests.browser.test_site_keyboard import assert_focus_is_visible, tab_to
from tests.factories import axe_violations

pytestmark = pytest.mark.browser
DONE = re.compile(r"^(\d[\d,]* results?|No results|Showing results) for ")


@pytest.fixture
def search(page, library_server):
    """The search page, loaded through the app; every console message of note and request elsewhere is kept
    and must be none at the end."""
    problems: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(library_server.url) else None)

    def query(text: str, address: str = "/search/") -> list[str]:
        if page.url != library_server.url + address:
            page.goto(library_server.url + address)
        page.get_by_label("Search the library").fill(text)
        return titles(page)

    query.page = page
    query.url = library_server.url
    yield query
    assert problems == []
    assert elsewhere == []


def status(page):
    return page.locator(".tie-search__status")


def titles(page) -> list[str]:
    """The titles of the results shown, once the search has finished."""
    expect(status(page)).to_have_text(DONE)
    return page.locator(".tie-search__results .tie-item > a").all_inner_texts()


def check(page, label: str) -> list[str]:
    """Tick a filter and return the titles once the results have changed with it."""
    before = status(page).inner_text()
    page.get_by_label(label).check()
    expect(status(page)).not_to_have_text(before)
    return titles(page)


def expected(site, query: str, **chosen) -> list[str]:
    """The titles Python's evaluation of the same index finds, best first."""
    index = ms.Index(site / "search")
    return [index.document(doc_id)[1] for doc_id, _ in ms.search(index, query, chosen)]


def test_a_query_finds_the_right_resource(search):
    assert search("reserves")[0] == "Reserves policy checklist"
    search.page.get_by_role("link", name="Reserves policy checklist").click()
    expect(search.page).to_have_url(search.url + "/tools/reserves-checklist/")


def test_results_show_each_resources_kind_and_summary(search):
    search("reserves")
    first = search.page.locator(".tie-search__results .tie-item").first
    expect(first.locator(".tie-item__kind")).to_have_text("Tool")
    expect(first.locator("p")).to_have_text(re.compile(r"\w"))


def test_the_browser_ranks_as_python_does(search, library_site):
    for query in ("council", "budget consultation", "practice note", "consul", "scrutiny for councillors", "checklist "):
        found, python = search(query), expected(library_site, query)
        assert found == python[:20], query
        expect(status(search.page)).to_have_text(f"{len(python)} result{'s' if len(python) > 1 else ''} for {query.strip()}")


def test_the_last_word_matches_the_words_it_begins_while_it_is_typed(search, library_site):
    assert search("reserv") == search("reserves")
    assert "Scrutiny skills for councillors" in search("councill")
    # a finished word is matched whole: "councill" is then a slip for "council", not the start of "councillors"
    assert search("councill ") == expected(library_site, "council ")[:20]
    expect(status(search.page)).to_have_text(re.compile(r"^Showing results for council: "))


def test_a_council_named_only_in_the_metadata_is_found(search):
    assert search("aberdeen") == ["Redesigning the front door"]


def test_words_that_appear_nowhere_find_nothing(search):
    assert search("zanzibar") == []
    expect(status(search.page)).to_have_text("No results for zanzibar")


def test_the_result_count_is_announced(search):
    found = search("council")
    expect(status(search.page)).to_have_text(f"{len(found)} results for council")
    assert status(search.page).get_attribute("role") == "status"


def open_filters(page) -> None:
    page.get_by_text("Filter by kind, theme or ambition route").click()


def test_a_kind_filter_narrows_the_results(search, library_site):
    before = search("council")
    assert len(before) > 1
    open_filters(search.page)
    assert (
        check(search.page, "Support offers")
        == ["Corporate peer challenge"]
        == expected(library_site, "council", kind=["support"])
    )
    expect(status(search.page)).to_have_text("1 result for council")


def test_a_theme_filter_narrows_the_results(search, library_site):
    before = search("council")
    open_filters(search.page)
    after = check(search.page, "Financial planning and viability")
    assert 0 < len(after) < len(before)
    assert after == expected(library_site, "council", theme=["financial-planning"])


def test_filters_of_one_kind_widen_and_of_two_kinds_narrow(search, library_site):
    search("council")
    open_filters(search.page)
    assert check(search.page, "Support offers") == ["Corporate peer challenge"]
    assert sorted(check(search.page, "Training")) == ["Corporate peer challenge", "Scrutiny skills for councillors"]
    narrowed = check(search.page, "Leadership of place")
    assert (
        narrowed
        == ["Corporate peer challenge"]
        == expected(library_site, "council", kind=["support", "training"], theme=["leadership-of-place"])
    )


def test_filters_alone_list_everything_that_matches(search, library_site):
    search.page.goto(search.url + "/search/?theme=governance&kind=guidance")
    found = titles(search.page)
    assert found == expected(library_site, "", theme=["governance"], kind=["guidance"])[:20]
    expect(status(search.page)).to_have_text(re.compile(r"^\d+ results for the filters chosen$"))


def test_a_linked_address_shows_its_search(search):
    search.page.goto(search.url + "/search/?q=council&kind=support")
    assert titles(search.page) == ["Corporate peer challenge"]
    expect(search.page.get_by_label("Search the library")).to_have_value("council")
    expect(search.page.get_by_label("Support offers")).to_be_checked()
    expect(search.page.locator(".tie-search__filters")).to_have_attribute("open", "")


def test_the_address_follows_the_search_and_the_back_button_returns_to_the_one_before(search):
    search("reserves")
    search.page.get_by_label("Search the library").press("Enter")
    expect(search.page).to_have_url(search.url + "/search/?q=reserves")
    open_filters(search.page)
    search.page.get_by_label("Tools and templates").check()
    expect(search.page).to_have_url(search.url + "/search/?q=reserves&kind=tool")
    search.page.go_back()
    expect(search.page).to_have_url(search.url + "/search/?q=reserves")
    expect(search.page.get_by_label("Tools and templates")).not_to_be_checked()
    assert titles(search.page)[0] == "Reserves policy checklist"
    expect(status(search.page)).not_to_contain_text("1 result")


def test_more_results_are_shown_on_request_and_focus_moves_to_the_first_of_them(search):
    found = search("practice")
    expect(status(search.page)).to_have_text("55 results for practice")
    assert len(found) == 20
    more = search.page.get_by_role("button", name="Show more results")
    more.click()
    expect(search.page.locator(".tie-search__results .tie-item > a").nth(20)).to_be_focused()
    more.click()
    expect(search.page.locator(".tie-search__results .tie-item")).to_have_count(55)
    expect(more).to_be_hidden()


def test_search_works_with_the_keyboard_alone(search):
    page = search.page
    page.goto(search.url + "/search/")
    box = page.get_by_label("Search the library")
    tab_to(page, box)
    assert_focus_is_visible(page)
    page.keyboard.type("council")
    page.keyboard.press("Enter")
    titles(page)
    summary = page.locator(".tie-search__filters summary")
    tab_to(page, summary)
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    support = page.get_by_label("Support offers")
    tab_to(page, support)
    assert_focus_is_visible(page)
    page.keyboard.press("Space")
    expect(status(page)).to_have_text("1 result for council")
    first = page.get_by_role("link", name="Corporate peer challenge")
    tab_to(page, first)
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(search.url + "/support/peer-challenge/")


def test_the_search_page_with_results_and_filters_has_no_axe_violations(search):
    search("practice")
    assert axe_violations(search.page) == []
    open_filters(search.page)
    search.page.get_by_label("Leadership of place").check()
    expect(status(search.page)).to_have_text("11 results for practice")
    assert axe_violations(search.page) == []


def no_js_titles(page) -> list[str]:
    return page.locator(".tie-search__results .tie-item > a").all_inner_texts()


QUERIES = ("council", "budget consultation", "practice note", "consul", "scrutiny for councillors", "budgt")


def test_without_javascript_the_search_page_sends_the_search_to_the_apps_page_with_the_same_first_results(
    no_js_page, page, library_server
):
    for query in QUERIES:
        no_js_page.goto(library_server.url + "/search/")
        no_js_page.get_by_label("Search the library").fill(query)
        no_js_page.get_by_label("Search the library").press("Enter")
        expect(no_js_page).to_have_url(re.compile(re.escape(library_server.url + "/app/search/?q=")))
        page.goto(library_server.url + "/search/")
        page.get_by_label("Search the library").fill(query)
        assert no_js_titles(no_js_page) == titles(page), query
        assert no_js_page.locator(".tie-search__status").inner_text() == status(page).inner_text(), query


def test_without_javascript_filters_ticked_on_the_search_page_narrow_the_apps_results_as_they_do_with_it(no_js_page, page, library_server):
    no_js_page.goto(library_server.url + "/search/")
    no_js_page.get_by_label("Search the library").fill("council")
    open_filters(no_js_page)
    no_js_page.get_by_label("Training").check()
    no_js_page.get_by_label("Support offers").check()
    no_js_page.get_by_role("button", name="Search", exact=True).last.click()
    expect(no_js_page).to_have_url(library_server.url + "/app/search/?q=council&kind=training&kind=support")
    page.goto(library_server.url + "/search/?q=council&kind=training&kind=support")
    assert no_js_titles(no_js_page) == titles(page)
    assert sorted(titles(page)) == ["Corporate peer challenge", "Scrutiny skills for councillors"]
    expect(no_js_page.get_by_label("Support offers")).to_be_checked()


def test_a_slip_of_the_keyboard_finds_what_was_meant_and_says_so(search, library_site):
    found = search("budgt")
    assert found and found == expected(library_site, "budget")[:20]
    expect(status(search.page)).to_have_text(re.compile(r"^Showing results for budget: \d+ results?\. Nothing matched budgt\.$"))


def test_the_header_search_box_goes_to_the_search_page_with_javascript_and_to_the_apps_page_without(page, no_js_page, library_server):
    page.goto(library_server.url + "/guidance/budget-consultation/")
    box = page.get_by_role("search", name="Search the Exchange").get_by_label("Search the Exchange")
    box.fill("reserves")
    box.press("Enter")
    expect(page).to_have_url(library_server.url + "/search/?q=reserves")
    assert titles(page)[0] == "Reserves policy checklist"
    no_js_page.goto(library_server.url + "/guidance/budget-consultation/")
    box = no_js_page.get_by_role("search", name="Search the Exchange").get_by_label("Search the Exchange")
    box.fill("budgt")
    box.press("Enter")
    expect(no_js_page).to_have_url(library_server.url + "/app/search/?q=budgt")
    expect(no_js_page.locator(".tie-search__status")).to_have_text(re.compile(r"^Showing results for budget: "))
    # on the app's own pages too, whose header is the site's
    no_js_page.get_by_role("search", name="Search the Exchange").get_by_label("Search the Exchange").fill("reserves")
    no_js_page.get_by_role("search", name="Search the Exchange").get_by_label("Search the Exchange").press("Enter")
    expect(no_js_page).to_have_url(library_server.url + "/app/search/?q=reserves")
    assert no_js_titles(no_js_page)[0] == "Reserves policy checklist"


def test_the_apps_page_of_results_has_no_axe_violations(page, library_server):
    page.goto(library_server.url + "/app/search/?q=practice&theme=leadership-of-place")
    assert len(no_js_titles(page)) == 11
    assert axe_violations(page) == []
