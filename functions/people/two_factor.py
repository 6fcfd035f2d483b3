"""The second factor: a time-based code (TOTP) from an authenticator app, with single-use recovery codes.

Reading other people's answers, and managing a council's members, needs a session whose second
factor was verified. The TOTP secret is never stored: it is derived from the app's secret key and
a random salt kept per person, so a copy of the database alone cannot make codes. Recovery codes
are shown once and kept only as keyed hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import pyotp
import segno
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from functions import audit, guards
from functions.ids import digest, new_token
from functions.people import sessions
from functions.people.store import Person
from functions.store import Tx
from functions.web import blocking, form, render
from functions.web.local_paths import local_path
from functions.web.ratelimit import Limit, RateLimited, hit

ISSUER = "Exchange"
STEP = 30  # seconds per code, as authenticator apps expect
DRIFT = 1  # codes one step either side are accepted: phones' clocks drift and people type slowly
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
# A 6-digit code has a million values: five tries per quarter hour makes guessing one hopeless.
ATTEMPTS = Limit("two-factor", 5, 900)
# What a code from an authenticator app is: six of the digits 0 to 9 (spaces between them are dropped).
# Only these: `str.isdigit` also takes other scripts' digits (Arabic-Indic ٠١٢...), which no app shows.
CODE = re.compile(r"[0-9]{6}")
CODE_EXPECTED = "the 6 digits (0 to 9) your authenticator app shows now"


def secret(secret_key: str, salt: str) -> str:
    """The person's TOTP secret (base32, 160 bits), derived rather than stored."""
    raw = hmac.new(secret_key.encode(), f"totp:{salt}".encode(), hashlib.sha256).digest()[:20]
    return base64.b32encode(raw).decode()


def status(tx: Tx, person_id: str) -> str:
    """'none', 'pending' (set up begun, not confirmed) or 'on'."""
    row = tx.one("SELECT confirmed_at FROM two_factor WHERE person_id = ?", (person_id,))
    if row is None:
        return "none"
    return "on" if row["confirmed_at"] is not None else "pending"


def begin(tx: Tx, person_id: str, now: int) -> str:
    """Start (or continue) setting up; returns the salt. Refuses to replace a confirmed second factor."""
    row = tx.one("SELECT salt, confirmed_at FROM two_factor WHERE person_id = ?", (person_id,))
    if row is not None:
        if row["confirmed_at"] is not None:
            raise HTTPException(409, "Your second factor is already set up.")
        return row["salt"]
    salt = new_token()
    tx.insert("two_factor", {"person_id": person_id, "salt": salt, "created_at": now, "confirmed_at": None, "last_step": 0})
    return salt


def uri(secret_key: str, salt: str, person: Person) -> str:
    return pyotp.TOTP(secret(secret_key, salt), interval=STEP).provisioning_uri(name=person.email, issuer_name=ISSUER)


def qr_svg(text: str) -> str:
    return segno.make(text, error="m").svg_inline(scale=5, border=4, dark="#000000", light="#ffffff", omitsize=False)


def check_code(tx: Tx, secret_key: str, person_id: str, code: str, now: int) -> bool:
    """Whether `code` is the person's current TOTP code. A code, once accepted, is never accepted again."""
    code = "".join(code.split())
    if not CODE.fullmatch(code):
        return False
    row = tx.one("SELECT salt, last_step FROM two_factor WHERE person_id = ?", (person_id,))
    if row is None:
        return False
    totp = pyotp.TOTP(secret(secret_key, row["salt"]), interval=STEP)
    current = now // STEP
    for offset in range(-DRIFT, DRIFT + 1):
        step = current + offset
        if step > row["last_step"] and hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            tx.execute("UPDATE two_factor SET last_step = ? WHERE person_id = ?", (step, person_id))
            return True
    return False


def _recovery_hash(secret_key: str, person_id: str, code: str) -> str:
    normal = "".join(c for c in code.upper() if c.isascii() and c.isalnum())  # as printed: ASCII letters and digits
    return digest(secret_key, normal, f"recovery:{person_id}")


def new_recovery_codes(tx: Tx, secret_key: str, person_id: str) -> list[str]:
    """Replace the person's recovery codes with new ones; returns them (the only time they are seen)."""
    codes = [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2)) for _ in range(RECOVERY_CODES)
    ]
    tx.execute("DELETE FROM recovery_codes WHERE person_id = ?", (person_id,))
    for code in codes:
        tx.insert(
            "recovery_codes", {"person_id": person_id, "code_hash": _recovery_hash(secret_key, person_id, code), "used_at": None}
        )
    return codes


def use_recovery_code(tx: Tx, secret_key: str, person_id: str, code: str, now: int) -> bool:
    """Use up one recovery code; False if it is not one of the person's unused codes."""
    return (
        tx.execute(
            "UPDATE recovery_codes SET used_at = ? WHERE person_id = ? AND code_hash = ? AND used_at IS NULL",
            (now, person_id, _recovery_hash(secret_key, person_id, code)),
        )
        == 1
    )


def recovery_codes_left(tx: Tx, person_id: str) -> int:
    return int(tx.value("SELECT COUNT(*) FROM recovery_codes WHERE person_id = ? AND used_at IS NULL", (person_id,)) or 0)


def confirm(tx: Tx, secret_key: str, person_id: str, code: str, now: int) -> list[str] | None:
    """Finish setting up with a first code from the app; returns the recovery codes, or None if the code is wrong."""
    if status(tx, person_id) != "pending" or not check_code(tx, secret_key, person_id, code, now):
        return None
    tx.execute("UPDATE two_factor SET confirmed_at = ? WHERE person_id = ?", (now, person_id))
    return new_recovery_codes(tx, secret_key, person_id)


def reset(tx: Tx, person_id: str) -> bool:
    """Remove the person's second factor (an operator does this when both phone and codes are lost)."""
    tx.execute("DELETE FROM recovery_codes WHERE person_id = ?", (person_id,))
    return tx.execute("DELETE FROM two_factor WHERE person_id = ?", (person_id,)) == 1


# -- pages -------------------------------------------------------------------------------------


def _page_state(app, person: Person) -> dict:
    now = app.state.clock.now()
    with app.state.store.transaction() as tx:
        state = status(tx, person.id)
        if state == "on":
            return {"state": state, "left": recovery_codes_left(tx, person.id)}
        salt = begin(tx, person.id, now)
    key = app.state.settings.secret_key
    link = uri(key, salt, person)
    text = secret(key, salt)
    return {"state": "pending", "secret": " ".join(text[i : i + 4] for i in range(0, len(text), 4)), "qr": qr_svg(link)}


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
        wait = hit(tx, key, ATTEMPTS, person.id, now)
        if wait:
            return "wait", wait
        if setting_up:
            codes = confirm(tx, key, person.id, code, now)
            ok, how = codes is not None, "set-up"
        else:
            codes = None
            ok, how = check_code(tx, key, person.id, code, now), "code"
            if not ok and status(tx, person.id) == "on" and use_recovery_code(tx, key, person.id, code, now):
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
        problem = f"code: expected {CODE_EXPECTED}" + ("" if setting_up else ", or one of your recovery codes (like ABCDE-FGHJK)")
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
        codes = new_recovery_codes(tx, app.state.settings.secret_key, person.id)
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
