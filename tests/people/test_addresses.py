"""Email addresses: only plain ones are accepted, compared in one canonical form, and a message goes to exactly one mailbox."""

from __future__ import annotations

import string
from email import message_from_bytes, policy
from email.utils import getaddresses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions import mail
from functions.mail import MailError, Message, SmtpMailer
from functions.people import addresses
from functions.web.security import CSRF_FIELD
from tests.factories import examples, form_token

ATTACK = "=?utf-8?q?attacker=40evil.com?=,nobody@aberdeencity.gov.uk"
HEADERS = {"From", "To", "Subject", "Date", "Message-ID", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"}


@pytest.mark.parametrize(
    "text",
    ["ada@aberdeencity.gov.uk", "ada.lovelace@aberdeencity.gov.uk", "ada_l@x.org", "a-b+tag@sub.council.gov.uk", "sean.o'brien@fife.gov.uk",
     "a@xn--bcher-kva.xn--p1ai"],
)
def test_plain_addresses_are_accepted(text):
    assert addresses.problem(addresses.canonical(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        ATTACK,
        "=?utf-8?q?ada?=@aberdeencity.gov.uk",  # an encoded word
        '"ada lovelace"@aberdeencity.gov.uk',  # a quoted string
        "ada@evil.com,bob@aberdeencity.gov.uk",  # a list
        "ada@evil.com;bob@aberdeencity.gov.uk",
        "Ada <ada@aberdeencity.gov.uk>",  # a display name
        "<ada@aberdeencity.gov.uk>",
        "ada(comment)@aberdeencity.gov.uk",
        "ada @aberdeencity.gov.uk",
        "ada@aberdeencity.gov.uk\r\nBcc: evil@evil.com",
        "ada\t@aberdeencity.gov.uk",
        "ada@@aberdeencity.gov.uk",
        "ada@evil.com@aberdeencity.gov.uk",
        ".ada@aberdeencity.gov.uk",
        "ada.@aberdeencity.gov.uk",
        "ad..a@aberdeencity.gov.uk",
        "ada%evil.com@aberdeencity.gov.uk",  # old source routing
        "evil.com!ada@aberdeencity.gov.uk",
        "ada\\@aberdeencity.gov.uk",
        "ada@aberdeencity",
        "ada@-aberdeen.gov.uk",
        "\u212aay@aberdeencity.gov.uk",  # KELVIN SIGN, which lower() would turn into k
        "ádá@aberdeencity.gov.uk",
        "a" * 65 + "@aberdeencity.gov.uk",
        "ada@" + "a" * 250 + ".uk",
        "",
    ],
)
def test_anything_but_one_plain_address_is_refused_with_what_was_expected(text):
    problem = addresses.problem(addresses.canonical(text))
    assert problem is not None and problem["where"] == "email"
    assert problem["message"].startswith("email: expected")


def test_addresses_and_domains_are_compared_in_one_canonical_form():
    assert addresses.canonical("  Ada@AberdeenCity.GOV.uk ") == "ada@aberdeencity.gov.uk"
    assert addresses.canonical_domain(" @AberdeenCity.gov.uk") == "aberdeencity.gov.uk"
    assert addresses.canonical("\u212aay@x.org") == "\u212aay@x.org"  # left for the check to refuse, not folded into kay@


def built(to: str, subject: str = "Your link") -> tuple:
    raw = bytes(mail._build("The Exchange <no-reply@exchange.example>", Message(to=to, subject=subject, text="Hello\n")))
    return message_from_bytes(raw, policy=policy.default), raw


# Text to try: what an attacker would reach for (quotes, encoded words, lists, angle brackets, line
# breaks), mixed with the characters real addresses use.
TRICKY = st.text(alphabet=string.ascii_letters + string.digits + "._-+'@=?,;:<>\"()[]\\ \t\r\n%!#$&*/^`{|}~\x00\x7f\u212a", max_size=60)


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.one_of(TRICKY, st.from_regex(addresses.ADDRESS, fullmatch=True), st.text(max_size=40)))
def test_no_address_the_check_accepts_makes_a_message_with_more_than_one_recipient_or_an_extra_header(text):
    address = addresses.canonical(text)
    if addresses.problem(address):
        with pytest.raises(MailError):  # and the mailer refuses anything the check refuses, whoever calls it
            mail.recipient(Message(to=text, subject="x", text="x"))
        return
    message, _ = built(address)
    assert set(message.keys()) <= HEADERS and len(message.keys()) == len(set(message.keys()))
    assert [a for _, a in getaddresses(message.get_all("To"))] == [address]
    assert mail.recipient(Message(to=text, subject="x", text="x")) == address


@given(st.text(max_size=80))
@settings(max_examples=examples(200), deadline=None)
def test_a_subject_from_any_text_can_never_add_a_header(subject):
    message, _ = built("ada@aberdeencity.gov.uk", subject)
    assert set(message.keys()) <= HEADERS and len(message.keys()) == len(set(message.keys()))
    assert len(message.get_all("To")) == 1


def test_the_mailer_gives_the_server_exactly_one_recipient_whatever_the_headers_say(smtp_server):
    sender = SmtpMailer(smtp_server.url, "The Exchange <no-reply@exchange.example>")
    sender.send(Message(to="Ada@AberdeenCity.gov.uk", subject="Hi\r\nBcc: evil@evil.com", text="Hello\n"))
    smtp_server.wait_for(1)
    assert smtp_server.envelopes == [("no-reply@exchange.example", ["ada@aberdeencity.gov.uk"])]
    assert smtp_server.messages[0]["Bcc"] is None and smtp_server.messages[0]["Subject"] == "Hi Bcc: evil@evil.com"
    with pytest.raises(MailError):
        sender.send(Message(to=ATTACK, subject="Your link", text="Hello\n"))
    assert len(smtp_server.envelopes) == 1


def test_a_sign_in_request_for_a_crafted_address_mails_nobody_over_real_smtp(client, smtp_server, app):
    r = client.post("/app/sign-in", data={"email": ATTACK, CSRF_FIELD: form_token(client)})
    assert r.status_code == 422 and "Enter one email address in the right form" in r.text
    with app.state.store.transaction() as tx:
        assert tx.value("SELECT COUNT(*) FROM sign_in_links") == 0
    ok = client.post("/app/sign-in", data={"email": "nobody@aberdeencity.gov.uk", CSRF_FIELD: form_token(client)})
    assert ok.status_code == 200
    smtp_server.wait_for(1)
    assert [rcpts for _, rcpts in smtp_server.envelopes] == [["nobody@aberdeencity.gov.uk"]]


def test_an_invitation_to_a_crafted_address_is_refused(client, people):
    lead = people.add("lead@aberdeencity.gov.uk", council="ABE", role="super-user")
    people.sign_in(client, lead, second_factor=True)
    r = client.post("/api/councils/ABE/invitations", json={"email": ATTACK}, headers={"X-CSRF-Token": form_token(client)})
    assert r.status_code == 422
    assert r.json()["error"]["problems"][0]["where"] == "email"


def test_an_invitation_is_accepted_by_the_same_address_written_differently(client, people, app, smtp_server):
    lead = people.add("lead@aberdeencity.gov.uk", council="ABE", role="super-user")
    people.sign_in(client, lead, second_factor=True)
    sent = client.post("/api/councils/ABE/invitations", json={"email": " Ada@AberdeenCity.GOV.UK"}, headers={"X-CSRF-Token": form_token(client)})
    assert sent.status_code == 201
    message = smtp_server.wait_for(1)[0]
    assert smtp_server.envelopes[0][1] == ["ada@aberdeencity.gov.uk"]
    token = message.get_content().split("/app/invitations/")[1].split()[0]
    ada = people.add("ada@aberdeencity.gov.uk")
    people.sign_in(client, ada)
    accepted = client.post(f"/app/invitations/{token}", data={CSRF_FIELD: form_token(client)}, follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"] == "/app/councils/ABE?joined=1"


def test_a_council_domain_matches_addresses_whatever_their_case(app):
    from functions.councils import domains
    from functions.people import store as people

    with app.state.store.transaction() as tx:
        domains.add_domain(tx, "ABE", " @AberdeenCity.GOV.uk", 1)
        ada, _ = people.find_or_create(tx, "ADA@aberdeencity.gov.uk", 1)
        assert domains.join_by_domain(tx, ada, 1) == ["ABE"]
        with pytest.raises(ValueError):
            people.find_or_create(tx, ATTACK, 1)
