"""Who may do what: the checks every endpoint makes before it reads or changes anything.

The rule across councils: anything of a council a person does not belong to answers 404, as if
it did not exist. A member who lacks the role gets 403. Pages send people who are not signed in
to the sign-in page (and back afterwards); the API answers 401.

The `check_*` functions run inside store work (`with store.transaction() as tx:`); the async
`require_*` functions wrap them for endpoints.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request

from functions.councils import memberships
from functions.councils.memberships import Membership
from functions.people.store import Person
from functions.store import Tx
from functions.web import blocking
from functions.web.security import NOT_FOUND


class Redirect(HTTPException):
    """Send a browser elsewhere (303 See Other), raised from deep inside a check."""

    def __init__(self, location: str):
        super().__init__(303, "See other", headers={"Location": location})


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def here(request: Request) -> str:
    """The path and query of this request, for coming back after signing in."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def check_member(tx: Tx, person: Person, council_code: str) -> Membership:
    """The person's membership of the council; 404 if they do not belong to it (or it does not exist)."""
    found = memberships.membership(tx, person.id, council_code)
    if found is None:
        raise HTTPException(404, NOT_FOUND)
    return found


def check_super_user(tx: Tx, person: Person, council_code: str) -> Membership:
    """The person's membership if they are the council's super-user: 404 if not a member, 403 if a member only."""
    found = check_member(tx, person, council_code)
    if not found.is_super_user:
        raise HTTPException(403, "Only your council's super-user can do this.")
    return found


async def require_person(request: Request) -> Person:
    """The signed-in person. Pages redirect to sign-in (coming back here afterwards); the API answers 401."""
    person = getattr(request.state, "person", None)
    if person is not None:
        return person
    if _is_api(request):
        raise HTTPException(401, "Sign in to continue.")
    raise Redirect("/app/sign-in?next=" + quote(here(request), safe=""))


async def require_member(request: Request, council_code: str) -> Membership:
    person = await require_person(request)
    return await blocking(_in_tx, request, check_member, person, council_code)


async def require_super_user(request: Request, council_code: str, second_factor: bool = True) -> Membership:
    """The council's super-user, with a verified second factor (require_second_factor) unless `second_factor` is False."""
    person = await require_person(request)
    found = await blocking(_in_tx, request, check_super_user, person, council_code)
    if second_factor:
        require_second_factor(request)
    return found


async def require_operator(request: Request) -> Person:
    """The signed-in person if they run the Exchange (made with `tie admin operator add`), with a verified
    second factor as a super-user needs (operators read people's reply-to addresses); 403 otherwise."""
    person = await require_person(request)
    if not person.operator:
        raise HTTPException(403, "Only the people who run the Exchange can do this.")
    require_second_factor(request)
    return person


def require_second_factor(request: Request) -> None:
    """Pass only a session whose second factor was verified: pages go to the second-factor page (set-up or
    verification) and come back; the API answers 403 saying what to do."""
    if request.state.session.mfa_verified:
        return
    if _is_api(request):
        raise HTTPException(403, "Verify your second factor first: go to /app/security/two-factor, then try again.")
    raise Redirect("/app/security/two-factor?next=" + quote(here(request), safe=""))


def _in_tx(request: Request, check, *args):
    with request.app.state.store.transaction(write=False) as tx:
        return check(tx, *args)
