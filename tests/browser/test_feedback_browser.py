"""Feedback in real Chromium: every control works without JavaScript, works in place with it, and passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from starlette.responses import HTMLResponse
from starlette.routing import Route

from functions.web.security import SESSION_COOKIE
from tests.factories import PeopleFactory, axe_violations

pytestmark = pytest.mark.browser

PAGE = "/guidance/budget-consultation/"

# A page of the app as the self-assessment and results pages use the macros: an "unclear" link inside
# an answers form, and next-step feedback outside it.
HARNESS = """{% extends "layout.html" %}
{% import "feedback/macros.html" as feedback with context %}
{% block main %}
<h1>Your answers and next steps</h1>
<form method="post" action="/app/nowhere">
  <fieldset id="FIN-01">
    <legend>FIN-01 Our medium-term financial plan is balanced and realistic.</legend>
    <p>{{ feedback.unclear_link("FIN-01", "/app/harness#FIN-01") }}</p>
    <label><input type="radio" name="FIN-01" value="plans"> Plans</label>
    <label><input type="radio" name="FIN-01" value="does"> Does</label>
  </fieldset>
  <button type="submit">Save answers</button>
</form>
<h2>Next steps</h2>
<p><a href="/tools/reserves-checklist/">Reserves policy checklist</a></p>
{{ feedback.step_feedback("/tools/reserves-checklist/", "FIN-02", "/app/harness", "Reserves policy checklist") }}
{% endblock %}
"""


async def harness(request):
    env = request.app.state.templates
    context = {"page_title": "Your answers", "request": request, "csrf_field": "csrf_token", "csrf_token": request.scope["state"]["csrf"]}
    return HTMLResponse(env.from_string(HARNESS).render(**context))


@pytest.fixture
def server(live_server):
    live_server.app.router.routes.insert(0, Route("/app/harness", harness))
    return live_server


def stored(server) -> list[dict]:
    with server.app.state.store.transaction(write=False) as tx:
        return tx.all("SELECT kind, page, statement, verdict, message, reply_to FROM feedback ORDER BY at, id")


def test_was_this_useful_works_without_javascript(no_js_page, server):
    no_js_page.goto(server.url + PAGE)
    no_js_page.get_by_role("button", name="Yes, this page was useful").click()
    assert no_js_page.get_by_role("heading", name="Thank you").is_visible()
    assert stored(server) == [{"kind": "useful", "page": PAGE, "statement": "", "verdict": "yes", "message": "", "reply_to": ""}]
    no_js_page.get_by_role("link", name="Back to the page").click()
    assert no_js_page.url == server.url + PAGE


def test_not_useful_then_a_suggestion_works_without_javascript(no_js_page, server):
    no_js_page.goto(server.url + PAGE)
    no_js_page.get_by_role("button", name="No, this page was not useful").click()
    no_js_page.get_by_label("Your suggestion").fill("A timetable for the consultation would help.")
    no_js_page.get_by_role("button", name="Send suggestion").click()
    assert no_js_page.get_by_text("an editor will read your suggestion").is_visible()
    assert sorted((r["kind"], r["verdict"], r["message"]) for r in stored(server)) == [
        ("suggestion", "", "A timetable for the consultation would help."),
        ("useful", "no", ""),
    ]


def test_suggest_an_improvement_on_the_page_works_without_javascript(no_js_page, server):
    no_js_page.goto(server.url + PAGE)
    no_js_page.get_by_text("Suggest an improvement to this page").click()
    no_js_page.get_by_label("Your suggestion").fill("Link to the reserves guidance.")
    no_js_page.get_by_label("Your email address (optional)").fill("officer@example.gov.uk")
    no_js_page.get_by_role("button", name="Send suggestion").click()
    assert no_js_page.get_by_text("We will reply to the address you gave.").is_visible()
    assert [(r["page"], r["message"], r["reply_to"]) for r in stored(server)] == [
        (PAGE, "Link to the reserves guidance.", "officer@example.gov.uk")
    ]


def test_unclear_opens_its_own_page_and_leaves_the_answers_alone_without_javascript(no_js_page, server):
    no_js_page.goto(server.url + "/app/harness")
    no_js_page.get_by_label("Plans").check()
    with no_js_page.context.expect_page() as opened:
        no_js_page.get_by_role("link", name="This question is unclear").click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.get_by_text("Our medium-term financial plan is balanced and realistic.").is_visible()
    tab.get_by_label("What is unclear about it? (optional)").fill("Realistic by whose measure?")
    tab.get_by_role("button", name="Send").click()
    # the answer is a new page in a tab of its own: wait for it (is_visible does not)
    expect(tab.get_by_text("we will look again at how statement FIN-01 is worded")).to_be_visible()
    assert tab.get_by_role("link", name="Back to where you were").get_attribute("href") == "/app/harness#FIN-01"
    assert no_js_page.url == server.url + "/app/harness" and no_js_page.get_by_label("Plans").is_checked()
    assert [(r["kind"], r["statement"], r["message"]) for r in stored(server)] == [("unclear", "FIN-01", "Realistic by whose measure?")]
    tab.close()


def test_next_step_feedback_works_without_javascript(no_js_page, server):
    no_js_page.goto(server.url + "/app/harness")
    no_js_page.get_by_role("button", name="It didn't help: Reserves policy checklist").click()
    assert no_js_page.get_by_text("this next step did not help").is_visible()
    no_js_page.get_by_role("link", name="Back to your results").click()
    assert no_js_page.url == server.url + "/app/harness"
    assert [(r["kind"], r["page"], r["statement"], r["verdict"]) for r in stored(server)] == [
        ("step", "/tools/reserves-checklist/", "FIN-02", "not-helped")
    ]


def test_with_javascript_feedback_is_sent_in_place(page, server):
    page.goto(server.url + PAGE)
    page.get_by_role("button", name="No, this page was not useful").click()
    status = page.get_by_role("status")
    status.wait_for()
    assert "What would have made this page more useful?" in status.inner_text()
    assert page.url == server.url + PAGE
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    page.get_by_label("Your suggestion").fill("More examples.")  # the suggestion box is open now
    page.get_by_role("button", name="Send suggestion").click()
    page.get_by_text("an editor will read your suggestion").wait_for()
    assert sorted((r["kind"], r["message"]) for r in stored(server)) == [("suggestion", "More examples."), ("useful", "")]


def test_with_javascript_unclear_opens_a_box_in_place_without_sending_the_answers(page, server):
    page.goto(server.url + "/app/harness")
    page.get_by_label("Does").check()
    page.get_by_role("link", name="This question is unclear").click()
    assert len(page.context.pages) == 1  # no new tab
    page.get_by_label("What is unclear about it? (optional)").fill("Which plan?")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("we will look again at how statement FIN-01 is worded").wait_for()
    assert page.url == server.url + "/app/harness" and page.get_by_label("Does").is_checked()
    assert [(r["kind"], r["message"]) for r in stored(server)] == [("unclear", "Which plan?")]


def test_the_page_partial_has_no_axe_violations(page, server):
    page.goto(server.url + PAGE)
    page.get_by_text("Suggest an improvement to this page").click()  # open, so its form is checked too
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/app/feedback/suggestion?page=/guidance/budget-consultation/",
        "/app/feedback/unclear?statement=FIN-01&return=/self-assessment/",
        "/app/harness",
    ],
)
def test_the_feedback_pages_have_no_axe_violations(page, server, path):
    page.goto(server.url + path)
    assert axe_violations(page) == []


def test_the_thank_you_page_has_no_axe_violations(no_js_page, page, server):
    page.goto(server.url + PAGE)
    page.evaluate("document.querySelectorAll('form[data-tie-feedback]').forEach(f => f.setAttribute('data-tie-plain', '1'))")
    page.get_by_role("button", name="No, this page was not useful").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    assert axe_violations(page) == []


def test_the_operators_feedback_page_has_no_axe_violations(page, server):
    people = PeopleFactory(server.app)
    token = people.session(people.add("ops@example.gov.uk", operator=True), second_factor=True)
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "domain": "127.0.0.1", "path": "/", "secure": True, "httpOnly": True}])
    page.goto(server.url + PAGE)
    page.get_by_role("button", name="Yes, this page was useful").click()
    page.get_by_role("status").wait_for()
    page.goto(server.url + "/app/operator/feedback")
    assert page.get_by_role("heading", name="Feedback", exact=True).is_visible()
    assert axe_violations(page) == []

