"""A feedback submission read and checked, cheapest check first: its size, where it came from, the
client's limit, the honeypot; then each field (a page of this site, a message, an address, a verdict,
a statement of the self-assessment), each refusal a problem naming the field."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request

from functions import web
from functions.people import addresses
from functions.web import ratelimit
from functions.web.security import CSRF_FIELD, DIGITS, csrf_ok

MAX_BODY = 16 * 1024  # bytes: a full suggestion with an email address fits in a quarter of this
MAX_MESSAGE = 2000  # characters: room for a paragraph or two; longer belongs in a pull request or an email
MAX_EMAIL = addresses.MAX_LENGTH
MAX_ADDRESS = 300  # characters of a page address or a return path
HONEYPOT = "website"  # a field people never see; software that fills every field fills it
# Per client, per hour. Clicks are cheap and people click a few on a visit; text costs an editor's time.
VOTES = ratelimit.Limit("feedback-vote", 60, 3600)
TEXTS = ratelimit.Limit("feedback-text", 10, 3600)

ADDRESS = re.compile(r"^/(?:[A-Za-z0-9._~%-]+/)*$")
VERDICTS = {"useful": ("yes", "no"), "step": ("helped", "not-helped")}


def _problem(where: str, expected: str, got: str) -> dict:
    return {"where": where, "message": f"{where}: expected {expected}, got {got}"}


def _same_origin(request: Request, form: dict) -> bool:
    """A form token, or the browser's word that the page that sent this is ours."""
    if csrf_ok(request.scope, form.get(CSRF_FIELD)):
        return True
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return origin is not None and origin == request.app.state.settings.origin


async def read(request: Request, limit: ratelimit.Limit | None = None) -> dict:
    """The submitted fields, after the checks every feedback POST passes, cheapest first.

    With no `limit`, one is chosen from the form: TEXTS when it carries a message, else VOTES."""
    length = request.headers.get("content-length")
    if length is not None and DIGITS.fullmatch(length) and int(length) > MAX_BODY:
        raise _too_large()
    body = await request.body()
    if len(body) > MAX_BODY:
        raise _too_large()
    data = await request.form()
    form = {k: v for k, v in data.items() if isinstance(v, str)}
    if not _same_origin(request, form):
        raise HTTPException(403, "Refused: feedback can only be sent from the Exchange's own pages.")
    app = request.app
    client = ratelimit.client_key(request)

    limit = limit or (TEXTS if form.get("message", "").strip() else VOTES)

    def count(tx):
        # the client's address is only ever a key of a keyed hash (ratelimit.hit): it is never stored
        return ratelimit.hit(tx, app.state.settings.secret_key, limit, client, app.state.clock.now())

    wait = await web.blocking(in_transaction, app.state.store, count)
    if wait:
        raise ratelimit.RateLimited(wait)
    if form.get(HONEYPOT, "").strip():
        raise web.BadRequest([_problem(HONEYPOT, "nothing (this field is there to catch automated spam; leave it empty)", "some text")])
    return web.storable(form)


def _too_large() -> web.BadRequest:
    return web.BadRequest([_problem("body", f"at most {MAX_BODY // 1024} KB", "more")], 413)


def in_transaction(store, fn):
    with store.transaction() as tx:
        return fn(tx)


def page(request: Request, value: str | None, where: str = "page") -> str:
    """A site address that exists in the built site (when there is one)."""
    value = (value or "").strip()
    if not value or len(value) > MAX_ADDRESS or not ADDRESS.match(value) or "/../" in value or "/./" in value:
        raise web.BadRequest([_problem(where, "a page address of this site, like /guidance/front-door/", repr(value[:60]))])
    site: Path = request.app.state.settings.site_dir
    if site.is_dir() and not _built(site, value):
        raise web.BadRequest([_problem(where, "a page that exists on this site", repr(value[:60]))])
    return value


def _built(site: Path, address: str) -> bool:
    """Whether the built site has a page at `address`. The file system is asked, and its refusals (a
    part of the address longer than a file name may be, say) mean there is no such page."""
    try:
        return (site / address.strip("/") / "index.html").is_file()
    except (OSError, ValueError):
        return False


def message(form: dict, required: bool) -> str:
    text = form.get("message", "").strip().replace("\r\n", "\n")
    if len(text) > MAX_MESSAGE:
        raise web.BadRequest([_problem("message", f"at most {MAX_MESSAGE} characters", str(len(text)))], 413)
    if required and not text:
        raise web.BadRequest([_problem("message", "your suggestion", "nothing")])
    return text


def email(form: dict) -> str:
    """The reply-to address, canonical (it is looked up by address for a person's export and erasure), or ""."""
    email = addresses.canonical(form.get("email", ""))
    if len(email) > MAX_EMAIL:
        raise web.BadRequest([_problem("email", f"at most {MAX_EMAIL} characters", str(len(email)))], 413)
    if email and not addresses.is_address(email):
        raise web.BadRequest([_problem("email", "one plain email address like name@example.gov.uk, or nothing", repr(email[:60]))])
    return email


def verdict(form: dict, kind: str, field: str) -> str:
    value = form.get(field, "")
    if value not in VERDICTS[kind]:
        raise web.BadRequest([_problem(field, "one of " + ", ".join(VERDICTS[kind]), repr(value[:30]))])
    return value


def statement(request: Request, statement_id: str | None):
    """(edition id, statement) for a statement id in the newest edition that has it."""
    for edition_id in sorted(request.app.state.editions, reverse=True):
        found = request.app.state.editions[edition_id].statement(statement_id or "")
        if found:
            return edition_id, found
    raise web.BadRequest([_problem("statement", "a statement id of the self-assessment, like FIN-03", repr((statement_id or "")[:30]))])
