"""The results as people read them: the chart legible on a phone, and printed, a committee summary of a few pages
with every statement's table only as an appendix asked for."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_form_controls import VIEWPORTS, sessions
from tests.browser.test_form_controls import scenario as scenario  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def pdf_pages(page) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", page.pdf(format="A4")))


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_the_charts_words_are_at_least_12_css_px_and_it_fits_the_screen(browser, live_server, scenario, width):
    pages = sessions(browser, live_server, scenario, VIEWPORTS[width])
    page = pages["sue"]
    try:
        page.goto(live_server.url + scenario["published"] + "/results")
        chart = page.locator("svg.tie-chart")
        sizes = chart.evaluate(
            "svg => [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * svg.getScreenCTM().a)"
        )
        assert min(sizes) >= 12, min(sizes)
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[width]["width"]
    finally:
        for p in pages.values():
            p.context.close()


def test_printed_results_are_a_short_committee_summary_with_the_full_table_only_as_an_appendix(browser, live_server, scenario):
    pages = sessions(browser, live_server, scenario, VIEWPORTS["1280"])
    page = pages["sue"]
    try:
        page.goto(live_server.url + scenario["published"] + "/results")
        page.emulate_media(media="print")
        for part in ("#themes", "#strengths", "#improvements", "svg.tie-chart"):
            expect(page.locator(part)).to_be_visible()
        expect(page.locator(".tie-appendix")).to_be_hidden()
        expect(page.locator(".tie-downloads")).to_be_hidden()
        summary = pdf_pages(page)
        assert summary <= 4  # a few pages: the 2026 questionnaire's 40 statements print to 5 (docs/benchmarks.md)
        page.goto(live_server.url + scenario["published"] + "/results?appendix=1")
        page.emulate_media(media="print")
        expect(page.get_by_role("heading", name="Appendix: every statement")).to_be_visible()
        assert pdf_pages(page) > summary
        page.emulate_media(media="screen")
        page.goto(live_server.url + scenario["published"] + "/results")
        expect(page.get_by_role("heading", name="Every statement")).to_be_visible()  # on screen it is always there
    finally:
        for p in pages.values():
            p.context.close()
