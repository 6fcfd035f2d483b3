"""Councils: the register's councils as the app shows them, their email domains, and the council and members pages.

Councils come from the council register (model/register.py), read once at start-up. A
person joins a council by invitation (functions/councils/invitations.py) or, at sign-in, because their
verified email domain is one the council registered. A super-user manages the members.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from functions import audit, guards
from functions.councils import invitations, memberships
from functions.councils import schema as councils_schema
from functions.people import addresses
from functions.people import store as people
from functions.people.store import Person
from functions.store import Tx
from functions.web import BadRequest, api_token_ok, blocking, form, json_body, render
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


def get(register: Register, code: str) -> Council:
    """The council with this code; 404 when the register has none."""
    council = register.get(code)
    if council is None:
        raise HTTPException(404, guards.NOT_FOUND)
    return council


# -- email domains -----------------------------------------------------------------------------


def add_domain(tx: Tx, council: str, domain: str, now: int) -> bool:
    """Register an email domain (canonical, checked) for the council; False if it already was."""
    domain = addresses.canonical_domain(domain)
    if addresses.domain_problem(domain):
        raise ValueError(addresses.domain_problem(domain))
    if tx.one("SELECT 1 AS x FROM council_domains WHERE council = ? AND domain = ?", (council, domain)):
        return False
    tx.insert("council_domains", {"council": council, "domain": domain, "added_at": now})
    return True


def remove_domain(tx: Tx, council: str, domain: str) -> bool:
    return tx.execute("DELETE FROM council_domains WHERE council = ? AND domain = ?", (council, addresses.canonical_domain(domain))) == 1


def domains(tx: Tx, council: str | None = None) -> list[dict]:
    if council:
        return tx.all("SELECT council, domain FROM council_domains WHERE council = ? ORDER BY domain", (council,))
    return tx.all("SELECT council, domain FROM council_domains ORDER BY council, domain")


def join_by_domain(tx: Tx, person: Person, now: int) -> list[str]:
    """Add the person to every council that registered their email domain, unless a super-user removed
    them from it. Called at sign-in, when the address has just been shown to be theirs. Returns the codes joined."""
    joined = []
    for row in tx.all("SELECT council FROM council_domains WHERE domain = ? ORDER BY council", (person.domain,)):
        code = row["council"]
        if memberships.membership(tx, person.id, code) or memberships.removed(tx, person.id, code):
            continue
        memberships.add(tx, person.id, code, "member", "domain", now)
        audit.record(
            tx,
            now,
            "membership.joined",
            actor=person.pseudonym,
            subject=person.pseudonym,
            council=code,
            how="domain",
            role="member",
        )
        joined.append(code)
    return joined


# -- store work behind the pages ------------------------------------------------------------------


def _read(app, fn, *args):
    with app.state.store.transaction(write=False) as tx:
        return fn(tx, *args)


def _council_view(tx: Tx, person: Person, code: str) -> dict:
    mine = guards.check_member(tx, person, code)
    supers = [m for m in memberships.members(tx, code) if m.role == "super-user"]
    return {"membership": mine, "super_users": supers}


def _members_view(tx: Tx, person: Person, code: str) -> dict:
    guards.check_super_user(tx, person, code)
    return {"members": memberships.members(tx, code), "invitations": invitations.pending(tx, code)}


def change_role(tx: Tx, actor: Person, code: str, person_id: str, role: str, now: int) -> memberships.Membership:
    """A super-user changes a member's role. 404 for someone not in this council; LastSuperUser for the last super-user."""
    guards.check_super_user(tx, actor, code)
    if role not in memberships.ROLES:
        raise BadRequest([{"where": "role", "message": f"role: expected one of {', '.join(memberships.ROLES)}, got {role!r}"}])
    target = people.by_id(tx, person_id)
    changed = memberships.set_role(tx, person_id, code, role)
    if changed is None or target is None:
        raise HTTPException(404, guards.NOT_FOUND)
    audit.record(tx, now, "role.changed", actor=actor.pseudonym, subject=target.pseudonym, council=code, role=role)
    return changed


def remove_member(tx: Tx, actor: Person, code: str, person_id: str, now: int) -> None:
    """A super-user removes a member. 404 for someone not in this council; LastSuperUser for the last super-user."""
    guards.check_super_user(tx, actor, code)
    target = people.by_id(tx, person_id)
    removed = memberships.remove(tx, person_id, code, now)
    if not removed or target is None:
        raise HTTPException(404, guards.NOT_FOUND)
    audit.record(tx, now, "membership.removed", actor=actor.pseudonym, subject=target.pseudonym, council=code)


def _write(app, fn, *args):
    with app.state.store.transaction() as tx:
        return fn(tx, *args, app.state.clock.now())


# -- pages -------------------------------------------------------------------------------------


async def councils_page(request: Request) -> Response:
    person = await guards.require_person(request)
    register: Register = request.app.state.register
    mine = await blocking(_read, request.app, memberships.of_person, person.id)
    return render(
        request,
        "council/councils.html",
        page_title="Your councils",
        mine=[(register.get(m.council), m) for m in mine if register.get(m.council)],
        all_councils=register.sorted(),
        attribution=ATTRIBUTION,
    )


async def about_page(request: Request) -> Response:
    """A council as the register describes it, and how to join it: public facts only."""
    code = request.query_params.get("council", "")
    council = get(request.app.state.register, code)
    return render(request, "council/about.html", page_title=council.name, council=council, attribution=ATTRIBUTION)


async def council_page(request: Request) -> Response:
    person = await guards.require_person(request)
    code = request.path_params["code"]
    council = get(request.app.state.register, code)
    view = await blocking(_read, request.app, _council_view, person, code)
    return render(request, "council/council.html", page_title=council.name, council=council, **view)


async def members_page(request: Request) -> Response:
    code = request.path_params["code"]
    await guards.require_super_user(request, code)
    council = get(request.app.state.register, code)
    view = await blocking(_read, request.app, _members_view, request.state.person, code)
    return render(
        request,
        "council/members.html",
        page_title=f"Members of {council.short_name}",
        council=council,
        notice=request.query_params.get("done", ""),
        roles=memberships.ROLES,
        **view,
    )


async def role_form(request: Request) -> Response:
    code, person_id = request.path_params["code"], request.path_params["person_id"]
    await guards.require_super_user(request, code)
    data = await form(request)
    await blocking(_write, request.app, change_role, request.state.person, code, person_id, str(data.get("role", "")))
    return RedirectResponse(f"/app/councils/{code}/members?done=role", status_code=303)


async def remove_form(request: Request) -> Response:
    code, person_id = request.path_params["code"], request.path_params["person_id"]
    await guards.require_super_user(request, code)
    await form(request)
    await blocking(_write, request.app, remove_member, request.state.person, code, person_id)
    return RedirectResponse(f"/app/councils/{code}/members?done=removed", status_code=303)


# -- the API -----------------------------------------------------------------------------------


async def api_councils(request: Request) -> JSONResponse:
    register: Register = request.app.state.register
    return JSONResponse({"attribution": ATTRIBUTION, "councils": [as_json(c) for c in register.sorted()]})


def member_json(m: memberships.Member) -> dict:
    return {"person_id": m.person_id, "email": m.email, "name": m.name, "role": m.role, "respondent_role": m.respondent_role}


async def api_members(request: Request) -> JSONResponse:
    code = request.path_params["code"]
    get(request.app.state.register, code)
    await guards.require_super_user(request, code)
    view = await blocking(_read, request.app, _members_view, request.state.person, code)
    return JSONResponse({"council": code, "members": [member_json(m) for m in view["members"]]})


async def writing(request: Request):
    """The JSON body of an API change, after checking the form token header (pages' scripts send it)."""
    if not api_token_ok(request):
        raise HTTPException(403, "Send the form token in the X-CSRF-Token header.")
    return await json_body(request)


async def _api_write(request: Request, fn, *args):
    return await blocking(_write, request.app, fn, request.state.person, *args)


async def api_member(request: Request) -> Response:
    code, person_id = request.path_params["code"], request.path_params["person_id"]
    get(request.app.state.register, code)
    await guards.require_super_user(request, code)
    if not PERSON_ID.match(person_id):  # not an id the app makes (the API description gives its pattern): names nobody
        raise HTTPException(404, guards.NOT_FOUND)
    if request.method == "DELETE":
        if not api_token_ok(request):
            raise HTTPException(403, "Send the form token in the X-CSRF-Token header.")
        await _api_write(request, remove_member, code, person_id)
        return Response(status_code=204)
    body = await writing(request)
    if not isinstance(body, dict) or not isinstance(body.get("role"), str):
        got = body.get("role") if isinstance(body, dict) else body
        raise BadRequest(
            [{"where": "role", "message": f"role: expected one of {', '.join(memberships.ROLES)}, got {got!r}"[:200]}]
        )
    changed = await _api_write(request, change_role, code, person_id, body["role"])
    return JSONResponse({"council": code, "person_id": person_id, "role": changed.role})


page_routes = [
    Route("/councils", councils_page, methods=["GET"]),
    Route("/councils/about", about_page, methods=["GET"]),
    Route("/councils/{code}", council_page, methods=["GET"]),
    Route("/councils/{code}/members", members_page, methods=["GET"]),
    Route("/councils/{code}/members/{person_id}/role", role_form, methods=["POST"]),
    Route("/councils/{code}/members/{person_id}/remove", remove_form, methods=["POST"]),
]
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
