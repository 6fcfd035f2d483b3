"""People's data: the registry covers every table that refers to a person; export lists it all; erasure leaves nothing but pseudonymous audit entries."""

from __future__ import annotations

import json

import pytest

from functions import audit
from functions.councils import domains, invitations, memberships
from functions.feedback import store as feedback
from functions.people import privacy, sessions, signin, two_factor
from functions.people import store as people
from functions.web.security import CSRF_FIELD
from tests.factories import form_token

NOW = 1_900_000_000


def person_references(store) -> set[tuple[str, str]]:
    """(table, column) of every column in the live schema that refers to a person: named person_id, a
    foreign key to people, or an email address (outside the people table itself)."""
    found = set()
    tables = store.tables()
    for table in tables:
        for column in store.columns(table):
            if column == "person_id" or (column == "email" and table != "people"):
                found.add((table, column))
    with store.transaction(write=False) as tx:
        if store.dialect == "sqlite":
            for table in tables:
                for fk in tx.all(f"PRAGMA foreign_key_list({table})"):
                    if fk["table"] == "people":
                        found.add((table, fk["from"]))
        else:
            rows = tx.all(
                "SELECT kcu.table_name, kcu.column_name FROM information_schema.referential_constraints rc "
                "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema "
                "JOIN information_schema.key_column_usage pk ON pk.constraint_name = rc.unique_constraint_name AND pk.constraint_schema = rc.unique_constraint_schema "
                "WHERE pk.table_name = 'people' AND kcu.constraint_schema = current_schema()"
            )
            found |= {(r["table_name"], r["column_name"]) for r in rows}
    return found


def live_schema(store) -> dict[str, list[str]]:
    return {table: store.columns(table) for table in store.tables()}


def test_every_column_says_what_it_holds_and_every_identifying_column_is_exported_and_erased(fresh_store):
    assert privacy.coverage_problems(live_schema(fresh_store)) == []


def test_columns_that_look_like_a_persons_are_classified_as_identifying_them(fresh_store):
    kinds = privacy.column_kinds()
    wrong = sorted(c for c in person_references(fresh_store) if kinds.get(c) not in privacy.IDENTIFYING)
    assert not wrong, f"these refer to a person by name or foreign key, yet are not classified so: {wrong}"


def test_the_schema_check_notices_a_new_table_or_column_nobody_classified(fresh_store):
    with fresh_store.transaction() as tx:
        tx.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, author TEXT REFERENCES people (id), body TEXT)")
        tx.execute("ALTER TABLE feedback ADD COLUMN sender_name TEXT")
    problems = privacy.coverage_problems(live_schema(fresh_store))
    for column in ("notes.id", "notes.author", "notes.body", "feedback.sender_name"):
        assert any(p.startswith(column + ": expected a kind") for p in problems), (column, problems)
    assert ("notes", "author") in person_references(fresh_store)


def test_the_schema_check_notices_a_persons_column_left_out_of_export_and_erasure(monkeypatch):
    kinds = dict(privacy.column_kinds())
    schema: dict[str, list[str]] = {}
    for table, column in kinds:
        schema.setdefault(table, []).append(column)
    without_feedback = tuple(e for e in privacy.PERSONAL_DATA if e.table != "feedback")
    monkeypatch.setattr(privacy, "PERSONAL_DATA", without_feedback)
    problems = privacy.coverage_problems(schema)
    assert any(p.startswith("feedback.reply_to: holds a person's email address") for p in problems), problems
    assert any(p.startswith("feedback.message: holds what a person wrote") for p in problems), problems


def test_the_privacy_registry_names_only_real_columns(fresh_store):
    for entry in privacy.PERSONAL_DATA:
        assert entry.column in fresh_store.columns(entry.table), entry.name
        assert entry.holds in ("id", "email", "pseudonym") and entry.on_erase in ("delete", "forget", "keep")
        assert entry.left_out <= set(fresh_store.columns(entry.table)), entry.name


def fill(store) -> tuple[people.Person, people.Person]:
    """A person with a row in every table of this feature, and a colleague."""
    with store.transaction() as tx:
        ada, _ = people.find_or_create(tx, "ada@aberdeencity.gov.uk", NOW)
        bob, _ = people.find_or_create(tx, "bob@aberdeencity.gov.uk", NOW)
        memberships.add(tx, ada.id, "ABE", "super-user", "operator", NOW)
        memberships.add(tx, bob.id, "ABE", "super-user", "invitation", NOW)
        memberships.add(tx, ada.id, "ABD", "member", "domain", NOW)
        memberships.remove(tx, ada.id, "ABD", NOW)
        domains.add_domain(tx, "ABE", "aberdeencity.gov.uk", NOW)
        sessions.create(tx, "key", ada.id, NOW)
        signin.request_link(tx, "key", ada.email, "", NOW)
        invitations.create(tx, "key", "ANS", ada.email, "member", bob, NOW)
        invitations.create(tx, "key", "ABE", "cy@example.org", "member", ada, NOW)
        two_factor.begin(tx, ada.id, NOW)
        two_factor.new_recovery_codes(tx, "key", ada.id)
        feedback.record(tx, feedback.Feedback("suggestion", page="/guidance/", message="Ada's suggestion", reply_to=ada.email), NOW)
        feedback.record(tx, feedback.Feedback("suggestion", page="/guidance/", message="Someone else's", reply_to="cy@example.org"), NOW)
        audit.record(tx, NOW, "signed-in", actor=ada.pseudonym)
        audit.record(tx, NOW, "role.changed", actor=bob.pseudonym, subject=ada.pseudonym, council="ABE")
    return ada, bob


def test_export_lists_every_registered_table_with_the_persons_rows(fresh_store):
    ada, _ = fill(fresh_store)
    with fresh_store.transaction() as tx:
        data = privacy.export(tx, ada, NOW)
    assert set(data["tables"]) == {e.name for e in privacy.PERSONAL_DATA}
    ours = {
        "people",
        "memberships",
        "removals",
        "sessions",
        "sign_in_links",
        "invitations",
        "two_factor",
        "recovery_codes",
        "feedback",
        "audit_log",
    }
    for name, rows in data["tables"].items():
        assert rows or name.split(".")[0] not in ours, f"{name} has no rows for the person"
    text = json.dumps(data)
    assert "token_hash" not in text and "code_hash" not in text and '"salt"' not in text
    assert "bob@" not in text and "cy@example.org" not in text  # other people's addresses are not theirs to have
    assert [r["message"] for r in data["tables"]["feedback.reply_to"]] == ["Ada's suggestion"]


def every_value(store) -> dict[str, list[str]]:
    out = {}
    tables = store.tables()
    with store.transaction(write=False) as tx:
        for table in tables:
            out[table] = [str(v) for row in tx.all(f"SELECT * FROM {table}") for v in row.values() if v is not None]
    return out


def test_after_erasure_no_row_refers_to_the_person_except_pseudonymous_audit_entries(fresh_store):
    ada, bob = fill(fresh_store)
    with fresh_store.transaction() as tx:
        privacy.erase(tx, ada, NOW)
    for table, values in every_value(fresh_store).items():
        for value in values:
            assert ada.id not in value and ada.email not in value, f"{table} still holds {value!r}"
            if table != "audit_log":
                assert ada.pseudonym not in value, f"{table} still holds the pseudonym"
    with fresh_store.transaction() as tx:
        assert people.by_id(tx, bob.id) is not None
        assert memberships.membership(tx, bob.id, "ABE").is_super_user
        assert (
            tx.value("SELECT COUNT(*) FROM invitations WHERE council = 'ABE'") == 1
        )  # bob's colleague's invitation stays, unattributed
        assert tx.value("SELECT COUNT(*) FROM audit_log WHERE action = 'person.erased' AND subject = ?", (ada.pseudonym,)) == 1
        assert [r["message"] for r in tx.all("SELECT message FROM feedback")] == ["Someone else's"]


def test_the_only_super_user_of_a_council_with_members_cannot_be_erased(fresh_store):
    with fresh_store.transaction() as tx:
        ada, _ = people.find_or_create(tx, "ada@aberdeencity.gov.uk", NOW)
        bob, _ = people.find_or_create(tx, "bob@aberdeencity.gov.uk", NOW)
        memberships.add(tx, ada.id, "ABE", "super-user", "operator", NOW)
        memberships.add(tx, bob.id, "ABE", "member", "invitation", NOW)
    with pytest.raises(memberships.LastSuperUser), fresh_store.transaction() as tx:
        privacy.erase(tx, ada, NOW)
    with fresh_store.transaction() as tx:
        assert people.by_id(tx, ada.id) is not None


# -- through the app ------------------------------------------------------------------------------


def test_a_person_downloads_everything_held_about_them(client, people):
    ada = people.add("ada@aberdeencity.gov.uk", council="ABE")
    people.sign_in(client, ada)
    r = client.get("/app/account/export")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.headers["content-disposition"].startswith("attachment;")
    data = r.json()
    assert data["person"]["email"] == "ada@aberdeencity.gov.uk"
    assert data["tables"]["memberships.person_id"][0]["council"] == "ABE"


def test_a_person_erases_themselves(client, people, app):
    ada = people.add("ada@aberdeencity.gov.uk", council="ABE")
    people.sign_in(client, ada)
    unticked = client.post("/app/account/erase", data={CSRF_FIELD: form_token(client)})
    assert unticked.status_code == 422 and "confirm: expected the box ticked" in unticked.text
    r = client.post("/app/account/erase", data={"confirm": "yes", CSRF_FIELD: form_token(client)})
    assert r.status_code == 200 and "has been erased" in r.text
    assert client.get("/api/me").status_code == 401
    with app.state.store.transaction() as tx:
        assert tx.value("SELECT COUNT(*) FROM people") == 0
        assert tx.value("SELECT COUNT(*) FROM sessions") == 0


def test_feedback_left_with_an_address_is_in_its_senders_export_and_goes_with_their_erasure(client, people, app):
    token = form_token(client)
    sent = client.post(
        "/app/feedback/suggestion",
        data={"page": "/", "message": "Please add a guide to budgets.", "email": "  Ada@AberdeenCity.gov.uk ", CSRF_FIELD: token},
    )
    assert sent.status_code == 200, sent.text
    ada = people.add("ada@aberdeencity.gov.uk", council="ABE")
    people.sign_in(client, ada)
    exported = client.get("/app/account/export").json()
    assert [(r["message"], r["reply_to"]) for r in exported["tables"]["feedback.reply_to"]] == [
        ("Please add a guide to budgets.", "ada@aberdeencity.gov.uk")
    ]
    erased = client.post("/app/account/erase", data={"confirm": "yes", CSRF_FIELD: form_token(client)})
    assert erased.status_code == 200
    with app.state.store.transaction() as tx:
        assert tx.value("SELECT COUNT(*) FROM feedback") == 0
