"""The official results beside similar councils', as a member reads them in Chromium: no axe violations, the charts'
words at least 12 CSS px on a phone, every statement's table reachable without JavaScript."""

from __future__ import annotations

import pytest

from functions.web.security import SESSION_COOKIE
from tests.factories import PeopleFactory, axe_violations, control_problems
from tests.results.test_benchmark_comparisons import COUNCIL, a_release
from tests.results.test_results_pages import OFFICIAL, T0, publish

pytestmark = pytest.mark.browser


@pytest.fixture
def compared(live_server):
    """A member of a council whose official results have comparisons (shown, blank and kept figures); the page's address."""
    r = publish(live_server.app, COUNCIL, T0, OFFICIAL)
    a_release(live_server.app)
    people = PeopleFactory(live_server.app)
    token = people.session(people.add("ada@bristol.gov.uk", council=COUNCIL))
    cookie = {"name": SESSION_COOKIE, "value": token, "domain": "127.0.0.1", "path": "/", "secure": True, "httpOnly": True}
    return cookie, f"{live_server.url}/app/councils/{COUNCIL}/rounds/{r.id}/results"


@pytest.mark.parametrize("width", [1280, 375])
def test_the_results_with_comparisons_have_no_axe_violations_and_legible_charts(browser, compared, width):
    cookie, address = compared
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        context.add_cookies([cookie])
        page = context.new_page()
        page.goto(address)
        page.get_by_role("heading", name="Compared with similar councils").wait_for()
        for details in page.locator("details.tie-bench__statements").all():
            details.evaluate("d => d.open = true")
        assert axe_violations(page) == []
        assert control_problems(page) == []
        charts = page.locator("svg.tie-chart--distribution")
        assert charts.count() == 5
        sizes = charts.first.evaluate(
            "svg => [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * svg.getScreenCTM().a)"
        )
        assert min(sizes) >= 12, min(sizes)
        box = charts.first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        # nothing of the comparisons runs off the screen: wide tables scroll in their own region, captions included
        wider = page.evaluate(
            f"[...document.querySelectorAll('section.tie-bench *')].filter(e => !e.closest('.tie-table-wrap')"
            f" && e.getBoundingClientRect().right > {width} + 1).map(e => e.tagName + '.' + e.className)"
        )
        assert wider == []
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('section.tie-bench *')].filter(e => e.childNodes.length"
            " && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && !e.closest('svg'))"
            ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 12, smallest  # the words around the charts too
        captions = page.evaluate(
            "[...document.querySelectorAll('.tie-bench__table caption')].map(c => c.getBoundingClientRect().right)"
        )
        assert max(captions) <= width + 1
    finally:
        context.close()


def test_every_statements_comparison_opens_without_javascript(browser, compared):
    cookie, address = compared
    context = browser.new_context(java_script_enabled=False)
    try:
        context.add_cookies([cookie])
        page = context.new_page()
        page.goto(address)
        first = page.locator("details.tie-bench__statements").first
        first.locator("summary").click()
        assert first.get_by_role("table").first.is_visible()
    finally:
        context.close()
