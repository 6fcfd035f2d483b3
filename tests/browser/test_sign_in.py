"""The whole sign-in in real Chromium: ask for a link, read it from the mail, sign in, join councils by domain and
by invitation, sign out. With JavaScript (and axe-core on every page) and without it."""

from __future__ import annotations

import email
import email.policy
import re
import time

import pytest
from playwright.sync_api import expect

from functions.councils import domains, invitations
from functions.people import store as people
from tests.factories import axe_violations

pytestmark = pytest.mark.browser


def mailed_link(smtp_server, count: int, base: str) -> str:
    text = smtp_server.wait_for(count)[count - 1].get_content()
    return re.search(re.escape(base) + r"/app/[\w/?=-]+", text).group(0)


def sign_in(page, base: str, smtp_server, email: str, count: int) -> None:
    page.goto(base + "/app/sign-in")
    page.get_by_label("Work email address").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(mailed_link(smtp_server, count, base))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()


def checked(page, javascript: bool) -> None:
    if javascript:
        assert axe_violations(page) == [], page.url


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_person_signs_in_joins_councils_and_signs_out(request, live_server, smtp_server, javascript):
    page = request.getfixturevalue("page" if javascript else "no_js_page")
    app, base = live_server.app, live_server.url
    now = app.state.clock.now()
    with app.state.store.transaction() as tx:
        domains.add_domain(tx, "ABD", "shared.gov.uk", now)  # Aberdeenshire registered the domain
        ada, _ = people.find_or_create(tx, "ada@aberdeencity.gov.uk", now)
        from functions.councils import memberships

        memberships.add(tx, ada.id, "ABE", "super-user", "operator", now)
        token = invitations.create(tx, app.state.settings.secret_key, "ABE", "cy@shared.gov.uk", "member", ada, now)
    app.state.mailer.send(invitations.message(app.state.settings, "Aberdeen City Council", "cy@shared.gov.uk", token, ada))

    page.goto(base + "/app/sign-in")
    checked(page, javascript)
    page.get_by_label("Work email address").fill("cy@shared.gov.uk")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    checked(page, javascript)

    sign_in_link = mailed_link(smtp_server, 2, base)
    assert "/app/sign-in/link?token=" in sign_in_link
    page.goto(sign_in_link)
    checked(page, javascript)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("You have joined Aberdeenshire Council")).to_be_visible()  # by domain
    checked(page, javascript)

    invitation_link = mailed_link(smtp_server, 1, base)
    page.goto(invitation_link)
    expect(page.get_by_role("heading", name="Join Aberdeen City Council")).to_be_visible()
    checked(page, javascript)
    page.get_by_role("button", name="Accept and join").click()
    expect(page.get_by_text("You have joined Aberdeen City Council")).to_be_visible()  # by invitation
    checked(page, javascript)

    page.goto(base + "/app/account")
    expect(page.get_by_role("link", name="Aberdeen City Council")).to_be_visible()
    expect(page.get_by_role("link", name="Aberdeenshire Council")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    checked(page, javascript)
    page.goto(base + "/app/account")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()  # the session is over


def test_the_session_cookie_reaches_the_browser_with_its_flags(page, live_server, smtp_server):
    sign_in(page, live_server.url, smtp_server, "ada@aberdeencity.gov.uk", 1)
    [cookie] = [c for c in page.context.cookies() if c["name"] == "__Host-tie_session"]
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert page.evaluate("document.cookie").find("tie_session") == -1  # scripts cannot read it


def test_a_super_user_sets_up_the_second_factor_and_manages_members(page, live_server, smtp_server):
    import pyotp

    from tests.factories import PeopleFactory

    app, base = live_server.app, live_server.url
    factory = PeopleFactory(app)
    ada = factory.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user")
    factory.add("bob@aberdeencity.gov.uk", council="ABE")
    sign_in(page, base, smtp_server, ada.email, 1)

    page.goto(base + "/app/councils/ABE/members")
    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    assert page.locator(".tie-qr svg").count() == 1
    checked(page, True)
    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.get_by_label("6-digit code").fill(pyotp.TOTP(secret).at(app.state.clock.now()))
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator(".tie-recovery-codes li").count() == 10
    checked(page, True)
    page.get_by_role("link", name="I have saved them, continue").click()

    expect(page.get_by_role("heading", name="Members of Aberdeen City Council")).to_be_visible()
    checked(page, True)
    page.get_by_role("button", name=re.compile(r"Make super-user\W+bob@aberdeencity\.gov\.uk")).click()
    expect(page.get_by_text("The role is changed.")).to_be_visible()
    page.get_by_label("Their work email address").fill("cy@aberdeencity.gov.uk")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("The invitation is on its way.")).to_be_visible()
    checked(page, True)
    assert "/app/invitations/" in smtp_server.wait_for(2)[1].get_content()

    for path in ("/app/councils", "/app/councils/ABE", "/app/account", "/app/account/erase", "/app/security/two-factor"):
        page.goto(base + path)
        checked(page, True)


def outbox_link(outbox, count: int, base: str) -> str:
    """The link in the `count`th message `tie serve` wrote to its outbox (oldest first), read as a mail client would."""
    deadline = time.monotonic() + 10
    while len(files := sorted(outbox.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns)) < count:
        assert time.monotonic() < deadline, f"expected {count} message(s) in {outbox}, found {len(files)}"
        time.sleep(0.05)
    message = email.message_from_bytes(files[count - 1].read_bytes(), policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    return re.search(re.escape(base) + r"/app/[\w/?=-]+", text).group(0)


def test_on_tie_serve_a_person_reads_the_link_from_the_outbox_signs_in_joins_by_domain_and_signs_out(page, served):
    """The embedded default of `make run`: no mail server, each message in data/outbox; the operator registers
    the council's domain with `tie admin`."""
    added = served.tie("admin", "council-domain", "add", "ABE", "aberdeencity.gov.uk")
    assert added.returncode == 0, added.stderr

    page.goto(served.url + "/app/sign-in")
    page.get_by_label("Work email address").fill("grace@aberdeencity.gov.uk")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    link = outbox_link(served.data / "outbox", 1, served.url)
    assert "/app/sign-in/link?token=" in link
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("You have joined Aberdeen City Council")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    page.goto(served.url + "/app/account")
    expect(page.get_by_role("heading", name="Your account")).not_to_be_visible()
    page.goto(link)  # the link was used: it cannot sign in again
    expect(page.get_by_role("button", name="Sign in")).not_to_be_visible()
