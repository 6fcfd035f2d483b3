"""Invitations: a super-user invites an address to join their council; the link works once, for 14 days.

An invitation is for the address it was sent to: the person accepts it signed in with that
address, which the sign-in link has just proved is theirs. The token is kept only as a keyed hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from functions import audit, guards
from functions.councils import memberships
from functions.councils import schema as councils_schema
from functions.ids import digest, new_id, new_token
from functions.mail import Message, send_later
from functions.people import addresses
from functions.people.store import Person
from functions.store import Tx
from functions.web import BadRequest, api_token_ok, blocking, form, json_body, render
from functions.web.ratelimit import Limit, RateLimited, hit
from model.questionnaire import Edition

INVITATION_VALID = 14 * 86400  # seconds; the privacy notice states the same
PURPOSE = "invitation"
# Invitation emails. Per council: enough to invite a whole team in an hour. Per address and council:
# a few reminders a day, so that no super-user can fill someone's inbox with invitations.
COUNCIL_INVITES = Limit("invitations-council", 100, 3600)
ADDRESS_INVITES = Limit("invitations-address", 3, 86400)


@dataclass(frozen=True)
class Invitation:
    id: str
    council: str
    email: str
    role: str
    expires_at: int


def _invitation(row: dict) -> Invitation:
    return Invitation(id=row["id"], council=row["council"], email=row["email"], role=row["role"], expires_at=row["expires_at"])


def create(tx: Tx, secret_key: str, council: str, email: str, role: str, invited_by: Person | None, now: int) -> str:
    """Record an invitation and return its token (the store keeps only a hash)."""
    token = new_token()
    tx.insert(
        "invitations",
        {
            "id": new_id(),
            "token_hash": digest(secret_key, token, PURPOSE),
            "council": council,
            "email": email,
            "role": role,
            "invited_by": invited_by.id if invited_by else None,
            "created_at": now,
            "expires_at": now + INVITATION_VALID,
            "used_at": None,
        },
    )
    audit.record(tx, now, "invitation.sent", actor=invited_by.pseudonym if invited_by else None, council=council, role=role)
    return token


def find(tx: Tx, secret_key: str, token: str, now: int) -> Invitation | None:
    """The invitation if it can still be accepted."""
    row = tx.one(
        "SELECT * FROM invitations WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        (digest(secret_key, token, PURPOSE), now),
    )
    return _invitation(row) if row else None


class NotYours(Exception):
    """The invitation was sent to another address than the signed-in person's."""


def accept(tx: Tx, secret_key: str, token: str, person: Person, now: int) -> memberships.Membership | None:
    """Join the council the invitation is for; None if it is used, expired or unknown. Raises NotYours."""
    invitation = find(tx, secret_key, token, now)
    if invitation is None:
        return None
    if invitation.email != person.email:
        raise NotYours()
    if tx.execute("UPDATE invitations SET used_at = ? WHERE id = ? AND used_at IS NULL", (now, invitation.id)) != 1:
        return None
    return memberships.join(tx, person, invitation.council, invitation.role, "invitation", now)


def pending(tx: Tx, council: str) -> list[Invitation]:
    rows = tx.all("SELECT * FROM invitations WHERE council = ? AND used_at IS NULL ORDER BY created_at DESC", (council,))
    return [_invitation(r) for r in rows]


def cancel(tx: Tx, council: str, invitation_id: str) -> bool:
    """Withdraw an invitation of this council (another council's invitation is not found)."""
    return tx.execute("DELETE FROM invitations WHERE id = ? AND council = ? AND used_at IS NULL", (invitation_id, council)) == 1


def message(settings, council_name: str, email: str, token: str, inviter: Person) -> Message:
    link = f"{settings.site_url}/app/invitations/{token}"
    return Message(
        to=email,
        subject=f"Join {council_name} on the Exchange",
        text=(
            f"{inviter.display_name} has invited you to join {council_name} on the Transformation and Innovation "
            f"Exchange, where councils assess themselves and learn from each other.\n\n"
            f"Open this link to accept. It works once, within {INVITATION_VALID // 86400} days, "
            f"for this email address:\n\n{link}\n\n"
            "If you were not expecting this, you can ignore this email.\n"
        ),
    )


# -- store work behind the endpoints ---------------------------------------------------------------


def check_invite(data: dict) -> tuple[str, str]:
    """(email, role) from submitted fields, or BadRequest listing every problem."""
    email = addresses.canonical(str(data.get("email") or ""))
    role = str(data.get("role") or "member")
    problems = []
    problem = addresses.problem(email)
    if problem:
        problems.append(problem)
    if role not in memberships.ROLES:
        problems.append({"where": "role", "message": f"role: expected one of {', '.join(memberships.ROLES)}, got {role!r}"})
    if problems:
        raise BadRequest(problems)
    return email, role


def _invite(app, inviter: Person, council: str, email: str, role: str) -> tuple[int, str | None]:
    """(seconds to wait, or 0; the invitation's token). Returns rather than raises past a limit, so the count is kept."""
    key, now = app.state.settings.secret_key, app.state.clock.now()
    with app.state.store.transaction() as tx:
        guards.check_super_user(tx, inviter, council)
        wait = max(hit(tx, key, COUNCIL_INVITES, council, now), hit(tx, key, ADDRESS_INVITES, f"{council} {email}", now))
        if wait:
            return wait, None
        return 0, create(tx, key, council, email, role, inviter, now)


async def invite(request: Request, council_code: str, data: dict) -> Response | None:
    email, role = check_invite(data)
    council = request.app.state.register.get(council_code)
    wait, token = await blocking(_invite, request.app, request.state.person, council_code, email, role)
    if wait:
        raise RateLimited(wait)
    return send_later(
        request.app.state.mailer,
        message(request.app.state.settings, council.name, email, token, request.state.person),
        "an invitation",
    )


async def invite_form(request: Request) -> Response:
    code = request.path_params["code"]
    await guards.require_super_user(request, code)
    data = await form(request)
    mail = await invite(request, code, data)
    response = RedirectResponse(f"/app/councils/{code}/members?done=invited", status_code=303)
    response.background = mail
    return response


async def api_invite(request: Request) -> Response:
    code = request.path_params["code"]
    if request.app.state.register.get(code) is None:  # a code the register does not hold names nothing
        raise HTTPException(404, guards.NOT_FOUND)
    await guards.require_super_user(request, code)
    if not api_token_ok(request):
        raise HTTPException(403, "Send the form token in the X-CSRF-Token header.")
    body = await json_body(request)
    mail = await invite(request, code, body if isinstance(body, dict) else {})
    response = JSONResponse({"council": code, "invited": True}, status_code=201)
    response.background = mail
    return response


def _cancel(app, actor: Person, council: str, invitation_id: str) -> None:
    with app.state.store.transaction() as tx:
        guards.check_super_user(tx, actor, council)
        if not cancel(tx, council, invitation_id):
            raise HTTPException(404, guards.NOT_FOUND)
        audit.record(tx, app.state.clock.now(), "invitation.cancelled", actor=actor.pseudonym, council=council)


async def cancel_form(request: Request) -> Response:
    code = request.path_params["code"]
    await guards.require_super_user(request, code)
    await form(request)
    await blocking(_cancel, request.app, request.state.person, code, request.path_params["invitation_id"])
    return RedirectResponse(f"/app/councils/{code}/members?done=cancelled", status_code=303)


def _find(app, token: str) -> Invitation | None:
    with app.state.store.transaction(write=False) as tx:
        return find(tx, app.state.settings.secret_key, token, app.state.clock.now())


def _gone(request: Request) -> Response:
    return render(
        request,
        "council/invitation_gone.html",
        status=410,
        page_title="This invitation cannot be used",
        days=INVITATION_VALID // 86400,
    )


async def invitation_page(request: Request) -> Response:
    token = request.path_params["token"]
    invitation = await blocking(_find, request.app, token)
    if invitation is None:
        return _gone(request)
    council = request.app.state.register.get(invitation.council)
    person = request.state.person
    mismatch = person is not None and person.email != invitation.email
    return render(
        request,
        "council/invitation.html",
        status=403 if mismatch else 200,
        page_title=f"Join {council.name}",
        council=council,
        invitation=invitation,
        token=token,
        mismatch=mismatch,
        here=quote(f"/app/invitations/{token}", safe="/"),
    )


def _accept(app, token: str, person: Person):
    with app.state.store.transaction() as tx:
        return accept(tx, app.state.settings.secret_key, token, person, app.state.clock.now())


async def accept_form(request: Request) -> Response:
    person = await guards.require_person(request)
    await form(request)
    token = request.path_params["token"]
    try:
        joined = await blocking(_accept, request.app, token, person)
    except NotYours:
        raise HTTPException(
            403, "This invitation was sent to a different email address. Sign in with that address to accept it."
        ) from None
    if joined is None:
        return _gone(request)
    return RedirectResponse(f"/app/councils/{joined.council}?joined=1", status_code=303)


page_routes = [
    Route("/councils/{code}/invitations", invite_form, methods=["POST"]),
    Route("/councils/{code}/invitations/{invitation_id}/cancel", cancel_form, methods=["POST"]),
    Route("/invitations/{token}", invitation_page, methods=["GET"]),
    Route("/invitations/{token}", accept_form, methods=["POST"]),
]
api_routes = [Route("/councils/{code}/invitations", api_invite, methods=["POST"])]


def openapi_paths(edition: Edition) -> dict:
    """This endpoint's part of /api/openapi.json (functions/web/openapi.py gathers every feature's)."""
    return councils_schema.invitation_paths(edition, INVITATION_VALID // 86400)
