"""Odd input never makes a 500: every page and API route of the app, sent text no form would send (other
scripts' letters and digits, superscripts, text far too long, a page address past a file name's length,
a date at the calendar's end, bytes that are not UTF-8, a field sent as a file) in its address, its
query, its form token and every field the app reads, on SQLite and on PostgreSQL. Each answer is a page
or a JSON error saying what was expected, never a traceback.

Before the fixes it was written with, it found: a form token (field or X-CSRF-Token) that is not ASCII
on every form and API change; a second-factor code in other digits; a page address too long for a file
name on feedback; a feedback period ending 9999-12-31; a form's version of ² on the answers form and the
consensus pages."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from functions.app import feature_modules
from functions.assessment import rounds
from functions.people import two_factor
from functions.web.security import CSRF_FIELD
from tests.factories import PeopleFactory, form_token, make_settings

ODD = {
    "letters": "Zoë ☃ 中文 Ελλάδα",
    "digits": "٣٤٥٦٧٨",  # Arabic-Indic: `isdigit` takes them, `int` reads them, `compare_digest` does not
    "fullwidth": "１２３４５６",
    "superscript": "²³",  # `isdigit` takes these too, and `int` cannot read them
    "long": "a" * 20_000,
    "file-name": "/" + "a" * 290 + "/",  # a page address whose part is longer than a file name may be
    "far-date": "9999-12-31",  # a period ends the midnight after its last day, past the calendar's last
    "not-utf-8": b"\xff\xfe\xed\xa0\x80",  # sent as bytes: invalid UTF-8, and a lone surrogate's encoding
}
# Every field any form of the app reads (functions/**: data.get, form.get, the answers form's names).
FIELDS = (
    "email", "next", "token", "code", "name", "confirm", "role", "everywhere", "page", "useful", "verdict",
    "statement", "message", "return", "website", "version", "current", "ambition", "rationale", "routes",
    "sharing", "seen", "action", "respondent_role", "respondent_role:ESX", "PLC-01.current", "PLC-01.ambition",
    "PLC-01.comment", "edition", "council", "q", "kind", "theme", "route",
)  # fmt: skip
# The kinds also sent in each field alone (the rest only in every field at once): what has made 500s.
ONE_BY_ONE = ("superscript", "file-name")
URL_PART = 2000  # characters of an odd value in an address or a query: past any file name, within what servers take
QUERY = ("next", "return", "page", "statement", "since", "until", "token", "council", "saved", "joined", "opened", "submitted", "done", "published")


@pytest.fixture
def odd_app(tmp_path, store_url, built_site):
    """The app on SQLite or PostgreSQL serving the built site; ESX's open round; its super-user, an operator,
    signed in with a second factor; and the path parameters that name real things."""
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, database_url=store_url, site_dir=built_site, mail_outbox=True))
    people = PeopleFactory(app)
    lead = people.add("lead@eastsussex.gov.uk", council="ESX", role="super-user", operator=True)
    now = app.state.clock.now()
    with app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, "ESX", "2026", lead.id, now)
        two_factor.begin(tx, lead.id, now)  # set up, so that codes sent are checked against it
        tx.execute("UPDATE two_factor SET confirmed_at = ? WHERE person_id = ?", (now, lead.id))
    real = {
        "code": "ESX",
        "round_id": round_.id,
        "person_id": lead.id,
        "statement_id": "PLC-01",
        "step": "about",
        "name": "my-answers.csv",
        "token": "x" * 43,
        "invitation_id": "x" * 20,
    }
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        people.sign_in(client, lead, second_factor=True)
        yield app, client, form_token(client), real
    app.state.store.close()


def routes() -> list[tuple[str, str, str]]:
    """(method, address template, which mount) for every route of every feature."""
    found = []
    for module in feature_modules():
        for mount, attr in (("/app", "page_routes"), ("/api", "api_routes")):
            for route in getattr(module, attr, []):
                if isinstance(route, Route):
                    found += [(m, mount + route.path, mount) for m in sorted(route.methods - {"HEAD"})]
    return found


def _fill(template: str, real: dict, odd: str | None = None, which: str | None = None) -> str:
    out = template
    for name, value in real.items():
        given = odd if name == which and odd is not None else value
        out = out.replace("{" + name + "}", quote(given, safe=""))
    return out


def _text(value) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _send(client, method: str, path: str, token, fields: dict, files: dict | None = None, query: dict | None = None):
    """The request, with the form token (or whatever is given in its place) as a field and a header; once
    more with fresh rate limits if it was refused with 429, so that its checks are reached."""
    r = _request(client, method, path, token, fields, files, query)
    if r.status_code == 429:
        _fresh_limits(client.app)
        r = _request(client, method, path, token, fields, files, query)
    return r


def _request(client, method, path, token, fields, files, query):
    headers = {"X-CSRF-Token": token.encode("utf-8") if isinstance(token, str) else token, "Sec-Fetch-Site": "same-origin"}
    if path.startswith("/api/") and method != "GET":
        return client.request(method, path, json={k: _text(v) for k, v in fields.items()}, headers=headers, params=query)
    if method == "GET":
        return client.get(path, params=query, headers=headers)
    if files:
        return client.request(method, path, data={CSRF_FIELD: token, **fields}, files=files, headers=headers, params=query)
    body = "&".join(f"{quote(k)}={quote(v if isinstance(v, bytes) else v.encode())}" for k, v in {CSRF_FIELD: token, **fields}.items())
    return client.request(
        method, path, content=body, headers=headers | {"Content-Type": "application/x-www-form-urlencoded"}, params=query
    )


def _fresh_limits(app) -> None:
    """Forget every rate limit's count."""
    with app.state.store.transaction() as tx:
        tx.execute("DELETE FROM rate_limits")


def _check(failures: list, r, what) -> None:
    if r.status_code >= 500 or "Traceback" in r.text:
        failures.append((*what, r.status_code))


@pytest.mark.timeout(900)  # some thousands of requests: a minute or two on a busy machine
def test_odd_text_anywhere_is_never_a_500_on_either_database(odd_app):
    app, client, token, real = odd_app
    failures: list = []
    for method, template, _ in routes():
        if template.endswith(("/sign-out", "/sign-out/everywhere", "/account/erase")):
            continue  # these end the session or the account the probe runs as; their fields are checked below
        path = _fill(template, real)
        for kind, odd in ODD.items():
            text = _text(odd)
            if method != "GET":  # in place of the form token, as a field and as a header
                _check(failures, _send(client, method, path, odd[:URL_PART], {}), (method, template, "form token", kind))
            for param in [p for p in real if "{" + p + "}" in template]:
                _check(failures, _send(client, method, _fill(template, real, text[:URL_PART], param), token, {}), (method, template, param, kind))
            query = {q: text[: URL_PART // 4] for q in QUERY}
            _check(failures, _send(client, method, path, token, {}, query=query), (method, template, "query", kind))
            if method == "GET":
                continue
            _check(failures, _send(client, method, path, token, dict.fromkeys(FIELDS, odd)), (method, template, "every field", kind))
            if kind in ONE_BY_ONE and template.startswith("/app"):
                for field in FIELDS:  # alone, in case another field's problem stops the handler before this one is read
                    _check(failures, _send(client, method, path, token, {field: odd}), (method, template, field, kind))
        if method != "GET" and template.startswith("/app"):
            upload = {field: ("odd.txt", b"\xff odd") for field in FIELDS}
            _check(failures, _send(client, method, path, token, {}, files=upload), (method, template, "files"))
    assert not failures, "\n".join(map(str, failures))


def test_odd_text_in_sign_out_and_erasure_is_never_a_500(odd_app):
    app, client, token, real = odd_app
    failures: list = []
    for kind, odd in ODD.items():
        _check(failures, _send(client, "POST", "/app/account/erase", token, {"confirm": odd}), ("erase", kind))
    _check(failures, _send(client, "POST", "/app/account/erase", token, {}, files={"confirm": ("yes.txt", b"yes")}), ("erase", "file"))
    for kind, odd in ODD.items():
        _check(failures, _send(client, "POST", "/app/sign-out", token, {"everywhere": odd}), ("sign-out", kind))
    assert not failures, "\n".join(map(str, failures))
