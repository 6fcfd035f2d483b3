"""The councils' JSON API under /api/councils: the register's councils, a council's members, and a
super-user's changes to a member; with its part of the OpenAPI description (functions/councils/schema.py)."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from functions import guards
from functions.councils import memberships, services
from functions.councils import schema as councils_schema
from functions.web import BadRequest, api_token_ok, blocking, json_body
from model.questionnaire import Edition
from model.register import ATTRIBUTION, Council, Register

PERSON_ID = re.compile(councils_schema.ID_PATTERN)


def as_json(council: Council) -> dict:
    return {
        "code": council.code,
        "name": council.name,
        "short_name": council.short_name,
        "type": council.type,
        "nation": council.nation,
        "region": council.region,
    }


def member_json(m: memberships.Member) -> dict:
    return {"person_id": m.person_id, "email": m.email, "name": m.name, "role": m.role, "respondent_role": m.respondent_role}


async def api_councils(request: Request) -> JSONResponse:
    register: Register = request.app.state.register
    return JSONResponse({"attribution": ATTRIBUTION, "councils": [as_json(c) for c in register.sorted()]})


async def api_members(request: Request) -> JSONResponse:
    code = request.path_params["code"]
    services.get(request.app.state.register, code)
    await guards.require_super_user(request, code)
    view = await blocking(services.read, request.app, services.members_view, request.state.person, code)
    return JSONResponse({"council": code, "members": [member_json(m) for m in view["members"]]})


async def writing(request: Request):
    """The JSON body of an API change, after checking the form token header (pages' scripts send it)."""
    if not api_token_ok(request):
        raise HTTPException(403, "Send the form token in the X-CSRF-Token header.")
    return await json_body(request)


async def _api_write(request: Request, fn, *args):
    return await blocking(services.write, request.app, fn, request.state.person, *args)


async def api_member(request: Request) -> Response:
    code, person_id = request.path_params["code"], request.path_params["person_id"]
    services.get(request.app.state.register, code)
    await guards.require_super_user(request, code)
    if not PERSON_ID.match(person_id):  # not an id the app makes (the API description gives its pattern): names nobody
        raise HTTPException(404, guards.NOT_FOUND)
    if request.method == "DELETE":
        if not api_token_ok(request):
            raise HTTPException(403, "Send the form token in the X-CSRF-Token header.")
        await _api_write(request, services.remove_member, code, person_id)
        return Response(status_code=204)
    body = await writing(request)
    if not isinstance(body, dict) or not isinstance(body.get("role"), str):
        got = body.get("role") if isinstance(body, dict) else body
        raise BadRequest(
            [{"where": "role", "message": f"role: expected one of {', '.join(memberships.ROLES)}, got {got!r}"[:200]}]
        )
    changed = await _api_write(request, services.change_role, code, person_id, body["role"])
    return JSONResponse({"council": code, "person_id": person_id, "role": changed.role})


api_routes = [
    Route("/councils", api_councils, methods=["GET"]),
    Route("/councils/{code}/members", api_members, methods=["GET"]),
    Route("/councils/{code}/members/{person_id}", api_member, methods=["PATCH", "DELETE"]),
]


def openapi_paths(edition: Edition) -> dict:
    """These endpoints' part of /api/openapi.json (functions/web/openapi.py gathers every feature's)."""
    return councils_schema.paths(edition)


def openapi_schemas(edition: Edition) -> dict:
    return councils_schema.schemas(edition)
