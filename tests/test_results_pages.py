"""Results pages and downloads: the official response for the council (or everyone), own answers for their author."""

from __future__ import annotations

import csv
import io

import pytest

from functions import consensus, responses, rounds
from functions.responses import Answer
from tests.conftest import make_settings

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


def publish(app, council, at, answers, sharing="council", routes=("community-focus-and-prevention",)):
    with app.state.store.transaction() as tx:
        r = rounds.open_round(tx, council, "2026", None, at)
        for sid, (current, ambition, rationale) in answers.items():
            consensus.save_draft(
                tx, r.id, sid, current=current, ambition=ambition, rationale=rationale, based_on=0, person_id=None, at=at
            )
        consensus.save_routes(tx, r.id, routes, based_on=0, person_id=None, at=at)
        seen = consensus.fingerprint(consensus.drafts(tx, r.id), consensus.routes_draft(tx, r.id))
        consensus.publish(tx, r, app.state.editions["2026"], "unitary", sharing=sharing, seen=seen, person_id=None, at=at)
    return r


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
    assert "follows your favoured route: community focus and prevention" in fin
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
    with app.state.store.transaction() as tx:
        r = rounds.open_round(tx, "ABE", "2026", None, T0)
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
        r = rounds.open_round(tx, "ABE", "2026", None, T0)
        for person, stage, note in ((member, "plans", "Ada's note"), (bob, "reviews", "Bob's note")):
            answers = {sid: Answer(sid, stage, "reviews", note) for sid in OFFICIAL}
            responses.save(tx, r.id, person.id, based_on=0, respondent_role=None, routes=(), answers=answers, submit=True, at=T0)
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
    with app.state.store.transaction() as tx:
        r = rounds.open_round(tx, "ABE", "2026", None, T0)
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
            r = rounds.open_round(tx, "ABE", "2026", None, at)
            answers = {sid: Answer(sid, stage, "reviews", "") for sid in OFFICIAL}
            responses.save(tx, r.id, member.id, based_on=0, respondent_role=None, routes=(), answers=answers, submit=True, at=at)
    people.sign_in(client, member)
    text = client.get(f"/app/councils/ABE/rounds/{r.id}/my-results").text
    assert "Progress since your 2025 answers" in text
    assert "7 statements moved up a stage or more; 0 moved down." in text
