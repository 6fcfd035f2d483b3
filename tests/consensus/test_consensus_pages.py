"""The super-user's consensus pages: the agenda, audited individual answers, saving, conflicts and publishing."""

from __future__ import annotations

import re

import pytest

from functions import audit
from functions.assessment import rounds
from functions.consensus import store as consensus
from tests.factories import (
    answer,
    answers,
    council_people,
    draft_consensus,
    form_token,
    name_person,
    open_round,
    same_answers,
)

T0 = 1_780_000_000
ANSWERS = {
    # statement: (ada's, bob's, cat's) current stage; ambitions are one stage up (or reviews)
    "PLC-01": ("plans", "plans", "plans"),
    "PLC-02": ("not-yet", "reviews", "does"),
    "LDP-01": ("plans", "does", "plans"),
    "FIN-01": ("understands", "understands", "dont-know"),
    "FIN-02": ("does", "does", "does"),
    "GOV-01": ("not-yet", "does", "does"),
    "CAP-01": ("does", "does", "does"),
}
STAGES = ["not-yet", "understands", "plans", "does", "reviews"]


def up(stage):
    return "does" if stage == "dont-know" else STAGES[min(4, STAGES.index(stage) + 1)]


@pytest.fixture
def council(app, people):
    """Aberdeen (a unitary council): a super-user with a second factor, and three members who have answered."""
    su, by_name = council_people(people, "ABE", "aberdeencity.gov.uk")
    members = list(by_name.values())
    with app.state.store.transaction() as tx:
        name_person(tx, by_name["ada"], "Ada Lovelace")
        r = open_round(tx, "ABE", T0, opened_by=su)
        for i, ((name, person), role) in enumerate(zip(by_name.items(), ("officer", "councillor", None), strict=True)):
            given = answers({sid: (stages[i], up(stages[i]), f"{name} on {sid}") for sid, stages in ANSWERS.items()})
            answer(tx, r.id, person, given, T0, role=role, routes=("process-redesign",))
    return {"round": r, "su": su, "members": members, "base": f"/app/councils/ABE/rounds/{r.id}"}


def agenda_order(text: str) -> list[str]:
    """The statements in the order the agenda lists them, each a link to its own page."""
    return re.findall(r'/consensus/statements/([A-Z]{3}-\d\d)#s-\1">\1:', text)


def test_the_agenda_puts_the_most_disagreement_first_with_the_spread(client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    page = client.get(council["base"] + "/consensus")
    assert page.status_code == 200
    order = agenda_order(page.text)
    # PLC-02 and GOV-01 span 3-4 stages; agreement (PLC-01, FIN-02, CAP-01) comes last
    assert order[:2] == ["PLC-02", "GOV-01"]
    assert order[-3:] == ["PLC-01", "FIN-02", "CAP-01"]
    assert "answers span 4 stages (Not yet to Reviews); middle answer Does" in page.text
    assert "3 of 4 members of the council" in page.text
    assert "7 of 7 statements still to agree" in page.text and "Start with the first statement" in page.text
    # one officer, one councillor and one who did not say: side by side would show each one's answers
    statement = client.get(council["base"] + "/consensus/statements/PLC-02").text
    assert "How people answered PLC-02" in statement and "Statement 1 of 7 on the agenda" in statement
    assert "Now: officers" not in statement and "Now: councillors" not in page.text and "Now: did not say" not in page.text
    banner = " ".join(page.text[page.text.index('id="roles-withheld"') :].split())
    assert "fewer than 2 people besides you are in these groups: officers, councillors, did not say" in banner
    assert f'<a href="{council["base"]}/consensus/answers">open everyone\'s individual answers</a>' in banner
    # names and comments are not on the agenda
    assert "Ada Lovelace" not in page.text and "ada on PLC-01" not in page.text


def answered(app, round_id, person, role, stage):
    with app.state.store.transaction() as tx:
        answer(tx, round_id, person, same_answers(ANSWERS, stage), T0, role=role)


def test_officers_and_councillors_are_side_by_side_when_every_group_has_two_people_besides_the_reader(
    app, client, people, council
):
    r = council["round"]
    for name, role in (("eve", "councillor"), ("fay", None)):
        answered(app, r.id, people.add(f"{name}@aberdeencity.gov.uk", council="ABE"), role, "reviews")
    # the super-user answers as an officer too: the officers' column less their own would be Ada's answers
    answered(app, r.id, council["su"], "officer", "not-yet")
    people.sign_in(client, council["su"], second_factor=True)
    page = client.get(council["base"] + "/consensus")
    assert "Now: officers" not in client.get(council["base"] + "/consensus/statements/GOV-01").text
    assert "besides you are in this group: officers." in " ".join(page.text.split())
    answered(app, r.id, people.add("dan@aberdeencity.gov.uk", council="ABE"), "officer", "plans")
    page = client.get(council["base"] + "/consensus")
    assert 'id="roles-withheld"' not in page.text
    page = client.get(council["base"] + "/consensus/statements/GOV-01")
    assert "Now: officers (3)" in page.text and "Now: councillors (2)" in page.text and "Now: did not say (2)" in page.text
    assert 'id="roles-withheld"' not in page.text


def test_with_fewer_than_two_people_besides_the_reader_the_agenda_counts_nothing_and_points_to_the_audited_answers(
    app, client, people
):
    su = people.add("sue@angus.gov.uk", council="ANS", role="super-user")
    ada = people.add("ada@angus.gov.uk", council="ANS")
    with app.state.store.transaction() as tx:
        r = open_round(tx, "ANS", T0, opened_by=su)
    base = f"/app/councils/ANS/rounds/{r.id}"
    # ada's answers are far apart from sue's on GOV-01 only: ordered by disagreement, GOV-01 would come first
    agreed = same_answers(ANSWERS, "plans", "does")
    with app.state.store.transaction() as tx:
        answer(tx, r.id, su, agreed, T0, role="officer", routes=("process-redesign",))
        theirs = {**agreed, **answers({"GOV-01": ("reviews", "reviews", "Ada's view on GOV-01")})}
        answer(tx, r.id, ada, theirs, T0, role="officer", routes=("commercialisation",))
    people.sign_in(client, su, second_factor=True)
    page = client.get(base + "/consensus")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert agenda_order(page.text) == list(ANSWERS)  # the questionnaire's order
    assert "fewer than 2 people besides you have submitted their answers" in text
    banner = text[text.index('id="spread-withheld"') :]
    assert f'<a href="{base}/consensus/answers">open everyone\'s individual answers</a>' in banner
    # nothing counted from ada's answers: no table, no spread, no middle answer, no comments, no tally of routes
    for counted in ("(number of people)", "answers span", "everyone who answered chose", "middle answer", "Commercialisation: "):
        assert counted not in text, counted
    assert not re.search(r"\d+ comments?;", text)
    assert "What people chose is not shown yet" in text
    assert 'id="roles-withheld"' not in text  # one explanation, not two
    assert "Ada&#39;s view" not in text
    statement = " ".join(client.get(base + "/consensus/statements/GOV-01").text.split())
    assert f'href="{base}/consensus/answers?statement=GOV-01"' in statement and "Ada&#39;s view" not in statement
    for counted in ("(number of people)", "answers span", "middle answer"):
        assert counted not in statement, counted
    # the consensus can still be recorded, and the page that records it after an error counts nothing either
    error = client.post(
        base + "/consensus/statements/GOV-01",
        data={"csrf_token": form_token(client), "version": "0", "current": "does", "ambition": "plans", "rationale": ""},
    )
    assert error.status_code == 422 and "why the spread is not shown" in error.text and "(number of people)" not in error.text
    # a second person besides the reader: the spread is shown, most disagreement first
    bob = people.add("bob@angus.gov.uk", council="ANS")
    with app.state.store.transaction() as tx:
        answer(tx, r.id, bob, agreed, T0)
    page = client.get(base + "/consensus")
    assert 'id="spread-withheld"' not in page.text and agenda_order(page.text)[0] == "GOV-01"
    assert "Commercialisation: 1" in page.text
    statement = client.get(base + "/consensus/statements/GOV-01").text
    assert "How people answered GOV-01" in statement and "(1 comment;" in statement


def test_the_agenda_and_the_conflict_page_show_times_in_uk_time_with_the_zone(app, client, people, council):
    with app.state.store.transaction() as tx:
        draft_consensus(tx, council["round"].id, "GOV-01", "does", "reviews", T0)
    people.sign_in(client, council["su"], second_factor=True)
    assert "on 28 May 2026 at 21:26 BST." in client.get(council["base"] + "/consensus/statements/GOV-01").text
    data = {"csrf_token": form_token(client), "version": "0", "current": "plans", "ambition": "does", "rationale": ""}
    conflict = client.post(council["base"] + "/consensus/statements/GOV-01", data=data)
    assert conflict.status_code == 409 and "on 28 May 2026 at 21:26 BST," in conflict.text


def test_the_publishing_page_says_what_each_audience_will_see(client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    text = client.get(council["base"] + "/publish").text
    table = text[text.index('id="audiences-table"') : text.index("</table>", text.index('id="audiences-table"'))]
    rows = re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S)
    cells = {choice: re.findall(r"<td>([^<]+)</td>", rest) for choice, rest in rows}
    assert cells["The council only"][1:] == ["Nothing", "Nothing"]
    assert cells["Similar councils"][2] == "Nothing" and "Not your response" in cells["Similar councils"][1]
    assert all("not the rationale" in cell for cell in cells["Everyone"][1:])
    assert all("rationale" in row[0] for row in cells.values())  # the council's members see the whole response
    assert "nobody outside the council sees the rationale, who published the response" in " ".join(text.split())
    # the hint beside the rationale says where it goes
    statement = client.get(council["base"] + "/consensus/statements/GOV-01").text
    assert "Only members of your council see it: it never leaves the council" in statement


def test_the_consensus_needs_the_super_user_with_a_second_factor(client, people, council):
    member = council["members"][0]
    people.sign_in(client, member, second_factor=True)
    assert client.get(council["base"] + "/consensus").status_code == 403
    assert client.get(council["base"] + "/consensus/answers").status_code == 403
    people.sign_in(client, council["su"], second_factor=False)
    r = client.get(council["base"] + "/consensus", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/app/security/two-factor?next=")


def test_another_councils_super_user_gets_404(client, people, council):
    other = people.add("sam@aberdeenshire.gov.uk", council="ABD", role="super-user")
    people.sign_in(client, other, second_factor=True)
    assert client.get(council["base"] + "/consensus").status_code == 404
    assert client.get(f"/app/councils/ABD/rounds/{council['round'].id}/consensus").status_code == 404


def test_viewing_individual_answers_writes_one_audit_record_per_person_shown(app, client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    page = client.get(council["base"] + "/consensus/answers?statement=GOV-01")
    assert page.status_code == 200
    assert "Ada Lovelace" in page.text and "bob@aberdeencity.gov.uk" in page.text
    assert "ada on GOV-01" in page.text and "ada on PLC-01" not in page.text
    with app.state.store.transaction(write=False) as tx:
        entries = [e for e in audit.entries(tx, "ABE") if e["action"] == "answers.viewed"]
    assert sorted(e["subject"] for e in entries) == sorted(m.pseudonym for m in council["members"])
    assert {e["actor"] for e in entries} == {council["su"].pseudonym}
    assert all('"statements": "GOV-01"' in e["detail"] for e in entries)
    # nothing in the audit log names anyone
    assert not any("@" in (e["detail"] + (e["subject"] or "") + (e["actor"] or "")) for e in entries)


def test_recording_the_consensus_saves_and_returns_to_the_statement(app, client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    token = form_token(client)
    r = client.post(
        council["base"] + "/consensus/statements/GOV-01",
        data={"csrf_token": token, "version": "0", "current": "plans", "ambition": "does", "rationale": "Scrutiny is new"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"].endswith("/consensus/statements/GOV-01?saved=GOV-01#s-GOV-01")
    page = client.get(r.headers["location"])
    assert "Consensus for GOV-01 saved." in page.text and 'value="Scrutiny is new"' not in page.text
    assert ">Scrutiny is new</textarea>" in page.text
    with app.state.store.transaction(write=False) as tx:
        saved = consensus.draft(tx, council["round"].id, "GOV-01")
    assert (saved.current, saved.ambition, saved.rationale, saved.version) == ("plans", "does", "Scrutiny is new", 1)
    agenda = client.get(council["base"] + "/consensus").text
    assert "6 of 7 statements still to agree" in agenda and "agreed: Plans now, Does ambition" in agenda


def test_save_and_go_to_the_next_statement_follows_the_agenda_and_the_last_stays(app, client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    order = agenda_order(client.get(council["base"] + "/consensus").text)
    token = form_token(client)
    for here, there in [*zip(order, order[1:], strict=False), (order[-1], order[-1])]:
        r = client.post(
            council["base"] + f"/consensus/statements/{here}",
            data={"csrf_token": token, "version": "0", "current": "plans", "ambition": "does", "action": "next"},
            follow_redirects=False,
        )
        assert r.headers["location"].endswith(f"/consensus/statements/{there}?saved={here}#s-{there}")
    page = client.get(r.headers["location"]).text
    assert "Save and go to the next statement" not in page and "Review and publish the official response" in page
    assert "Consensus is recorded for all 7 statements." in client.get(council["base"] + "/consensus").text
    assert client.get(council["base"] + "/consensus/statements/NOPE-99").status_code == 404


def test_bad_consensus_input_lists_every_problem_and_saves_nothing(app, client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    r = client.post(
        council["base"] + "/consensus/statements/GOV-01",
        data={"csrf_token": form_token(client), "version": "0", "current": "does", "ambition": "plans", "rationale": "x" * 1001},
    )
    assert r.status_code == 422
    assert "There is a problem" in r.text
    assert 'href="#c-GOV-01-ambition"' in r.text and 'href="#c-GOV-01-rationale"' in r.text
    assert "ambition: expected a stage at or above the current stage (Does), got Plans" in r.text
    with app.state.store.transaction(write=False) as tx:
        assert consensus.draft(tx, council["round"].id, "GOV-01") is None


def test_a_concurrent_edit_is_refused_with_both_versions_shown(app, client, people, council):
    other = people.add("tom@aberdeencity.gov.uk", council="ABE", role="super-user")
    with app.state.store.transaction() as tx:
        name_person(tx, other, "Tom Other")
        draft_consensus(tx, council["round"].id, "GOV-01", "does", "reviews", T0, rationale="Tom's view", person=other)
    people.sign_in(client, council["su"], second_factor=True)
    r = client.post(
        council["base"] + "/consensus/statements/GOV-01",
        data={
            "csrf_token": form_token(client),
            "version": "0",
            "current": "plans",
            "ambition": "does",
            "rationale": "Sue's view",
        },
    )
    assert r.status_code == 409
    assert "Tom Other saved the consensus for GOV-01" in r.text
    assert "Tom&#39;s view" in r.text and "Sue&#39;s view" in r.text
    assert 'name="version" value="1"' in r.text  # saving again is based on what is stored now
    with app.state.store.transaction(write=False) as tx:
        assert consensus.draft(tx, council["round"].id, "GOV-01").rationale == "Tom's view"


def test_publishing_lists_what_is_missing_then_publishes_with_the_sharing_chosen(app, client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    base, token = council["base"], form_token(client)
    page = client.get(base + "/publish")
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', page.text).group(1)
    r = client.post(base + "/publish", data={"csrf_token": token, "seen": seen})
    assert r.status_code == 422
    assert "sharing: expected one of council, similar, public; got nothing" in r.text
    assert "PLC-01: expected a consensus stage and ambition, got nothing yet" in r.text
    for sid in ANSWERS:
        saved = client.post(
            base + f"/consensus/statements/{sid}",
            data={"csrf_token": token, "version": "0", "current": "plans", "ambition": "does"},
        )
        assert saved.status_code == 200, sid
    client.post(
        base + "/consensus/routes",
        data={"csrf_token": token, "version": "0", "routes": ["process-redesign", "commercialisation"]},
    )
    # the page seen before the consensus was recorded is out of date
    stale = client.post(base + "/publish", data={"csrf_token": token, "seen": seen, "sharing": "similar"})
    assert stale.status_code == 409
    assert "The consensus changed after you opened this page" in stale.text
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', client.get(base + "/publish").text).group(1)
    done = client.post(base + "/publish", data={"csrf_token": token, "seen": seen, "sharing": "similar"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == base + "/results?published=1"
    with app.state.store.transaction(write=False) as tx:
        published = consensus.latest(tx, council["round"].id)
        assert (published.version, published.sharing, published.routes) == (
            1,
            "similar",
            ("process-redesign", "commercialisation"),
        )
        assert rounds.get(tx, "ABE", council["round"].id).status == rounds.PUBLISHED
        assert [e["action"] for e in audit.entries(tx, "ABE")][0] == "consensus.published"


def test_forms_without_the_form_token_are_refused(client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    r = client.post(
        council["base"] + "/consensus/statements/GOV-01", data={"version": "0", "current": "plans", "ambition": "does"}
    )
    assert r.status_code == 403


def test_repeated_or_nonsense_fields_get_a_clear_message_not_an_error_page(app, client, people, council):
    people.sign_in(client, council["su"], second_factor=True)
    token = form_token(client)
    r = client.post(
        council["base"] + "/consensus/statements/GOV-01",
        data={"csrf_token": token, "version": "x" * 500, "current": ["plans", "does"], "ambition": "does"},
    )
    assert r.status_code == 422
    assert "current: expected one of not-yet, understands, plans, does, reviews; got" in r.text
    assert "version: expected a whole number, got &#39;xxxxxxxx" in r.text and "x" * 100 not in r.text
    routes = client.post(
        council["base"] + "/consensus/routes", data={"csrf_token": token, "version": "0", "routes": ["mix", "x"]}
    )
    assert routes.status_code == 422 and "routes: expected one of process-redesign" in routes.text
    unknown = client.post(
        council["base"] + "/consensus/statements/NOPE-99",
        data={"csrf_token": token, "version": "0", "current": "plans", "ambition": "does"},
    )
    assert unknown.status_code == 404
    with app.state.store.transaction(write=False) as tx:
        assert consensus.drafts(tx, council["round"].id) == {}


def test_a_version_in_other_digits_is_not_a_whole_number(app, client, people, council):
    """`isdigit` took superscripts, which `int` cannot read (a 500), and other scripts' digits, which it
    reads: a version is the digits 0 to 9."""
    people.sign_in(client, council["su"], second_factor=True)
    token = form_token(client)
    for version in ("²", "٠", "０"):
        for path, fields in (("/consensus/statements/GOV-01", {"current": "plans", "ambition": "does"}), ("/consensus/routes", {"routes": "mix"})):
            r = client.post(council["base"] + path, data={"csrf_token": token, "version": version, **fields})
            assert r.status_code == 422 and "version: expected a whole number, got" in r.text, (version, path, r.status_code)
    with app.state.store.transaction(write=False) as tx:
        assert consensus.drafts(tx, council["round"].id) == {}
