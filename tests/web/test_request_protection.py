"""Cross-site requests change nothing, and every response carries the security headers (API and static pages alike)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from functions.councils import memberships
from functions.web.security import CSRF_COOKIE, CSRF_FIELD
from tests.factories import form_token, make_settings


@pytest.fixture
def abe(people, client):
    ada = people.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user")
    bob = people.add("bob@aberdeencity.gov.uk", council="ABE")
    people.sign_in(client, ada, second_factor=True)
    return ada, bob


def bob_role(app, bob) -> str:
    with app.state.store.transaction() as tx:
        return memberships.membership(tx, bob.id, "ABE").role


def promote(client, bob, token: str | None, headers: dict | None = None):
    data = {"role": "super-user"} | ({CSRF_FIELD: token} if token is not None else {})
    return client.post(f"/app/councils/ABE/members/{bob.id}/role", data=data, headers=headers or {}, follow_redirects=False)


def test_a_form_without_its_token_is_refused(client, abe, app):
    r = promote(client, abe[1], None)
    assert r.status_code == 403 and "did not come from this site" in r.text
    assert bob_role(app, abe[1]) == "member"


def test_a_form_with_a_wrong_token_is_refused(client, abe, app):
    form_token(client)
    assert promote(client, abe[1], "x" * 43).status_code == 403
    assert bob_role(app, abe[1]) == "member"
    assert promote(client, abe[1], form_token(client)).status_code == 303  # the right token works
    assert bob_role(app, abe[1]) == "super-user"


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_request_marked_as_from_another_site_is_refused_even_with_the_token(client, abe, app, site):
    r = promote(client, abe[1], form_token(client), headers={"Sec-Fetch-Site": site})
    assert r.status_code == 403 and "another site" in r.text
    assert bob_role(app, abe[1]) == "member"


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://testserver"])
def test_a_request_whose_origin_is_not_ours_is_refused(client, abe, app, origin):
    r = promote(client, abe[1], form_token(client), headers={"Origin": origin})
    assert r.status_code == 403
    assert bob_role(app, abe[1]) == "member"


def test_a_request_from_our_own_origin_is_accepted(client, abe, app):
    r = promote(client, abe[1], form_token(client), headers={"Origin": "https://testserver", "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303 and bob_role(app, abe[1]) == "super-user"


def test_api_changes_need_json_and_the_token_header(client, abe, app):
    path = f"/api/councils/ABE/members/{abe[1].id}"
    token = form_token(client)
    assert (
        client.patch(
            path, content="role=super-user", headers={"content-type": "application/x-www-form-urlencoded", "x-csrf-token": token}
        ).status_code
        == 415
    )
    assert (
        client.patch(
            path, json={"role": "super-user"}, headers={"x-csrf-token": token, "Sec-Fetch-Site": "cross-site"}
        ).status_code
        == 403
    )
    assert bob_role(app, abe[1]) == "member"


def test_a_form_token_that_is_not_ascii_text_is_refused_like_any_wrong_token(client, abe, app):
    """compare_digest takes text only when it is ASCII: a token of other characters, a token field
    sent as a file, or such a token header was a 500. Each is now a wrong token: 403."""
    bob = abe[1]
    form_token(client)
    path = f"/app/councils/ABE/members/{bob.id}/role"
    for token in ("é" * 43, "\u0663" * 43, "token-" + "\U0001f600" * 10):
        r = client.post(path, data={"role": "super-user", CSRF_FIELD: token}, follow_redirects=False)
        assert r.status_code == 403 and "did not come from this site" in r.text, token
    r = client.post(path, data={"role": "super-user"}, files={CSRF_FIELD: ("token.txt", form_token(client).encode())})
    assert r.status_code == 403 and "did not come from this site" in r.text
    for header in ("é".encode("latin-1") * 43, "é".encode() * 20, b"\xff" * 43):
        r = client.patch(f"/api/councils/ABE/members/{bob.id}", json={"role": "super-user"}, headers={"x-csrf-token": header})
        assert r.status_code == 403 and r.json()["error"]["status"] == 403, header
    r = client.post("/app/feedback/useful", data={"page": "/", "useful": "yes", CSRF_FIELD: "é" * 43})
    assert r.status_code == 403  # feedback takes a form token or the browser's word, and here has neither
    assert bob_role(app, bob) == "member"


def test_no_response_allows_other_sites_to_read_it(client, abe):
    for method, path in [("GET", "/api/me"), ("GET", "/api/councils"), ("OPTIONS", "/api/me"), ("GET", "/app/account")]:
        r = client.request(method, path, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PATCH"})
        assert "access-control-allow-origin" not in r.headers, path
        assert "access-control-allow-credentials" not in r.headers, path


def check_security_headers(r, signed_in: bool) -> None:
    csp = r.headers["content-security-policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src.replace("'wasm-unsafe-eval'", "")
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    if signed_in:
        assert r.headers["cache-control"] == "no-store"


def test_api_and_app_responses_carry_the_security_headers(client, abe):
    for path in ("/api/me", "/api/councils", "/api/health", "/app/account", "/app/sign-in", "/api/nothing-here"):
        check_security_headers(client.get(path), signed_in=True)


def test_static_pages_carry_the_security_headers_and_no_store_when_signed_in(tmp_path, built_site, smtp_server):
    from functions.app import create_app
    from tests.factories import PeopleFactory

    app = create_app(make_settings(tmp_path, site_dir=built_site, smtp_url=smtp_server.url))
    with TestClient(app, base_url="https://testserver") as c:
        anonymous = c.get("/")
        assert anonymous.status_code == 200 and "<html" in anonymous.text
        check_security_headers(anonymous, signed_in=False)
        assert "no-store" not in anonymous.headers.get("cache-control", "")
        PeopleFactory(app).sign_in(c, PeopleFactory(app).add("ada@aberdeencity.gov.uk"))
        check_security_headers(c.get("/"), signed_in=True)
        assert c.get("/app/sign-in").text.count('rel="stylesheet"') >= 1  # app pages wear the site's own shell
    app.state.store.close()


def test_the_form_token_cookie_is_host_only_secure_http_only_and_strict(client):
    r = client.get("/app/sign-in")
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith(CSRF_COOKIE))
    assert {"Path=/", "Secure", "HttpOnly", "SameSite=Strict"} <= {p.strip() for p in cookie.split(";")}


def test_cookies_are_read_among_others_quoted_or_split_and_nonsense_names_nothing():
    from functions.web.security import SESSION_COOKIE, cookie_value

    def scope(*values: str) -> dict:
        return {"headers": [(b"accept", b"*/*")] + [(b"cookie", v.encode("latin-1")) for v in values]}

    mixed = scope(f'_ga=GA1.2; {CSRF_COOKIE}="tok-en_1"; broken; ={SESSION_COOKIE}', f"{SESSION_COOKIE}=s3ss-ion")
    assert cookie_value(mixed, CSRF_COOKIE) == "tok-en_1"
    assert cookie_value(mixed, SESSION_COOKIE) == "s3ss-ion"
    assert cookie_value(mixed, "broken") is None
    assert cookie_value(scope(), SESSION_COOKIE) is None
    assert cookie_value(scope("\xff\x00;;=;"), SESSION_COOKIE) is None


@pytest.fixture
def on_either_database(tmp_path, store_url):
    """The app on SQLite or PostgreSQL, East Sussex's open round, and its super-user signed in with a form token."""
    from functions.app import create_app
    from functions.assessment import rounds
    from tests.factories import PeopleFactory

    app = create_app(make_settings(tmp_path, database_url=store_url))
    people = PeopleFactory(app)
    lead = people.add("lead@eastsussex.gov.uk", council="ESX", role="super-user")
    with app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, "ESX", "2026", lead.id, app.state.clock.now())
    with TestClient(app, base_url="https://testserver") as client:
        people.sign_in(client, lead, second_factor=True)
        yield app, client, form_token(client), round_, lead
    app.state.store.close()


def test_an_address_with_a_control_character_names_nothing_on_either_database(on_either_database):
    """A NUL (sent as %00) or another control character in a council code, round id, person id or token
    reached SQL from many pages, and PostgreSQL cannot hold a NUL: those were 500s there. Such an
    address names nothing, so every one is a 404, pages and API alike, before anything is looked up."""
    _, client, token, round_, lead = on_either_database
    council = "/app/councils/E%00SX"
    for method, path in [
        ("GET", f"{council}/members"),
        ("GET", f"{council}/rounds/{round_.id}/consensus"),
        ("GET", "/app/councils/ESX/rounds/a%00b/consensus"),
        ("GET", "/app/councils/ESX/rounds/a%1Fb/my-results"),
        ("GET", f"{council}/rounds/{round_.id}/results"),
        ("POST", f"{council}/members/{lead.id}/role"),
        ("POST", "/app/councils/ESX/members/a%00b/remove"),
        ("POST", "/app/councils/ESX/invitations/a%00b/cancel"),
        ("POST", "/app/invitations/a%00b"),
        ("GET", "/api/councils/E%00SX/members"),
        ("PUT", f"/api/councils/ESX/rounds/{round_.id}%7F/my-response"),
    ]:
        r = client.request(method, path, data={CSRF_FIELD: token, "role": "member"}, headers={"X-CSRF-Token": token})
        assert r.status_code == 404, (method, path, r.status_code)
        if path.startswith("/api"):
            assert r.json() == {"error": {"status": 404, "message": "There is nothing here, or you do not have access to it."}}
        check_security_headers(r, signed_in=True)


def test_a_form_field_with_a_control_character_is_refused_and_named_on_either_database(on_either_database):
    """Free text with a NUL in it (a consensus rationale, a person's name, a feedback message) was a 500 on
    PostgreSQL. Every form now refuses a field with a control character, naming each one, and stores nothing."""
    app, client, token, round_, lead = on_either_database
    consensus = f"/app/councils/ESX/rounds/{round_.id}/consensus/statements/PLC-01"
    for path, fields, named in [
        (consensus, {"current": "plans", "ambition": "does", "rationale": "a\x00b", "version": "0"}, ["rationale"]),
        ("/app/account", {"name": "Lead\x07", "respondent_role:ESX\x00": "officer"}, ["name", "respondent_role:ESX?"]),
        ("/app/feedback/suggestion", {"page": "/", "message": "Useful\x1b[31m"}, ["message"]),
    ]:
        r = client.post(path, data={CSRF_FIELD: token, **fields}, headers={"Accept": "text/html"}, follow_redirects=False)
        assert r.status_code == 422, (path, r.status_code)
        for field in named:
            assert f"{field}: expected text without control characters, got a control character" in r.text, (path, r.text)
    with app.state.store.transaction(write=False) as tx:
        assert tx.all("SELECT * FROM consensus_drafts") == [] and tx.all("SELECT * FROM feedback") == []
        assert tx.one("SELECT name FROM people WHERE id = ?", (lead.id,))["name"] is None


def test_deeply_nested_json_is_refused_with_the_usual_error_body_on_either_database(on_either_database):
    """A thousand nested arrays exhausted the JSON parser's recursion: a 500. Every API body is now
    refused past MAX_JSON_DEPTH levels, whether the parser gives up or not, with the usual JSON error."""
    from functions.web import MAX_JSON_DEPTH

    app, client, token, round_, lead = on_either_database
    response = f"/api/councils/ESX/rounds/{round_.id}/my-response"
    for deep in ("[" * 1000 + "]" * 1000, '{"a":' * 100 + "1" + "}" * 100, "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)):
        for method, path in [
            ("PUT", response),
            ("PUT", f"{response}/answers/PLC-01"),
            ("PATCH", f"/api/councils/ESX/members/{lead.id}"),
            ("POST", "/api/councils/ESX/invitations"),
        ]:
            r = client.request(method, path, content=deep, headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
            assert r.status_code == 400, (method, path, r.status_code, r.text[:200])
            assert r.json()["error"]["problems"] == [
                {"where": "body", "message": f"body: expected JSON nested at most {MAX_JSON_DEPTH} levels deep, got deeper"}
            ]
    with app.state.store.transaction(write=False) as tx:
        assert tx.all("SELECT * FROM responses") == [] and tx.all("SELECT * FROM invitations") == []


@pytest.mark.parametrize(
    "site_url, expected",
    [
        ("https://exchange.example", "max-age=31536000"),
        ("HTTPS://Exchange.Example", "max-age=31536000"),  # the scheme and host in capitals: still https
        ("http://127.0.0.1:8000", None),
    ],
)
def test_an_https_site_tells_browsers_to_keep_to_https(tmp_path, built_site, site_url, expected):
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, site_dir=built_site, site_url=site_url))
    with TestClient(app, base_url=site_url.lower()) as c:
        for path in ("/", "/api/health", "/app/sign-in", "/api/nothing-here", "/app/councils/A%00B"):
            assert c.get(path).headers.get("strict-transport-security") == expected, path
    app.state.store.close()


def test_a_site_address_in_capitals_still_accepts_its_own_origin(tmp_path, smtp_server):
    """The origin was the site address's letters as written, so `https://Exchange.Example` refused every
    form its own pages sent (browsers send the Origin lower-cased, without a default port)."""
    from functions.app import create_app

    settings = make_settings(tmp_path, site_url="HTTPS://Exchange.Example:443", smtp_url=smtp_server.url)
    app = create_app(settings)
    with TestClient(app, base_url="https://exchange.example") as c:
        r = c.post(
            "/app/sign-in",
            data={"email": "ada@aberdeencity.gov.uk", CSRF_FIELD: form_token(c)},
            headers={"Origin": "https://exchange.example"},
        )
        assert r.status_code == 200
        assert c.post("/app/sign-in", data={CSRF_FIELD: form_token(c)}, headers={"Origin": "https://evil.example"}).status_code == 403
    app.state.store.close()


def test_a_forged_host_header_is_refused_so_it_cannot_steer_a_redirect(tmp_path, built_site):
    """Starlette makes the absolute address of a redirect (a folder's missing slash, say) from the Host
    header: a forged one sent the browser, or a cache, to another site. Only the site's own host and this
    machine's names are served; a load balancer's health check by the instance's address still works."""
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, site_dir=built_site, site_url="https://exchange.example"))
    with TestClient(app, base_url="https://exchange.example") as c:
        moved = c.get("/library", follow_redirects=False)
        assert moved.status_code in (301, 307) and moved.headers["location"].startswith(("/library/", "https://exchange.example/"))
        for host in ("evil.example", "exchange.example.evil.example", "evil.example:443", "[2001:db8::1]"):
            r = c.get("/library", headers={"Host": host}, follow_redirects=False)
            assert r.status_code == 400 and "evil" not in r.headers.get("location", ""), host
            assert r.headers["x-frame-options"] == "DENY"
        assert c.get("/api/me", headers={"Host": "evil.example"}).json()["error"]["status"] == 400
        for host in ("Exchange.Example", "exchange.example:443", "127.0.0.1:8000", "localhost", "[::1]:8000"):
            assert c.get("/library/", headers={"Host": host}).status_code == 200, host
        assert c.get("/api/health", headers={"Host": "10.0.0.5:8000"}).status_code == 200
    app.state.store.close()


def test_a_content_length_that_is_not_digits_0_to_9_is_refused_as_too_large():
    """`isdigit` took a superscript ² (a header is Latin-1, so it may carry one), which `int` cannot read:
    a 500. Sent straight to the middleware, as the test client would re-encode the header."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from functions.web.security import SecurityMiddleware

    async def inner(scope, receive, send):  # pragma: no cover - never reached
        raise AssertionError("the request went through")

    async def call(length: bytes) -> int:
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/app/sign-in", "headers": [(b"content-length", length)]}
        await SecurityMiddleware(inner, origin="https://testserver")(scope, receive, send)
        return sent[0]["status"]

    with ThreadPoolExecutor(1) as thread:  # a loop of its own: the browser tests leave one running in this thread
        for length in (b"\xb2", b"\xb9\xb2", b"12a", b"-1"):
            assert thread.submit(asyncio.run, call(length)).result() == 413, length
