"""Invitations: a super-user invites an address; the link works once, for 14 days, for that address only."""

from __future__ import annotations

import re

import pytest

from functions.clock import FixedClock
from functions.councils import invitations, memberships
from functions.web.security import CSRF_FIELD
from tests.factories import form_token

LINK = re.compile(r"https://testserver(/app/invitations/[\w-]+)")


@pytest.fixture
def ada(people):
    return people.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user")


def invite(client, people, ada, smtp_server, email="cy@example.org", role="member", count=1) -> str:
    people.sign_in(client, ada, second_factor=True)
    r = client.post(
        "/app/councils/ABE/invitations",
        data={"email": email, "role": role, CSRF_FIELD: form_token(client)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    message = smtp_server.wait_for(count)[count - 1]
    assert message["To"] == email and "Aberdeen City Council" in message["Subject"]
    return LINK.search(message.get_content()).group(1)


def accept(client, link):
    return client.post(link, data={CSRF_FIELD: form_token(client)}, follow_redirects=False)


def test_an_invited_person_joins_the_council(client, people, ada, smtp_server, app):
    link = invite(client, people, ada, smtp_server, role="super-user")
    cy = people.add("cy@example.org")
    people.sign_in(client, cy)
    page = client.get(link)
    assert page.status_code == 200 and "Accept and join" in page.text
    r = accept(client, link)
    assert r.status_code == 303 and r.headers["location"] == "/app/councils/ABE?joined=1"
    with app.state.store.transaction() as tx:
        assert memberships.membership(tx, cy.id, "ABE").role == "super-user"
        assert tx.value("SELECT COUNT(*) FROM audit_log WHERE action = 'membership.joined' AND council = 'ABE'") == 1


def test_an_invitation_works_once(client, people, ada, smtp_server):
    link = invite(client, people, ada, smtp_server)
    people.sign_in(client, people.add("cy@example.org"))
    assert accept(client, link).status_code == 303
    assert accept(client, link).status_code == 410
    assert client.get(link).status_code == 410


def test_an_invitation_expires_after_fourteen_days(client, people, ada, smtp_server, app):
    app.state.clock = clock = FixedClock(1_900_000_000)
    link = invite(client, people, ada, smtp_server)
    cy = people.add("cy@example.org")
    clock.advance(invitations.INVITATION_VALID)
    people.sign_in(client, cy)
    assert accept(client, link).status_code == 410


def test_an_invitation_is_only_for_the_address_it_was_sent_to(client, people, ada, smtp_server, app):
    link = invite(client, people, ada, smtp_server)
    eve = people.add("eve@example.org")
    people.sign_in(client, eve)
    assert client.get(link).status_code == 403
    assert accept(client, link).status_code == 403
    with app.state.store.transaction() as tx:
        assert memberships.membership(tx, eve.id, "ABE") is None
    people.sign_in(client, people.add("cy@example.org"))
    assert accept(client, link).status_code == 303  # still usable by its addressee


def test_someone_not_signed_in_is_asked_to_sign_in_and_comes_back(client, people, ada, smtp_server):
    link = invite(client, people, ada, smtp_server)
    client.cookies.clear()
    page = client.get(link)
    assert page.status_code == 200 and 'name="next" value="' + link + '"' in page.text


def test_a_super_user_withdraws_an_invitation_and_another_council_cannot(client, people, ada, smtp_server, app):
    link = invite(client, people, ada, smtp_server)
    with app.state.store.transaction() as tx:
        [pending] = invitations.pending(tx, "ABE")
    dee = people.add("dee@aberdeenshire.gov.uk", council="ABD", role="super-user")
    people.sign_in(client, dee, second_factor=True)
    r = client.post(f"/app/councils/ABD/invitations/{pending.id}/cancel", data={CSRF_FIELD: form_token(client)})
    assert r.status_code == 404
    people.sign_in(client, ada, second_factor=True)
    r = client.post(
        f"/app/councils/ABE/invitations/{pending.id}/cancel", data={CSRF_FIELD: form_token(client)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert client.get(link).status_code == 410


def test_inviting_checks_every_field(client, people, ada, smtp_server):
    people.sign_in(client, ada, second_factor=True)
    r = client.post(
        "/api/councils/ABE/invitations", json={"email": "nope", "role": "king"}, headers={"x-csrf-token": form_token(client)}
    )
    assert r.status_code == 422
    assert [p["where"] for p in r.json()["error"]["problems"]] == ["email", "role"]
    assert smtp_server.messages == []


def test_the_invitation_form_says_what_is_wrong_in_a_plain_sentence(client, people, ada, smtp_server):
    people.sign_in(client, ada, second_factor=True)
    r = client.post("/app/councils/ABE/invitations", data={"email": "", "role": "member", CSRF_FIELD: form_token(client)})
    assert r.status_code == 422
    assert "<li>Enter a work email address, like name@council.gov.uk</li>" in r.text
    assert "got nothing" not in r.text and "expected" not in r.text
    assert smtp_server.messages == []


def test_the_store_keeps_only_a_hash_of_the_invitation(client, people, ada, smtp_server, app):
    link = invite(client, people, ada, smtp_server)
    token = link.rsplit("/", 1)[1]
    with app.state.store.transaction() as tx:
        rows = tx.all("SELECT * FROM invitations")
    assert len(rows) == 1 and token not in str(rows)


def test_a_super_user_cannot_fill_someones_inbox_with_invitations(client, people, smtp_server):
    from functions.councils import invitations

    lead = people.add("lead@aberdeencity.gov.uk", council="ABE", role="super-user")
    people.sign_in(client, lead, second_factor=True)
    headers = {"X-CSRF-Token": form_token(client)}
    for _ in range(invitations.ADDRESS_INVITES.hits):
        assert client.post("/api/councils/ABE/invitations", json={"email": "ada@example.org"}, headers=headers).status_code == 201
    refused = client.post("/api/councils/ABE/invitations", json={"email": "ADA@example.org"}, headers=headers)
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= invitations.ADDRESS_INVITES.window
    assert client.post("/api/councils/ABE/invitations", json={"email": "bob@example.org"}, headers=headers).status_code == 201
    smtp_server.wait_for(invitations.ADDRESS_INVITES.hits + 1)
    assert sum(rcpts == ["ada@example.org"] for _, rcpts in smtp_server.envelopes) == invitations.ADDRESS_INVITES.hits
