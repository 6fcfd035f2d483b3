"""The site with a keyboard alone: the skip link comes first and leads to the content, the library's
filters and the search work without a pointer, and whatever has focus shows it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def focused(page):
    return page.locator(":focus")


def tab_to(page, locator, limit: int = 120) -> None:
    """Press Tab until `locator` has focus (as a person would), failing if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def assert_focus_is_visible(page) -> None:
    style = focused(page).evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, s.boxShadow] }"
    )
    outline_style, outline_width, outline_colour, shadow = style
    assert (outline_style != "none" and outline_width >= 2 and outline_colour != "rgba(0, 0, 0, 0)") or shadow != "none", style


@pytest.mark.parametrize("address", ["/", "/library/", "/case-studies/front-door/", "/search/", "/self-assessment/", "/about/"])
def test_the_skip_link_comes_first_and_moves_focus_to_the_content(page, library_server, address):
    page.goto(library_server.url + address)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown when focused, though hidden until then
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(".md-content :focus")).to_have_count(1)


def test_the_library_filters_work_with_the_keyboard_alone(page, library_server):
    page.goto(library_server.url + "/library/")
    box = page.get_by_role("checkbox", name="Capacity to deliver")
    tab_to(page, box)
    assert_focus_is_visible(page)
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    expect(page.locator("#tie-showing")).to_have_text("Showing 12 resources.")
    expect(box).to_be_focused()  # the list changes; the place in the form does not
    first = page.locator("#tie-results .tie-item > a").first
    tab_to(page, first)
    assert_focus_is_visible(page)
    title = first.inner_text()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def test_without_javascript_the_filter_links_work_with_the_keyboard(no_js_page, library_server):
    page = no_js_page
    page.goto(library_server.url + "/library/")
    link = page.get_by_role("navigation", name="Filter the library").get_by_role("link", name="Training")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(library_server.url + "/kinds/training/")


def test_more_results_come_with_the_keyboard_and_focus_moves_to_the_first_new_one(page, library_server):
    page.goto(library_server.url + "/library/")
    tab_to(page, page.get_by_role("checkbox", name="Guidance"))
    page.keyboard.press("Space")
    more = page.get_by_role("button", name="Show more results")
    tab_to(page, more)
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#tie-results .tie-item > a").nth(50)).to_be_focused()


def test_search_works_with_the_keyboard_alone(page, library_server):
    page.goto(library_server.url + "/search/")
    box = page.get_by_label("Search the library")
    box.wait_for()
    tab_to(page, box)
    assert_focus_is_visible(page)
    page.keyboard.type("reserves")
    page.keyboard.press("Enter")
    first = page.locator(".tie-search__results .tie-item > a").first
    expect(first).to_have_text("Reserves policy checklist")
    tab_to(page, first)
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(library_server.url + "/tools/reserves-checklist/")


def test_search_filters_work_with_the_keyboard_alone(page, library_server):
    page.goto(library_server.url + "/search/")
    box = page.get_by_label("Search the library")
    tab_to(page, box)
    page.keyboard.type("council")
    expect(page.locator(".tie-search__status")).to_contain_text("for council")
    filters = page.locator(".tie-search__filters summary")
    tab_to(page, filters)
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    support = page.get_by_label("Support offers")
    tab_to(page, support)
    page.keyboard.press("Space")
    expect(page.locator(".tie-search__status")).to_have_text("1 result for council")


def test_the_feedback_and_footer_links_show_focus(page, library_server):
    page.goto(library_server.url + "/about/")
    for locator in (page.get_by_role("button", name="Yes"), page.locator(".md-copyright a").first):
        tab_to(page, locator)
        assert_focus_is_visible(page)
