"""The sign-in and sign-out pages under /app/sign-in and /app/sign-out (the links and their limits: signin.py)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from functions import audit
from functions.mail import send_later
from functions.people import addresses, sessions, signin
from functions.people import store as people
from functions.web import blocking, form, render
from functions.web.local_paths import local_path
from functions.web.ratelimit import RateLimited, client_key, hit


async def sign_in_page(request: Request) -> Response:
    return render(
        request,
        "auth/sign_in.html",
        page_title="Sign in",
        next=local_path(request.query_params.get("next")),
        email="",
        problems=[],
    )


def _ask(app, email: str, client: str, next_path: str) -> tuple[int, str | None]:
    """(seconds the client must wait, or 0; the token to mail, or None when the address has had its emails)."""
    settings, now = app.state.settings, app.state.clock.now()
    with app.state.store.transaction() as tx:
        wait = hit(tx, settings.secret_key, signin.CLIENT_LIMIT, client, now)
        if wait:
            return wait, None
        if signin.mails_limited(tx, settings.secret_key, email, now):
            signin.keep_newest_link(tx, email, now)
            return 0, None
        return 0, signin.request_link(tx, settings.secret_key, email, next_path, now)


async def ask_for_link(request: Request) -> Response:
    data = await form(request)
    email = addresses.canonical(str(data.get("email", "")))
    next_path = local_path(data.get("next"))
    problem = addresses.problem(email)
    if problem:
        return render(
            request, "auth/sign_in.html", status=422, page_title="Sign in", next=next_path, email=email, problems=[problem]
        )
    client = client_key(request)
    wait, token = await blocking(_ask, request.app, email, client, next_path)
    if wait:
        raise RateLimited(wait)
    response = render(request, "auth/check_email.html", page_title="Check your email", email=email, minutes=signin.LINK_VALID // 60)
    if token:  # otherwise the address has had its emails for the hour, and the newest still works: the same page either way
        response.background = send_later(
            request.app.state.mailer, signin.link_message(request.app.state.settings, email, token), "a sign-in link"
        )
    return response


def _usable(app, token: str) -> bool:
    with app.state.store.transaction(write=False) as tx:
        return signin.link_usable(tx, app.state.settings.secret_key, token, app.state.clock.now())


def _gone(request: Request) -> Response:
    return render(
        request, "auth/link_gone.html", status=410, page_title="This sign-in link has expired", minutes=signin.LINK_VALID // 60
    )


async def link_page(request: Request) -> Response:
    token = request.query_params.get("token", "")
    if not token or not await blocking(_usable, request.app, token):
        return _gone(request)
    return render(request, "auth/link.html", page_title="Sign in", token=token)


def _use(app, token: str, old_session_id: str | None):
    settings, now = app.state.settings, app.state.clock.now()
    with app.state.store.transaction() as tx:
        used = signin.use_link(tx, settings.secret_key, token, now)
        if used is None:
            return None
        email, next_path = used
        cookie_value, person, joined = signin.sign_in(tx, settings.secret_key, email, now, old_session_id)
        return cookie_value, next_path, joined


async def use_link_page(request: Request) -> Response:
    data = await form(request)
    old = request.state.session.id if request.state.session else None
    result = await blocking(_use, request.app, str(data.get("token", "")), old)
    if result is None:
        return _gone(request)
    cookie_value, next_path, joined = result
    target = next_path or "/app/account"
    if joined and not next_path:
        target = "/app/account?joined=" + quote(",".join(joined))
    response = RedirectResponse(target, status_code=303)
    response.headers.append("Set-Cookie", sessions.cookie(cookie_value))
    return response


def _sign_out(app, session, everywhere: bool) -> None:
    now = app.state.clock.now()
    with app.state.store.transaction() as tx:
        if everywhere:
            sessions.revoke_all(tx, session.person_id, now)
        else:
            sessions.revoke(tx, session.id, now)
        person = people.by_id(tx, session.person_id)
        audit.record(tx, now, "signed-out-everywhere" if everywhere else "signed-out", actor=person.pseudonym if person else None)


async def sign_out(request: Request) -> Response:
    data = await form(request)
    everywhere = request.url.path.endswith("/everywhere") or data.get("everywhere") == "yes"
    if request.state.session:
        await blocking(_sign_out, request.app, request.state.session, everywhere)
    request.state.person = None
    response = render(request, "auth/signed_out.html", page_title="You have signed out", everywhere=everywhere)
    response.headers.append("Set-Cookie", sessions.clear_cookie())
    return response


page_routes = [
    Route("/sign-in", sign_in_page, methods=["GET"]),
    Route("/sign-in", ask_for_link, methods=["POST"]),
    Route("/sign-in/link", link_page, methods=["GET"]),
    Route("/sign-in/link", use_link_page, methods=["POST"]),
    Route("/sign-out", sign_out, methods=["POST"]),
    Route("/sign-out/everywhere", sign_out, methods=["POST"]),
]
