"""A person's own account page: their councils, name and respondent role, and the way to their data."""

from __future__ import annotations

from functions.councils import memberships
from functions.people import store as people_module
from functions.web.security import CSRF_FIELD
from tests.factories import form_token


def test_the_account_page_needs_a_signed_in_person(client):
    r = client.get("/app/account", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/app/sign-in?next=%2Fapp%2Faccount"
    assert client.get("/app/", follow_redirects=False).headers["location"] == "/app/account"


def test_a_person_names_themselves_and_says_how_they_answer(client, people, app):
    ada = people.add("ada@aberdeencity.gov.uk", council="ABE")
    people.sign_in(client, ada)
    page = client.get("/app/account")
    assert "Aberdeen City Council" in page.text and "Download everything we hold about you" in page.text
    r = client.post(
        "/app/account",
        data={"name": " Ada Lovelace ", "respondent_role:ABE": "councillor", CSRF_FIELD: form_token(client)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/app/account?saved=1"
    with app.state.store.transaction() as tx:
        assert people_module.by_id(tx, ada.id).name == "Ada Lovelace"
        assert memberships.membership(tx, ada.id, "ABE").respondent_role == "councillor"
    assert "Your changes are saved" in client.get("/app/account?saved=1").text


def test_a_wrong_respondent_role_is_named(client, people):
    people.sign_in(client, people.add("ada@aberdeencity.gov.uk", council="ABE"))
    r = client.post("/app/account", data={"respondent_role:ABE": "mayor", CSRF_FIELD: form_token(client)})
    assert r.status_code == 422
    assert "respondent_role:ABE: expected officer, councillor or nothing, got &#39;mayor&#39;" in r.text
