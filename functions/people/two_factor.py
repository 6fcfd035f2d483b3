"""The second factor: a time-based code (TOTP) from an authenticator app, with single-use recovery codes (pages: two_factor_pages.py).

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

from functions.ids import digest, new_token
from functions.people.store import Person
from functions.store import Tx
from functions.web.ratelimit import Limit

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
