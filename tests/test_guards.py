"""The guards: signed-in people only, members only, super-users (with a second factor) only, operators only."""

from __future__ import annotations

import pytest
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from functions import guards


def _mount(app, prefix: str) -> Mount:
    return next(r for r in app.router.routes if isinstance(r, Mount) and r.path == prefix)


@pytest.fixture
def guarded(app):
    """The app with a few guarded endpoints, under /app and /api, as features write them."""

    async def person(request):
        p = await guards.require_person(request)
        return JSONResponse({"pseudonym": p.pseudonym})

    async def member(request):
        m = await guards.require_member(request, request.path_params["code"])
        return JSONResponse({"council": m.council, "role": m.role})

    async def super_user(request):
        m = await guards.require_super_user(request, request.path_params["code"])
        return JSONResponse({"council": m.council, "role": m.role})

    async def operator(request):
        p = await guards.require_operator(request)
        return JSONResponse({"operator": p.operator})

    for prefix in ("/app", "/api"):
        _mount(app, prefix).routes.extend(
            [
                Route("/test/person", person),
                Route("/test/{code}/member", member),
                Route("/test/{code}/super-user", super_user),
                Route("/test/operator", operator),
            ]
        )
    return app


def test_pages_send_people_who_are_not_signed_in_to_sign_in_and_back(guarded, client):
    r = client.get("/app/test/person?x=1", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/app/sign-in?next=%2Fapp%2Ftest%2Fperson%3Fx%3D1"


def test_the_api_answers_401_to_people_who_are_not_signed_in(guarded, client):
    r = client.get("/api/test/person")
    assert r.status_code == 401
    assert r.json()["error"]["status"] == 401


def test_a_signed_in_person_is_known_to_endpoints(guarded, client, people):
    ada = people.add("ada@aberdeencity.gov.uk")
    people.sign_in(client, ada)
    assert client.get("/api/test/person").json() == {"pseudonym": ada.pseudonym}


@pytest.mark.parametrize("prefix", ["/app", "/api"])
def test_another_councils_objects_answer_404(guarded, client, people, prefix):
    ada = people.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user")
    people.sign_in(client, ada, second_factor=True)
    assert client.get(f"{prefix}/test/ABE/member").status_code == 200
    assert client.get(f"{prefix}/test/ABD/member").status_code == 404
    assert client.get(f"{prefix}/test/ABD/super-user").status_code == 404
    assert client.get(f"{prefix}/test/NOPE/member").status_code == 404


def test_a_member_who_is_not_the_super_user_gets_403(guarded, client, people):
    bob = people.add("bob@aberdeencity.gov.uk", council="ABE")
    people.sign_in(client, bob, second_factor=True)
    assert client.get("/api/test/ABE/member").json() == {"council": "ABE", "role": "member"}
    assert client.get("/api/test/ABE/super-user").status_code == 403


def test_a_super_user_without_a_verified_second_factor_is_sent_to_verify_it(guarded, client, people):
    ada = people.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user")
    people.sign_in(client, ada, second_factor=False)
    page = client.get("/app/test/ABE/super-user", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/app/security/two-factor?next=")
    api = client.get("/api/test/ABE/super-user")
    assert api.status_code == 403
    assert "second factor" in api.json()["error"]["message"]
    people.sign_in(client, ada, second_factor=True)
    assert client.get("/api/test/ABE/super-user").json() == {"council": "ABE", "role": "super-user"}


def test_only_operators_pass_the_operator_guard(guarded, client, people):
    bob = people.add("bob@aberdeencity.gov.uk")
    people.sign_in(client, bob)
    assert client.get("/api/test/operator").status_code == 403
    olu = people.add("olu@exchange.example", operator=True)
    people.sign_in(client, olu)
    unverified = client.get("/api/test/operator")
    assert unverified.status_code == 403 and "second factor" in unverified.json()["error"]["message"]
    people.sign_in(client, olu, second_factor=True)
    assert client.get("/api/test/operator").json() == {"operator": True}
