"""The self-assessment API: own responses saved whole, every problem listed, 413, idempotency, stale versions, councils apart."""

from __future__ import annotations

import pytest

from functions.assessment import responses, rounds
from functions.web.security import MAX_BODY
from tests.factories import form_token

COUNTY, DISTRICT = "ESX", "BRM"  # East Sussex (county), Bromsgrove (district)
COMPLETE_COUNTY = {
    sid: {"current": "plans", "ambition": "does"}
    for sid in ("PLC-01", "PLC-02", "LDP-01", "FIN-01", "FIN-02", "GOV-01", "CAP-01")
}


@pytest.fixture
def member(app, client, people):
    """Ann, a member of East Sussex, signed in; the council's open round; the form token header."""
    ann = people.add("ann@eastsussex.gov.uk", council=COUNTY)
    lead = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
    with app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, COUNTY, "2026", lead.id, app.state.clock.now())
    people.sign_in(client, ann)
    headers = {"X-CSRF-Token": form_token(client)}
    return ann, round_, headers


def url(round_, code=COUNTY):
    return f"/api/councils/{code}/rounds/{round_.id}/my-response"


def put(client, round_, headers, body, code=COUNTY, **extra):
    return client.put(url(round_, code), json=body, headers={**headers, **extra})


def test_the_latest_edition_is_served_with_its_statements(client):
    got = client.get("/api/editions/latest")
    assert got.status_code == 200
    body = got.json()
    assert body["edition"] == "2026"
    assert [s["id"] for t in body["themes"] for s in t["statements"]][:2] == ["PLC-01", "PLC-02"]
    assert [s["id"] for s in body["stages"]] == ["not-yet", "understands", "plans", "does", "reviews"]


def test_before_a_first_save_my_response_is_empty_at_version_zero(client, member):
    _, round_, _ = member
    got = client.get(url(round_))
    assert got.status_code == 200
    assert got.json()["version"] == 0 and got.json()["answers"] == {}
    assert got.headers["etag"] == '"0"'


def test_a_saved_response_reads_back_and_the_version_moves_on(client, member):
    _, round_, headers = member
    body = {
        "version": 0,
        "respondent_role": "officer",
        "routes": ["commercialisation"],
        "answers": {"PLC-01": {"current": "plans", "ambition": "does", "comment": "Profile is from 2021"}},
    }
    saved = put(client, round_, headers, body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1 and saved.headers["etag"] == '"1"'
    got = client.get(url(round_)).json()
    assert got == saved.json()
    assert got["answers"]["PLC-01"] == {"current": "plans", "ambition": "does", "comment": "Profile is from 2021"}
    again = put(client, round_, headers, {**body, "version": 1, "answers": {}})
    assert again.json()["version"] == 2 and again.json()["answers"] == {}


def test_a_body_with_problems_gets_422_listing_every_one_and_stores_nothing(client, member):
    _, round_, headers = member
    body = {
        "version": 0,
        "routes": ["moonshot"],
        "answers": {
            "PLC-01": {"current": "reviews", "ambition": "plans"},
            "PLC-02": {"current": "brilliant", "ambition": "does"},
            "ZZZ-01": {"current": "plans", "ambition": "plans"},
            "GOV-01": {"current": "plans", "ambition": "does", "comment": "x" * 2001},
        },
    }
    refused = put(client, round_, headers, body)
    assert refused.status_code == 422
    problems = refused.json()["error"]["problems"]
    assert sorted(p["where"] for p in problems) == [
        "answers.GOV-01.comment",
        "answers.PLC-01.ambition",
        "answers.PLC-02.current",
        "answers.ZZZ-01",
        "routes[0]",
    ]
    assert all(": expected " in p["message"] and ", got " in p["message"] for p in problems)
    assert client.get(url(round_)).json()["version"] == 0


def test_a_statement_that_does_not_apply_to_the_council_is_refused(app, client, people):
    bob = people.add("bob@bromsgrove.gov.uk", council=DISTRICT, role="super-user")
    with app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, DISTRICT, "2026", bob.id, app.state.clock.now())
    people.sign_in(client, bob)
    refused = put(
        client,
        round_,
        {"X-CSRF-Token": form_token(client)},
        {"version": 0, "answers": {"FIN-02": {"current": "plans", "ambition": "does"}}},
        code=DISTRICT,
    )
    assert refused.status_code == 422
    assert "does not apply to district councils" in refused.json()["error"]["problems"][0]["message"]


def test_submitting_needs_every_applicable_statement_and_names_each_missing(client, member):
    _, round_, headers = member
    partial = dict(COMPLETE_COUNTY)
    del partial["GOV-01"]
    refused = put(client, round_, headers, {"version": 0, "answers": partial, "submit": True})
    assert refused.status_code == 422
    assert [p["where"] for p in refused.json()["error"]["problems"]] == ["answers.GOV-01.current", "answers.GOV-01.ambition"]
    done = put(client, round_, headers, {"version": 0, "answers": COMPLETE_COUNTY, "submit": True})
    assert done.status_code == 200 and done.json()["submitted_at"]
    # a submitted response stays complete
    assert put(client, round_, headers, {"version": 1, "answers": partial}).status_code == 422


def test_a_body_over_the_limit_gets_413_and_stores_nothing(client, member):
    _, round_, headers = member
    big = {"version": 0, "answers": {"PLC-01": {"current": "plans", "ambition": "does", "comment": "x" * MAX_BODY}}}
    refused = put(client, round_, headers, big)
    assert refused.status_code == 413
    assert refused.json()["error"]["status"] == 413
    assert client.get(url(round_)).json()["version"] == 0


def test_a_retried_request_with_the_same_idempotency_key_is_stored_once_and_answered_the_same(client, member):
    _, round_, headers = member
    body = {"version": 0, "answers": {"PLC-01": {"current": "plans", "ambition": "does"}}}
    first = put(client, round_, headers, body, **{"Idempotency-Key": "save-1"})
    retry = put(client, round_, headers, body, **{"Idempotency-Key": "save-1"})
    assert first.status_code == retry.status_code == 200
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert client.get(url(round_)).json()["version"] == 1
    # without the key, the same body is a stale save
    assert put(client, round_, headers, body).status_code == 409


def test_an_idempotency_key_reused_for_a_different_request_is_refused(client, member):
    _, round_, headers = member
    put(client, round_, headers, {"version": 0, "answers": {}}, **{"Idempotency-Key": "k"})
    refused = put(client, round_, headers, {"version": 1, "answers": {}}, **{"Idempotency-Key": "k"})
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"][0]["where"] == "Idempotency-Key"
    assert client.get(url(round_)).json()["version"] == 1


def test_a_save_based_on_a_stale_version_gets_409_with_the_newer_answers(client, member):
    _, round_, headers = member
    put(client, round_, headers, {"version": 0, "answers": {"PLC-01": {"current": "plans", "ambition": "does"}}})
    put(client, round_, headers, {"version": 1, "answers": {"PLC-01": {"current": "does", "ambition": "does"}}})
    stale = put(client, round_, headers, {"version": 1, "answers": {"PLC-01": {"current": "not-yet", "ambition": "plans"}}})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["current"]["version"] == 2
    assert error["current"]["answers"]["PLC-01"]["current"] == "does"
    assert error["problems"][0]["message"] == "version: expected 2 (the version stored now), got 1"


def test_if_match_may_carry_the_version(client, member):
    _, round_, headers = member
    assert put(client, round_, headers, {"answers": {}}, **{"If-Match": '"0"'}).status_code == 200
    assert put(client, round_, headers, {"answers": {}}, **{"If-Match": '"0"'}).status_code == 409
    assert put(client, round_, headers, {"answers": {}}, **{"If-Match": 'W/"1"'}).status_code == 200
    mismatch = put(client, round_, headers, {"version": 2, "answers": {}}, **{"If-Match": '"1"'})
    assert mismatch.status_code == 422 and mismatch.json()["error"]["problems"][0]["where"] == "If-Match"


def test_another_councils_round_does_not_exist_for_a_member(app, client, people, member):
    ann, round_, headers = member
    other = people.add("lead@bromsgrove.gov.uk", council=DISTRICT, role="super-user")
    with app.state.store.transaction() as tx:
        theirs = rounds.open_round(tx, DISTRICT, "2026", other.id, app.state.clock.now())
    assert client.get(url(theirs, DISTRICT)).status_code == 404
    assert client.get(url(theirs, COUNTY)).status_code == 404  # their round under Ann's own council
    assert put(client, theirs, headers, {"version": 0, "answers": {}}, code=COUNTY).status_code == 404
    assert client.get(f"/api/councils/{DISTRICT}/rounds").status_code == 404
    assert client.get("/api/councils/NOPE/rounds").status_code == 404


def test_signed_out_gets_401_and_a_write_without_the_form_token_gets_403(client, member):
    _, round_, headers = member
    assert put(client, round_, {}, {"version": 0, "answers": {}}).status_code == 403
    client.cookies.clear()
    assert client.get(url(round_)).status_code == 401


def test_a_closed_round_takes_no_more_answers(app, client, member):
    _, round_, headers = member
    with app.state.store.transaction() as tx:
        rounds.set_status(tx, COUNTY, round_.id, rounds.CLOSED, app.state.clock.now())
    refused = put(client, round_, headers, {"version": 0, "answers": {}})
    assert refused.status_code == 409 and "closed" in refused.json()["error"]["message"]


def test_the_councils_rounds_are_listed_for_its_members(client, member):
    _, round_, _ = member
    got = client.get(f"/api/councils/{COUNTY}/rounds")
    assert got.status_code == 200
    assert [r["id"] for r in got.json()["rounds"]] == [round_.id]


def test_the_openapi_document_is_generated_from_the_questionnaire(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert {"/editions/latest", "/councils/{code}/rounds", "/councils/{code}/rounds/{round_id}/my-response"} <= set(doc["paths"])
    schemas = doc["components"]["schemas"]
    assert schemas["StatementId"]["enum"] == ["PLC-01", "PLC-02", "LDP-01", "FIN-01", "FIN-02", "GOV-01", "CAP-01"]
    assert schemas["Stage"]["enum"] == ["not-yet", "understands", "plans", "does", "reviews", "dont-know"]
    assert set(schemas["Answers"]["properties"]) == set(schemas["StatementId"]["enum"])


def test_a_replayed_answer_is_byte_for_byte_the_first_even_with_accents(client, member):
    _, round_, headers = member
    body = {"version": 0, "answers": {"PLC-01": {"current": "plans", "ambition": "does", "comment": "Café — Ysbyty Gwynedd"}}}
    first = put(client, round_, headers, body, **{"Idempotency-Key": "k-accents"})
    retry = put(client, round_, headers, body, **{"Idempotency-Key": "k-accents"})
    assert first.status_code == 200 and retry.content == first.content
    assert first.json()["answers"]["PLC-01"]["comment"] == "Café — Ysbyty Gwynedd"


def test_the_same_rules_hold_on_postgresql(settings, smtp_server, postgres_url):
    """Saving, every problem listed, stale versions, idempotency and closed rounds, on the app running on PostgreSQL."""
    from starlette.testclient import TestClient

    from functions.app import create_app
    from tests.factories import PeopleFactory

    pg = create_app(settings.with_(database_url=postgres_url, smtp_url=smtp_server.url))
    try:
        people = PeopleFactory(pg)
        ann = people.add("ann@eastsussex.gov.uk", council=COUNTY)
        lead = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
        with pg.state.store.transaction() as tx:
            round_ = rounds.open_round(tx, COUNTY, "2026", lead.id, pg.state.clock.now())
        with TestClient(pg, base_url="https://testserver") as client:
            people.sign_in(client, ann)
            headers = {"X-CSRF-Token": form_token(client)}
            body = {"version": 0, "answers": {"PLC-01": {"current": "plans", "ambition": "does", "comment": "NUL-free"}}}
            first = put(client, round_, headers, body, **{"Idempotency-Key": "pg-1"})
            assert first.status_code == 200 and first.json()["version"] == 1
            assert put(client, round_, headers, body, **{"Idempotency-Key": "pg-1"}).content == first.content
            assert put(client, round_, headers, body).status_code == 409
            bad = put(
                client,
                round_,
                headers,
                {"version": 1, "answers": {"PLC-01": {"current": "does", "ambition": "plans", "comment": "\x00"}}},
            )
            assert bad.status_code == 422 and len(bad.json()["error"]["problems"]) == 2
            with pg.state.store.transaction() as tx:
                rounds.set_status(tx, COUNTY, round_.id, rounds.CLOSED, pg.state.clock.now())
            assert put(client, round_, headers, {"version": 1, "answers": {}}).status_code == 409
            assert client.get(url(round_)).json()["answers"]["PLC-01"]["comment"] == "NUL-free"
    finally:
        pg.state.store.close()


# -- saving one answer (what saving as you go sends) ------------------------------------------------


def answer_url(round_, statement="PLC-01", code=COUNTY):
    return f"{url(round_, code)}/answers/{statement}"


def put_answer(client, round_, headers, body, statement="PLC-01", code=COUNTY, **extra):
    return client.put(answer_url(round_, statement, code), json=body, headers={**headers, **extra})


def test_one_answer_is_saved_beside_the_others_and_answered_with_the_new_version_only(client, member):
    _, round_, headers = member
    whole = {
        "version": 0,
        "respondent_role": "councillor",
        "routes": ["commercialisation"],
        "answers": {"PLC-02": {"current": "does", "ambition": "does", "comment": "kept"}},
    }
    assert put(client, round_, headers, whole).status_code == 200
    saved = put_answer(client, round_, headers, {"version": 1, "current": "plans", "ambition": "does", "comment": " New \r\n"})
    assert saved.status_code == 200, saved.text
    assert saved.headers["etag"] == '"2"'
    body = saved.json()
    assert body["version"] == 2 and body["statement_id"] == "PLC-01" and body["round_id"] == round_.id
    assert body["answer"] == {"current": "plans", "ambition": "does", "comment": "New"}
    assert set(body) == {"round_id", "statement_id", "version", "updated_at", "answer"}  # not the whole response
    stored = client.get(url(round_)).json()
    assert stored["version"] == 2 and stored["respondent_role"] == "councillor" and stored["routes"] == ["commercialisation"]
    assert stored["answers"] == {
        "PLC-01": {"current": "plans", "ambition": "does", "comment": "New"},
        "PLC-02": {"current": "does", "ambition": "does", "comment": "kept"},
    }
    changed = put_answer(client, round_, headers, {"version": 2, "current": "does", "ambition": "reviews"})
    assert changed.json()["answer"] == {"current": "does", "ambition": "reviews", "comment": ""}


def test_a_first_save_of_one_answer_starts_the_response_and_an_empty_answer_clears_it(client, member):
    _, round_, headers = member
    first = put_answer(client, round_, headers, {"version": 0, "current": "plans", "ambition": None}, statement="GOV-01")
    assert first.status_code == 200 and first.json()["version"] == 1  # a draft may leave the ambition out
    assert client.get(url(round_)).json()["answers"] == {"GOV-01": {"current": "plans", "ambition": None, "comment": ""}}
    cleared = put_answer(
        client, round_, headers, {"version": 1, "current": None, "ambition": None, "comment": " "}, statement="GOV-01"
    )
    assert cleared.status_code == 200 and cleared.json()["answer"] is None
    assert client.get(url(round_)).json()["answers"] == {}


def test_one_answer_with_problems_gets_422_listing_every_one_and_stores_nothing(client, member):
    _, round_, headers = member
    refused = put_answer(
        client,
        round_,
        headers,
        {"version": -3, "current": "reviews", "ambition": "plans", "comment": "x" * 2001, "colour": "blue"},
    )
    assert refused.status_code == 422
    problems = refused.json()["error"]["problems"]
    assert sorted(p["where"] for p in problems) == ["ambition", "colour", "comment", "version"]
    assert all(": expected " in p["message"] and ", got " in p["message"] for p in problems)
    unknown = put_answer(client, round_, headers, {"version": 0, "current": "brilliant"}, statement="ZZZ-01")
    assert unknown.status_code == 422
    assert [p["message"] for p in unknown.json()["error"]["problems"]] == [
        "statement_id: expected a statement id of edition 2026, like PLC-01, got 'ZZZ-01'",
        "current: expected one of not-yet, understands, plans, does, reviews, dont-know, got 'brilliant'",
    ]
    not_json = client.put(answer_url(round_), content=b"[", headers={**headers, "Content-Type": "application/json"})
    assert not_json.status_code == 400
    assert put_answer(client, round_, headers, ["plans"]).status_code == 422
    assert client.get(url(round_)).json()["version"] == 0


def test_one_answer_to_a_statement_that_does_not_apply_is_refused(app, client, people):
    bob = people.add("bob@bromsgrove.gov.uk", council=DISTRICT, role="super-user")
    with app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, DISTRICT, "2026", bob.id, app.state.clock.now())
    people.sign_in(client, bob)
    refused = put_answer(
        client,
        round_,
        {"X-CSRF-Token": form_token(client)},
        {"version": 0, "current": "plans"},
        statement="FIN-02",
        code=DISTRICT,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"][0]["message"] == (
        "statement_id: expected a statement that applies to district councils, got FIN-02, which does not"
    )


def test_one_answer_of_a_submitted_response_must_stay_complete(client, member):
    _, round_, headers = member
    assert put(client, round_, headers, {"version": 0, "answers": COMPLETE_COUNTY, "submit": True}).status_code == 200
    refused = put_answer(client, round_, headers, {"version": 1, "current": "does", "ambition": None})
    assert refused.status_code == 422
    assert [p["where"] for p in refused.json()["error"]["problems"]] == ["ambition"]
    assert put_answer(client, round_, headers, {"version": 1}).status_code == 422  # clearing it too
    done = put_answer(client, round_, headers, {"version": 1, "current": "does", "ambition": "reviews"})
    assert done.status_code == 200
    assert client.get(url(round_)).json()["submitted_at"] is not None


def test_one_answer_based_on_a_stale_version_gets_409_with_that_statements_answer_as_stored(client, member):
    _, round_, headers = member
    put_answer(client, round_, headers, {"version": 0, "current": "plans", "ambition": "does"})
    put_answer(client, round_, headers, {"version": 1, "current": "does", "ambition": "reviews", "comment": "other window"})
    stale = put_answer(client, round_, headers, {"version": 1, "current": "not-yet", "ambition": "plans"})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["problems"][0]["message"] == "version: expected 2 (the version stored now), got 1"
    assert error["current"]["version"] == 2 and error["current"]["statement_id"] == "PLC-01"
    assert error["current"]["answer"] == {"current": "does", "ambition": "reviews", "comment": "other window"}
    # a save of another statement based on the stale version is refused too: nothing is overwritten silently
    other = put_answer(client, round_, headers, {"version": 1, "current": "plans"}, statement="PLC-02")
    assert other.status_code == 409 and other.json()["error"]["current"]["answer"] is None
    assert client.get(url(round_)).json()["answers"]["PLC-01"]["comment"] == "other window"


def test_one_answer_retried_with_the_same_idempotency_key_is_stored_once_and_answered_the_same(client, member):
    _, round_, headers = member
    body = {"version": 0, "current": "plans", "ambition": "does", "comment": "Café"}
    first = put_answer(client, round_, headers, body, **{"Idempotency-Key": "one-1"})
    retry = put_answer(client, round_, headers, body, **{"Idempotency-Key": "one-1"})
    assert first.status_code == retry.status_code == 200
    assert retry.content == first.content and retry.headers["idempotent-replayed"] == "true"
    assert client.get(url(round_)).json()["version"] == 1
    reused = put_answer(client, round_, headers, {**body, "version": 1}, **{"Idempotency-Key": "one-1"})
    assert reused.status_code == 422 and reused.json()["error"]["problems"][0]["where"] == "Idempotency-Key"
    elsewhere = put_answer(client, round_, headers, body, statement="PLC-02", **{"Idempotency-Key": "one-1"})
    assert elsewhere.status_code == 422  # the same key and body for another statement is another request
    bad_key = put_answer(client, round_, headers, body, **{"Idempotency-Key": "a key with spaces"})
    assert bad_key.status_code == 400
    assert client.get(url(round_)).json()["version"] == 1


def test_one_answer_may_take_its_version_from_if_match(client, member):
    _, round_, headers = member
    assert put_answer(client, round_, headers, {"current": "plans"}, **{"If-Match": '"0"'}).status_code == 200
    assert put_answer(client, round_, headers, {"current": "does"}, **{"If-Match": '"0"'}).status_code == 409
    mismatch = put_answer(client, round_, headers, {"version": 2, "current": "does"}, **{"If-Match": '"1"'})
    assert mismatch.status_code == 422 and mismatch.json()["error"]["problems"][0]["where"] == "If-Match"


def test_one_answer_keeps_the_rules_of_a_whole_save_closed_rounds_other_councils_limits_and_tokens(app, client, people, member):
    _, round_, headers = member
    big = {"version": 0, "current": "plans", "comment": "x" * MAX_BODY}
    assert put_answer(client, round_, headers, big).status_code == 413
    assert put_answer(client, round_, {}, {"version": 0, "current": "plans"}).status_code == 403
    other = people.add("lead@bromsgrove.gov.uk", council=DISTRICT, role="super-user")
    with app.state.store.transaction() as tx:
        theirs = rounds.open_round(tx, DISTRICT, "2026", other.id, app.state.clock.now())
    assert put_answer(client, theirs, headers, {"version": 0, "current": "plans"}).status_code == 404
    assert put_answer(client, theirs, headers, {"version": 0, "current": "plans"}, code=DISTRICT).status_code == 404
    assert put_answer(client, round_, headers, {"version": 0, "current": "plans"}, code="NOPE").status_code == 404
    with app.state.store.transaction() as tx:
        rounds.set_status(tx, COUNTY, round_.id, rounds.CLOSED, app.state.clock.now())
    closed = put_answer(client, round_, headers, {"version": 0, "current": "plans"})
    assert closed.status_code == 409 and "closed" in closed.json()["error"]["message"]
    assert client.get(url(round_)).json()["version"] == 0
    client.cookies.clear()
    assert put_answer(client, round_, headers, {"version": 0, "current": "plans"}).status_code == 401


def test_one_answer_follows_the_same_rules_on_postgresql(settings, smtp_server, postgres_url):
    """Saving one answer, every problem listed, stale versions, idempotency and closed rounds, on PostgreSQL."""
    from starlette.testclient import TestClient

    from functions.app import create_app
    from tests.factories import PeopleFactory

    pg = create_app(settings.with_(database_url=postgres_url, smtp_url=smtp_server.url))
    try:
        people = PeopleFactory(pg)
        ann = people.add("ann@eastsussex.gov.uk", council=COUNTY)
        lead = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
        with pg.state.store.transaction() as tx:
            round_ = rounds.open_round(tx, COUNTY, "2026", lead.id, pg.state.clock.now())
        with TestClient(pg, base_url="https://testserver") as client:
            people.sign_in(client, ann)
            headers = {"X-CSRF-Token": form_token(client)}
            body = {"version": 0, "current": "plans", "ambition": "does", "comment": "NUL-free"}
            first = put_answer(client, round_, headers, body, **{"Idempotency-Key": "pg-1"})
            assert first.status_code == 200 and first.json()["version"] == 1
            assert put_answer(client, round_, headers, body, **{"Idempotency-Key": "pg-1"}).content == first.content
            stale = put_answer(client, round_, headers, body)
            assert stale.status_code == 409 and stale.json()["error"]["current"]["answer"]["comment"] == "NUL-free"
            bad = put_answer(client, round_, headers, {"version": 1, "current": "does", "ambition": "plans", "comment": "\x00"})
            assert bad.status_code == 422 and len(bad.json()["error"]["problems"]) == 2
            second = put_answer(client, round_, headers, {"version": 1, "current": "does"}, statement="GOV-01")
            assert second.status_code == 200 and second.json()["version"] == 2
            with pg.state.store.transaction() as tx:
                rounds.set_status(tx, COUNTY, round_.id, rounds.CLOSED, pg.state.clock.now())
            assert put_answer(client, round_, headers, {"version": 2, "current": "plans"}).status_code == 409
            stored = client.get(url(round_)).json()
            assert stored["version"] == 2 and set(stored["answers"]) == {"PLC-01", "GOV-01"}
    finally:
        pg.state.store.close()


def test_one_answer_on_postgresql_is_saved_in_one_statement_once_its_round_is_known(settings, smtp_server, postgres_url):
    """After the first save has read the round, a save as you go is one statement that checks as it writes;
    whatever it cannot save is read and answered as before: replays, reused keys, stale versions, a
    member removed, another council's address, a cleared answer."""
    from starlette.testclient import TestClient

    from functions.app import create_app
    from functions.councils import memberships
    from tests.factories import PeopleFactory

    pg = create_app(settings.with_(database_url=postgres_url, smtp_url=smtp_server.url))
    store = pg.state.store
    reads = []
    read = store.read
    store.read = lambda sql, params=(): reads.append(sql) or read(sql, params)  # counts the reads, changes nothing
    try:
        people = PeopleFactory(pg)
        ann = people.add("ann@eastsussex.gov.uk", council=COUNTY)
        lead = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
        people.add("bea@bromsgrove.gov.uk", council=DISTRICT)
        with store.transaction() as tx:
            round_ = rounds.open_round(tx, COUNTY, "2026", lead.id, pg.state.clock.now())
        with TestClient(pg, base_url="https://testserver") as client:
            people.sign_in(client, ann)
            headers = {"X-CSRF-Token": form_token(client)}

            def save(body, statement="PLC-01", code=COUNTY, **extra):
                reads.clear()
                r = put_answer(client, round_, headers, body, statement, code, **extra)
                return r, sum("JOIN idempotency_keys" in sql for sql in reads)  # the save's own reads

            first, looked = save({"version": 0, "current": "plans", "ambition": "does"})
            assert (first.status_code, first.json()["version"], looked) == (200, 1, 1)  # a first save reads
            body = {"version": 1, "current": "does", "ambition": "reviews", "comment": " Café \r\n"}
            second, looked = save(body, **{"Idempotency-Key": "fast-1"})
            assert (second.status_code, looked) == (200, 0), second.text  # saved without reading
            assert second.json()["answer"] == {"current": "does", "ambition": "reviews", "comment": "Café"}
            assert second.json()["version"] == 2 and second.headers["etag"] == '"2"'
            again, looked = save(body, **{"Idempotency-Key": "fast-1"})
            assert again.content == second.content and again.headers["idempotent-replayed"] == "true" and looked == 1
            reused, _ = save({**body, "version": 2}, **{"Idempotency-Key": "fast-1"})
            assert reused.status_code == 422 and "a new key for a different request" in reused.text  # nothing saved
            stale, _ = save({"version": 1, "current": "not-yet", "ambition": "plans"})
            assert stale.status_code == 409 and stale.json()["error"]["current"]["answer"]["comment"] == "Café"
            cleared, looked = save({"version": 2, "current": None, "ambition": None}, statement="PLC-01")
            assert (cleared.status_code, cleared.json()["answer"], looked) == (200, None, 1)
            elsewhere, _ = save({"version": 3, "current": "plans", "ambition": "does"}, code=DISTRICT)
            assert elsewhere.status_code == 404
            with store.transaction() as tx:
                memberships.remove(tx, ann.id, COUNTY, pg.state.clock.now())
            removed, _ = save({"version": 3, "current": "plans", "ambition": "does"}, statement="GOV-01")
            assert removed.status_code == 404
        with store.transaction(write=False) as tx:
            stored = responses.own(tx, round_.id, ann.id)
            keys = tx.all("SELECT idempotency_key FROM idempotency_keys")
        assert stored.version == 3 and stored.answers == {}
        assert [k["idempotency_key"] for k in keys] == ["fast-1"]
    finally:
        store.close()
