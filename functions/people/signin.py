"""Passwordless sign-in by emailed link: the links, their limits, and signing an address in (pages: signin_pages.py).

A link works once, for 15 minutes, and is kept only as a keyed hash. Opening it shows a
"Sign in" button and only the POST signs in, because council mail scanners open links before
people do. Asking for a link gives the same page and status whether or not the address is known,
and whatever the address's limit did.

Nobody can lock someone else out by asking for their address again and again: at most
ADDRESS_MAILS.hits emails an hour go to one address, and once they have gone a further request
sends nothing but keeps the newest of them working for another LINK_VALID seconds (never an older
one, nor one already used or expired). The person always has a working link in their inbox, and a
stranger has only filled it with a few emails.

Nor can anyone flood an inbox or a council's mail by making up addresses. An address nobody has
signed in with yet counts as well against its inbox when it carries a `+tag` (TAGGED_MAILS, keyed
by `addresses.mailbox`: name+1@, name+2@... all reach name@) and against its domain (DOMAIN_MAILS).
Addresses someone has signed in with are counted only on their own, so made-up ones can never hold
up their owners. Each client is limited as well (CLIENT_LIMIT, an IPv6 client by its /64), and that
limit tells the client only about itself.
"""

from __future__ import annotations

from functions import audit
from functions.councils import domains
from functions.ids import digest, new_token
from functions.mail import Message
from functions.people import addresses, sessions
from functions.people import store as people
from functions.store import Tx
from functions.web.local_paths import local_path
from functions.web.ratelimit import Limit, hit

LINK_VALID = 15 * 60  # seconds; the privacy notice states the same
PURPOSE = "sign-in-link"
# Emails to one address: enough for a person who mistypes or loses a message, too few to flood an
# inbox. Past it, requests send nothing and keep the newest link working (see the module's docstring).
ADDRESS_MAILS = Limit("sign-in-address", 3, 3600)
# The longest a link can be kept working: the newest of an hour's emails, kept for a link's life
# after the last request of that hour.
LINK_LONGEST = ADDRESS_MAILS.window + LINK_VALID
# Tagged addresses nobody has signed in with, per inbox (the address without its +tag): as many as
# one address gets, so that making up tags adds no more than that to an inbox's emails.
TAGGED_MAILS = Limit("sign-in-tagged", ADDRESS_MAILS.hits, ADDRESS_MAILS.window)
# New addresses at one domain: the largest councils have a few thousand staff, and even the day a round
# opens a few hundred sign in for the first time in an hour; a stream of made-up addresses stops here,
# so a council's mail server (and our sender's reputation with it) is never flooded.
DOMAIN_MAILS = Limit("sign-in-domain", 300, 3600)
# Per client: a council office behind one address may have many people signing in at once.
CLIENT_LIMIT = Limit("sign-in-client", 30, 600)


def request_link(tx: Tx, secret_key: str, email: str, next_path: str, now: int) -> str:
    """Make a sign-in link for the address; returns its token (the store keeps only a hash)."""
    token = new_token()
    tx.insert(
        "sign_in_links",
        {
            "token_hash": digest(secret_key, token, PURPOSE),
            "email": email,
            "next_path": local_path(next_path),
            "created_at": now,
            "expires_at": now + LINK_VALID,
            "used_at": None,
        },
    )
    return token


def keep_newest_link(tx: Tx, email: str, now: int) -> bool:
    """Keep the newest link sent to the address working for another LINK_VALID seconds (at most
    LINK_LONGEST after it was made). Only the newest, used or not: when it has been used or has
    expired nothing is kept, and an older link is never brought back. False when nothing was kept."""
    row = tx.one(
        "SELECT token_hash, created_at, expires_at, used_at FROM sign_in_links WHERE email = ? ORDER BY created_at DESC LIMIT 1",
        (email,),
    )
    if row is None or row["used_at"] is not None or row["expires_at"] <= now:
        return False
    until = min(now + LINK_VALID, row["created_at"] + LINK_LONGEST)
    tx.execute(
        "UPDATE sign_in_links SET expires_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? AND expires_at < ?",
        (until, row["token_hash"], now, until),
    )
    return True


def link_usable(tx: Tx, secret_key: str, token: str, now: int) -> bool:
    """Whether the link would still sign someone in (reading only: opening a link uses nothing up)."""
    row = tx.one("SELECT expires_at, used_at FROM sign_in_links WHERE token_hash = ?", (digest(secret_key, token, PURPOSE),))
    return row is not None and row["used_at"] is None and row["expires_at"] > now


def use_link(tx: Tx, secret_key: str, token: str, now: int) -> tuple[str, str] | None:
    """Use the link up; returns (email, next path), or None if it is unknown, used or expired.

    The update is the check, so two presses of the button at once cannot both sign in.
    """
    token_hash = digest(secret_key, token, PURPOSE)
    if (
        tx.execute(
            "UPDATE sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
            (now, token_hash, now),
        )
        != 1
    ):
        return None
    row = tx.one("SELECT email, next_path FROM sign_in_links WHERE token_hash = ?", (token_hash,))
    return row["email"], row["next_path"]


def sign_in(
    tx: Tx, secret_key: str, email: str, now: int, old_session_id: str | None = None
) -> tuple[str, people.Person, list[str]]:
    """Sign the address in: find or make the person, join councils that registered their email domain,
    end the browser's previous session and start a new one (a new id at every sign-in).
    Returns (the session cookie's value, the person, codes of councils joined now)."""
    person, _ = people.find_or_create(tx, email, now)
    people.seen(tx, person.id, now)
    joined = domains.join_by_domain(tx, person, now)
    if old_session_id:
        sessions.revoke(tx, old_session_id, now)
    token, _session = sessions.create(tx, secret_key, person.id, now)
    audit.record(tx, now, "signed-in", actor=person.pseudonym)
    return token, person, joined


def mails_limited(tx: Tx, key: str, email: str, now: int) -> bool:
    """Whether the address has had its emails (see the module's docstring), counting this request.
    Narrowest first, so that a wider count only counts requests the narrower ones let through."""
    if hit(tx, key, ADDRESS_MAILS, email, now):
        return True
    if people.by_email(tx, email) is not None:  # someone has it (signed in with it, or was named by it): on its own only
        return False
    if addresses.mailbox(email) != email and hit(tx, key, TAGGED_MAILS, addresses.mailbox(email), now):
        return True
    return bool(hit(tx, key, DOMAIN_MAILS, addresses.domain_of(email), now))


def link_message(settings, email: str, token: str) -> Message:
    link = f"{settings.site_url}/app/sign-in/link?token={token}"
    return Message(
        to=email,
        subject="Your link to sign in to the Exchange",
        text=(
            "Open this link to sign in to the Transformation and Innovation Exchange. "
            f"It works once, within {LINK_VALID // 60} minutes:\n\n{link}\n\n"
            "If you did not ask to sign in, you can ignore this email: nobody can sign in without the link.\n"
        ),
    )
