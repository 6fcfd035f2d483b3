"""Sessions held by the server: found from the cookie, timed out when idle and at most 12 hours, revocable."""

from __future__ import annotations

import pytest

from functions.clock import FixedClock
from functions.ids import digest
from functions.people import sessions
from functions.people import store as people
from functions.web.security import SESSION_COOKIE

START = 1_900_000_000


@pytest.fixture
def clock(app) -> FixedClock:
    app.state.clock = FixedClock(START)
    return app.state.clock


@pytest.fixture
def ada(people):
    return people.add("ada@aberdeencity.gov.uk", council="ABE")


def signed_in(client) -> bool:
    return client.get("/api/me").status_code == 200


def test_a_revoked_session_is_refused(client, people, ada, app):
    people.sign_in(client, ada)
    assert signed_in(client)
    with app.state.store.transaction() as tx:
        session_id = tx.value("SELECT id FROM sessions WHERE person_id = ?", (ada.id,))
        sessions.revoke(tx, session_id, app.state.clock.now())
    r = client.get("/api/me")
    assert r.status_code == 401
    assert any(
        v.startswith(SESSION_COOKIE + "=;") for k, v in r.headers.multi_items() if k == "set-cookie"
    )  # the dead cookie is cleared


def test_an_unknown_session_cookie_is_refused(client):
    client.cookies.set(SESSION_COOKIE, "made-up-value", domain="testserver.local", path="/")
    assert not signed_in(client)


def test_a_session_idle_for_two_hours_ends(client, people, ada, clock):
    people.sign_in(client, ada)
    clock.advance(sessions.IDLE_TIMEOUT - 60)
    assert signed_in(client)  # use keeps it alive...
    clock.advance(sessions.IDLE_TIMEOUT - 60)
    assert signed_in(client)
    clock.advance(sessions.IDLE_TIMEOUT)  # ...idleness does not
    assert not signed_in(client)


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(client, people, ada, clock):
    people.sign_in(client, ada)
    for _ in range(sessions.ABSOLUTE_TIMEOUT // 3600 - 1):
        clock.advance(3600)
        assert signed_in(client)
    clock.advance(3600)
    assert not signed_in(client)


def test_the_store_keeps_only_a_hash_of_the_session_cookie(client, people, ada, app):
    token = people.sign_in(client, ada)
    with app.state.store.transaction() as tx:
        row = tx.one("SELECT * FROM sessions WHERE person_id = ?", (ada.id,))
    assert token not in row.values()
    assert row["token_hash"] == digest(app.state.settings.secret_key, token, sessions.PURPOSE)


def test_pages_for_a_signed_in_person_are_not_stored_by_caches(client, people, ada):
    people.sign_in(client, ada)
    assert client.get("/app/account").headers["cache-control"] == "no-store"
    assert client.get("/api/me").headers["cache-control"] == "no-store"


def test_sessions_are_found_revoked_and_listed_in_the_store(fresh_store):
    with fresh_store.transaction() as tx:
        ada, _ = people.find_or_create(tx, "ada@aberdeencity.gov.uk", START)
        one, first = sessions.create(tx, "key", ada.id, START)
        two, second = sessions.create(tx, "key", ada.id, START)
    with fresh_store.transaction() as tx:
        found, person = sessions.find(tx, "key", one, START + 10)
        assert found.id == first.id and person == ada and not found.mfa_verified
        sessions.mark_second_factor(tx, first.id, START + 10)
        assert sessions.find(tx, "key", one, START + 10)[0].mfa_verified
        assert {s.id for s in sessions.of_person(tx, ada.id, START + 10)} == {first.id, second.id}
        assert sessions.revoke_all(tx, ada.id, START + 20) == 2
        assert sessions.find(tx, "key", two, START + 30) is None
        assert sessions.find(tx, "wrong key", one, START) is None


def test_a_database_out_of_reach_at_the_session_lookup_is_a_clear_503_not_a_500(settings, smtp_server, postgres_url, caplog):
    """The lookup runs in middleware, outside the app's error handlers: it must give their 503 all the same."""
    from starlette.testclient import TestClient

    from functions.app import create_app
    from tests.factories import PeopleFactory

    pg = create_app(settings.with_(database_url=postgres_url, smtp_url=smtp_server.url))
    with TestClient(pg, base_url="https://testserver", raise_server_exceptions=False) as client:
        people_ = PeopleFactory(pg)
        people_.sign_in(client, people_.add("ada@aberdeencity.gov.uk", council="ABE"))
        assert signed_in(client)
        pg.state.store.close()  # the pool stops: every request now meets the outage at the session lookup
        api = client.get("/api/me")
        assert api.status_code == 503
        assert api.json() == {
            "error": {
                "status": 503,
                "message": "The Exchange cannot reach its database just now. Nothing was saved; please try again shortly.",
            }
        }
        page = client.get("/app/account")
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
        assert "The Exchange cannot reach its database just now." in page.text and "<title>" in page.text
        assert page.headers["content-security-policy"]  # still inside the security middleware
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert any("store unavailable" in r.getMessage() for r in caplog.records)
