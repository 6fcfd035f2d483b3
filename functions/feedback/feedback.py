"""Feedback from anyone: "was this useful?" and suggestions on every page, "this question is unclear"
on each statement, "this helped / didn't help" on each next step. Anonymous, small and spam-resistant.

Every endpoint takes a plain form POST and answers with a page that links back, so it works without
JavaScript; with `Accept: application/json` (assets/feedback.js) it answers JSON instead. The static
site's pages cannot carry a per-visitor form token, so a POST without one is accepted only when the
browser proves it is same-origin (docs/decisions/0005-feedback.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from functions import ids, web
from functions.people import addresses
from functions.store import Tx
from functions.web import ratelimit
from functions.web.local_paths import local_path
from functions.web.security import CSRF_FIELD, DIGITS, csrf_ok

RETENTION = 365 * 24 * 3600  # seconds: feedback is read within weeks; a year covers a review cycle, then it goes
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


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback, as stored."""

    kind: str
    page: str = ""
    statement: str = ""
    edition: str = ""
    verdict: str = ""
    message: str = ""
    reply_to: str = ""


def record(tx: Tx, item: Feedback, now: int) -> str:
    """Store one piece of feedback; returns its id."""
    row_id = ids.new_id()
    tx.insert(
        "feedback",
        {
            "id": row_id,
            "at": now,
            "kind": item.kind,
            "page": item.page,
            "statement": item.statement,
            "edition": item.edition,
            "verdict": item.verdict,
            "message": item.message,
            "reply_to": item.reply_to,
        },
    )
    return row_id


def purge(tx: Tx, now: int) -> int:
    """Remove feedback older than the retention period; returns how many rows went."""
    return tx.execute("DELETE FROM feedback WHERE at < ?", (now - RETENTION,))


# -- reading a submission ---------------------------------------------------------------------


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


async def _read(request: Request, limit: ratelimit.Limit | None = None) -> dict:
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

    wait = await web.blocking(_in_transaction, app.state.store, count)
    if wait:
        raise ratelimit.RateLimited(wait)
    if form.get(HONEYPOT, "").strip():
        raise web.BadRequest([_problem(HONEYPOT, "nothing (this field is there to catch automated spam; leave it empty)", "some text")])
    return web.storable(form)


def _too_large() -> web.BadRequest:
    return web.BadRequest([_problem("body", f"at most {MAX_BODY // 1024} KB", "more")], 413)


def _in_transaction(store, fn):
    with store.transaction() as tx:
        return fn(tx)


def _page(request: Request, value: str | None, where: str = "page") -> str:
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


def _message(form: dict, required: bool) -> str:
    text = form.get("message", "").strip().replace("\r\n", "\n")
    if len(text) > MAX_MESSAGE:
        raise web.BadRequest([_problem("message", f"at most {MAX_MESSAGE} characters", str(len(text)))], 413)
    if required and not text:
        raise web.BadRequest([_problem("message", "your suggestion", "nothing")])
    return text


def _email(form: dict) -> str:
    """The reply-to address, canonical (it is looked up by address for a person's export and erasure), or ""."""
    email = addresses.canonical(form.get("email", ""))
    if len(email) > MAX_EMAIL:
        raise web.BadRequest([_problem("email", f"at most {MAX_EMAIL} characters", str(len(email)))], 413)
    if email and not addresses.is_address(email):
        raise web.BadRequest([_problem("email", "one plain email address like name@example.gov.uk, or nothing", repr(email[:60]))])
    return email


def _verdict(form: dict, kind: str, field: str) -> str:
    value = form.get(field, "")
    if value not in VERDICTS[kind]:
        raise web.BadRequest([_problem(field, "one of " + ", ".join(VERDICTS[kind]), repr(value[:30]))])
    return value


def _statement(request: Request, statement_id: str | None):
    """(edition id, statement) for a statement id in the newest edition that has it."""
    for edition_id in sorted(request.app.state.editions, reverse=True):
        found = request.app.state.editions[edition_id].statement(statement_id or "")
        if found:
            return edition_id, found
    raise web.BadRequest([_problem("statement", "a statement id of the self-assessment, like FIN-03", repr((statement_id or "")[:30]))])


async def _save(request: Request, item: Feedback) -> None:
    app = request.app
    await web.blocking(_in_transaction, app.state.store, lambda tx: record(tx, item, app.state.clock.now()))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _thanks(request: Request, message: str, back: str, back_label: str, **context) -> Response:
    if _wants_json(request):
        return JSONResponse({"message": message})
    return web.render(request, "feedback/thanks.html", page_title="Thank you", message=message, back=back, back_label=back_label, **context)


# -- the endpoints ----------------------------------------------------------------------------


async def useful(request: Request) -> Response:
    """POST /app/feedback/useful: page, useful (yes or no)."""
    form = await _read(request, VOTES)
    page = _page(request, form.get("page"))
    verdict = _verdict(form, "useful", "useful")
    await _save(request, Feedback("useful", page=page, verdict=verdict))
    if verdict == "no":
        return _thanks(request, "Thank you for telling us. What would have made this page more useful?", page, "Back to the page", suggest_page=page)
    return _thanks(request, "Thank you: we are glad it helped.", page, "Back to the page")


async def suggestion_form(request: Request) -> Response:
    """GET /app/feedback/suggestion?page=…: the suggestion form on a page of its own."""
    page = _page(request, request.query_params.get("page"))
    return web.render(request, "feedback/suggest.html", page_title="Suggest an improvement", page=page)


async def suggestion(request: Request) -> Response:
    """POST /app/feedback/suggestion: page, message, email (optional, for a reply)."""
    form = await _read(request, TEXTS)
    page = _page(request, form.get("page"))
    message = _message(form, required=True)
    email = _email(form)
    await _save(request, Feedback("suggestion", page=page, message=message, reply_to=email))
    reply = " We will reply to the address you gave." if email else ""
    return _thanks(request, "Thank you: an editor will read your suggestion." + reply, page, "Back to the page")


async def unclear_form(request: Request) -> Response:
    """GET /app/feedback/unclear?statement=…&return=…: say a statement is unclear, and optionally why."""
    edition, statement = _statement(request, request.query_params.get("statement"))
    back = local_path(request.query_params.get("return"), "")
    return web.render(request, "feedback/unclear.html", page_title="This question is unclear", statement=statement, back=back)


async def unclear(request: Request) -> Response:
    """POST /app/feedback/unclear: statement, message (optional), return."""
    form = await _read(request)
    edition, statement = _statement(request, form.get("statement"))
    message = _message(form, required=False)
    back = local_path(form.get("return"), "")
    await _save(request, Feedback("unclear", statement=statement.id, edition=edition, message=message))
    said = f"Thank you: we will look again at how statement {statement.id} is worded."
    if not back:  # opened in a new tab from the answers form, which is still open in the first one
        return _thanks(request, said + " You can close this tab to go back to your answers.", "/self-assessment/", "Back to the self-assessment")
    return _thanks(request, said, back, "Back to where you were")


async def step(request: Request) -> Response:
    """POST /app/feedback/step: page (the recommended resource), verdict (helped or not-helped), statement, return."""
    form = await _read(request, VOTES)
    page = _page(request, form.get("page"))
    verdict = _verdict(form, "step", "verdict")
    statement_id = edition = ""
    if form.get("statement"):
        edition, found = _statement(request, form.get("statement"))
        statement_id = found.id
    back = local_path(form.get("return"), page)
    await _save(request, Feedback("step", page=page, statement=statement_id, edition=edition, verdict=verdict))
    said = "helped" if verdict == "helped" else "did not help"
    return _thanks(request, f"Thank you: we have noted that this next step {said}.", back, "Back to your results")


page_routes = [
    Route("/feedback/useful", useful, methods=["POST"]),
    Route("/feedback/suggestion", suggestion_form, methods=["GET"]),
    Route("/feedback/suggestion", suggestion, methods=["POST"]),
    Route("/feedback/unclear", unclear_form, methods=["GET"]),
    Route("/feedback/unclear", unclear, methods=["POST"]),
    Route("/feedback/step", step, methods=["POST"]),
]
