"""Turning exceptions into responses, in one place: JSON under /api, a page elsewhere; never a traceback."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from functions.store import Conflict, StoreError
from functions.web.ratelimit import RateLimited
from functions.web.security import MAX_BODY, BodyTooLarge

log = logging.getLogger("exchange")

TITLES = {
    400: "Something in the request is wrong",
    401: "Sign in to continue",
    403: "You cannot do that",
    404: "Page not found",
    405: "That is not allowed here",
    409: "Someone else changed this first",
    413: "That is too large",
    415: "That is not in a form we accept",
    422: "There is a problem with what was sent",
    429: "Too many requests",
    500: "Something went wrong",
    503: "The Exchange is not available",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def respond(request: Request, status: int, message: str, problems: list | None = None, headers: dict | None = None) -> Response:
    """The error response for `status`: JSON for the API, an accessible page for people."""
    if _is_api(request):
        body: dict = {"error": {"status": status, "message": message}}
        if problems:
            body["error"]["problems"] = problems
        return JSONResponse(body, status_code=status, headers=headers)
    try:
        from functions.web import render

        response = render(request, "error.html", status=status, page_title=TITLES.get(status, "Error"), message=message, problems=problems or [])
        response.headers.update(headers or {})  # Retry-After on 429, Location on redirects
        return response
    except Exception:  # the error page itself failed: fall back to plain text rather than a traceback
        log.exception("error page failed")
        return HTMLResponse(f"<!doctype html><title>Error</title><p>{TITLES.get(status, 'Error')}</p>", status_code=status, headers=headers)


async def http_error(request: Request, exc: HTTPException) -> Response:
    if 300 <= exc.status_code < 400 and exc.headers and "Location" in exc.headers:  # a check sending the browser elsewhere
        return RedirectResponse(exc.headers["Location"], status_code=exc.status_code)
    problems = getattr(exc, "problems", None)
    return respond(request, exc.status_code, exc.detail or TITLES.get(exc.status_code, "Error"), problems, exc.headers)


async def rate_limited(request: Request, exc: RateLimited) -> Response:
    return respond(request, 429, f"Too many requests. Try again in {exc.retry_after} seconds.", headers={"Retry-After": str(exc.retry_after)})


async def too_large(request: Request, exc: BodyTooLarge) -> Response:
    return respond(request, 413, f"Too large: requests may carry at most {MAX_BODY // 1024} KB.")


async def conflict(request: Request, exc: Conflict) -> Response:
    return respond(request, 409, "Someone else changed this at the same time. Reload and try again.")


async def round_closed(request: Request, exc: Exception) -> Response:
    from functions.assessment.responses import RoundClosed

    return respond(request, 409, RoundClosed.message)


async def last_super_user(request: Request, exc: Exception) -> Response:
    """The change would leave a council without a super-user: a page saying so, or the API's 409."""
    if _is_api(request):
        return respond(request, 409, str(exc))
    from functions.web import render

    return render(
        request,
        "council/last_super_user.html",
        status=409,
        page_title="A council keeps a super-user",
        message=str(exc),
        code=exc.council,
    )


async def unavailable(request: Request, exc: StoreError) -> Response:
    log.error("store unavailable: %s", exc)
    return respond(request, 503, "The Exchange cannot reach its database just now. Nothing was saved; please try again shortly.")


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return respond(request, 500, "Something went wrong on our side. Nothing you sent was lost if you saw it saved; please try again.")


def handlers() -> dict:
    """Every exception an endpoint lets through, and the response it becomes: the one map."""
    from functions.assessment.responses import RoundClosed
    from functions.councils.memberships import LastSuperUser

    return {
        HTTPException: http_error,
        RoundClosed: round_closed,
        LastSuperUser: last_super_user,
        RateLimited: rate_limited,
        BodyTooLarge: too_large,
        Conflict: conflict,
        StoreError: unavailable,
        500: server_error,
        Exception: server_error,
    }
