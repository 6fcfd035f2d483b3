"""Councils: every current principal council from the register, joining by email domain, and managing members."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from functions.app import StartupError, create_app
from functions.councils import domains, memberships
from functions.web.security import CSRF_FIELD
from tests.factories import COUNCILS, form_token, make_settings

PRINCIPAL_TYPES = {"CTY", "NMD", "UA", "SCO", "WPA", "MD", "LBO", "CC", "NID"}  # not combined authorities, not the GLA


def current_principal_councils() -> set[str]:
    """Read straight from the register's CSV, independently of the app's loader."""
    with open(Path(COUNCILS).parent / "councils.csv", newline="", encoding="utf-8") as f:
        return {
            r["local-authority-code"]
            for r in csv.DictReader(f)
            if r["current-authority"] == "True" and r["local-authority-type"] in PRINCIPAL_TYPES
        }


def test_every_current_principal_council_can_be_chosen(client, people):
    expected = current_principal_councils()
    assert len(expected) > 350
    listed = client.get("/api/councils").json()
    by_code = {c["code"]: c for c in listed["councils"]}
    assert set(by_code) == expected
    assert all(c["type"] and c["nation"] and c["region"] for c in by_code.values())
    assert by_code["ABE"] == {
        "code": "ABE",
        "name": "Aberdeen City Council",
        "short_name": "Aberdeen City",
        "type": "unitary",
        "nation": "scotland",
        "region": "scotland",
    }
    assert "CC BY 4.0" in listed["attribution"]
    people.sign_in(client, people.add("ada@aberdeencity.gov.uk"))
    page = client.get("/app/councils").text
    assert set(re.findall(r'<option value="([A-Z0-9]+)">', page)) == expected
    about = client.get("/app/councils/about", params={"council": "ABE"})
    assert about.status_code == 200 and "unitary" in about.text and "Scotland" in about.text


def test_a_missing_council_register_stops_start_up_with_one_clear_message(tmp_path):
    with pytest.raises(StartupError) as caught:
        create_app(make_settings(tmp_path, councils=str(tmp_path / "nowhere" / "datapackage.json")))
    message = str(caught.value)
    assert message.startswith("council register not found at") and "TIE_COUNCILS" in message
    assert "\n" not in message


def test_an_invalid_council_register_stops_start_up_listing_every_problem(tmp_path):
    folder = tmp_path / "register"
    shutil.copytree(Path(COUNCILS).parent, folder)
    rows = (folder / "councils.csv").read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace("1338.0", "not-a-number", 1)
    (folder / "councils.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(StartupError) as caught:
        create_app(make_settings(tmp_path, councils=str(folder / "datapackage.json")))
    message = str(caught.value)
    assert message.startswith(f"council register at {folder / 'datapackage.json'} is not valid (1 problem(s))")
    assert message.splitlines()[1:] == [
        f"  {folder / 'councils.csv'}:2: area: expected a value the package's schema allows, "
        "got type error: type is \"number/default\" (cell 'not-a-number')"
    ]


def test_tie_serve_refuses_to_start_without_a_register(tmp_path, monkeypatch, capsys):
    from generator.__main__ import main

    monkeypatch.setenv("TIE_COUNCILS", str(tmp_path / "missing.json"))
    monkeypatch.setenv("TIE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TIE_SECRET_KEY", "k")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"tie serve: council register not found at {tmp_path / 'missing.json'}: set TIE_COUNCILS to the path or URL of its datapackage.json"


# -- joining by email domain --------------------------------------------------------------------


def sign_in_by_link(client, smtp_server, email: str, count: int):
    client.post("/app/sign-in", data={"email": email, CSRF_FIELD: form_token(client)})
    text = smtp_server.wait_for(count)[count - 1].get_content()
    token = re.search(r"token=([\w-]+)", text).group(1)
    return client.post("/app/sign-in/link", data={"token": token, CSRF_FIELD: form_token(client)}, follow_redirects=False)


def add_domain(app, code: str, domain: str) -> None:
    with app.state.store.transaction() as tx:
        domains.add_domain(tx, code, domain, app.state.clock.now())


def test_a_person_joins_the_councils_that_registered_their_email_domain(app, client, smtp_server):
    add_domain(app, "ABE", "shared.gov.uk")
    add_domain(app, "ABD", "shared.gov.uk")  # one domain, two councils: shared services
    add_domain(app, "ANS", "angus.gov.uk")
    r = sign_in_by_link(client, smtp_server, "cy@shared.gov.uk", 1)
    assert r.headers["location"] == "/app/account?joined=ABD%2CABE"
    assert "You have joined Aberdeenshire Council, Aberdeen City Council" in client.get(r.headers["location"]).text
    me = client.get("/api/me").json()
    assert me["memberships"] == [
        {"council": "ABD", "role": "member", "respondent_role": None},
        {"council": "ABE", "role": "member", "respondent_role": None},
    ]


def test_an_address_at_another_domain_joins_nothing(app, client, smtp_server):
    add_domain(app, "ABE", "aberdeencity.gov.uk")
    sign_in_by_link(client, smtp_server, "cy@mail.aberdeencity.gov.uk", 1)
    assert client.get("/api/me").json()["memberships"] == []


def test_a_removed_member_is_not_added_back_by_their_domain(app, client, smtp_server, people):
    add_domain(app, "ABE", "aberdeencity.gov.uk")
    people.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user")
    sign_in_by_link(client, smtp_server, "cy@aberdeencity.gov.uk", 1)
    with app.state.store.transaction() as tx:
        cy = tx.value("SELECT id FROM people WHERE email = 'cy@aberdeencity.gov.uk'")
        memberships.remove(tx, cy, "ABE", app.state.clock.now())
    sign_in_by_link(client, smtp_server, "cy@aberdeencity.gov.uk", 2)
    assert client.get("/api/me").json()["memberships"] == []


# -- managing members ---------------------------------------------------------------------------


@pytest.fixture
def abe(people):
    """ABE with a super-user and a member, and ABD with a member."""
    return {
        "ada": people.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user"),
        "bob": people.add("bob@aberdeencity.gov.uk", council="ABE"),
        "dee": people.add("dee@aberdeenshire.gov.uk", council="ABD", role="super-user"),
    }


def post(client, path: str, **data):
    return client.post(path, data={CSRF_FIELD: form_token(client), **data}, follow_redirects=False)


def test_a_super_user_promotes_demotes_and_removes_members(client, people, abe, app):
    people.sign_in(client, abe["ada"], second_factor=True)
    members = client.get("/app/councils/ABE/members")
    assert members.status_code == 200 and "bob@aberdeencity.gov.uk" in members.text
    assert post(client, f"/app/councils/ABE/members/{abe['bob'].id}/role", role="super-user").status_code == 303
    assert post(client, f"/app/councils/ABE/members/{abe['ada'].id}/role", role="member").status_code == 303
    with app.state.store.transaction() as tx:
        assert memberships.membership(tx, abe["bob"].id, "ABE").role == "super-user"
        assert memberships.membership(tx, abe["ada"].id, "ABE").role == "member"
        actions = [r["action"] for r in tx.all("SELECT action FROM audit_log WHERE council = 'ABE' ORDER BY at, action")]
    assert actions.count("role.changed") == 2


def test_the_last_super_user_cannot_be_demoted_or_removed_in_the_app(client, people, abe, app):
    people.sign_in(client, abe["ada"], second_factor=True)
    demote = post(client, f"/app/councils/ABE/members/{abe['ada'].id}/role", role="member")
    assert demote.status_code == 409 and "a council always keeps at least one" in demote.text
    remove = post(client, f"/app/councils/ABE/members/{abe['ada'].id}/remove")
    assert remove.status_code == 409
    api = client.patch(
        f"/api/councils/ABE/members/{abe['ada'].id}", json={"role": "member"}, headers={"x-csrf-token": form_token(client)}
    )
    assert api.status_code == 409
    with app.state.store.transaction() as tx:
        assert memberships.membership(tx, abe["ada"].id, "ABE").role == "super-user"


def test_the_only_super_user_is_offered_no_change_that_would_be_refused(client, people, abe):
    people.sign_in(client, abe["ada"], second_factor=True)
    page = client.get("/app/councils/ABE/members").text
    assert "Make member<span" not in page and "The council's only super-user" in page
    assert f"/members/{abe['ada'].id}/remove" not in page and f"/members/{abe['bob'].id}/remove" in page
    assert post(client, f"/app/councils/ABE/members/{abe['bob'].id}/role", role="super-user").status_code == 303
    page = client.get("/app/councils/ABE/members").text  # with two, either may step down
    assert page.count("Make member<span") == 2 and "The council's only super-user" not in page


def test_a_member_cannot_manage_members(client, people, abe):
    people.sign_in(client, abe["bob"], second_factor=True)
    assert client.get("/app/councils/ABE").status_code == 200
    assert client.get("/app/councils/ABE/members").status_code == 403
    assert post(client, f"/app/councils/ABE/members/{abe['ada'].id}/role", role="member").status_code == 403


def test_another_councils_members_answer_404(client, people, abe, app):
    people.sign_in(client, abe["ada"], second_factor=True)
    assert client.get("/app/councils/ABD").status_code == 404
    assert client.get("/app/councils/ABD/members").status_code == 404
    assert client.get("/api/councils/ABD/members").status_code == 404
    # dee belongs to ABD: through ABE's address she does not exist
    assert post(client, f"/app/councils/ABE/members/{abe['dee'].id}/role", role="member").status_code == 404
    assert post(client, f"/app/councils/ABE/members/{abe['dee'].id}/remove").status_code == 404
    token = form_token(client)
    assert client.delete(f"/api/councils/ABE/members/{abe['dee'].id}", headers={"x-csrf-token": token}).status_code == 404
    with app.state.store.transaction() as tx:
        assert memberships.membership(tx, abe["dee"].id, "ABD").role == "super-user"


def test_the_api_changes_roles_with_the_form_token_header_only(client, people, abe):
    people.sign_in(client, abe["ada"], second_factor=True)
    path = f"/api/councils/ABE/members/{abe['bob'].id}"
    assert client.patch(path, json={"role": "super-user"}).status_code == 403
    ok = client.patch(path, json={"role": "super-user"}, headers={"x-csrf-token": form_token(client)})
    assert ok.status_code == 200 and ok.json()["role"] == "super-user"
    bad = client.patch(path, json={"role": "boss"}, headers={"x-csrf-token": form_token(client)})
    assert bad.status_code == 422
    assert bad.json()["error"]["problems"] == [
        {"where": "role", "message": "role: expected one of member, super-user, got 'boss'"}
    ]
    listed = client.get("/api/councils/ABE/members").json()
    assert json.dumps(listed).count("super-user") == 2
