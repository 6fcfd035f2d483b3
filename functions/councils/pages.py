"""The council pages under /app/councils: the list, a council's public facts, its page for members, and
the members page where a super-user changes roles and removes people."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from functions import guards
from functions.councils import memberships, services
from functions.web import blocking, form, render
from model.register import ATTRIBUTION, Register


async def councils_page(request: Request) -> Response:
    person = await guards.require_person(request)
    register: Register = request.app.state.register
    mine = await blocking(services.read, request.app, memberships.of_person, person.id)
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
    council = services.get(request.app.state.register, code)
    return render(request, "council/about.html", page_title=council.name, council=council, attribution=ATTRIBUTION)


async def council_page(request: Request) -> Response:
    person = await guards.require_person(request)
    code = request.path_params["code"]
    council = services.get(request.app.state.register, code)
    view = await blocking(services.read, request.app, services.council_view, person, code)
    return render(request, "council/council.html", page_title=council.name, council=council, **view)


async def members_page(request: Request) -> Response:
    code = request.path_params["code"]
    await guards.require_super_user(request, code)
    council = services.get(request.app.state.register, code)
    view = await blocking(services.read, request.app, services.members_view, request.state.person, code)
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
    role = str(data.get("role", ""))
    await blocking(services.write, request.app, services.change_role, request.state.person, code, person_id, role)
    return RedirectResponse(f"/app/councils/{code}/members?done=role", status_code=303)


async def remove_form(request: Request) -> Response:
    code, person_id = request.path_params["code"], request.path_params["person_id"]
    await guards.require_super_user(request, code)
    await form(request)
    await blocking(services.write, request.app, services.remove_member, request.state.person, code, person_id)
    return RedirectResponse(f"/app/councils/{code}/members?done=removed", status_code=303)


page_routes = [
    Route("/councils", councils_page, methods=["GET"]),
    Route("/councils/about", about_page, methods=["GET"]),
    Route("/councils/{code}", council_page, methods=["GET"]),
    Route("/councils/{code}/members", members_page, methods=["GET"]),
    Route("/councils/{code}/members/{person_id}/role", role_form, methods=["POST"]),
    Route("/councils/{code}/members/{person_id}/remove", remove_form, methods=["POST"]),
]
