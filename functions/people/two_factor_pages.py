"""The second factor's pages under /app/security/two-factor: setting it up, a code to verify a session, new recovery codes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from functions import audit, guards
from functions.people import sessions, two_factor
from functions.people.store import Person
from functions.web import blocking, form, render
from functions.web.local_paths import local_path
from functions.web.ratelimit import RateLimited, hit


def _page_state(app, person: Person) -> dict:
    now = app.state.clock.now()
    with app.state.store.transaction() as tx:
        state = two_factor.status(tx, person.id)
        if state == "on":
            return {"state": state, "left": two_factor.recovery_codes_left(tx, person.id)}
        salt = two_factor.begin(tx, person.id, now)
    key = app.state.settings.secret_key
    link = two_factor.uri(key, salt, person)
    text = two_factor.secret(key, salt)
    return {"state": "pending", "secret": " ".join(text[i : i + 4] for i in range(0, len(text), 4)), "qr": two_factor.qr_svg(link)}


async def page(request: Request) -> Response:
    person = await guards.require_person(request)
    view = await blocking(_page_state, request.app, person)
    return render(
        request,
        "auth/two_factor.html",
        page_title="Second factor" if view["state"] == "on" else "Set up your second factor",
        next=local_path(request.query_params.get("next")),
        verified=request.state.session.mfa_verified,
        problem="",
        **view,
    )


def _attempt(app, person: Person, session_id: str, code: str, setting_up: bool):
    """Check a code (or a recovery code). Returns ('ok', recovery codes or None) / ('wrong', None) / ('wait', seconds)."""
    key, now = app.state.settings.secret_key, app.state.clock.now()
    with app.state.store.transaction() as tx:
        wait = hit(tx, key, two_factor.ATTEMPTS, person.id, now)
        if wait:
            return "wait", wait
        if setting_up:
            codes = two_factor.confirm(tx, key, person.id, code, now)
            ok, how = codes is not None, "set-up"
        else:
            codes = None
            ok, how = two_factor.check_code(tx, key, person.id, code, now), "code"
            if not ok and two_factor.status(tx, person.id) == "on" and two_factor.use_recovery_code(tx, key, person.id, code, now):
                ok, how = True, "recovery-code"
        if not ok:
            return "wrong", None
        sessions.mark_second_factor(tx, session_id, now)
        audit.record(tx, now, "two-factor.verified", actor=person.pseudonym, how=how)
        return "ok", codes


async def submit(request: Request) -> Response:
    person = await guards.require_person(request)
    data = await form(request)
    next_path = local_path(data.get("next"))
    setting_up = request.url.path.endswith("/two-factor")
    outcome, extra = await blocking(
        _attempt, request.app, person, request.state.session.id, str(data.get("code", "")), setting_up
    )
    if outcome == "wait":
        raise RateLimited(extra)
    if outcome == "wrong":
        view = await blocking(_page_state, request.app, person)
        problem = f"code: expected {two_factor.CODE_EXPECTED}" + ("" if setting_up else ", or one of your recovery codes (like ABCDE-FGHJK)")
        return render(
            request,
            "auth/two_factor.html",
            status=422,
            page_title="Check the code",
            next=next_path,
            verified=False,
            problem=problem,
            **view,
        )
    if extra:
        return render(
            request, "auth/recovery_codes.html", page_title="Your recovery codes", codes=extra, next=next_path or "/app/account"
        )
    return RedirectResponse(next_path or "/app/account", status_code=303)


def _new_codes(app, person: Person) -> list[str]:
    with app.state.store.transaction() as tx:
        codes = two_factor.new_recovery_codes(tx, app.state.settings.secret_key, person.id)
        audit.record(tx, app.state.clock.now(), "two-factor.new-recovery-codes", actor=person.pseudonym)
        return codes


async def regenerate(request: Request) -> Response:
    person = await guards.require_person(request)
    await form(request)
    if not request.state.session.mfa_verified:
        return RedirectResponse("/app/security/two-factor", status_code=303)
    codes = await blocking(_new_codes, request.app, person)
    return render(request, "auth/recovery_codes.html", page_title="Your new recovery codes", codes=codes, next="/app/account")


page_routes = [
    Route("/security/two-factor", page, methods=["GET"]),
    Route("/security/two-factor", submit, methods=["POST"]),
    Route("/security/two-factor/verify", submit, methods=["POST"]),
    Route("/security/two-factor/recovery-codes", regenerate, methods=["POST"]),
]
