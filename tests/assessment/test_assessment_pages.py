"""The self-assessment pages without JavaScript: opening a round, answering step by step, errors, resuming, conflicts."""

from __future__ import annotations

import pytest

from functions import audit
from functions.assessment import responses, rounds
from tests.factories import form_token
from tests.html_tree import parse

COUNTY = "ESX"


@pytest.fixture
def lead(app, client, people):
    person = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
    people.sign_in(client, person, second_factor=True)
    return person


@pytest.fixture
def open_round(app, lead):
    with app.state.store.transaction() as tx:
        return rounds.open_round(tx, COUNTY, "2026", lead.id, app.state.clock.now())


@pytest.fixture
def ann(app, client, people, open_round):
    person = people.add("ann@eastsussex.gov.uk", council=COUNTY)
    people.sign_in(client, person)
    return person


def base(round_):
    return f"/app/councils/{COUNTY}/rounds/{round_.id}/answer"


def post(client, url, fields):
    return client.post(url, data={"csrf_token": form_token(client), **fields}, follow_redirects=False)


def test_a_super_user_opens_this_years_round_once(app, client, lead):
    page = client.get("/app/assessment/")
    assert page.status_code == 200 and "Open the" in page.text
    opened = post(client, f"/app/councils/{COUNTY}/rounds", {})
    assert opened.status_code == 303 and opened.headers["location"] == f"/app/assessment/?opened={COUNTY}"
    with app.state.store.transaction(write=False) as tx:
        (round_,) = rounds.for_council(tx, COUNTY)
        assert [e["action"] for e in audit.entries(tx, COUNTY)] == ["round.opened"]
    assert round_.edition == "2026" and round_.is_open
    again = post(client, f"/app/councils/{COUNTY}/rounds", {})
    assert again.status_code == 409
    assert f"already has a round for {round_.year}" in again.text


def test_a_member_cannot_open_a_round(client, people):
    member = people.add("ann@eastsussex.gov.uk", council=COUNTY)
    people.sign_in(client, member)
    assert "Open the" not in client.get("/app/assessment/").text
    assert post(client, f"/app/councils/{COUNTY}/rounds", {}).status_code == 403


def test_the_start_page_says_who_can_see_the_answers_before_anyone_answers(client, ann, open_round):
    page = client.get(base(open_round))
    assert page.status_code == 200
    assert "Your council's super-user can read your individual answers and comments." in page.text
    first = client.get(base(open_round) + "/about")
    assert "Who can see your answers" in first.text


def test_save_and_continue_checks_the_step_and_shows_every_problem_beside_its_field(client, ann, open_round):
    refused = post(
        client,
        base(open_round) + "/place-and-priorities",
        {"version": "0", "action": "continue", "PLC-01.current": "reviews", "PLC-01.ambition": "plans", "PLC-01.comment": ""},
    )
    assert refused.status_code == 422
    tree = parse(refused.text)
    assert tree.find("title").text.startswith("Error:")
    links = [a.attrs["href"] for a in tree.find("div", class_="tie-error-summary").find_all("a")]
    assert links == ["#PLC-01-ambition", "#PLC-02-current", "#PLC-02-ambition"]
    assert tree.by_id("PLC-01-ambition-error") is not None
    checked = [i.attrs["id"] for i in tree.find_all("input") if "checked" in i.attrs]
    assert checked == ["PLC-01-current-reviews", "PLC-01-ambition-plans"]  # what was sent is shown again
    assert client.get(f"/api/councils/{COUNTY}/rounds/{open_round.id}/my-response").json()["version"] == 0


def test_save_and_come_back_later_keeps_a_partial_draft_that_the_form_shows_again(client, ann, open_round):
    later = post(
        client,
        base(open_round) + "/place-and-priorities",
        {"version": "0", "action": "later", "PLC-01.current": "plans", "PLC-01.comment": "Half done"},
    )
    assert later.status_code == 303 and later.headers["location"].startswith("/app/assessment/?saved=")
    assert "Your answers are saved" in client.get(later.headers["location"]).text
    tree = parse(client.get(base(open_round) + "/place-and-priorities").text)
    assert [i.attrs["id"] for i in tree.find_all("input") if "checked" in i.attrs] == ["PLC-01-current-plans"]
    assert tree.by_id("PLC-01-comment").text == "Half done"
    assert tree.find("input", name="version").attrs["value"] == "1"
    assert "In progress" in client.get(base(open_round)).text


def test_answering_every_step_then_submitting(app, client, ann, open_round):
    steps = {
        "about": {"respondent_role": "officer", "routes": ["process-redesign", "commercialisation"]},
        "place-and-priorities": {"PLC-01": "plans", "PLC-02": "does"},
        "leadership-of-place": {"LDP-01": "understands"},
        "financial-planning": {"FIN-01": "does", "FIN-02": "plans"},
        "governance": {"GOV-01": "reviews"},
        "capacity-to-deliver": {"CAP-01": "not-yet"},
    }
    version = 0
    for slug, given in steps.items():
        fields = (
            given
            if slug == "about"
            else {k: v for sid, stage in given.items() for k, v in ((f"{sid}.current", stage), (f"{sid}.ambition", stage))}
        )
        saved = post(client, base(open_round) + "/" + slug, {"version": str(version), "action": "continue", **fields})
        assert saved.status_code == 303, saved.text
        version += 1
    assert saved.headers["location"].endswith("/answer/review")
    review = client.get(saved.headers["location"])
    assert "Now: Reviews; In two years: Reviews" in review.text
    done = post(client, base(open_round) + "/review", {"version": str(version), "action": "submit"})
    assert done.status_code == 303 and done.headers["location"].endswith("?submitted=1")
    assert "Your answers are submitted" in client.get(done.headers["location"]).text
    with app.state.store.transaction(write=False) as tx:
        stored = responses.own(tx, open_round.id, ann.id)
    assert stored.submitted and stored.respondent_role == "officer"
    assert stored.routes == ("process-redesign", "commercialisation")
    assert {sid: a.current for sid, a in stored.answers.items()} == {
        "PLC-01": "plans",
        "PLC-02": "does",
        "LDP-01": "understands",
        "FIN-01": "does",
        "FIN-02": "plans",
        "GOV-01": "reviews",
        "CAP-01": "not-yet",
    }


def test_submitting_an_incomplete_response_links_each_problem_to_its_step(client, ann, open_round):
    refused = post(client, base(open_round) + "/review", {"version": "0", "action": "submit"})
    assert refused.status_code == 422
    links = [a.attrs["href"] for a in parse(refused.text).find("div", class_="tie-error-summary").find_all("a")]
    assert links[0] == base(open_round) + "/place-and-priorities#PLC-01-current"
    assert len(links) == 14  # current and ambition of all seven statements


def test_a_save_from_an_older_page_is_refused_and_the_newer_answers_are_shown(client, ann, open_round):
    url = base(open_round) + "/place-and-priorities"
    post(client, url, {"version": "0", "action": "later", "PLC-01.current": "does"})
    stale = post(client, url, {"version": "0", "action": "later", "PLC-01.current": "not-yet"})
    assert stale.status_code == 409
    assert "Someone saved these answers since you opened this page" in stale.text
    tree = parse(stale.text)
    assert [i.attrs["id"] for i in tree.find_all("input") if "checked" in i.attrs] == ["PLC-01-current-does"]
    assert tree.find("input", name="version").attrs["value"] == "1"


def test_a_version_in_other_digits_is_an_older_page_not_an_error(client, ann, open_round):
    """A version of ² was a 500 (`isdigit` takes it, `int` cannot read it), and one of ٠ was read as 0."""
    url = base(open_round) + "/place-and-priorities"
    for version in ("²", "٠", "０"):
        stale = post(client, url, {"version": version, "action": "later", "PLC-01.current": "does"})
        assert stale.status_code == 409 and "Someone saved these answers since you opened this page" in stale.text
    assert post(client, url, {"version": "0", "action": "later", "PLC-01.current": "does"}).status_code in (200, 303)


def test_the_form_shows_a_district_its_not_applicable_statement(app, client, people):
    lead = people.add("lead@bromsgrove.gov.uk", council="BRM", role="super-user")
    with app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, "BRM", "2026", lead.id, app.state.clock.now())
    people.sign_in(client, lead)
    page = client.get(f"/app/councils/BRM/rounds/{round_.id}/answer/financial-planning")
    assert "Not applicable" in parse(page.text).by_id("FIN-02").text
    saved = post(
        client,
        f"/app/councils/BRM/rounds/{round_.id}/answer/financial-planning",
        {"version": "0", "action": "continue", "FIN-01.current": "plans", "FIN-01.ambition": "plans"},
    )
    assert saved.status_code == 303


def test_another_councils_round_is_not_found_and_signed_out_people_are_sent_to_sign_in(client, people, ann, open_round):
    outsider = people.add("bob@bromsgrove.gov.uk", council="BRM")
    people.sign_in(client, outsider)
    assert client.get(base(open_round)).status_code == 404
    assert client.get(base(open_round) + "/about").status_code == 404
    client.cookies.clear()
    away = client.get(base(open_round) + "/about", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"].startswith("/app/sign-in?next=")


def test_a_closed_round_shows_answers_without_buttons_and_refuses_saves(app, client, ann, open_round):
    with app.state.store.transaction() as tx:
        rounds.set_status(tx, COUNTY, open_round.id, rounds.CLOSED, app.state.clock.now())
    page = client.get(base(open_round) + "/about")
    assert "This round is closed" in page.text and "Save and continue" not in page.text
    assert post(client, base(open_round) + "/about", {"version": "0", "respondent_role": "officer"}).status_code == 409


def test_times_on_the_form_pages_are_uk_time_with_the_zone_named(app, client, people):
    """Summer: the clocks say BST, an hour ahead of the stored UTC; the pages say so."""
    import datetime as dt

    from functions.clock import FixedClock

    app.state.clock = FixedClock(int(dt.datetime(2026, 7, 1, 13, 5, tzinfo=dt.UTC).timestamp()))
    lead = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
    people.sign_in(client, lead, second_factor=True)
    assert post(client, f"/app/councils/{COUNTY}/rounds", {}).status_code == 303
    with app.state.store.transaction(write=False) as tx:
        (round_,) = rounds.for_council(tx, COUNTY)
    url = base(round_) + "/place-and-priorities"
    assert post(client, url, {"version": "0", "action": "later", "PLC-01.current": "does"}).status_code == 303
    shown = "1 July 2026 at 14:05 BST"
    assert f"Draft saved {shown}" in client.get("/app/assessment/").text
    assert f"You last saved your answers on {shown}." in client.get(base(round_)).text
    assert f"It was opened on {shown}." in post(client, f"/app/councils/{COUNTY}/rounds", {}).text
    assert f"as they were last saved ({shown})" in post(client, url, {"version": "0", "action": "later"}).text
    for page in (client.get("/app/assessment/"), client.get(base(round_))):
        assert "UTC" not in page.text
