"""The API against its own description (/api/openapi.json), fuzzed by schemathesis: at least 500 cases per
operation, signed in as a member (or, for what only a super-user may do, as the council's super-user) so
that real paths run; no 5xx, no response outside the description, and nothing in any response that leaks
a traceback, SQL or a file path. Every route under /api is described."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from starlette.routing import Mount, Route

from functions.assessment import rounds
from functions.councils import memberships
from functions.web.security import CSRF_COOKIE, SESSION_COOKIE
from tests.factories import FAST, PeopleFactory, examples

COUNTY = "ESX"
CASES = examples(500)  # per operation: enough to reach every outcome in REACHED (the quick tier's tenth is not)
MY_RESPONSE = "/councils/{code}/rounds/{round_id}/my-response"
MY_ANSWER = MY_RESPONSE + "/answers/{statement_id}"
MEMBER = "/councils/{code}/members/{person_id}"
INVITE = "POST /councils/{code}/invitations"
SUPER_USER_ONLY = {"GET /councils/{code}/members", "PATCH " + MEMBER, "DELETE " + MEMBER, INVITE}
CHANGES = ("PUT", "PATCH", "DELETE", "POST")  # the methods that carry the form token
# What shows that an operation's real logic ran, not only its refusals.
REACHED = {
    "PUT " + MY_RESPONSE: {200, 422},
    "PUT " + MY_ANSWER: {200, 422},
    "GET /me": {200, 401},
    "GET /councils/{code}/members": {200, 401, 403, 404},
    "PATCH " + MEMBER: {200, 403, 404, 409, 422},
    "DELETE " + MEMBER: {204, 403, 404, 409},
    INVITE: {201, 403, 422},
}
LEAKS = re.compile(
    r"Traceback|File \"|\.py\b|/work/|/usr/|site-packages|sqlite3|psycopg|OperationalError|IntegrityError"
    r"|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bDELETE FROM\b|\bWHERE\b",
)
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")


@pytest.fixture
def api_app(request, app, settings, smtp_server):
    """The app on SQLite, or (parametrized indirectly) on a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield app
        return
    from functions.app import create_app

    pg = create_app(settings.with_(database_url=request.getfixturevalue("postgres_url"), smtp_url=smtp_server.url))
    yield pg
    pg.state.store.close()


@pytest.fixture
def signed_in(api_app):
    """A member of East Sussex with a session and a form token; the council's open round; its super-user
    (with a verified second factor) and another member, whose role the super-user may change."""
    people = PeopleFactory(api_app)
    member = people.add("ann@eastsussex.gov.uk", council=COUNTY)
    other = people.add("bob@eastsussex.gov.uk", council=COUNTY)
    lead = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
    with api_app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, COUNTY, "2026", lead.id, api_app.state.clock.now())
    token = "t" * 32
    return {
        "cookies": {SESSION_COOKIE: people.session(member), CSRF_COOKIE: token},
        "super_user_cookies": {SESSION_COOKIE: people.session(lead, second_factor=True), CSRF_COOKIE: token},
        "token": token,
        "round": round_,
        "person_ids": [member.id, other.id, lead.id],
        "members": [member.id, other.id],
    }


def restore_members(app, signed_in) -> None:
    """Put the council back as the fixture made it: whatever the last case changed, the super-user's
    changes to other members start again from two plain members (and the super-user stays the only one)."""
    with app.state.store.transaction() as tx:
        for person_id in signed_in["members"]:
            found = memberships.membership(tx, person_id, COUNTY)
            if found is None:
                memberships.add(tx, person_id, COUNTY, "member", "invitation", app.state.clock.now())
            elif found.is_super_user:
                memberships.set_role(tx, person_id, COUNTY, "member")


def sent_text(case) -> str:
    """Every string the case sends (path, query, headers, body keys and values), to tell an echo from a leak."""

    def strings(value) -> list[str]:
        if isinstance(value, dict):
            return [s for k, v in value.items() for s in [str(k), *strings(v)]]
        if isinstance(value, list | tuple):
            return [s for v in value for s in strings(v)]
        return [unquote(value) if isinstance(value, str) else str(value)]

    parts = [case.path_parameters, case.query, case.headers, case.body]
    return "\n".join(s for part in parts if part is not None for s in strings(part))


def leaks(text: str, case) -> list[str]:
    """What in a response looks like a traceback, SQL or a file path, leaving out what the request itself
    sent: the app may echo input (a saved comment, a refused value) and the fuzzer sends SQL-like text."""
    sent = sent_text(case)
    return [m.group() for m in LEAKS.finditer(text) if m.group() not in sent]


def stored_version(app, signed_in) -> int:
    with app.state.store.transaction(write=False) as tx:
        return tx.value("SELECT MAX(version) FROM responses WHERE round_id = ?", (signed_in["round"].id,)) or 0


def operations(app):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    return schema, {op.ok().label: op.ok() for op in schema.get_all_operations()}


# (GET /openapi.json, the description itself, is not fuzzed: schemathesis leaves out the operation it
# read the description from.)
FUZZED = [
    ("GET /health", "sqlite"),
    ("GET /me", "sqlite"),
    ("GET /councils", "sqlite"),
    ("GET /councils/{code}/members", "sqlite"),
    ("PATCH " + MEMBER, "sqlite"),
    ("DELETE " + MEMBER, "sqlite"),
    (INVITE, "sqlite"),
    ("GET /editions/latest", "sqlite"),
    ("GET /councils/{code}/rounds", "sqlite"),
    ("GET " + MY_RESPONSE, "sqlite"),
    ("PUT " + MY_RESPONSE, "sqlite"),
    ("PUT " + MY_ANSWER, "sqlite"),
    # the operations that store text from the body, again on PostgreSQL (which refuses text SQLite
    # stores, such as a NUL character)
    (INVITE, "postgresql"),
    ("GET " + MY_RESPONSE, "postgresql"),
    ("PUT " + MY_RESPONSE, "postgresql"),
    ("PUT " + MY_ANSWER, "postgresql"),
]


def test_every_operation_in_the_description_is_fuzzed(app):
    _, found = operations(app)
    assert set(found) == {label for label, _ in FUZZED}


def api_operations(app) -> set[str]:
    """Every method and path the app routes under /api, as the description labels them ("GET /health")."""
    (api,) = [r for r in app.routes if isinstance(r, Mount) and r.path == "/api"]
    found = set()
    for route in api.routes:
        assert isinstance(route, Route), f"{route!r}: expected a Route under /api"
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # {id:int} is {id} in the description
        found |= {f"{method} {path}" for method in route.methods if method != "HEAD"}  # Starlette adds HEAD to GET
    return found


def test_every_route_under_api_is_described(app, client):
    document = client.get("/api/openapi.json").json()
    described = {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}
    routed = api_operations(app)
    assert len(routed) >= 13, sorted(routed)  # the walk found the API's routes, not an empty mount
    assert routed - described == set(), "routes under /api missing from /api/openapi.json"
    assert described - routed == set(), "operations in /api/openapi.json that the app does not route"


@pytest.mark.parametrize("api_app", ["sqlite", "postgresql"], indirect=True)
@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/councils/E%00SX/members"),
        ("PATCH", "/api/councils/E%00SX/members/x"),
        ("PATCH", "/api/councils/ESX/members/a%00b"),
        ("DELETE", "/api/councils/ESX/members/a%00b"),
        ("POST", "/api/councils/E%00SX/invitations"),
    ],
)
def test_a_council_code_or_person_id_that_names_nothing_is_not_found(api_app, signed_in, method, path):
    """PostgreSQL refuses text with a NUL in it, which was a 500 here; such a code or id names nothing."""
    from starlette.testclient import TestClient

    with TestClient(api_app, base_url="https://testserver", cookies=signed_in["super_user_cookies"]) as client:
        headers = {"X-CSRF-Token": signed_in["token"]}
        response = client.request(method, path, headers=headers, json={"role": "member", "email": "new@eastsussex.gov.uk"})
    assert response.status_code == 404, response.text
    assert response.json()["error"]["status"] == 404


@pytest.mark.parametrize("api_app", ["sqlite", "postgresql"], indirect=True)
def test_an_invitation_to_an_address_with_a_control_character_is_refused(api_app, signed_in):
    """Such an address passed the check, and PostgreSQL cannot store a NUL: it was a 500 there."""
    from starlette.testclient import TestClient

    with TestClient(api_app, base_url="https://testserver", cookies=signed_in["super_user_cookies"]) as client:
        for email in ("a\u0000b@eastsussex.gov.uk", "a\u0007b@eastsussex.gov.uk"):
            response = client.post(
                "/api/councils/ESX/invitations", headers={"X-CSRF-Token": signed_in["token"]}, json={"email": email}
            )
            assert response.status_code == 422, response.text
            assert [p["where"] for p in response.json()["error"]["problems"]] == ["email"]


@pytest.mark.parametrize("label, api_app", FUZZED, indirect=["api_app"])
def test_no_operation_fails_or_leaks_whatever_it_is_sent(api_app, signed_in, label):
    app = api_app
    _, found = operations(app)
    operation = found[label]
    checks = [c for c in schemathesis.checks.CHECKS.get_all() if c.__name__ in CHECKS]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    statuses: list[int] = []

    method = operation.method.upper()
    super_user = label in SUPER_USER_ONLY

    # Nine cases in ten name the member's real council and round (and, three in four, a real person),
    # carry the real form token and the session, and half of the bodies are based on the stored version
    # or invite a real address, so the checks behind them run; the rest keep whatever was generated (404s,
    # 403s, 401s, 409s). Where only a super-user may act, the council's super-user sends most cases and a
    # plain member one in ten. Counting, not drawing, decides, because Hypothesis draws small numbers far
    # more often than others.
    @settings(max_examples=CASES, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases, noise=st.text(max_size=30))
    def run(case, noise):
        n = len(statuses)
        if case.path_parameters is not None and n % 10:
            case.path_parameters = {**case.path_parameters, "code": COUNTY, "round_id": signed_in["round"].id}
            if "person_id" in case.path_parameters and n % 4:
                case.path_parameters["person_id"] = signed_in["person_ids"][n % 4 - 1]
        if method in CHANGES and (n + 3) % 10:
            case.headers = {**(case.headers or {}), "X-CSRF-Token": signed_in["token"]}
        if method == "PUT" and isinstance(case.body, dict) and n % 2:
            case.body = {**case.body, "version": stored_version(app, signed_in)}
        if label == INVITE and isinstance(case.body, dict) and n % 2:
            # the generated text, at the council's domain: what passes the address check reaches the store
            local = re.sub(r"[@\s]", "", str(case.body.get("email", "")))[:40] if n % 4 == 1 else ""
            case.body = {**case.body, "email": f"{local}new{n}@eastsussex.gov.uk"}
        if noise and method == "GET":
            case.query = {**(case.query or {}), "q": noise}  # unknown query parameters are ignored, never a failure
        if method in ("PATCH", "DELETE"):
            restore_members(app, signed_in)
        cookies = signed_in["super_user_cookies"] if super_user and (n + 5) % 10 else signed_in["cookies"]
        response = case.call(cookies=cookies if (n + 7) % 10 else {})
        statuses.append(response.status_code)
        assert not leaks(response.text, case), response.text[:500]
        case.validate_response(response, checks=checks)

    run()
    assert len(statuses) >= CASES, f"{label}: only {len(statuses)} cases ran"
    assert max(statuses) < 500
    # the real logic ran: saves and changes succeeded, bad bodies were refused with every problem, and
    # the rights were checked (a member is refused what only the super-user may do); the quick tier's
    # few cases only look for errors and leaks, and `make test` holds the fuzz to reaching every outcome
    if not FAST:
        assert REACHED.get(label, {200}) <= set(statuses), sorted(set(statuses))
