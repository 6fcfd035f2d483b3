"""Every form control a person can see has a boundary they can see and a target they can hit, on every page
template and form state of the app and the site, at 1280 and 375 CSS px wide; and axe-core finds nothing there.

axe-core does not test non-text contrast: an input with no border passes it. `control_problems` computes the
boundary from the styles Chromium applies (WCAG 2.2 1.4.11, 3:1) and measures the target (2.5.8, 24 by 24)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyotp
import pytest

from functions.assessment import rounds
from functions.assessment.responses import Answer, save
from functions.consensus import store as consensus
from functions.councils import invitations
from functions.people import two_factor
from functions.web.security import SESSION_COOKIE
from tests.factories import PeopleFactory, axe_violations, control_problems

pytestmark = pytest.mark.browser

VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 740}}
STATEMENTS = ["PLC-01", "PLC-02", "LDP-01", "FIN-01", "FIN-02", "GOV-01", "CAP-01"]
ANSWERS = {  # person -> the stage each answers now (ambition one above), enough disagreement for the agenda to count
    "ada": "plans",
    "bob": "does",
    "cat": "understands",
}
NEXT = {"not-yet": "understands", "understands": "plans", "plans": "does", "does": "reviews", "reviews": "reviews"}


@dataclass(frozen=True)
class State:
    name: str
    who: str | None  # a key of the scenario's people, or None for a visitor
    path: str
    act: Callable | None = None  # what the person does on the page to reach the state (submit with a mistake...)


def submit(button: str) -> Callable:
    def act(page):
        page.get_by_role("button", name=button, exact=True).first.click()
        page.wait_for_load_state("networkidle")

    return act


def consensus_mistake(page):
    section = page.locator("#s-GOV-01")  # the statement's own page
    section.locator("#c-GOV-01-current-does").check()
    section.locator("#c-GOV-01-ambition-plans").check()
    section.get_by_role("button", name="Save the consensus for GOV-01").click()
    page.wait_for_load_state("networkidle")


def answer_mistake(page):
    page.check("#PLC-01-current-reviews")
    page.check("#PLC-01-ambition-plans")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state("networkidle")


def fill_and_submit(field: str, value: str, button: str) -> Callable:
    def act(page):
        page.fill(field, value)
        submit(button)(page)

    return act


def search_for(query: str) -> Callable:
    def act(page):
        page.get_by_label("Search the library").fill(query)
        page.locator(".tie-search__results li").first.wait_for()

    return act


def tick_filters(page):
    page.get_by_role("checkbox", name="Guidance").check()


@pytest.fixture
def scenario(live_server):
    """A council (ABE) with an open round three members have answered, a second (ABD) whose round is published, a
    super-user of both with a second factor, one without it yet, one whose second factor is set up but not yet
    verified in the session, an operator, and an invitation waiting."""
    app = live_server.app
    factory = PeopleFactory(app)
    now, key = app.state.clock.now(), app.state.settings.secret_key
    who = {
        "sue": factory.add("sue@aberdeencity.gov.uk", council="ABE", role="super-user"),
        "new": factory.add("nel@aberdeencity.gov.uk", council="ABE", role="super-user"),
        "ver": factory.add("vic@aberdeencity.gov.uk", council="ABE", role="super-user"),
        "op": factory.add("ops@example.gov.uk", operator=True),
    }
    factory.join(who["sue"], "ABD", "super-user")
    who |= {name: factory.add(f"{name}@aberdeencity.gov.uk", council="ABE") for name in ANSWERS}
    with app.state.store.transaction() as tx:
        open_round = rounds.open_round(tx, "ABE", "2026", who["sue"].id, now)
        for name, stage in ANSWERS.items():
            answers = {sid: Answer(sid, stage, NEXT[stage], f"{name} on {sid}") for sid in STATEMENTS}
            save(
                tx,
                open_round.id,
                who[name].id,
                based_on=0,
                respondent_role="officer",
                routes=(),
                answers=answers,
                submit=True,
                at=now,
            )
        # one statement agreed already, so the agenda offers to go on to the next one still to agree (a long button)
        consensus.save_draft(
            tx, open_round.id, "PLC-01", current="plans", ambition="does", rationale="Agreed", based_on=0, person_id=who["sue"].id, at=now
        )
        published = rounds.open_round(tx, "ABD", "2026", who["sue"].id, now)
        for sid in STATEMENTS:
            consensus.save_draft(
                tx,
                published.id,
                sid,
                current="plans",
                ambition="does",
                rationale="Agreed",
                based_on=0,
                person_id=who["sue"].id,
                at=now,
            )
        seen = consensus.fingerprint(consensus.drafts(tx, published.id), consensus.routes_draft(tx, published.id))
        edition = app.state.editions["2026"]
        consensus.publish(tx, published, edition, "unitary", sharing="similar", seen=seen, person_id=who["sue"].id, at=now)
        salt = two_factor.begin(tx, who["ver"].id, now)
        two_factor.confirm(tx, key, who["ver"].id, pyotp.TOTP(two_factor.secret(key, salt)).at(now), now)
        token = invitations.create(tx, key, "ABE", "dan@aberdeencity.gov.uk", "member", who["sue"], now)
    second_factor = {"sue", "op"}
    return {
        "who": who,
        "second_factor": second_factor,
        "open": f"/app/councils/ABE/rounds/{open_round.id}",
        "published": f"/app/councils/ABD/rounds/{published.id}",
        "invitation": f"/app/invitations/{token}",
    }


def states(s: dict) -> list[State]:
    o, p = s["open"], s["published"]
    return [
        # the site: every page has the feedback form (opened below), the library its filters, search its box
        State("home", None, "/"),
        State("library", None, "/library/"),
        State("library, filters ticked", None, "/library/", tick_filters),
        State("search", None, "/search/"),
        State("search, with results", None, "/search/", search_for("reserves")),
        State("search results from the app", None, "/app/search/?q=budgt&kind=guidance&kind=tool"),
        State("search results from the app, nothing found", None, "/app/search/?q=zanzibar"),
        State("resource page", None, "/guidance/budget-consultation/"),
        State("self-assessment page", None, "/self-assessment/"),
        # signing in
        State("sign in", None, "/app/sign-in"),
        State("sign in, no address", None, "/app/sign-in", submit("Email me a link")),
        State("check your email", None, "/app/sign-in", fill_and_submit("#email", "zed@aberdeencity.gov.uk", "Email me a link")),
        State("sign-in link gone", None, "/app/sign-in/link?token=nothing"),
        State("suggest an improvement", None, "/app/feedback/suggestion?page=/library/"),
        State("suggest an improvement, nothing said", None, "/app/feedback/suggestion?page=/library/", submit("Send suggestion")),
        State("unclear statement", None, "/app/feedback/unclear?statement=GOV-01"),
        # a member
        State("account", "ada", "/app/account"),
        State("erase account", "ada", "/app/account/erase"),
        State("councils", "ada", "/app/councils"),
        State("council", "ada", "/app/councils/ABE"),
        State("invitation", "ada", s["invitation"]),
        State("self-assessment hub", "ada", "/app/assessment/"),
        State("answer: about you", "ada", o + "/answer/about"),
        State("answer: a theme", "ada", o + "/answer/place-and-priorities"),
        State("answer: a theme, with a mistake", "ada", o + "/answer/place-and-priorities", answer_mistake),
        State("answer: review", "ada", o + "/answer/review"),
        State("my results", "ada", o + "/my-results"),
        # second factors
        State("second factor: set up", "new", "/app/security/two-factor"),
        State(
            "second factor: set up, wrong code",
            "new",
            "/app/security/two-factor",
            fill_and_submit("#code", "000000", "Turn on the second factor"),
        ),
        State("second factor: verify", "ver", "/app/security/two-factor"),
        State(
            "second factor: verify, wrong code", "ver", "/app/security/two-factor", fill_and_submit("#code", "000000", "Verify")
        ),
        State("second factor: on", "sue", "/app/security/two-factor"),
        # the super-user
        State("members", "sue", "/app/councils/ABE/members"),
        State("members, invitation with no address", "sue", "/app/councils/ABE/members", submit("Send the invitation")),
        State("consensus agenda", "sue", o + "/consensus"),
        State("consensus statement", "sue", o + "/consensus/statements/GOV-01"),
        State("consensus statement, with a mistake", "sue", o + "/consensus/statements/GOV-01", consensus_mistake),
        State("individual answers", "sue", o + "/consensus/answers?statement=GOV-01"),
        State("publish", "sue", o + "/publish"),
        State("results", "sue", p + "/results"),
        # the operator
        State("operator feedback", "op", "/app/operator/feedback"),
    ]


def overflow(page) -> list[str]:
    """The page is wider than the window (it scrolls sideways), naming the widest elements that stick out."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const out = Array.from(document.querySelectorAll("body *"))
                .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !e.closest(".tie-table-wrap, .md-sidebar, [hidden]"))
                .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : ""} ends at ${Math.round(e.getBoundingClientRect().right)}`);
            return [`${document.documentElement.scrollWidth} px wide in a ${width} px window: ${out.slice(0, 5).join("; ")}`];
        }"""
    )


def sessions(browser, server, scenario, viewport) -> dict:
    pages = {}
    factory = PeopleFactory(server.app)
    for key in [None, *scenario["who"]]:
        context = browser.new_context(viewport=viewport)
        if key:
            token = factory.session(scenario["who"][key], key in scenario["second_factor"])
            context.add_cookies(
                [{"name": SESSION_COOKIE, "value": token, "domain": "127.0.0.1", "path": "/", "secure": True, "httpOnly": True}]
            )
        pages[key] = context.new_page()
    return pages


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_every_form_control_has_a_visible_boundary_and_a_big_enough_target_and_no_page_has_axe_violations_or_scrolls_sideways(
    browser, live_server, scenario, width
):
    pages = sessions(browser, live_server, scenario, VIEWPORTS[width])
    found, checked = [], 0
    try:
        for state in states(scenario):
            page = pages[state.who]
            page.goto(live_server.url + state.path)
            page.wait_for_load_state("networkidle")
            if state.act:
                state.act(page)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # the feedback form too
            controls = page.locator("input:not([type=hidden]), textarea, select").count()
            checked += controls
            found += [f"{state.name} ({state.path}): {p}" for p in control_problems(page)]
            found += [f"{state.name} ({state.path}): axe {v['id']} {v['nodes']}" for v in axe_violations(page)]
            found += [f"{state.name} ({state.path}): {p}" for p in overflow(page)]
    finally:
        for page in pages.values():
            page.context.close()
    assert checked > 100  # the walk reached the forms
    assert not found, "\n".join(found)
