"""Sessions held by the server: made at sign-in, found from the cookie on every app request, timed out and revoked."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request

from functions import errors
from functions.ids import digest, new_id, new_token
from functions.people.store import Person
from functions.store import StoreError, Tx
from functions.web.security import SESSION_COOKIE, cookie_value, set_cookie_header

IDLE_TIMEOUT = 2 * 3600  # seconds without use; the privacy notice states the same
ABSOLUTE_TIMEOUT = 12 * 3600  # seconds from sign-in, however busy; the privacy notice states the same
TOUCH_EVERY = 60  # seconds: last-seen times are written at most this often, sparing the database a write per request
PURPOSE = "session"


@dataclass(frozen=True)
class Session:
    """A signed-in browser. `id` names it (it grants nothing); the cookie holds a separate secret."""

    id: str
    person_id: str
    created_at: int
    last_seen_at: int
    mfa_verified: bool


def _session(row: dict) -> Session:
    return Session(
        id=row["id"],
        person_id=row["person_id"],
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        mfa_verified=row["mfa_verified_at"] is not None,
    )


def create(tx: Tx, secret_key: str, person_id: str, now: int) -> tuple[str, Session]:
    """A new session for the person; returns (the cookie's secret value, the session)."""
    token = new_token()
    row = {
        "id": new_id(),
        "token_hash": digest(secret_key, token, PURPOSE),
        "person_id": person_id,
        "created_at": now,
        "last_seen_at": now,
        "mfa_verified_at": None,
        "revoked_at": None,
    }
    tx.insert("sessions", row)
    return token, _session(row)


def live(row: dict, now: int) -> bool:
    """Whether a session row may still be used at `now`."""
    return row["revoked_at"] is None and now - row["last_seen_at"] < IDLE_TIMEOUT and now - row["created_at"] < ABSOLUTE_TIMEOUT


FIND = (
    "SELECT s.*, p.pseudonym, p.email, p.name, p.operator FROM sessions s JOIN people p ON p.id = s.person_id "
    "WHERE s.token_hash = ?"
)


def find(tx: Tx, secret_key: str, token: str, now: int) -> tuple[Session, Person] | None:
    """The live session whose cookie value is `token`, and its person; None if unknown, revoked or timed out."""
    return _found(tx.one(FIND, (digest(secret_key, token, PURPOSE),)), now)


def _found(row: dict | None, now: int) -> tuple[Session, Person] | None:
    if row is None or not live(row, now):
        return None
    person = Person(
        id=row["person_id"], pseudonym=row["pseudonym"], email=row["email"], name=row["name"], operator=bool(row["operator"])
    )
    return _session(row), person


def touch(tx: Tx, session: Session, now: int) -> None:
    """Record use, so the idle time-out counts from now."""
    tx.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND revoked_at IS NULL", (now, session.id))
    tx.execute("UPDATE people SET last_seen_at = ? WHERE id = ?", (now, session.person_id))


def revoke(tx: Tx, session_id: str, now: int) -> None:
    tx.execute("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now, session_id))


def revoke_all(tx: Tx, person_id: str, now: int) -> int:
    """End every session of the person (sign out everywhere); returns how many were live."""
    return tx.execute("UPDATE sessions SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL", (now, person_id))


def mark_second_factor(tx: Tx, session_id: str, now: int) -> None:
    tx.execute("UPDATE sessions SET mfa_verified_at = ? WHERE id = ?", (now, session_id))


def of_person(tx: Tx, person_id: str, now: int) -> list[Session]:
    """The person's sessions still in use, newest first."""
    rows = tx.all("SELECT * FROM sessions WHERE person_id = ? AND revoked_at IS NULL ORDER BY created_at DESC", (person_id,))
    return [_session(r) for r in rows if live(r, now)]


def cookie(token: str) -> str:
    """The Set-Cookie value for a new session: __Host- prefixed, Secure, HttpOnly, SameSite=Lax, for at most the absolute time-out."""
    return set_cookie_header(SESSION_COOKIE, token, max_age=ABSOLUTE_TIMEOUT, same_site="Lax")


def clear_cookie() -> str:
    return set_cookie_header(SESSION_COOKIE, "", max_age=0, same_site="Lax")


def _lookup(store, secret_key: str, token: str, now: int) -> tuple[Session, Person] | None:
    """The session behind the cookie, read afresh on every request (a revoked session ends at once):
    one statement on its own, so on PostgreSQL one round trip."""
    rows = store.read(FIND, (digest(secret_key, token, PURPOSE),))
    return _found(rows[0] if rows else None, now)


def _touch(store, session: Session, now: int) -> None:
    with store.transaction() as tx:
        touch(tx, session, now)


class SessionMiddleware:
    """Sets `request.state.person` (a Person or None) and `request.state.session` (a Session or None).

    Only /app and /api requests look the session up; a cookie naming no live session is cleared.
    The database being out of reach is the same 503 the app's error handlers give: this runs
    outside them, where an exception would otherwise be a 500.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        state = scope.setdefault("state", {})
        state["person"] = None
        state["session"] = None
        token = cookie_value(scope, SESSION_COOKIE) if scope["path"].startswith(("/app", "/api")) else None
        if not token:
            return await self.app(scope, receive, send)
        app = scope["app"]
        store, now = app.state.store, app.state.clock.now()
        try:
            found = await store.read_soon(_lookup, store, app.state.settings.secret_key, token, now)
            if found and now - found[0].last_seen_at >= TOUCH_EVERY:
                await run_in_threadpool(_touch, store, found[0], now)
        except StoreError as err:
            response = await errors.unavailable(Request(scope, receive), err)
            return await response(scope, receive, send)
        if found:
            state["session"], state["person"] = found
            return await self.app(scope, receive, send)

        async def send_clearing(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if not any(v.startswith(SESSION_COOKIE + "=") for v in headers.getlist("set-cookie")):
                    headers.append("Set-Cookie", clear_cookie())
            await send(message)

        await self.app(scope, receive, send_clearing)


middleware = [Middleware(SessionMiddleware)]
