"""The self-assessment form in real Chromium: without JavaScript (fill, error state, save, resume, submit),
with axe-core on every step and the error state; and with JavaScript, saving as you go."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from functions.assessment import responses, rounds
from functions.web.security import SESSION_COOKIE
from tests.factories import PeopleFactory, axe_violations

pytestmark = pytest.mark.browser
COUNTY = "ESX"
THEMES = ["place-and-priorities", "leadership-of-place", "financial-planning", "governance", "capacity-to-deliver"]
STATEMENTS = {
    "place-and-priorities": ["PLC-01", "PLC-02"],
    "leadership-of-place": ["LDP-01"],
    "financial-planning": ["FIN-01", "FIN-02"],
    "governance": ["GOV-01"],
    "capacity-to-deliver": ["CAP-01"],
}


@pytest.fixture
def member(live_server):
    """Ann, a member of East Sussex, and the council's open round."""
    people = PeopleFactory(live_server.app)
    ann = people.add("ann@eastsussex.gov.uk", council=COUNTY)
    lead = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
    with live_server.app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, COUNTY, "2026", lead.id, live_server.app.state.clock.now())
    return ann, round_, people.session(ann)


def sign_in(page, live_server, token):
    """Give the browser the session cookie (host-only, as the app sets it: a __Host- cookie has no Domain)."""
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": SESSION_COOKIE,
                "value": token,
                "domain": host,
                "path": "/",
                "secure": True,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


class Axe:
    """axe-core on what a page without JavaScript shows. axe needs JavaScript to run, so the page's
    HTML is loaded into a second page, on the same site, with JavaScript on (and its styles, for contrast)."""

    def __init__(self, page, live_server):
        self.page = page
        page.goto(live_server.url + "/")

    def check(self, no_js_page, where: str) -> None:
        no_js_page.wait_for_load_state()
        self.page.set_content(no_js_page.content())
        found = axe_violations(self.page)
        assert found == [], f"{where}: {found}"


def answer(page, statement: str, current: str, ambition: str):
    page.check(f"#{statement}-current-{current}" if current != "not-yet" else f"#{statement}-current")
    page.check(f"#{statement}-ambition-{ambition}" if ambition != "not-yet" else f"#{statement}-ambition")


def press(page, name: str) -> None:
    """Click a button or link that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).or_(page.get_by_role("link", name=name, exact=True)).first.click()


def test_the_form_without_javascript_fill_errors_save_resume_submit_and_no_axe_violations(live_server, no_js_page, page, member):
    axe = Axe(page, live_server)
    page = no_js_page
    ann, round_, token = member
    start = live_server.url + f"/app/councils/{COUNTY}/rounds/{round_.id}/answer"
    sign_in(page, live_server, token)
    page.goto(live_server.url + "/app/assessment/")
    axe.check(page, "the assessment hub")
    press(page, "Start your answers for 2026")
    expect(page.get_by_text("Your council's super-user can read your individual answers and comments.")).to_be_visible()
    axe.check(page, "the start page")
    press(page, "Start now")

    # step 1: about you
    expect(page.locator(".tie-progress__count")).to_have_text("Step 1 of 7")
    expect(page.locator('.tie-progress a[aria-current="step"]')).to_have_text("About you and your council's ambition")
    axe.check(page, "step 1")
    page.check("#respondent_role")  # officer
    page.check("#routes-community-focus-and-prevention")
    press(page, "Save and continue")

    # step 2: continue with nothing answered: the error state
    expect(page).to_have_url(start + "/place-and-priorities")
    press(page, "Save and continue")
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".tie-error-summary")
    expect(summary.get_by_role("link")).to_have_count(4)
    axe.check(page, "the error state")
    summary.get_by_role("link", name=re.compile("PLC-02: Select where your council is now")).click()
    expect(page).to_have_url(re.compile("#PLC-02-current$"))
    answer(page, "PLC-01", "plans", "does")
    answer(page, "PLC-02", "does", "plans")  # ambition below current: still an error
    press(page, "Save and continue")
    expect(page.locator(".tie-error-summary").get_by_role("link")).to_have_text(
        ["PLC-02: The ambition cannot be below where your council is now: select Does or a later stage, or Don't know"]
    )
    expect(page.locator("#PLC-01-current-plans")).to_be_checked()  # what was sent is shown again
    axe.check(page, "the error state (ambition below current)")
    page.check("#PLC-02-ambition-reviews")
    page.fill("#PLC-02-comment", "Partners would say so too")
    press(page, "Save and continue")

    # step 3: answer, then come back later
    expect(page).to_have_url(start + "/leadership-of-place")
    axe.check(page, "step 3")
    answer(page, "LDP-01", "understands", "dont-know")
    press(page, "Save and come back later")
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()

    # resume: the start page continues at the first step not done, and earlier answers are kept
    page.goto(start)
    press(page, "Continue")
    expect(page).to_have_url(start + "/financial-planning")
    page.goto(start + "/place-and-priorities")
    expect(page.locator("#PLC-02-ambition-reviews")).to_be_checked()
    expect(page.locator("#PLC-02-comment")).to_have_value("Partners would say so too")
    page.goto(start + "/financial-planning")
    for number, theme in enumerate(THEMES[2:], start=4):
        expect(page.locator(".tie-progress__count")).to_have_text(f"Step {number} of 7")
        axe.check(page, f"step {number}")
        for statement in STATEMENTS[theme]:
            answer(page, statement, "plans", "reviews")
        press(page, "Save and continue")

    # review and submit
    expect(page).to_have_url(start + "/review")
    axe.check(page, "the review step")
    expect(page.get_by_text("Now: Understands; In two years: Don't know")).to_be_visible()
    press(page, "Submit your answers")
    expect(page.get_by_text("Your answers are submitted")).to_be_visible()
    axe.check(page, "the start page after submitting")
    with live_server.app.state.store.transaction(write=False) as tx:
        stored = responses.own(tx, round_.id, ann.id)
    assert stored.submitted and stored.respondent_role == "officer" and stored.routes == ("community-focus-and-prevention",)
    assert stored.answers["PLC-02"].comment == "Partners would say so too"
    assert len(stored.answers) == 7


def test_with_javascript_answers_are_saved_as_you_go(live_server, page, member):
    ann, round_, token = member
    sign_in(page, live_server, token)
    api = f"/api/councils/{COUNTY}/rounds/{round_.id}/my-response"
    sent = []
    page.on(
        "request",
        lambda r: sent.append((r.method, r.url.split(live_server.url, 1)[-1], r.post_data)) if "/api/" in r.url else None,
    )
    step = live_server.url + f"/app/councils/{COUNTY}/rounds/{round_.id}/answer/governance"
    page.goto(step)
    answer(page, "GOV-01", "does", "reviews")
    page.fill("#GOV-01-comment", "Scrutiny is strong")
    expect(page.locator(".tie-autosave")).to_contain_text("Saved at", timeout=10_000)
    expect(page.locator('input[name="version"]')).not_to_have_value("0")
    with live_server.app.state.store.transaction(write=False) as tx:
        stored = responses.own(tx, round_.id, ann.id)
    assert stored.answers["GOV-01"] == responses.Answer("GOV-01", "does", "reviews", "Scrutiny is strong")
    # what changed went, not everything: one statement's answer, to its own address, and nothing read first
    assert sent and all(method == "PUT" and path == api + "/answers/GOV-01" for method, path, _ in sent), sent
    assert all(len(body) < 200 for _, _, body in sent)
    # the buttons still work after saving as you go: the form's version followed the saves
    press(page, "Save and continue")
    expect(page).to_have_url(re.compile("/answer/capacity-to-deliver$"))
    page.goto(step)
    expect(page.locator("#GOV-01-ambition-reviews")).to_be_checked()
    expect(page.locator("#GOV-01-comment")).to_have_value("Scrutiny is strong")


def test_with_javascript_the_error_summary_takes_focus(live_server, page, member):
    _, round_, token = member
    sign_in(page, live_server, token)
    page.goto(live_server.url + f"/app/councils/{COUNTY}/rounds/{round_.id}/answer/governance")
    press(page, "Save and continue")
    expect(page.locator(".tie-error-summary")).to_be_focused()


def test_with_javascript_the_first_step_saves_role_and_routes_as_you_go(live_server, page, member):
    ann, round_, token = member
    sign_in(page, live_server, token)
    page.goto(live_server.url + f"/app/councils/{COUNTY}/rounds/{round_.id}/answer/about")
    page.check("#respondent_role-councillor")
    page.check("#routes-commercialisation")
    expect(page.locator(".tie-autosave")).to_contain_text("Saved at", timeout=10_000)
    with live_server.app.state.store.transaction(write=False) as tx:
        stored = responses.own(tx, round_.id, ann.id)
    assert (stored.respondent_role, stored.routes) == ("councillor", ("commercialisation",))


def test_with_javascript_an_answer_saved_elsewhere_is_shown_and_never_overwritten(live_server, page, member):
    ann, round_, token = member
    sign_in(page, live_server, token)
    step = live_server.url + f"/app/councils/{COUNTY}/rounds/{round_.id}/answer/governance"
    page.goto(step)
    # meanwhile, in another window: the same person saves this statement
    store = live_server.app.state.store
    with store.transaction() as tx:
        elsewhere = responses.save(
            tx,
            round_.id,
            ann.id,
            based_on=0,
            respondent_role=None,
            routes=(),
            answers={"GOV-01": responses.Answer("GOV-01", "does", "reviews", "From my phone")},
            submit=False,
            at=live_server.app.state.clock.now(),
        )
    answer(page, "GOV-01", "plans", "does")
    expect(page.locator(".tie-autosave")).to_contain_text(
        "Someone saved these answers since you opened this page", timeout=10_000
    )
    notice = page.locator("#GOV-01 .tie-saved-elsewhere")
    expect(notice).to_have_text(
        "Saved since you opened this page: Now: Does; in two years: Reviews. Comment: From my phone Your change above was not saved."
    )
    assert axe_violations(page) == []
    page.fill("#GOV-01-comment", "Changed again")  # nothing more is sent from this page
    page.wait_for_timeout(2500)
    with store.transaction(write=False) as tx:
        assert responses.own(tx, round_.id, ann.id) == elsewhere
    # the form's own button meets the same refusal, and the page shows what is stored now
    press(page, "Save and continue")
    expect(page.get_by_role("heading", name="Someone saved these answers since you opened this page")).to_be_visible()
    expect(page.locator("#GOV-01-current-does")).to_be_checked()
    expect(page.locator("#GOV-01-comment")).to_have_value("From my phone")
    with store.transaction(write=False) as tx:
        assert responses.own(tx, round_.id, ann.id) == elsewhere
