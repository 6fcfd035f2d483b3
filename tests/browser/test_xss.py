"""Script in contributed content never runs: every payload of tests/xss is either refused by `tie check`
or built harmless. The site is built with the check bypassed, so the sanitiser and the generator's
escaping are what is tested, and served by a plain static server without a Content Security Policy.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from functions.settings import ROOT
from generator.build import build
from generator.content import resources as content_module
from generator.content.kinds import BY_ID
from generator.content.library import load
from tests.factories import COUNCILS, EXAMPLES
from tests.xss.payloads import PAYLOADS, Payload

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 27)
TABS = 10  # real key presses per page; the sweep then focuses every element itself
HOVERS = 60  # real pointer moves per page; the sweep fires every event at every element besides
KIND_FOR_FIELD = {"provider": "support", "duration": "training", "link": "data"}


def code(n: int, payload: Payload) -> str:
    return payload.text.replace("__xss(N)", f"__xss({n})")


def slug(n: int) -> str:
    return f"xss-{n:02d}"


def values(n: int, payload: Payload) -> dict:
    """The front matter of payload n's resource: plain values, with the payload in its field."""
    front = {
        "title": f"Payload {n}: {payload.name}",
        "summary": f"What payload {n} tries.",
        "themes": ["governance"],
        "published": dt.date(2026, 1, 1),
        # contact names reach the page in the review banner: due for review makes it show
        "review_by": dt.date(2026, 6, 1) if payload.field.startswith("contact") else dt.date(2027, 6, 1),
        "contact": {"name": "Payload team", "email": "team@example.gov.uk"},
        "licence": "OGL-UK-3.0",
    }
    if payload.field.startswith("contact."):
        front["contact"][payload.field.split(".")[1]] = code(n, payload)
    elif payload.field != "body":
        front[payload.field] = code(n, payload)
    return front


def body(n: int, payload: Payload) -> str:
    return code(n, payload) if payload.field == "body" else "Body.\n"


def kind(payload: Payload) -> str:
    return KIND_FOR_FIELD.get(payload.field, "guidance")


def resource(n: int, payload: Payload) -> content_module.Resource:
    """Payload n as a resource, made directly: no check stands between it and the build."""
    front = values(n, payload)
    k = BY_ID[kind(payload)]
    return content_module.Resource(
        path=f"content/{k.folder}/{slug(n)}.md",
        rel=f"{k.folder}/{slug(n)}.md",
        kind=k,
        slug=slug(n),
        title=front["title"],
        summary=front["summary"],
        themes=tuple(front["themes"]),
        published=front["published"],
        review_by=front["review_by"],
        contact=content_module.Contact(front["contact"]["name"], front["contact"]["email"]),
        licence=front["licence"],
        body=body(n, payload),
        body_line=12,
        provider=front.get("provider"),
        duration=front.get("duration"),
        link=front.get("link"),
        redirect_from=(old_address(n),) if payload.field == "title" else (),  # the moved-page notice shows the title
    )


def old_address(n: int) -> str:
    return f"/guidance/moved-{slug(n)}/"


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> Path:
    """The example library plus one resource per payload, built with every check bypassed."""
    tmp = tmp_path_factory.mktemp("xss")
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    lib.resources += [resource(n, p) for n, p in enumerate(PAYLOADS)]
    lib.problems = []
    build(lib, ROOT, tmp / "build" / "docs", tmp / "site", EXAMPLES / "content", today=TODAY)
    return tmp / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def static_url(payload_site):
    """The built files from a plain static server: no Content Security Policy to hide behind."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(payload_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=5)


class Watch:
    """What ran: calls of __xss, dialogs, and requests to any other host (aborted)."""

    def __init__(self, context, origin: str):
        self.calls: list[tuple[str, object]] = []
        self.dialogs: list[str] = []
        self.elsewhere: list[str] = []
        self.origin = origin
        context.expose_binding("__xss", lambda source, n=None: self.calls.append((source["page"].url, n)))
        context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://", "https://")) and not url.startswith(self.origin + "/"):
            self.elsewhere.append(url)
            return route.abort()
        return route.continue_()

    def page(self, context):
        page = context.new_page()
        page.on("dialog", lambda d: (self.dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        return page

    def ran(self) -> list:
        return self.calls + self.dialogs


# Real events on every element: handlers fire whatever they are attached to. Links and forms leading
# somewhere ordinary are stopped so that the page stays; javascript: ones are followed.
SWEEP = """() => {
  const leads = (url) => !/^\\s*javascript:/i.test(url || "");
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest("a[href], area[href]");
    if (a && leads(a.href)) e.preventDefault();
  }, true);
  document.addEventListener("submit", (e) => {
    if (leads((e.submitter && e.submitter.formAction) || e.target.action)) e.preventDefault();
  }, true);
  const types = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "click", "dblclick",
    "contextmenu", "pointerover", "pointerdown", "focus", "focusin", "blur", "keydown", "keyup", "input",
    "change", "toggle", "animationstart", "transitionend", "wheel", "copy", "load", "error"];
  for (const el of document.querySelectorAll("body *")) {
    if (typeof el.focus === "function") el.focus();
    for (const type of types) el.dispatchEvent(new Event(type, {bubbles: false}));
  }
  for (const el of document.querySelectorAll("a[href], area[href], button, input[type=submit], summary, [tabindex]")) el.click();
}"""

# What must never be in a page: event handler attributes, script: or data: addresses, and, in the
# contributed part, elements that run or embed things.
AUDIT = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
  }
  const urls = [["a", "href"], ["area", "href"], ["iframe", "src"], ["embed", "src"], ["object", "data"],
    ["form", "action"], ["button", "formaction"], ["base", "href"], ["img", "src"]];
  for (const [tag, name] of urls) for (const el of document.querySelectorAll(`${tag}[${name}]`)) {
    const url = new URL(el.getAttribute(name), document.baseURI);
    if (["javascript:", "vbscript:", "data:"].includes(url.protocol)) found.push(`${tag} ${name}=${url.href}`);
  }
  for (const el of document.querySelectorAll(".tie-contributed :is(script, iframe, object, embed, svg, math, style, form, input, button, select, textarea, meta, base, link)"))
    found.push(`contributed ${el.tagName}`);
  return found;
}"""


# Where the pointer goes on each page: what was contributed, the table of contents, listed titles.
HOVER_TARGETS = """() => [...document.querySelectorAll(
  ".tie-contributed *, .md-sidebar--secondary a, .tie-list a, .tie-meta a, .md-header__topic, h1")]
  .map((el) => el.getBoundingClientRect()).filter((r) => r.width && r.height)
  .map((r) => [r.x + r.width / 2, r.y + r.height / 2])"""


def exercise(page, url: str) -> list[str]:
    """Load a page, then use it as a person would and beyond: Tab into it, move the pointer over what was
    contributed and the table of contents, fire every event at every element. Returns what the audit found."""
    page.goto(url, wait_until="load")
    for _ in range(TABS):
        page.keyboard.press("Tab")
    for x, y in page.evaluate(HOVER_TARGETS)[:HOVERS]:
        page.mouse.move(x, y)
    page.evaluate(SWEEP)
    page.wait_for_timeout(100)
    if urlsplit(page.url).path != urlsplit(url).path:  # something led the page away: come back for the audit
        page.goto(url)
    return page.evaluate(AUDIT)


@pytest.fixture(scope="module")
def watched(browser, static_url):
    context = browser.new_context(viewport={"width": 1280, "height": 2400})  # tall: most of a page is in view to point at
    watch = Watch(context, static_url)
    yield watch, context
    context.close()


def test_the_corpus_has_at_least_forty_payloads_of_every_sort():
    assert len(PAYLOADS) >= 40
    assert {p.field for p in PAYLOADS} >= {"body", "title", "summary", "contact.name", "provider", "duration", "link"}
    assert len({p.name for p in PAYLOADS}) == len(PAYLOADS)


def test_the_watch_sees_script_that_runs(watched, static_url, payload_site):
    """The detector is not blind: a page with live payloads of each sort trips it, one call each."""
    (payload_site / "canary").mkdir(exist_ok=True)
    (payload_site / "canary" / "index.html").write_text(
        "<!doctype html><title>Canary</title><main class='md-content'><div class='tie-contributed'>"
        "<img src=missing.png onerror=__xss(1001)>"
        "<p onmouseover=__xss(1002)>Hover me</p>"
        "<a href='javascript:__xss(1003)'>Click me</a>"
        "<details ontoggle=__xss(1004)><summary>Open</summary>x</details>"
        "<button onfocus=__xss(1005)>Focus me</button>"
        "<img src=https://evil.example/1006.png>"
        "</div></main>",
        encoding="utf-8",
    )
    watch, context = watched
    page = watch.page(context)
    audit = exercise(page, static_url + "/canary/")
    ran = sorted({n for _, n in watch.calls if isinstance(n, int) and n > 1000})
    watch.calls.clear()
    assert ran == [1001, 1002, 1003, 1004, 1005]
    assert watch.elsewhere == ["https://evil.example/1006.png"]
    watch.elsewhere.clear()
    assert any("onerror" in a for a in audit) and any("javascript:" in a for a in audit)


def test_tie_check_refuses_exactly_the_payloads_marked_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(EXAMPLES / "content", content)
    for n, payload in enumerate(PAYLOADS):
        target = content / BY_ID[kind(payload)].folder / f"{slug(n)}.md"
        target.write_text(
            "---\n" + yaml.safe_dump(values(n, payload), sort_keys=False, allow_unicode=True) + "---\n" + body(n, payload)
        )
    env = {**os.environ, "TIE_CONTENT_DIR": str(content), "TIE_QUESTIONNAIRE_DIR": str(EXAMPLES / "questionnaire"),
           "TIE_COUNCILS": COUNCILS, "TIE_SECRET_KEY": "test-secret"}  # fmt: skip
    run = subprocess.run(
        [str(Path(sys.executable).parent / "tie"), "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in run.stderr
    refused = {n for n in range(len(PAYLOADS)) if f"/{slug(n)}.md:" in run.stdout}
    expected = {n for n, p in enumerate(PAYLOADS) if p.refused}
    assert {PAYLOADS[n].name for n in refused ^ expected} == set(), run.stdout
    assert run.returncode == 1


def test_no_payload_runs_on_its_own_page(watched, static_url):
    watch, context = watched
    page = watch.page(context)
    found = {}
    for n, payload in enumerate(PAYLOADS):
        address = f"/{BY_ID[kind(payload)].folder}/{slug(n)}/"
        audit = exercise(page, static_url + address)
        if audit:
            found[f"{n} {payload.name}"] = audit
    assert watch.ran() == []
    assert found == {}
    assert watch.elsewhere == []


def test_no_payload_runs_where_titles_and_summaries_are_listed(watched, static_url):
    watch, context = watched
    page = watch.page(context)
    found = {}
    moved = [old_address(n) for n, p in enumerate(PAYLOADS) if p.field == "title"]
    # A moved page sends the browser on at once; held still here, its notice (which names the title) is tried too.
    page.route(re.compile(r"/moved-xss-"), lambda route: route.fulfill(
        response=(r := route.fetch()), body=r.text().replace('http-equiv="refresh"', 'data-held="refresh"')))  # fmt: skip
    for address in ["/", "/library/", "/library/page/2/", "/whats-new/", "/kinds/guidance/", "/kinds/guidance/page/2/",
                    "/kinds/support/", "/kinds/training/", "/kinds/data/", "/themes/governance/", "/guidance/budget-consultation/",
                    *moved]:  # fmt: skip
        audit = exercise(page, static_url + address)
        if audit:
            found[address] = audit
        if address in moved:
            assert page.title().startswith("This page has moved: ")
    assert watch.ran() == []
    assert found == {}
    assert watch.elsewhere == []


def test_no_payload_runs_when_the_library_filters_redraw_the_list(watched, static_url):
    watch, context = watched
    page = watch.page(context)
    page.goto(static_url + "/library/")
    page.get_by_role("checkbox", name="Guidance").check()
    page.get_by_role("checkbox", name="Support offers").check()
    expect(page.locator("#tie-showing")).to_have_text(re.compile(r"^Showing \d+ resources\.$"))
    while page.get_by_role("button", name="Show more results").count():
        page.get_by_role("button", name="Show more results").click()
    assert page.locator("#tie-results li").count() > 50  # the whole list, redrawn from library.json
    assert page.evaluate(SWEEP) is None
    page.wait_for_timeout(150)
    assert page.evaluate(AUDIT) == []
    assert watch.ran() == []


@pytest.mark.parametrize("query", ["onerror", "script", "payload"])
def test_no_payload_runs_in_search_results(watched, static_url, query):
    watch, context = watched
    page = watch.page(context)
    page.goto(static_url + "/search/")
    page.get_by_label("Search the library").fill(query)
    expect(page.locator(".tie-search__status")).to_have_text(re.compile(r"^\d+ results? for "))
    more, shown = page.get_by_role("button", name="Show more results"), page.locator(".tie-search__results li")
    while more.is_visible():
        count = shown.count()
        more.click()
        expect(shown).not_to_have_count(count)
    assert shown.count() > 0
    assert page.evaluate(SWEEP) is None
    page.wait_for_timeout(150)
    assert page.evaluate(AUDIT) == []
    assert watch.ran() == []
    assert watch.elsewhere == []
