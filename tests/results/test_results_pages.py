"""Results pages and downloads: the official response for the council (or everyone), own answers for their author."""

from __future__ import annotations

import csv
import io
import re

import pytest

from functions.assessment import rounds
from tests.factories import answer, answers, make_settings, open_round, publish_consensus, same_answers
from tests.html_tree import parse

T0 = 1_780_000_000  # May 2026
YEAR = 365 * 86400
OFFICIAL = {
    "PLC-01": ("does", "reviews", "Our profile is current"),
    "PLC-02": ("plans", "does", ""),
    "LDP-01": ("reviews", "reviews", ""),
    "FIN-01": ("understands", "does", "No agreed plan yet"),
    "FIN-02": ("plans", "does", ""),
    "GOV-01": ("not-yet", "plans", ""),
    "CAP-01": ("does", "does", ""),
}


@pytest.fixture
def app(tmp_path, built_site, smtp_server):
    """The app with the example library built, so that next steps have resources to suggest."""
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, site_dir=built_site, smtp_url=smtp_server.url))
    yield app
    app.state.store.close()


def publish(app, council, at, agreed, sharing="council", routes=("community-focus-and-prevention",)):
    with app.state.store.transaction() as tx:
        r = open_round(tx, council, at)
        publish_consensus(tx, r, app.state.editions["2026"], at, agreed, sharing=sharing, routes=routes)
    return r


def opened_round(app):
    """A round of Aberdeen City's, open, with nothing answered yet."""
    with app.state.store.transaction() as tx:
        return open_round(tx, "ABE", T0)


@pytest.fixture
def member(people):
    return people.add("ada@aberdeencity.gov.uk", council="ABE")


def test_official_results_show_themes_strengths_and_ranked_improvements_with_next_steps(app, client, people, member):
    r = publish(app, "ABE", T0, OFFICIAL)
    people.sign_in(client, member)
    page = client.get(f"/app/councils/ABE/rounds/{r.id}/results")
    assert page.status_code == 200
    text = page.text
    assert 'role="img"' in text and '<title id="tie-results-chart-title">' in text
    assert "Now and ambition by theme (average stage, 0 to 4)</caption>" in text
    # strengths: reviews before does
    assert text.index("We lead partnerships that improve the area.") < text.index(
        "We have the skills to deliver our change programme."
    )
    # improvements: the gaps of 2 first, the earlier stage (not yet) before the later (understands); then
    # the gaps of 1, "plans" before "does", questionnaire order between the two at "plans"
    plan = text[text.index('id="improvements"') :]
    shown = sorted((plan.index(f'id="plan-{sid}"'), sid) for sid in OFFICIAL if f'id="plan-{sid}"' in plan)
    assert [sid for _, sid in shown] == ["GOV-01", "FIN-01", "PLC-02", "FIN-02", "PLC-01"]
    # next steps: the guidance written for FIN-01 at this stage, and peer challenge as support for governance
    fin = plan[plan.index('id="plan-FIN-01"') : plan.index('id="plan-PLC-02"')]
    assert 'href="/guidance/budget-consultation/"' in fin and "written for statement FIN-01" in fin
    assert "fits the council&#39;s favoured route: community focus and prevention" in fin
    gov = plan[plan.index('id="plan-GOV-01"') : plan.index('id="plan-FIN-01"')]
    assert 'href="/support/peer-challenge/"' in gov
    assert "Rationale: No agreed plan yet" in fin


def test_official_results_are_for_members_unless_published_for_everyone(app, client, people):
    r = publish(app, "ABE", T0, OFFICIAL, sharing="similar")
    address = f"/app/councils/ABE/rounds/{r.id}/results"
    anonymous = client.get(address, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/app/sign-in")
    people.sign_in(client, people.add("sam@aberdeenshire.gov.uk", council="ABD"))
    assert client.get(address).status_code == 404
    assert client.get(f"/app/councils/ABE/rounds/{r.id}/downloads/official-answers.csv").status_code == 404
    public = publish(app, "ANS", T0, OFFICIAL, sharing="public")
    client.cookies.clear()
    assert client.get(f"/app/councils/ANS/rounds/{public.id}/results").status_code == 200
    assert client.get(f"/app/councils/ANS/rounds/{public.id}/downloads/official-action-plan.json").status_code == 200


def test_results_before_publication_say_so(app, client, people, member):
    r = opened_round(app)
    people.sign_in(client, member)
    page = client.get(f"/app/councils/ABE/rounds/{r.id}/results")
    assert page.status_code == 404
    assert "has not published its official response for this round yet" in page.text


def test_official_downloads_match_the_published_answers(app, client, people, member):
    r = publish(app, "ABE", T0, OFFICIAL)
    people.sign_in(client, member)
    base = f"/app/councils/ABE/rounds/{r.id}/downloads"
    answers = client.get(base + "/official-answers.csv")
    assert answers.headers["content-type"].startswith("text/csv")
    assert answers.headers["content-disposition"] == 'attachment; filename="abe-2026-official-answers.csv"'
    rows = list(csv.DictReader(io.StringIO(answers.content.decode("utf-8-sig"))))
    assert {row["statement_id"]: (row["current_stage"], row["ambition_stage"], row["note"]) for row in rows} == OFFICIAL
    doc = client.get(base + "/official-answers.json").json()
    assert doc["council"] == "ABE" and doc["response"] == "official" and doc["version"] == 1
    assert (doc["published_at"], doc["sharing"]) == (T0, "council")
    assert {a["statement_id"]: (a["current_stage"], a["ambition_stage"], a["note"]) for a in doc["answers"]} == OFFICIAL
    plan = client.get(base + "/official-action-plan.json").json()["action_plan"]
    assert [p["statement_id"] for p in plan] == ["GOV-01", "FIN-01", "PLC-02", "FIN-02", "PLC-01"]
    assert plan[1]["resources"][0]["url"] == "https://testserver/guidance/budget-consultation/"
    plan_csv = list(csv.DictReader(io.StringIO(client.get(base + "/official-action-plan.csv").content.decode("utf-8-sig"))))
    assert [p["statement_id"] for p in plan_csv] == [p["statement_id"] for p in plan]
    assert client.get(base + "/everyone-answers.csv").status_code == 404


def test_own_results_and_downloads_show_only_the_persons_own_answers(app, client, people, member):
    bob = people.add("bob@aberdeencity.gov.uk", council="ABE")
    with app.state.store.transaction() as tx:
        r = open_round(tx, "ABE", T0)
        for person, stage, note in ((member, "plans", "Ada's note"), (bob, "reviews", "Bob's note")):
            answer(tx, r.id, person, same_answers(OFFICIAL, stage, comment=note), T0)
    people.sign_in(client, member)
    page = client.get(f"/app/councils/ABE/rounds/{r.id}/my-results")
    assert page.status_code == 200
    assert "Ada&#39;s note" in page.text and "Bob&#39;s note" not in page.text
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/app/councils/ABE/rounds/{r.id}/downloads/my-answers.csv").content.decode("utf-8-sig"))
        )
    )
    assert {row["current_stage"] for row in rows} == {"plans"}
    assert {row["note"] for row in rows} == {"Ada's note"}
    doc = client.get(f"/app/councils/ABE/rounds/{r.id}/downloads/my-action-plan.json").json()
    assert doc["response"] == "own" and len(doc["action_plan"]) == len(OFFICIAL)


def test_a_council_that_did_it_before_sees_its_progress(app, client, people, member):
    before = {sid: v for sid, v in OFFICIAL.items()}
    before["GOV-01"] = ("not-yet", "plans", "")
    before["FIN-01"] = ("not-yet", "does", "")
    before["CAP-01"] = ("reviews", "reviews", "")
    publish(app, "ABE", T0 - YEAR, before)
    r = publish(app, "ABE", T0, OFFICIAL)
    people.sign_in(client, member)
    text = client.get(f"/app/councils/ABE/rounds/{r.id}/results").text
    progress = text[text.index('id="progress"') : text.index('id="statements"')]
    assert "Progress since 2025 official response" in progress
    assert "Moved up: FIN-01." in progress and "Moved down: CAP-01." in progress


def test_own_results_say_when_there_is_nothing_to_show(app, client, people, member):
    r = opened_round(app)
    people.sign_in(client, member)
    page = client.get(f"/app/councils/ABE/rounds/{r.id}/my-results")
    assert page.status_code == 200
    assert "You have not answered yet" in page.text
    with app.state.store.transaction() as tx:
        rounds.set_status(tx, "ABE", r.id, rounds.CLOSED, T0)
    assert "There are no answers of yours for this round" in client.get(f"/app/councils/ABE/rounds/{r.id}/my-results").text


def test_own_results_show_progress_since_the_persons_answers_last_year(app, client, people, member):
    with app.state.store.transaction() as tx:
        for at, stage in ((T0 - YEAR, "understands"), (T0, "does")):
            r = open_round(tx, "ABE", at)
            answer(tx, r.id, member, same_answers(OFFICIAL, stage), at)
    people.sign_in(client, member)
    text = client.get(f"/app/councils/ABE/rounds/{r.id}/my-results").text
    assert "Progress since your 2025 answers" in text
    assert "7 statements moved up a stage or more; 0 moved down." in text


RATIONALES = [r for _, _, r in OFFICIAL.values() if r]
OFFICIAL_DOWNLOADS = ("official-answers.csv", "official-answers.json", "official-action-plan.csv", "official-action-plan.json")


def test_outsiders_see_a_public_response_as_stages_ambitions_and_routes_only(app, client, people, member):
    with app.state.store.transaction() as tx:
        tx.execute("UPDATE people SET name = 'Sue Publisher' WHERE id = ?", (member.id,))
    r = publish(app, "ABE", T0, OFFICIAL, sharing="public")
    with app.state.store.transaction() as tx:  # published by a named person: nobody outside may learn who
        tx.execute("UPDATE consensus_responses SET published_by = ? WHERE round_id = ?", (member.id, r.id))
    base = f"/app/councils/ABE/rounds/{r.id}"
    outsider = people.add("sam@aberdeenshire.gov.uk", council="ABD")
    for who in (None, outsider):  # not signed in, then a member of another council
        client.cookies.clear()
        if who:
            people.sign_in(client, who)
        page = client.get(base + "/results")
        assert page.status_code == 200
        assert "FIN-01" in page.text and "Understands" in page.text  # the stages are there
        assert not any(text in page.text for text in RATIONALES)
        assert "Rationale" not in page.text and "Sue Publisher" not in page.text and member.email not in page.text
        assert "The reasons it recorded for them stay within" in page.text
        # why each next step was chosen reads right to someone outside the council: the council's routes, not theirs
        assert "fits the council&#39;s favoured route: community focus and prevention" in page.text
        assert "your favoured" not in page.text and "like yours" not in page.text
        for name in OFFICIAL_DOWNLOADS:
            download = client.get(f"{base}/downloads/{name}")
            assert download.status_code == 200, name
            body = download.content.decode("utf-8-sig")
            assert not any(text in body for text in RATIONALES), name
            assert "note" not in body and member.id not in body and member.email not in body, name
        rows = list(csv.DictReader(io.StringIO(client.get(base + "/downloads/official-answers.csv").content.decode("utf-8-sig"))))
        assert {row["statement_id"]: (row["current_stage"], row["ambition_stage"]) for row in rows} == {
            sid: (c, a) for sid, (c, a, _) in OFFICIAL.items()
        }
        doc = client.get(base + "/downloads/official-answers.json").json()
        assert [x["id"] for x in doc["routes"]] == ["community-focus-and-prevention"]
        assert all("note" not in a for a in doc["answers"])
    # the council's own members still see the rationale, on the page and in the downloads
    people.sign_in(client, member)
    assert "Rationale: No agreed plan yet" in client.get(base + "/results").text
    assert "No agreed plan yet" in client.get(base + "/downloads/official-action-plan.csv").content.decode("utf-8-sig")


def test_a_response_shared_with_similar_councils_is_not_shown_to_any_other_council(app, client, people, member):
    r = publish(app, "ABE", T0, OFFICIAL, sharing="similar")
    base = f"/app/councils/ABE/rounds/{r.id}"
    nowhere = "/app/councils/ABE/rounds/no-such-round"
    # not signed in: sent to sign in, exactly as for a round that does not exist
    for address in (base + "/results", base + "/downloads/official-answers.json"):
        refused = client.get(address, follow_redirects=False)
        missing = client.get(address.replace(base, nowhere), follow_redirects=False)
        assert (refused.status_code, missing.status_code) == (303, 303)
        assert refused.headers["location"].startswith("/app/sign-in?next=")
    # signed in to another council, even one of the same type (both are unitary): 404 for every object of the round
    same_type = people.add("sam@aberdeenshire.gov.uk", council="ABD", role="super-user")
    assert app.state.register.get("ABD").type == app.state.register.get("ABE").type
    people.sign_in(client, same_type, second_factor=True)
    for path in ("/results", "/my-results", "/consensus", "/consensus/answers", "/publish") + tuple(
        f"/downloads/{n}" for n in OFFICIAL_DOWNLOADS + ("my-answers.csv", "my-action-plan.json")
    ):
        assert client.get(base + path).status_code == 404, path
    # and through its own council's address, the round of another council does not exist either
    assert client.get(f"/app/councils/ABD/rounds/{r.id}/results").status_code == 404


def test_outsiders_see_progress_only_against_an_earlier_response_that_was_public_too(app, client, people, member):
    publish(app, "ABE", T0 - YEAR, OFFICIAL, sharing="council")
    r = publish(app, "ABE", T0, OFFICIAL, sharing="public")
    address = f"/app/councils/ABE/rounds/{r.id}/results"
    assert 'id="progress"' not in client.get(address).text
    people.sign_in(client, member)
    assert "Progress since 2025 official response" in client.get(address).text


def test_a_public_response_made_council_only_again_is_withdrawn_from_outsiders(app, client, people, member):
    r = publish(app, "ABE", T0, OFFICIAL, sharing="public")
    address = f"/app/councils/ABE/rounds/{r.id}/results"
    assert client.get(address).status_code == 200
    with app.state.store.transaction() as tx:
        publish_consensus(tx, rounds.get(tx, "ABE", r.id), app.state.editions["2026"], T0 + 60, sharing="council")
    assert client.get(address, follow_redirects=False).status_code == 303
    people.sign_in(client, people.add("sam@aberdeenshire.gov.uk", council="ABD"))
    assert client.get(address).status_code == 404


def test_results_show_the_publication_time_in_uk_time_with_the_zone(app, client, people, member):
    summer = publish(app, "ABE", T0, OFFICIAL)  # 20:26 UTC on 28 May 2026
    winter = publish(app, "ABE", T0 - 200 * 86400, OFFICIAL)  # 9 November 2025, 20:26 UTC
    people.sign_in(client, member)
    assert "published on 28 May 2026 at 21:26 BST" in client.get(f"/app/councils/ABE/rounds/{summer.id}/results").text
    assert "published on 9 November 2025 at 20:26 GMT" in client.get(f"/app/councils/ABE/rounds/{winter.id}/results").text


def test_own_results_give_the_persons_own_routes_as_the_reason_for_a_next_step(app, client, people, member):
    with app.state.store.transaction() as tx:
        r = open_round(tx, "ABE", T0)
        answer(tx, r.id, member, same_answers(OFFICIAL, "understands", "does"), T0, routes=("community-focus-and-prevention",))
    people.sign_in(client, member)
    text = client.get(f"/app/councils/ABE/rounds/{r.id}/my-results").text
    fin = text[text.index('id="plan-FIN-01"') :]
    assert "fits your favoured route: community focus and prevention" in fin
    assert "the council&#39;s favoured" not in text


# -- the action plan: what the page shows, the downloads carry ------------------------------------

SITE = "https://testserver"  # the test settings' site address, which the downloads put before each link


def _words(text) -> str:
    return " ".join(str(text).split())


def _step(statement_id, statement, theme, current, ambition, gap, note, resources, support):
    return {
        "statement": (statement_id, _words(statement)),
        "theme": _words(theme),
        "stages": (_words(current), _words(ambition), int(gap)),
        "note": note or None,  # no note and an empty one say the same: nothing recorded
        "resources": resources,
        "support": support,
    }


def _suggestion(title, url, summary, reasons):
    return (_words(title), url.removeprefix(SITE), _words(summary or ""), tuple(reasons))


def plan_on_the_page(html: str) -> tuple[list, list]:
    """(areas for improvement with their next steps, statements to find out about) as the results page shows them."""
    root = parse(html)
    steps = []
    for item in root.find_all("li", class_="tie-plan__item"):
        sid = item.attrs["id"].removeprefix("plan-")
        heading = item.find("h3").text
        facts = re.fullmatch(r"Now: (.+)\. Ambition: (.+)\. Gap: (\d+) stages?\. Theme: (.+)\.", item.find("p").text)
        note = item.find("p", class_="tie-note")
        lists, heading_seen = {}, None
        for child in item.child_elements():
            if child.tag == "h4":
                heading_seen = child.text
            elif child.tag == "ul":
                lists[heading_seen] = [
                    _suggestion(
                        li.child_elements("a")[0].text,
                        li.child_elements("a")[0].attrs["href"],
                        (li.find("span", class_="tie-steps__summary") or parse("")).text.removeprefix(": "),  # the colon is hidden in print with it
                        [r for r in (li.find("span", class_="tie-steps__why") or parse("")).text.strip("()").split("; ") if r],
                    )
                    for li in child.child_elements("li")
                ]
        steps.append(
            _step(
                sid,
                heading.removeprefix(sid).strip(),
                facts.group(4),
                facts.group(1),
                facts.group(2),
                facts.group(3),
                note.text.split(": ", 1)[1] if note else None,
                lists.get("Resources", []),
                lists.get("Support you can ask for", []),
            )
        )
    find_out = [
        (li.find("span", class_="tie-statement__id").text, re.search(r"\(([^()]+)\)$", li.text).group(1))
        for li in root.find_all("li")
        if li.attrs.get("id", "").startswith("find-out-")
    ]
    return steps, find_out


def plan_in_the_json(doc: dict) -> tuple[list, list]:
    steps = [
        _step(
            p["statement_id"],
            p["statement"],
            p["theme"],
            p["current"],
            p["ambition"],
            p["gap"],
            p.get("note"),
            [_suggestion(r["title"], r["url"], r["summary"], r["reasons"]) for r in p["resources"]],
            [_suggestion(r["title"], r["url"], r["summary"], r["reasons"]) for r in p["support"]],
        )
        for p in doc["action_plan"]
    ]
    return steps, [(x["statement_id"], x["current"]) for x in doc["to_find_out"]]


def _cell_suggestions(cell: str) -> list:
    found = []
    for line in filter(None, cell.split("\n")):
        m = re.fullmatch(r"(.+?) \((https?://[^ )]+)\)(?:: (.*?))?(?: \(why: (.*)\))?", line)
        found.append(_suggestion(m.group(1), m.group(2), m.group(3), (m.group(4) or "").split("; ") if m.group(4) else []))
    return found


def plan_in_the_csv(text: str) -> tuple[list, list]:
    table = list(csv.DictReader(io.StringIO(text)))
    assert {row["section"] for row in table} <= {"area for improvement", "to find out"}
    steps = [
        _step(
            row["statement_id"],
            row["statement"],
            row["theme"],
            row["current"],
            row["ambition"],
            row["gap"],
            row.get("note"),
            _cell_suggestions(row["resources"]),
            _cell_suggestions(row["support"]),
        )
        for row in table
        if row["section"] == "area for improvement"
    ]
    return steps, [(row["statement_id"], row["current"]) for row in table if row["section"] == "to find out"]


def assert_page_and_downloads_agree(client, page_address: str, downloads: str) -> tuple[list, list]:
    page = client.get(page_address)
    assert page.status_code == 200
    shown = plan_on_the_page(page.text)
    as_json = plan_in_the_json(client.get(downloads + "-action-plan.json").json())
    as_csv = plan_in_the_csv(client.get(downloads + "-action-plan.csv").content.decode("utf-8-sig"))
    assert as_json == shown
    assert as_csv == shown
    return shown


def test_the_action_plan_downloads_carry_what_the_page_shows_to_each_reader(app, client, people, member):
    r = publish(app, "ABE", T0, OFFICIAL, sharing="public")
    base = f"/app/councils/ABE/rounds/{r.id}"
    people.sign_in(client, member)
    steps, find_out = assert_page_and_downloads_agree(client, base + "/results", base + "/downloads/official")
    # what is compared is there: next steps with their reasons, support, and the rationale for members
    fin = next(s for s in steps if s["statement"][0] == "FIN-01")
    assert fin["note"] == "No agreed plan yet"
    assert fin["resources"][0][:2] == ("Running a budget consultation", "/guidance/budget-consultation/")
    assert "written for statement FIN-01" in fin["resources"][0][3] and fin["resources"][0][2]
    gov = next(s for s in steps if s["statement"][0] == "GOV-01")
    assert gov["support"][0][1] == "/support/peer-challenge/" and gov["support"][0][3]
    assert find_out == []  # a consensus has a stage for every statement
    # someone outside the council: the same plan without the rationale, on the page and in the downloads
    client.cookies.clear()
    outside, _ = assert_page_and_downloads_agree(client, base + "/results", base + "/downloads/official")
    assert [s["statement"] for s in outside] == [s["statement"] for s in steps]
    assert all(s["note"] is None for s in outside)


def test_a_persons_action_plan_downloads_list_what_to_find_out_as_the_page_does(app, client, people, member):
    mine = {
        "PLC-01": ("understands", "does", "Ask the policy team"),
        "PLC-02": ("dont-know", "does", "No idea yet"),
        "FIN-01": ("understands", "reviews", ""),
        "GOV-01": ("dont-know", "reviews", ""),
    }
    with app.state.store.transaction() as tx:
        r = open_round(tx, "ABE", T0)
        answer(tx, r.id, member, answers(mine), T0, routes=("community-focus-and-prevention",))
    people.sign_in(client, member)
    base = f"/app/councils/ABE/rounds/{r.id}"
    steps, find_out = assert_page_and_downloads_agree(client, base + "/my-results", base + "/downloads/my")
    assert [s["statement"][0] for s in steps] == ["FIN-01", "PLC-01"]
    assert steps[1]["note"] == "Ask the policy team"
    assert find_out == [
        ("PLC-02", "Don't know"),
        ("LDP-01", "Not answered"),
        ("FIN-02", "Not answered"),
        ("GOV-01", "Don't know"),
        ("CAP-01", "Not answered"),
    ]
