"""Tables: a wide one scrolls inside a region a keyboard reaches and shows focus on (with or without JavaScript),
and the app's tables look like the site's (a left-aligned first column, borders, a header row set apart)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_form_controls import scenario, sessions  # noqa: F401 (the fixture, and its signed-in pages)
from tests.browser.test_site_keyboard import assert_focus_is_visible, tab_to
from tests.factories import axe_violations

pytestmark = pytest.mark.browser
WIDE = "/guidance/practice-note-00/"  # tests/conftest.py's WIDE_TABLE


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_a_wide_table_scrolls_in_a_named_region_the_keyboard_reaches(browser, library_server, javascript):
    context = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(library_server.url + WIDE)
        region = page.get_by_role("region", name="Recommendations tracker")
        expect(region).to_have_attribute("tabindex", "0")
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # wider than the phone: it scrolls
        assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the region, not the page
        tab_to(page, region)
        assert_focus_is_visible(page)
        page.keyboard.press("ArrowRight")
        for _ in range(40):  # scrolling is smooth, so it takes a moment (wait_for_function needs the page's scripts)
            if region.evaluate("e => e.scrollLeft") > 0:
                break
            page.wait_for_timeout(50)
        assert region.evaluate("e => e.scrollLeft") > 0
        if javascript:
            assert axe_violations(page) == []
    finally:
        context.close()


def test_the_who_sees_what_table_looks_like_the_sites_tables(browser, live_server, scenario):  # noqa: F811
    pages = sessions(browser, live_server, {**scenario, "who": {"sue": scenario["who"]["sue"]}}, {"width": 1280, "height": 900})
    page = pages["sue"]
    try:
        page.goto(live_server.url + scenario["open"] + "/publish")
        table = page.get_by_role("region", name="What each audience sees, for each choice").locator("table")
        first = table.locator("tbody th").first
        style = first.evaluate("e => { const s = getComputedStyle(e); return [s.textAlign, s.borderTopWidth, s.borderTopStyle] }")
        assert style[0] in ("left", "start") and style[1] != "0px" and style[2] == "solid"
        assert table.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
        header = table.locator("thead th").first.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderBottomStyle]")
        assert header == ["rgb(238, 243, 249)", "solid"]
        box, cell = table.bounding_box(), first.bounding_box()
        assert cell["x"] - box["x"] < 5  # the first column starts at the table's edge, not centred in it
    finally:
        for p in pages.values():
            p.context.close()
