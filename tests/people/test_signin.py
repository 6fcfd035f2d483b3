"""Signing in by emailed link, and signing out."""

from __future__ import annotations

import logging
import re
import time

import pytest

from functions.clock import FixedClock
from functions.people import signin
from functions.web.security import CSRF_FIELD, SESSION_COOKIE
from tests.factories import form_token

LINK = re.compile(r"https://testserver(/app/sign-in/link\?token=[\w-]+)")


@pytest.fixture
def clock(app) -> FixedClock:
    app.state.clock = FixedClock(1_900_000_000)
    return app.state.clock


def ask(client, email: str, **extra):
    return client.post("/app/sign-in", data={"email": email, CSRF_FIELD: form_token(client), **extra})


def link_from(smtp_server, count: int = 1) -> str:
    message = smtp_server.wait_for(count)[count - 1]
    found = LINK.search(message.get_content())
    assert found, message.get_content()
    return found.group(1)


def press_sign_in(client, link: str):
    token = link.split("token=")[1]
    return client.post("/app/sign-in/link", data={"token": token, CSRF_FIELD: form_token(client)}, follow_redirects=False)


def test_a_person_signs_in_with_the_link_from_their_email(client, smtp_server, app):
    assert ask(client, "Ada@AberdeenCity.gov.uk ").status_code == 200
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "ada@aberdeencity.gov.uk"
    link = link_from(smtp_server)
    page = client.get(link)
    assert page.status_code == 200 and "Sign in</button>" in page.text
    r = press_sign_in(client, link)
    assert r.status_code == 303 and r.headers["location"] == "/app/account"
    assert client.get("/api/me").json()["person"]["email"] == "ada@aberdeencity.gov.uk"


def test_second_use_of_a_sign_in_link_is_refused(client, smtp_server):
    ask(client, "ada@aberdeencity.gov.uk")
    link = link_from(smtp_server)
    assert press_sign_in(client, link).status_code == 303
    client.cookies.delete(SESSION_COOKIE)
    again = press_sign_in(client, link)
    assert again.status_code == 410
    assert SESSION_COOKIE not in again.headers.get("set-cookie", "").split("=")[0]
    assert client.get("/api/me").status_code == 401
    assert client.get(link).status_code == 410


def test_an_expired_sign_in_link_is_refused(client, smtp_server, clock):
    ask(client, "ada@aberdeencity.gov.uk")
    link = link_from(smtp_server)
    clock.advance(signin.LINK_VALID)
    assert client.get(link).status_code == 410
    assert press_sign_in(client, link).status_code == 410
    assert client.get("/api/me").status_code == 401


def test_a_link_used_just_inside_fifteen_minutes_works(client, smtp_server, clock):
    ask(client, "ada@aberdeencity.gov.uk")
    clock.advance(signin.LINK_VALID - 1)
    assert press_sign_in(client, link_from(smtp_server)).status_code == 303


def test_mail_scanners_opening_the_link_do_not_use_it_up(client, smtp_server, app):
    from starlette.testclient import TestClient

    ask(client, "ada@aberdeencity.gov.uk")
    link = link_from(smtp_server)
    with TestClient(app, base_url="https://testserver") as scanner:
        for _ in range(3):
            assert scanner.get(link).status_code == 200
            assert scanner.head(link).status_code in (200, 405)
    assert press_sign_in(client, link).status_code == 303


def test_the_same_page_and_status_answer_known_and_unknown_addresses(client, smtp_server, people):
    people.add("known@aberdeencity.gov.uk", council="ABE")
    known = ask(client, "known@aberdeencity.gov.uk")
    unknown = ask(client, "nobody@aberdeencity.gov.uk")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("known@", "X@") == unknown.text.replace("nobody@", "X@")
    assert {k for k in known.headers if k != "content-length"} == {k for k in unknown.headers if k != "content-length"}
    smtp_server.wait_for(2)


@pytest.fixture
def any_app(settings, smtp_server, store_url):
    """The app on SQLite and on PostgreSQL in turn, its clock fixed, mail to the SMTP server."""
    from functions.app import create_app

    start = 1_900_000_000 - 1_900_000_000 % signin.ADDRESS_MAILS.window  # the start of a limit's window
    app = create_app(settings.with_(database_url=store_url, smtp_url=smtp_server.url), clock=FixedClock(start))
    yield app
    app.state.store.close()


def test_a_stranger_asking_again_and_again_cannot_lock_the_owner_out(any_app, smtp_server):
    from starlette.testclient import TestClient

    clock, owner_address = any_app.state.clock, "ada@aberdeencity.gov.uk"
    with (
        TestClient(any_app, base_url="https://testserver", client=("203.0.113.9", 4000)) as stranger,
        TestClient(any_app, base_url="https://testserver", client=("198.51.100.7", 5000)) as owner,
    ):
        pages = []
        for _ in range(10):
            r = ask(stranger, owner_address)
            assert r.status_code == 200
            pages.append(r.text)
            clock.advance(60)
        assert len(set(pages)) == 1  # the same answer whether or not an email went
        mails = smtp_server.wait_for(signin.ADDRESS_MAILS.hits)
        time.sleep(0.3)
        assert len(mails) == signin.ADDRESS_MAILS.hits, "a stranger made more than a few emails go to one address"
        assert all(rcpts == [owner_address] for _, rcpts in smtp_server.envelopes)
        # every email's link was made at least ten minutes ago; keep asking past a link's life
        # (within the life the last request gave the newest: an expired link is never brought back)
        clock.advance(signin.LINK_VALID - 120)
        assert ask(stranger, owner_address).status_code == 200
        clock.advance(120)
        # the owner, on their own computer, asks too: the same page; no email, since the newest still works
        mine = ask(owner, owner_address)
        assert mine.status_code == 200 and mine.text == pages[0]
        time.sleep(0.3)
        assert len(smtp_server.messages) == signin.ADDRESS_MAILS.hits
        assert press_sign_in(owner, link_from(smtp_server, 1)).status_code == 410  # the oldest has expired
        signed_in = press_sign_in(owner, link_from(smtp_server, signin.ADDRESS_MAILS.hits))
        assert signed_in.status_code == 303
        assert owner.get("/api/me").json()["person"]["email"] == owner_address


def test_at_most_a_few_emails_an_hour_go_to_one_address_and_the_next_hour_sends_again(any_app, smtp_server):
    from starlette.testclient import TestClient

    clock = any_app.state.clock
    with TestClient(any_app, base_url="https://testserver") as client:
        for _ in range(signin.ADDRESS_MAILS.hits + 2):
            assert ask(client, "ada@aberdeencity.gov.uk").status_code == 200
        assert ask(client, "bob@aberdeencity.gov.uk").status_code == 200  # another address is not held up
        smtp_server.wait_for(signin.ADDRESS_MAILS.hits + 1)
        time.sleep(0.3)
        assert len(smtp_server.messages) == signin.ADDRESS_MAILS.hits + 1
        clock.advance(signin.ADDRESS_MAILS.window)
        assert ask(client, "ada@aberdeencity.gov.uk").status_code == 200
        smtp_server.wait_for(signin.ADDRESS_MAILS.hits + 2)
    with any_app.state.store.transaction() as tx:  # a link is never kept working past LINK_LONGEST
        rows = tx.all("SELECT created_at, expires_at FROM sign_in_links")
    assert all(r["expires_at"] - r["created_at"] <= signin.LINK_LONGEST for r in rows)


def test_one_client_asking_for_many_addresses_is_limited(client, smtp_server, clock):
    for i in range(signin.CLIENT_LIMIT.hits):
        assert ask(client, f"person{i}@aberdeencity.gov.uk").status_code == 200
    refused = ask(client, "one-more@aberdeencity.gov.uk")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


def test_a_mistyped_address_is_named_in_a_plain_sentence_and_kept_in_the_box(client, smtp_server):
    r = ask(client, "ada at aberdeen")
    assert r.status_code == 422
    assert '<a href="#email">Enter one email address in the right form, like name@council.gov.uk</a>' in r.text
    assert 'value="ada at aberdeen"' in r.text and "expected" not in r.text.split('id="problems"')[1].split("</div>")[0]
    assert "Enter a work email address, like name@council.gov.uk" in ask(client, "").text
    assert smtp_server.messages == []


def test_signing_in_makes_a_new_session_id_and_ends_the_old_one(client, smtp_server, people, app):
    ada = people.add("ada@aberdeencity.gov.uk")
    old = people.sign_in(client, ada)
    ask(client, "ada@aberdeencity.gov.uk")
    r = press_sign_in(client, link_from(smtp_server))
    new = client.cookies.get(SESSION_COOKIE)
    assert r.status_code == 303 and new and new != old
    with app.state.store.transaction() as tx:
        rows = tx.all("SELECT revoked_at FROM sessions WHERE person_id = ? ORDER BY created_at", (ada.id,))
    assert len(rows) == 2 and sum(r["revoked_at"] is not None for r in rows) == 1
    client.cookies.set(SESSION_COOKIE, old, domain="testserver.local", path="/")
    assert client.get("/api/me").status_code == 401


def test_the_session_cookie_is_host_only_secure_http_only_and_lax(client, smtp_server):
    ask(client, "ada@aberdeencity.gov.uk")
    r = press_sign_in(client, link_from(smtp_server))
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE + "="))
    flags = [part.strip() for part in cookie.split(";")]
    assert flags[0].startswith("__Host-tie_session=")
    assert {"Path=/", "Secure", "HttpOnly", "SameSite=Lax"} <= set(flags)
    assert not any(f.lower().startswith("domain=") for f in flags)


def test_after_signing_in_the_person_goes_where_they_were_going(client, smtp_server):
    ask(client, "ada@aberdeencity.gov.uk", next="/app/councils")
    assert press_sign_in(client, link_from(smtp_server)).headers["location"] == "/app/councils"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_sign_in_never_sends_people_to_another_site(client, smtp_server, target):
    ask(client, "ada@aberdeencity.gov.uk", next=target)
    assert press_sign_in(client, link_from(smtp_server)).headers["location"] == "/app/account"


def test_signing_out_ends_the_session(client, people):
    ada = people.add("ada@aberdeencity.gov.uk")
    token = people.sign_in(client, ada)
    r = client.post("/app/sign-out", data={CSRF_FIELD: form_token(client)})
    assert r.status_code == 200
    assert any(v.startswith(SESSION_COOKIE + "=;") and "Max-Age=0" in v for k, v in r.headers.multi_items() if k == "set-cookie")
    client.cookies.set(SESSION_COOKIE, token, domain="testserver.local", path="/")
    assert client.get("/api/me").status_code == 401


def test_signing_out_everywhere_ends_every_session_of_the_person(client, people, app):
    from starlette.testclient import TestClient

    ada = people.add("ada@aberdeencity.gov.uk")
    bob = people.add("bob@aberdeencity.gov.uk")
    with TestClient(app, base_url="https://testserver") as laptop, TestClient(app, base_url="https://testserver") as other:
        people.sign_in(laptop, ada)
        people.sign_in(other, bob)
        people.sign_in(client, ada)
        assert laptop.get("/api/me").status_code == 200
        client.post("/app/sign-out/everywhere", data={CSRF_FIELD: form_token(client)})
        assert laptop.get("/api/me").status_code == 401
        assert client.get("/api/me").status_code == 401
        assert other.get("/api/me").status_code == 200  # someone else's session is untouched


def test_sign_in_and_mail_failures_leave_no_address_or_token_in_the_logs(app, client, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    ask(client, "ada@aberdeencity.gov.uk")
    link = link_from(smtp_server)
    press_sign_in(client, link)
    app.state.mailer.port = 1  # the mail server goes away: the failure is logged, without the address
    ask(client, "bob@aberdeencity.gov.uk")
    # everything the app and its server log (the test's own SMTP server and HTTP client log elsewhere)
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("mail.log", "httpx")))
    assert "could not be sent" in logged
    token = link.split("token=")[1]
    for secret in ("ada@", "bob@", "aberdeencity", token, "testclient"):  # the test client's address is "testclient"
        assert secret not in logged


def test_signing_in_and_out_is_audited_by_pseudonym_only(client, smtp_server, app):
    ask(client, "ada@aberdeencity.gov.uk")
    press_sign_in(client, link_from(smtp_server))
    client.post("/app/sign-out", data={CSRF_FIELD: form_token(client)})
    with app.state.store.transaction() as tx:
        pseudonym = tx.value("SELECT pseudonym FROM people WHERE email = 'ada@aberdeencity.gov.uk'")
        entries = tx.all("SELECT * FROM audit_log ORDER BY at, action")
    assert [(e["action"], e["actor"]) for e in entries] == [("signed-in", pseudonym), ("signed-out", pseudonym)]
    assert "ada@" not in str(entries) and "testclient" not in str(entries)


def test_a_sign_in_link_is_stored_only_as_a_hash_and_lasts_at_most_fifteen_minutes(client, smtp_server, app):
    ask(client, "ada@aberdeencity.gov.uk")
    token = link_from(smtp_server).split("token=")[1]
    with app.state.store.transaction() as tx:
        rows = tx.all("SELECT * FROM sign_in_links")
    assert len(rows) == 1
    row = rows[0]
    assert all(token not in str(value) for value in row.values()), row
    assert row["token_hash"] != token
    assert 0 < row["expires_at"] - row["created_at"] <= 15 * 60


def test_made_up_tags_add_to_an_inbox_no_more_emails_than_one_address_gets(any_app, smtp_server):
    """name+1@, name+2@... all reach name@: counted one address at a time, a stranger could send an
    inbox any number of emails. Tags nobody has signed in with now share one count per inbox, and
    the inbox's own address is not held up by them."""
    from starlette.testclient import TestClient

    with TestClient(any_app, base_url="https://testserver") as stranger:
        for n in range(2 * signin.ADDRESS_MAILS.hits):
            assert ask(stranger, f"Ada+{n}@aberdeencity.gov.uk").status_code == 200
        smtp_server.wait_for(signin.TAGGED_MAILS.hits)
        time.sleep(0.3)
        assert len(smtp_server.messages) == signin.TAGGED_MAILS.hits
        assert ask(stranger, "ada@aberdeencity.gov.uk").status_code == 200  # the inbox's own address still gets its email
        assert smtp_server.wait_for(signin.TAGGED_MAILS.hits + 1)[-1]["To"] == "ada@aberdeencity.gov.uk"


def test_made_up_addresses_at_one_domain_stop_at_its_cap_but_never_hold_up_people_who_signed_in_before(
    any_app, smtp_server, monkeypatch
):
    from starlette.testclient import TestClient

    from tests.factories import PeopleFactory

    monkeypatch.setattr(signin, "DOMAIN_MAILS", signin.Limit("sign-in-domain", 4, 3600))  # the cap, made small to reach
    ada = PeopleFactory(any_app).add("ada+exchange@aberdeencity.gov.uk")  # has signed in with a tagged address before
    with TestClient(any_app, base_url="https://testserver") as stranger:
        for n in range(signin.DOMAIN_MAILS.hits + 3):
            assert ask(stranger, f"made-up-{n}@aberdeencity.gov.uk").status_code == 200
        assert ask(stranger, "someone@eastsussex.gov.uk").status_code == 200  # another council's domain is not held up
        smtp_server.wait_for(signin.DOMAIN_MAILS.hits + 1)
        for n in range(signin.TAGGED_MAILS.hits):  # tags rotated on ada's inbox, and at a full domain
            ask(stranger, f"ada+{n}@aberdeencity.gov.uk")
        assert ask(stranger, ada.email).status_code == 200
        mails = smtp_server.wait_for(signin.DOMAIN_MAILS.hits + 2)
        time.sleep(0.3)
    assert len(mails) == signin.DOMAIN_MAILS.hits + 2
    assert [m["To"] for m in mails[-2:]] == ["someone@eastsussex.gov.uk", ada.email]


def _links(store) -> dict[int, dict]:
    with store.transaction(write=False) as tx:
        return {r["created_at"]: r for r in tx.all("SELECT created_at, expires_at, used_at FROM sign_in_links")}


def test_once_the_newest_link_is_used_a_limited_request_keeps_no_older_one_working(fresh_store):
    """keep_newest_link took the newest *unused* link: once the person had signed in with the newest, the
    next limited request brought an older one back to life, which their inbox, or a stranger who saw it,
    could still use."""
    t = 1_900_000_000
    with fresh_store.transaction() as tx:
        signin.request_link(tx, "k", "ada@aberdeencity.gov.uk", "", t)
        newest = signin.request_link(tx, "k", "ada@aberdeencity.gov.uk", "", t + 60)
        assert signin.use_link(tx, "k", newest, t + 120) is not None
        assert signin.keep_newest_link(tx, "ada@aberdeencity.gov.uk", t + 600) is False
    assert _links(fresh_store)[t]["expires_at"] == t + signin.LINK_VALID  # as it was made: expiring, never extended


def test_an_expired_link_is_never_brought_back_by_a_limited_request(fresh_store):
    t = 1_900_000_000
    with fresh_store.transaction() as tx:
        token = signin.request_link(tx, "k", "ada@aberdeencity.gov.uk", "", t)
        later = t + signin.LINK_VALID + 60  # the link has expired, well within LINK_LONGEST of its making
        assert signin.keep_newest_link(tx, "ada@aberdeencity.gov.uk", later) is False
        assert signin.use_link(tx, "k", token, later + 1) is None
    assert _links(fresh_store)[t]["expires_at"] == t + signin.LINK_VALID


def test_a_limited_request_keeps_the_newest_link_working_while_it_still_works(fresh_store):
    t = 1_900_000_000
    with fresh_store.transaction() as tx:
        signin.request_link(tx, "k", "ada@aberdeencity.gov.uk", "", t)
        newest = signin.request_link(tx, "k", "ada@aberdeencity.gov.uk", "", t + 60)
        assert signin.keep_newest_link(tx, "ada@aberdeencity.gov.uk", t + 600) is True
        assert signin.use_link(tx, "k", newest, t + 600 + signin.LINK_VALID - 1) is not None
    assert _links(fresh_store)[t]["expires_at"] == t + signin.LINK_VALID  # the older one is left to expire
