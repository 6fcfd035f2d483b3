"""The API against its own description (/api/openapi.json), fuzzed by schemathesis: at least 500 cases per
operation, signed in as a member so that real paths run; no 5xx, no response outside the description,
and nothing in any response that leaks a traceback, SQL or a file path."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from functions import rounds
from functions.security import CSRF_COOKIE, SESSION_COOKIE

from .conftest import PeopleFactory

COUNTY = "ESX"
CASES = 500  # per operation
MY_RESPONSE = "/councils/{code}/rounds/{round_id}/my-response"
MY_ANSWER = MY_RESPONSE + "/answers/{statement_id}"
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
    """A member of East Sussex with a session and a form token; the council's open round."""
    people = PeopleFactory(api_app)
    member = people.add("ann@eastsussex.gov.uk", council=COUNTY)
    lead = people.add("lead@eastsussex.gov.uk", council=COUNTY, role="super-user")
    with api_app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, COUNTY, "2026", lead.id, api_app.state.clock.now())
    token = "t" * 32
    return {"cookies": {SESSION_COOKIE: people.session(member), CSRF_COOKIE: token}, "token": token, "round": round_}


def stored_version(app, signed_in) -> int:
    with app.state.store.transaction(write=False) as tx:
        return tx.value("SELECT MAX(version) FROM responses WHERE round_id = ?", (signed_in["round"].id,)) or 0


def operations(app):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    return schema, {op.ok().label: op.ok() for op in schema.get_all_operations()}


def test_every_operation_in_the_description_is_fuzzed(app):
    _, found = operations(app)
    assert set(found) >= {
        "GET /editions/latest",
        "GET /councils/{code}/rounds",
        "GET " + MY_RESPONSE,
        "PUT " + MY_RESPONSE,
        "PUT " + MY_ANSWER,
    }


@pytest.mark.parametrize(
    "label, api_app",
    [
        ("GET /editions/latest", "sqlite"),
        ("GET /councils/{code}/rounds", "sqlite"),
        ("GET " + MY_RESPONSE, "sqlite"),
        ("PUT " + MY_RESPONSE, "sqlite"),
        ("PUT " + MY_ANSWER, "sqlite"),
        # the operations that reach the answers tables, again on PostgreSQL (which refuses what SQLite stores)
        ("GET " + MY_RESPONSE, "postgresql"),
        ("PUT " + MY_RESPONSE, "postgresql"),
        ("PUT " + MY_ANSWER, "postgresql"),
    ],
    indirect=["api_app"],
)
def test_no_operation_fails_or_leaks_whatever_it_is_sent(api_app, signed_in, label):
    app = api_app
    _, found = operations(app)
    operation = found[label]
    checks = [c for c in schemathesis.checks.CHECKS.get_all() if c.__name__ in CHECKS]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    statuses: list[int] = []

    # Nine cases in ten name the member's real council and round, carry the real form token and the
    # session, and half of the bodies are based on the stored version, so the checks behind them run;
    # the rest keep whatever was generated (404s, 403s, 401s, 409s). Counting, not drawing, decides,
    # because Hypothesis draws small numbers far more often than others.
    @settings(max_examples=CASES, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=cases, noise=st.text(max_size=30))
    def run(case, noise):
        n = len(statuses)
        if case.path_parameters is not None and n % 10:
            case.path_parameters = {**case.path_parameters, "code": COUNTY, "round_id": signed_in["round"].id}
        if operation.method.upper() == "PUT" and (n + 3) % 10:
            case.headers = {**(case.headers or {}), "X-CSRF-Token": signed_in["token"]}
        if operation.method.upper() == "PUT" and isinstance(case.body, dict) and n % 2:
            case.body = {**case.body, "version": stored_version(app, signed_in)}
        if noise and operation.method.upper() == "GET":
            case.query = {**(case.query or {}), "q": noise}  # unknown query parameters are ignored, never a failure
        response = case.call(cookies=signed_in["cookies"] if (n + 7) % 10 else {})
        statuses.append(response.status_code)
        assert not LEAKS.search(response.text), response.text[:500]
        case.validate_response(response, checks=checks)

    run()
    assert len(statuses) >= CASES, f"{label}: only {len(statuses)} cases ran"
    assert max(statuses) < 500
    if label.startswith("PUT"):
        # the real logic ran: saves succeeded, and bad bodies were refused with every problem
        assert {200, 422} <= set(statuses), sorted(set(statuses))
