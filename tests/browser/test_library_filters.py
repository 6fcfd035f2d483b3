"""The library's filters: plain links that work without JavaScript, and with it, checkboxes that filter instantly."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FACET_PAGES = {
    "kind": ("Guidance", "/kinds/guidance/"),
    "theme": ("Financial planning and viability", "/themes/financial-planning/"),
    "ambition route": ("Process redesign", "/library/route/process-redesign/"),
    "council type": ("Unitary council", "/library/council-type/unitary/"),
    "region": ("Scotland", "/library/region/scotland/"),
}


def titles(page) -> list[str]:
    return page.locator("#tie-results .tie-item > a").all_inner_texts()


def library(site) -> list[dict]:
    return json.loads((site / "library.json").read_text(encoding="utf-8"))["resources"]


@pytest.mark.parametrize("facet", list(FACET_PAGES))
def test_without_javascript_each_filter_is_a_link_to_a_list_of_what_matches(no_js_page, library_server, library_site, facet):
    label, address = FACET_PAGES[facet]
    page = no_js_page
    page.goto(library_server.url + "/library/")
    page.get_by_role("navigation", name="Filter the library").get_by_role("link", name=label).click()
    assert page.url == library_server.url + address
    assert page.get_by_role("heading", level=1).inner_text().startswith(label)
    key = {"kind": "kind", "theme": "theme", "ambition route": "route", "council type": "council-type", "region": "region"}[facet]
    value = address.rstrip("/").rsplit("/", 1)[1]
    expected = [r for r in library(library_site) if (r["kind"] == value if key == "kind" else value in r[key])]
    assert page.locator("#tie-showing").inner_text() == f"Showing 1 to {min(len(expected), 50)} of {len(expected)}."
    assert set(titles(page)) <= {r["title"] for r in expected}
    current = page.get_by_role("navigation", name="Filter the library").locator('a[aria-current="page"]')
    assert current.count() == 1 and current.inner_text().startswith(label)


def test_without_javascript_a_long_list_runs_to_a_second_page(no_js_page, library_server, library_site):
    page = no_js_page
    page.goto(library_server.url + "/library/")
    total = len(library(library_site))
    assert len(titles(page)) == 50
    page.get_by_role("navigation", name="Pages of this list").get_by_role("link", name="Next page").click()
    assert page.url == library_server.url + "/library/page/2/"
    assert page.locator("#tie-showing").inner_text() == f"Showing 51 to {total} of {total}."
    assert len(titles(page)) == total - 50
    page.get_by_role("link", name="Previous page").click()
    assert page.url == library_server.url + "/library/"


def test_without_javascript_show_everything_returns_to_the_whole_library(no_js_page, library_server):
    page = no_js_page
    page.goto(library_server.url + "/themes/governance/")
    page.get_by_role("link", name="Show everything").click()
    assert page.url == library_server.url + "/library/"


def test_ticking_filters_narrows_the_list_and_announces_the_count(page, library_server, library_site):
    page.goto(library_server.url + "/library/")
    showing = page.locator("#tie-showing")
    assert showing.get_attribute("aria-live") == "polite"
    page.get_by_role("checkbox", name="Financial planning and viability").check()
    finance = [r for r in library(library_site) if "financial-planning" in r["theme"]]
    expect(showing).to_have_text(f"Showing {len(finance)} resources.")
    assert sorted(titles(page)) == sorted(r["title"] for r in finance)

    page.get_by_role("checkbox", name="Tools and templates").check()  # another facet: both must hold
    both = [r for r in finance if r["kind"] == "tool"]
    expect(showing).to_have_text("Showing 1 resource.")
    assert titles(page) == [r["title"] for r in both] == ["Reserves policy checklist"]

    page.get_by_role("checkbox", name="Guidance").check()  # same facet: either may hold
    either = [r for r in finance if r["kind"] in ("tool", "guidance")]
    expect(showing).to_have_text(f"Showing {len(either)} resources.")
    assert sorted(titles(page)) == sorted(r["title"] for r in either)


def test_unticking_every_filter_restores_the_first_page_of_the_library(page, library_server):
    page.goto(library_server.url + "/library/")
    before = titles(page)
    box = page.get_by_role("checkbox", name="Scotland")
    box.check()
    expect(page.locator("#tie-results .tie-item")).to_have_count(1)
    box.uncheck()
    assert titles(page) == before
    assert page.locator("#tie-showing").inner_text().startswith("Showing 1 to 50 of ")
    assert page.get_by_role("link", name="Next page").count() == 1


def test_more_than_fifty_matches_come_fifty_at_a_time(page, library_server, library_site):
    page.goto(library_server.url + "/library/")
    page.get_by_role("checkbox", name="Guidance").check()
    guidance = [r for r in library(library_site) if r["kind"] == "guidance"]
    assert len(guidance) > 50
    expect(page.locator("#tie-showing")).to_have_text(f"Showing {len(guidance)} resources.")
    assert len(titles(page)) == 50
    page.get_by_role("button", name="Show more results").click()
    assert len(titles(page)) == len(guidance)
    assert page.get_by_role("button", name="Show more results").count() == 0
    expect(page.get_by_role("link", name=guidance[50]["title"])).to_be_focused()


def test_a_filter_pages_own_value_starts_ticked(page, library_server):
    page.goto(library_server.url + "/themes/governance/")
    assert page.get_by_role("checkbox", name="Organisational leadership and governance").is_checked()
    assert page.get_by_role("checkbox", name="Leadership of place").is_checked() is False


def test_library_json_is_fetched_only_when_a_filter_changes(page, library_server):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("/library.json") else None)
    page.goto(library_server.url + "/library/")
    page.wait_for_load_state("networkidle")
    assert fetched == []
    with page.expect_response(lambda r: r.url.endswith("/library.json") and r.ok):
        page.get_by_role("checkbox", name="Training").check()
    assert fetched == [library_server.url + "/library.json"]


def test_ticked_filters_are_in_the_address_and_back_and_forward_return_to_each_view(page, library_server, library_site):
    base = library_server.url
    page.goto(base + "/library/")
    showing = page.locator("#tie-showing")
    finance = [r for r in library(library_site) if "financial-planning" in r["theme"]]
    page.get_by_role("checkbox", name="Financial planning and viability").check()
    expect(page).to_have_url(base + "/library/?theme=financial-planning")
    expect(showing).to_have_text(f"Showing {len(finance)} resources.")
    page.get_by_role("checkbox", name="Tools and templates").check()
    expect(page).to_have_url(base + "/library/?kind=tool&theme=financial-planning")
    expect(showing).to_have_text("Showing 1 resource.")

    page.go_back()
    expect(page).to_have_url(base + "/library/?theme=financial-planning")
    expect(page.get_by_role("checkbox", name="Tools and templates")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Financial planning and viability")).to_be_checked()
    expect(showing).to_have_text(f"Showing {len(finance)} resources.")
    page.go_back()
    expect(page).to_have_url(base + "/library/")
    expect(page.get_by_role("checkbox", name="Financial planning and viability")).not_to_be_checked()
    expect(showing).to_have_text(f"Showing 1 to 50 of {len(library(library_site))}.")
    page.go_forward()
    page.go_forward()
    expect(page).to_have_url(base + "/library/?kind=tool&theme=financial-planning")
    expect(showing).to_have_text("Showing 1 resource.")
    assert titles(page) == ["Reserves policy checklist"]


def test_an_address_with_filters_opens_on_their_view(page, library_server):
    page.goto(library_server.url + "/library/?kind=tool&theme=financial-planning")
    expect(page.get_by_role("checkbox", name="Tools and templates")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Financial planning and viability")).to_be_checked()
    expect(page.locator("#tie-showing")).to_have_text("Showing 1 resource.")
    assert titles(page) == ["Reserves policy checklist"]


def test_on_a_filter_page_another_filter_moves_to_the_librarys_address_and_back_returns_to_the_page(page, library_server):
    base = library_server.url
    page.goto(base + "/themes/governance/")
    before = titles(page)
    page.get_by_role("checkbox", name="Guidance").check()
    expect(page).to_have_url(base + "/library/?kind=guidance&theme=governance")
    page.go_back()
    expect(page).to_have_url(base + "/themes/governance/")
    expect(page.get_by_role("checkbox", name="Guidance")).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Organisational leadership and governance")).to_be_checked()
    assert titles(page) == before


@pytest.mark.parametrize("width, beside", [(1280, True), (375, False)])
def test_the_filters_sit_beside_the_results_on_a_wide_screen_and_above_them_on_a_phone(browser, library_server, width, beside):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(library_server.url + "/library/")
        filters = page.locator(".tie-filters").bounding_box()
        results = page.locator("#tie-results").bounding_box()
        content = page.locator(".md-content").bounding_box()
        if beside:
            assert filters["x"] + filters["width"] <= results["x"]
            # no empty column of contents to the right: the results run to the edge of the page's grid
            assert results["x"] + results["width"] >= page.locator(".md-main__inner").bounding_box()["x"] + page.locator(".md-main__inner").bounding_box()["width"] - 60
        else:
            assert filters["y"] + filters["height"] <= results["y"]
        assert results["x"] + results["width"] <= content["x"] + content["width"] + 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
