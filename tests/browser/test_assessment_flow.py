"""The self-assessment end to end in real Chromium: three members answer, the super-user agrees and publishes the
council's response, everyone sees the results they may see, and the pages pass axe-core."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from functions import audit
from functions.web.security import SESSION_COOKIE
from tests.factories import PeopleFactory, axe_violations, council_people, draft_consensus, name_person, open_round

pytestmark = pytest.mark.browser

STAGES = ["not-yet", "understands", "plans", "does", "reviews"]
# Aberdeen City is a unitary council, so all seven statements of the example edition apply to it.
# Each member's answers: statement -> (current, ambition). PLC-02 and GOV-01 split the room; PLC-01,
# FIN-02 and CAP-01 find everyone agreeing.
MEMBERS = {
    "ada": (
        "officer",
        {
            "PLC-01": ("plans", "does"),
            "PLC-02": ("not-yet", "plans"),
            "LDP-01": ("plans", "does"),
            "FIN-01": ("understands", "plans"),
            "FIN-02": ("does", "does"),
            "GOV-01": ("not-yet", "does"),
            "CAP-01": ("does", "reviews"),
        },
    ),
    "bob": (
        "councillor",
        {
            "PLC-01": ("plans", "does"),
            "PLC-02": ("reviews", "reviews"),
            "LDP-01": ("does", "does"),
            "FIN-01": ("understands", "does"),
            "FIN-02": ("does", "does"),
            "GOV-01": ("does", "reviews"),
            "CAP-01": ("does", "reviews"),
        },
    ),
    "cat": (
        "not-said",
        {
            "PLC-01": ("plans", "does"),
            "PLC-02": ("does", "does"),
            "LDP-01": ("plans", "plans"),
            "FIN-01": ("dont-know", "does"),
            "FIN-02": ("does", "reviews"),
            "GOV-01": ("does", "does"),
            "CAP-01": ("does", "reviews"),
        },
    ),
}
# What the meeting agrees: statement -> (current, ambition, rationale)
CONSENSUS = {
    "PLC-01": ("plans", "does", "Everyone agreed"),
    "PLC-02": ("understands", "does", "Resident insight is patchy"),
    "LDP-01": ("plans", "does", ""),
    "FIN-01": ("understands", "does", "No agreed medium-term plan"),
    "FIN-02": ("does", "does", ""),
    "GOV-01": ("plans", "reviews", "Scrutiny is being rebuilt"),
    "CAP-01": ("does", "reviews", ""),
}
THEME_STEPS = ["place-and-priorities", "leadership-of-place", "financial-planning", "governance", "capacity-to-deliver"]


def radio(sid: str, part: str, choice: str) -> str:
    """The id of a stage's radio in the answer form (the first choice's id is the group's)."""
    return f"#{sid}-{part}" if choice == "not-yet" else f"#{sid}-{part}-{choice}"


def signed_in(browser, server, person, second_factor=False, javascript=True):
    context = browser.new_context(java_script_enabled=javascript)
    token = PeopleFactory(server.app).session(person, second_factor)
    context.add_cookies(
        [{"name": SESSION_COOKIE, "value": token, "domain": "127.0.0.1", "path": "/", "secure": True, "httpOnly": True}]
    )
    return context, context.new_page()


def answer(page, base: str, name: str, role: str, answers: dict):
    page.goto(f"{base}/answer/about")
    page.check("#respondent_role" if role == "officer" else f"#respondent_role-{role}")
    page.check("#routes-commercialisation")
    page.get_by_role("button", name="Save and continue").click()
    for step in THEME_STEPS:
        page.wait_for_url(f"**/answer/{step}")
        for sid, (current, ambition) in answers.items():
            if page.locator(f"#{sid}-comment").count():
                page.check(radio(sid, "current", current))
                page.check(radio(sid, "ambition", ambition))
                page.fill(f"#{sid}-comment", f"{name}'s note on {sid}")
        page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/answer/review")
    page.get_by_role("button", name="Submit your answers").click()
    page.wait_for_url("**/answer?submitted=1")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.body().decode("utf-8-sig"))))


@pytest.fixture
def council(live_server):
    su, members = council_people(PeopleFactory(live_server.app), "ABE", "aberdeencity.gov.uk", members=MEMBERS)
    with live_server.app.state.store.transaction() as tx:
        for name, person in members.items():
            name_person(tx, person, name.capitalize() + " Example")
        r = open_round(tx, "ABE", live_server.app.state.clock.now(), opened_by=su)
    return {"su": su, "members": members, "round": r, "base": f"{live_server.url}/app/councils/ABE/rounds/{r.id}"}


def test_three_members_answer_the_super_user_agrees_and_publishes_and_everyone_sees_what_they_may(browser, live_server, council):
    base = council["base"]
    # 1. three members answer on their own, through the form
    for name, (role, answers) in MEMBERS.items():
        context, page = signed_in(browser, live_server, council["members"][name])
        answer(page, base, name, role, answers)
        context.close()
        if name == "ada":
            # one person has answered: the agenda counts nothing (it would be Ada's answers) and says why
            context, page = signed_in(browser, live_server, council["su"], second_factor=True)
            page.goto(base + "/consensus")
            withheld = page.locator("#spread-withheld")
            expect(withheld).to_contain_text("fewer than 2 people besides you have submitted their answers")
            expect(withheld.get_by_role("link", name="open everyone's individual answers")).to_be_visible()
            expect(page.get_by_role("table", name=re.compile("^How people answered"))).to_have_count(0)
            assert axe_violations(page) == []
            context.close()

    # 2. the super-user sees the spread, the most disagreement first
    context, page = signed_in(browser, live_server, council["su"], second_factor=True)
    page.goto(base + "/consensus")
    assert page.get_by_role("heading", name="Agree the council's response", level=1).is_visible()
    order = page.locator("ol.tie-agenda > li > a").evaluate_all("links => links.map(a => a.textContent.split(':')[0])")
    # now: PLC-02 spans 4 stages, GOV-01 3, LDP-01 1; then, with everyone agreeing on now, FIN-01 and FIN-02
    # disagree on the ambition (FIN-01 also has a "don't know"); PLC-01 and CAP-01 agree on both
    assert order == ["PLC-02", "GOV-01", "LDP-01", "FIN-01", "FIN-02", "PLC-01", "CAP-01"]
    assert page.get_by_text("3 of 4 members of the council have submitted their answers").is_visible()
    expect(page.locator("#still-to-agree")).to_contain_text("7 of 7 statements still to agree")
    withheld = page.locator("#roles-withheld")
    expect(withheld).to_contain_text("officers, councillors, did not say")
    expect(withheld.get_by_role("link", name="open everyone's individual answers")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Start with the first statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statement 1 of 7 on the agenda · PLC-02")
    spread = page.get_by_role("table", name="How people answered PLC-02 (number of people)")
    header = spread.locator("thead th").all_inner_texts()
    # one officer, one councillor, one who did not say: side by side would show each one's answers, so it is withheld
    assert header == ["Stage", "Now: everyone", "Ambition: everyone"]
    reviews_row = spread.get_by_role("row", name=re.compile("^Reviews"))
    assert reviews_row.locator("td").all_inner_texts()[:2] == ["1", "1"]
    assert "Ada Example" not in page.content() and "'s note on" not in page.content()
    assert axe_violations(page) == []
    # the publishing page says what each audience will see
    page.goto(base + "/publish")
    audiences = page.get_by_role("table", name="What each audience sees, for each choice")
    expect(audiences.get_by_role("row", name=re.compile("^Everyone"))).to_contain_text("not the rationale")
    assert axe_violations(page) == []
    page.goto(base + "/consensus/statements/GOV-01")

    # names and comments, on their own page, with one audit record per person shown
    page.get_by_role("link", name="Who answered what on GOV-01").click()
    page.wait_for_url("**/consensus/answers?statement=GOV-01")
    table = page.get_by_role("table", name="Individual answers to GOV-01")
    expect(table).to_be_visible()
    assert sorted(table.locator("tbody th").all_inner_texts()) == ["Ada Example", "Bob Example", "Cat Example"]
    assert axe_violations(page) == []
    with live_server.app.state.store.transaction(write=False) as tx:
        viewed = [e for e in audit.entries(tx, "ABE") if e["action"] == "answers.viewed"]
    assert sorted(e["subject"] for e in viewed) == sorted(p.pseudonym for p in council["members"].values())
    context.close()

    # 3. the consensus is recorded without JavaScript, statement by statement in agenda order, each save returning
    # to the next statement, then published
    context, page = signed_in(browser, live_server, council["su"], second_factor=True, javascript=False)
    page.goto(base + "/consensus")
    page.get_by_role("link", name="Start with the first statement").click()
    recorded = []
    while len(recorded) < len(CONSENSUS):
        section = page.locator("section[data-statement]")
        sid = section.get_attribute("data-statement")
        current, ambition, rationale = CONSENSUS[sid]
        section.locator(f"#c-{sid}-current" if current == "not-yet" else f"#c-{sid}-current-{current}").check()
        section.locator(f"#c-{sid}-ambition" if ambition == "not-yet" else f"#c-{sid}-ambition-{ambition}").check()
        section.locator(f"#c-{sid}-rationale").fill(rationale)
        recorded.append(sid)
        if len(recorded) < len(CONSENSUS):
            section.get_by_role("button", name="Save and go to the next statement").click()
        else:
            section.get_by_role("button", name=f"Save the consensus for {sid}").click()
        expect(page.get_by_role("status").filter(has_text=f"Consensus for {sid} saved.")).to_be_visible()
    assert recorded == order
    assert f"/consensus/statements/{order[-1]}?saved={order[-1]}" in page.url
    page.goto(base + "/consensus")
    expect(page.locator("#still-to-agree")).to_contain_text("Consensus is recorded for all 7 statements.")
    page.check("#routes-community-focus-and-prevention")
    page.get_by_role("button", name="Save the favoured routes").click()
    expect(page.get_by_role("status").filter(has_text="The council's favoured routes were saved.")).to_be_visible()
    page.get_by_role("link", name="Review and publish the official response").click()
    page.get_by_label("Similar councils").check()
    page.get_by_role("button", name="Publish the official response").click()
    expect(page.get_by_role("heading", name="The council's official results", level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="The official response is published.")).to_be_visible()
    context.close()

    # 4. each member sees only their own answers; the official results match the consensus
    for name, (_, answers) in MEMBERS.items():
        context, page = signed_in(browser, live_server, council["members"][name])
        page.goto(base + "/my-results")
        assert page.get_by_role("heading", name="Your own results", level=1).is_visible()
        assert page.get_by_text(f"{name}'s note on GOV-01").first.is_visible()
        mine = csv_rows(page.request.get(base + "/downloads/my-answers.csv"))
        assert {r["statement_id"]: (r["current_stage"], r["ambition_stage"]) for r in mine} == answers
        assert page.request.get(base + "/consensus").status == 403
        assert page.request.get(base + "/consensus/answers").status == 403
        # nobody else's name appears on a member's pages
        others = [f"{n.capitalize()} Example" for n in MEMBERS if n != name]
        assert not any(other in page.content() for other in others)
        assert axe_violations(page) == []

        page.goto(base + "/results")
        theme_table = page.get_by_role("table", name="Now and ambition by theme (average stage, 0 to 4)")
        assert theme_table.get_by_role("row", name=re.compile("^Financial planning")).locator("td").all_inner_texts()[:2] == [
            "Plans (2.0)",
            "Does (3.0)",
        ]
        chart = page.locator("svg.tie-chart")
        assert chart.get_attribute("role") == "img"
        assert "Financial planning and viability: now Plans (2.0), ambition Does (3.0)." in chart.locator("desc").text_content()
        # areas for improvement: gaps of 2 (the two at "understands" before GOV-01 at "plans"), then gaps of 1
        plan_ids = page.locator("ol.tie-plan > li").evaluate_all("items => items.map(i => i.id.slice(5))")
        assert plan_ids == ["PLC-02", "FIN-01", "GOV-01", "PLC-01", "LDP-01", "CAP-01"]
        assert page.locator("#plan-FIN-01").get_by_role("link", name="Running a budget consultation").is_visible()
        assert page.locator("#plan-GOV-01").get_by_role("link", name="Corporate peer challenge").is_visible()
        official = csv_rows(page.request.get(base + "/downloads/official-answers.csv"))
        assert {r["statement_id"]: (r["current_stage"], r["ambition_stage"], r["note"]) for r in official} == CONSENSUS
        plan = page.request.get(base + "/downloads/official-action-plan.json").json()
        assert [p["statement_id"] for p in plan["action_plan"]] == plan_ids
        assert axe_violations(page) == []
        if name == "ada":
            # printed, it is a committee paper: no site furniture or downloads, the chart and tables kept
            page.emulate_media(media="print")
            expect(page.locator(".md-header")).to_be_hidden()
            expect(page.locator(".tie-downloads")).to_be_hidden()
            expect(page.locator("svg.tie-chart")).to_be_visible()
            expect(theme_table).to_be_visible()
            assert "(/guidance/budget-consultation/)" in page.locator(
                "#plan-FIN-01 a[href='/guidance/budget-consultation/']"
            ).evaluate("a => getComputedStyle(a, '::after').content")
        context.close()

    # 5. shared with similar councils, it does not exist for another council, even one of the same type
    outsider = PeopleFactory(live_server.app).add("sam@aberdeenshire.gov.uk", council="ABD")
    context, page = signed_in(browser, live_server, outsider)
    for path in ("/results", "/downloads/official-answers.csv", "/downloads/official-action-plan.json"):
        assert page.request.get(base + path).status == 404, path
    context.close()

    # 6. published again for everyone: anyone sees the stages and routes, never the rationale
    context, page = signed_in(browser, live_server, council["su"], second_factor=True, javascript=False)
    page.goto(base + "/publish")
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Publish the official response").click()
    expect(page.get_by_role("status").filter(has_text="The official response is published.")).to_be_visible()
    context.close()
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/results")
    expect(page.get_by_role("heading", name="The council's official results", level=1)).to_be_visible()
    rationales = [r for _, _, r in CONSENSUS.values() if r]
    assert not any(r in page.content() for r in rationales)
    expect(page.get_by_role("table", name="Financial planning")).to_contain_text("Understands")
    official = csv_rows(page.request.get(base + "/downloads/official-answers.csv"))
    assert {r["statement_id"]: (r["current_stage"], r["ambition_stage"]) for r in official} == {
        sid: (c, a) for sid, (c, a, _) in CONSENSUS.items()
    }
    assert "note" not in official[0]
    assert axe_violations(page) == []
    context.close()


def test_the_consensus_error_and_conflict_pages_pass_axe(browser, live_server, council):
    base = council["base"]
    context, page = signed_in(browser, live_server, council["su"], second_factor=True)
    page.goto(base + "/consensus/statements/GOV-01")
    # a bad combination: the error summary links to the field, which says what is wrong (with JavaScript the page
    # of problems replaces the statement's, without a reload)
    page.evaluate("window.notReloaded = true")
    section = page.locator("#s-GOV-01")
    section.locator("#c-GOV-01-current-does").check()
    section.locator("#c-GOV-01-ambition-plans").check()
    section.get_by_role("button", name="Save the consensus for GOV-01").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name=re.compile("ambition: expected a stage at or above")).click()
    expect(page.locator("#c-GOV-01-ambition")).to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    assert axe_violations(page) == []
    # another super-user saves first: the later save is told, and shown both
    other = PeopleFactory(live_server.app).add("tom@aberdeencity.gov.uk", council="ABE", role="super-user")
    with live_server.app.state.store.transaction() as tx:
        draft_consensus(tx, council["round"].id, "GOV-01", "plans", "does", 0, person=other)
    section = page.locator("#s-GOV-01")
    section.locator("#c-GOV-01-ambition-reviews").check()
    section.get_by_role("button", name="Save the consensus for GOV-01").click()
    expect(page.get_by_role("heading", name="Someone else saved this first", level=1)).to_be_visible()
    assert axe_violations(page) == []
    context.close()


def test_with_javascript_a_save_moves_to_the_next_statement_without_a_reload_and_back_returns(browser, live_server, council):
    base = council["base"]
    context, page = signed_in(browser, live_server, council["su"], second_factor=True)
    page.goto(base + "/consensus")
    page.get_by_role("link", name="Start with the first statement").click()
    first = page.locator("section[data-statement]").get_attribute("data-statement")
    page.evaluate("window.notReloaded = true")
    page.check(f"#c-{first}-current-plans")
    page.check(f"#c-{first}-ambition-does")
    page.get_by_role("button", name="Save and go to the next statement").click()
    saved = page.get_by_role("status").filter(has_text=f"Consensus for {first} saved.")
    expect(saved).to_be_visible()
    expect(saved).to_be_focused()
    second = page.locator("section[data-statement]").get_attribute("data-statement")
    assert second != first and f"/consensus/statements/{second}?saved={first}" in page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statement 2 of 7")
    assert page.evaluate("window.notReloaded") is True  # the same document: no page load
    assert axe_violations(page) == []
    page.go_back()
    expect(page.locator(f"section[data-statement='{first}']")).to_be_visible()
    expect(page.locator(f"#c-{first}-current-plans")).to_be_checked()
    context.close()
