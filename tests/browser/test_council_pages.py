"""Council pages served from a demo database: the public response shown or its absence said, every link 200, axe, the list
with and without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from functions.consensus import site as site_data
from functions.demo import data
from functions.store import Store
from model import questionnaire, register
from tests.factories import COUNCILS, EXAMPLES, ROOT, axe_violations, free_port, make_settings, run_live

pytestmark = pytest.mark.browser

NOW = 1_796_000_000  # 2026-11-29
HREF = re.compile(r'href="([^"#]*)(?:#[^"]*)?"')


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The example content built from a demo database of 60 councils, and the app serving both on a real port."""
    from functions.app import create_app
    from generator.build import build
    from generator.content.library import load

    tmp = tmp_path_factory.mktemp("demo-site")
    port = free_port()
    settings = make_settings(tmp, site_url=f"http://127.0.0.1:{port}", port=port, site_dir=tmp / "site")
    editions, _ = questionnaire.load_all(EXAMPLES / "questionnaire")
    store = Store(settings.database_url)
    store.migrate()
    data.fill(store, register.load(COUNCILS), questionnaire.latest(editions), NOW, limit=60)
    store.close()
    published = site_data.read(settings)
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    build(lib, ROOT, tmp / "build" / "docs", tmp / "site", EXAMPLES / "content", published=published)
    app = create_app(settings)
    server, thread = run_live(app, port)
    yield settings.site_url, published
    server.should_exit = True
    thread.join(timeout=5)
    app.state.store.close()


def with_and_without(published):
    shown = sorted(published.responses)[0]
    absent = next(code for code in sorted(register.load(COUNCILS).councils) if code not in published.responses)
    return shown, absent


def test_a_council_with_a_public_response_shows_it_and_its_results_open(demo_server, page):
    base, published = demo_server
    code, _ = with_and_without(published)
    page.goto(f"{base}/councils/{code.lower()}/")
    section = page.locator("h2#self-assessment ~ *").first
    expect(section).to_contain_text("self-assessment response to everyone")
    page.get_by_role("link", name=re.compile("full results")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The council's official results")
    assert page.locator("[data-tie-demo-bar]").count() == 1


def test_a_council_page_and_the_list_built_and_served_from_a_demo_database_say_demo_data_once(demo_server, page):
    base, published = demo_server
    code, _ = with_and_without(published)
    for address in (f"{base}/councils/{code.lower()}/", f"{base}/councils/"):
        page.goto(address)
        expect(page.locator("[data-tie-demo]")).to_have_count(1)  # the notice built into the page...
        expect(page.locator("[data-tie-demo-bar]")).to_have_count(0)  # ...and no second one at the top
        assert page.get_by_text("Demo data.", exact=True).count() == 1, address
    page.goto(f"{base}/library/")  # a page without a notice of its own still gets the banner
    expect(page.locator("[data-tie-demo-bar]")).to_have_count(1)


def test_a_council_without_one_says_none_was_published(demo_server, page):
    base, published = demo_server
    _, code = with_and_without(published)
    page.goto(f"{base}/councils/{code.lower()}/")
    expect(page.get_by_text("has not published a self-assessment response to everyone")).to_be_visible()
    assert page.get_by_role("link", name=re.compile("full results")).count() == 0


def test_a_council_page_with_a_response_and_the_list_have_no_axe_violations(demo_server, page):
    base, published = demo_server
    code, _ = with_and_without(published)
    for address in (f"/councils/{code.lower()}/", "/councils/", "/councils/page/3/"):
        page.goto(base + address)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # the members, too
        assert axe_violations(page) == [], address


def test_every_link_from_the_council_pages_and_the_method_page_answers_200(demo_server):
    base, _ = demo_server
    origin = urlsplit(base).netloc
    queue, seen, checked, broken = ["/councils/", "/similar-councils/"], set(), {}, []
    with httpx.Client(base_url=base, timeout=10) as client:
        while queue:
            path = queue.pop()
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            checked[path] = response.status_code
            if response.status_code != 200:
                broken.append((path, response.status_code))
                continue
            if not path.startswith(("/councils/", "/similar-councils/")) or not path.endswith("/"):
                continue  # pages elsewhere are checked, not followed
            for href in HREF.findall(response.text):
                target = urlsplit(urljoin(base + path, href))
                if target.netloc == origin and target.path not in seen:
                    queue.append(target.path)
    assert broken == []
    assert sum(1 for p in checked if re.fullmatch(r"/councils/[a-z]{3,4}/", p)) == len(register.load(COUNCILS).councils)
    assert any(p.endswith("/results") for p in checked) and "/similar-councils/neighbours.csv" in checked


def test_without_javascript_a_council_is_found_by_filter_and_letter(demo_server, no_js_page):
    base, _ = demo_server
    page = no_js_page
    page.goto(base + "/councils/")
    assert page.locator(".tie-council-search").is_hidden()
    page.get_by_role("navigation", name="Filter the councils").get_by_role("link", name=re.compile("^Wales")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Councils: Wales"))
    expect(page.locator("#tie-showing")).to_have_text("Showing 1 to 22 of 22.")
    page.goto(base + "/councils/")
    page.get_by_role("navigation", name="Councils by first letter").get_by_role("link", name="W", exact=True).click()
    assert page.url.endswith("#letter-w") and "/councils/page/" in page.url
    page.locator("#letter-w a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("W")


def test_with_javascript_the_search_box_finds_a_council_by_name_or_code(demo_server, page):
    base, _ = demo_server
    page.goto(base + "/councils/")
    box = page.get_by_label("Find a council by name or code")
    box.fill("aberd")
    expect(page.locator("#tie-showing")).to_have_text("2 councils found.")
    expect(page.locator("#tie-results .tie-item > a")).to_have_text(["Aberdeen City", "Aberdeenshire"])
    box.fill("bfs")
    expect(page.locator("#tie-results .tie-item > a")).to_have_text(["Belfast"])
    page.locator("#tie-results .tie-item > a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Belfast City Council"))
    assert axe_violations(page) == []
