"""Return paths: one function decides whether `next=` or `return=` stays on this site, judged as a browser reads it."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from functions.web.local_paths import local_path
from functions.web.security import CSRF_FIELD
from tests.factories import examples, form_token

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example/x",  # browsers drop the tab: //evil.example/x
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " /\\evil.example",
    "/%09/evil.example/x",  # a page or proxy decoding once more sees the tab
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%252F/evil.example",  # encoded twice
    "/%25252F/evil.example",
    "/%00",
    "/app/\x00",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    "evil.example",
    "",
    "/" + "a" * 600,
]
ON_SITE = ["/app/account", "/app/councils/ABE/rounds/r1/results?statement=FIN-01#s-FIN-01", "/search/?q=council%20tax", "/library/?theme=governance&kind=tool"]


@pytest.mark.parametrize("value", OFF_SITE)
def test_anything_a_browser_would_take_to_another_site_gives_the_default(value):
    assert local_path(value, "/fallback") == "/fallback"


@pytest.mark.parametrize("value", ON_SITE)
def test_paths_on_this_site_are_kept_as_they_are(value):
    assert local_path(value) == value


def browser_reads(base: str, value: str) -> str:
    """The host a browser resolves `value` to from `base`: the URL standard drops tabs and newlines,
    trims controls and spaces at the ends, and reads a backslash as a slash."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    return urlsplit(urljoin(base, cleaned.replace("\\", "/"))).netloc


@settings(max_examples=examples(500), deadline=None)
@given(st.text(alphabet="/\\\t\n\r %2FfC5c09a.:@?#evil", max_size=20))
def test_no_path_it_accepts_takes_a_browser_to_another_host_even_after_decoding(value):
    kept = local_path(value)
    if kept:
        from urllib.parse import unquote

        for text in (kept, unquote(kept), unquote(unquote(kept))):
            assert browser_reads("https://exchange.example/app/", text) == "exchange.example", text


def test_the_second_factor_page_never_links_to_another_site(client, people):
    ada = people.add("ada@aberdeencity.gov.uk")
    people.sign_in(client, ada)
    page = client.get("/app/security/two-factor?next=/%09/evil.example/x")
    assert page.status_code == 200
    assert "evil.example" not in page.text
    kept = client.get("/app/security/two-factor?next=" + quote("/app/councils", safe=""))
    assert 'value="/app/councils"' in kept.text


def test_the_second_factor_form_never_sends_people_to_another_site(client, people, app):
    from functions.people import two_factor

    ada = people.add("ada@aberdeencity.gov.uk")
    people.sign_in(client, ada)
    client.get("/app/security/two-factor")  # begins the set-up
    with app.state.store.transaction() as tx:
        salt = tx.value("SELECT salt FROM two_factor WHERE person_id = ?", (ada.id,))
    import pyotp

    code = pyotp.TOTP(two_factor.secret(app.state.settings.secret_key, salt), interval=two_factor.STEP).at(app.state.clock.now())
    done = client.post(
        "/app/security/two-factor", data={"code": code, "next": "/\t/evil.example/x", CSRF_FIELD: form_token(client)}
    )
    assert done.status_code == 200 and "Your recovery codes" in done.text  # the recovery codes page, with its Continue link
    assert "evil.example" not in done.text
    assert 'href="/app/account"' in done.text


def test_feedback_never_sends_people_back_to_another_site(client):
    r = client.post(
        "/app/feedback/unclear", data={"statement": "FIN-01", "return": "/%2F/evil.example", CSRF_FIELD: form_token(client)}
    )
    assert r.status_code == 200 and "evil.example" not in r.text
    r = client.get("/app/feedback/unclear", params={"statement": "FIN-01", "return": "/\t/evil.example"})
    assert r.status_code == 200 and "evil.example" not in r.text
