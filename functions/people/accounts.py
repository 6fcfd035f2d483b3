"""A person's own account: who they are, their councils and sessions, and their data (download it, erase it)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from functions import audit, guards
from functions.councils import memberships
from functions.people import privacy, sessions, two_factor
from functions.people import store as people
from functions.people.store import Person
from functions.web import BadRequest, blocking, form, render
from functions.web.openapi import SESSION, error_responses, json_content
from model.questionnaire import Edition


def _view(app, person: Person) -> dict:
    now = app.state.clock.now()
    with app.state.store.transaction(write=False) as tx:
        return {
            "memberships": memberships.of_person(tx, person.id),
            "sessions": sessions.of_person(tx, person.id, now),
            "two_factor": two_factor.status(tx, person.id),
        }


async def home(request: Request) -> Response:
    return RedirectResponse("/app/account", status_code=303)


async def account_page(request: Request, status: int = 200, problems: list | None = None) -> Response:
    person = await guards.require_person(request)
    view = await blocking(_view, request.app, person)
    register = request.app.state.register
    joined = [register.get(c) for c in request.query_params.get("joined", "").split(",") if register.get(c)]
    return render(
        request,
        "account/account.html",
        status=status,
        page_title="Your account",
        register=register,
        joined=joined,
        saved=request.query_params.get("saved") == "1",
        problems=problems or [],
        respondent_roles=memberships.RESPONDENT_ROLES,
        current_session=request.state.session,
        **view,
    )


def _save(app, person: Person, name: str, roles: dict[str, str | None]) -> None:
    with app.state.store.transaction() as tx:
        people.set_name(tx, person.id, name)
        for m in memberships.of_person(tx, person.id):
            if m.council in roles:
                memberships.set_respondent_role(tx, person.id, m.council, roles[m.council])


async def save(request: Request) -> Response:
    person = await guards.require_person(request)
    data = await form(request)
    name = str(data.get("name", "")).strip()
    problems = []
    if len(name) > people.MAX_NAME:
        problems.append({"where": "name", "message": f"name: expected at most {people.MAX_NAME} characters, got {len(name)}"})
    roles: dict[str, str | None] = {}
    for key, value in data.items():
        if key.startswith("respondent_role:"):
            value = str(value)
            if value and value not in memberships.RESPONDENT_ROLES:
                problems.append({"where": key, "message": f"{key}: expected officer, councillor or nothing, got {value!r}"})
            roles[key.split(":", 1)[1]] = value or None
    if problems:
        raise BadRequest(problems)
    await blocking(_save, request.app, person, name, roles)
    return RedirectResponse("/app/account?saved=1", status_code=303)


def _export(app, person: Person) -> dict:
    now = app.state.clock.now()
    with app.state.store.transaction() as tx:
        data = privacy.export(tx, person, now)
        audit.record(tx, now, "person.exported", actor=person.pseudonym, subject=person.pseudonym)
        return data


async def export(request: Request) -> Response:
    person = await guards.require_person(request)
    data = await blocking(_export, request.app, person)
    return Response(
        json.dumps(data, indent=2, sort_keys=True, default=str),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="exchange-my-data.json"'},
    )


async def erase_page(request: Request) -> Response:
    person = await guards.require_person(request)
    return render(request, "account/erase.html", page_title="Erase your account", email=person.email, problem="")


def _erase(app, person: Person) -> None:
    with app.state.store.transaction() as tx:
        privacy.erase(tx, person, app.state.clock.now())
    privacy.erase_mail(app.state.settings.outbox_dir, person)  # once the erasure is committed


async def erase(request: Request) -> Response:
    person = await guards.require_person(request)
    data = await form(request)
    if data.get("confirm") != "yes":
        problem = "confirm: expected the box ticked to say you understand this cannot be undone, got it unticked"
        return render(
            request, "account/erase.html", status=422, page_title="Erase your account", email=person.email, problem=problem
        )
    await blocking(_erase, request.app, person)
    request.state.person = None
    response = render(request, "account/erased.html", page_title="Your account has been erased")
    response.headers.append("Set-Cookie", sessions.clear_cookie())
    return response


async def api_me(request: Request) -> JSONResponse:
    person = await guards.require_person(request)
    view = await blocking(_view, request.app, person)
    return JSONResponse(
        {
            "person": {
                "id": person.id,
                "pseudonym": person.pseudonym,
                "email": person.email,
                "name": person.name,
                "operator": person.operator,
            },
            "memberships": [
                {"council": m.council, "role": m.role, "respondent_role": m.respondent_role} for m in view["memberships"]
            ],
            "session": {"id": request.state.session.id, "second_factor_verified": request.state.session.mfa_verified},
        }
    )


page_routes = [
    Route("/", home, methods=["GET"]),
    Route("/account", account_page, methods=["GET"]),
    Route("/account", save, methods=["POST"]),
    Route("/account/export", export, methods=["GET"]),
    Route("/account/erase", erase_page, methods=["GET"]),
    Route("/account/erase", erase, methods=["POST"]),
]
api_routes = [Route("/me", api_me, methods=["GET"])]


def openapi_paths(edition: Edition) -> dict:
    """This endpoint's part of /api/openapi.json (functions/web/openapi.py gathers every feature's)."""
    nullable = {"type": ["string", "null"]}
    me = {
        "type": "object",
        "required": ["person", "memberships", "session"],
        "properties": {
            "person": {
                "type": "object",
                "required": ["id", "pseudonym", "email", "name", "operator"],
                "properties": {
                    "id": {"type": "string"},
                    "pseudonym": {"type": "string", "description": "How the audit log names you."},
                    "email": {"type": "string"},
                    "name": nullable,
                    "operator": {"type": "boolean", "description": "Whether you run the Exchange."},
                },
            },
            "memberships": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["council", "role", "respondent_role"],
                    "properties": {
                        "council": {"type": "string", "description": "The council's code in the council register."},
                        "role": {"type": "string", "enum": list(memberships.ROLES)},
                        "respondent_role": {
                            "anyOf": [{"type": "string", "enum": list(memberships.RESPONDENT_ROLES)}, {"type": "null"}]
                        },
                    },
                },
            },
            "session": {
                "type": "object",
                "required": ["id", "second_factor_verified"],
                "properties": {"id": {"type": "string"}, "second_factor_verified": {"type": "boolean"}},
            },
        },
    }
    return {
        "/me": {
            "get": {
                "operationId": "getMe",
                "summary": "Who you are signed in as, your councils and this session",
                "security": SESSION,
                "responses": {"200": {"description": "You", "content": json_content(me)}, **error_responses(401)},
            }
        }
    }
