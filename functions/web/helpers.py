"""Helpers every endpoint uses: rendering pages, reading forms and JSON safely, running store work off the event loop."""

from __future__ import annotations

import json
import re
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from functions.web import layout, times
from functions.web.security import CSRF_FIELD, CSRF_HEADER, UNSTORABLE, csrf_ok


class FormTokenMissing(HTTPException):
    """A form arrived without the token that proves it came from our own page."""

    def __init__(self):
        super().__init__(403, "This form has expired or did not come from this site. Go back, reload the page and try again.")


class BadRequest(HTTPException):
    """Input that cannot be used; `problems` lists every one, each with where it is and what was expected."""

    def __init__(self, problems: list[dict], status: int = 422):
        super().__init__(status, "The request has problems: " + "; ".join(p["message"] for p in problems))
        self.problems = problems


def templates(site_dir) -> Environment:
    """The Jinja environment: app templates from functions/templates, and the layout from the built site."""
    env = Environment(
        loader=ChoiceLoader([DictLoader({"layout.html": layout.layout(site_dir)}), FileSystemLoader(layout.TEMPLATES)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["uk_time"] = times.uk_time  # every page shows times one way: UK time, zone named
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render an app page inside the layout. Every page gets the form token and the signed-in person."""
    env: Environment = request.app.state.templates
    context.setdefault("page_title", "Exchange")
    context["request"] = request
    context["csrf_field"] = CSRF_FIELD
    context["csrf_token"] = request.scope.get("state", {}).get("csrf", "")
    context["person"] = getattr(request.state, "person", None)
    html = env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status)


async def form(request: Request) -> dict[str, Any]:
    """The submitted form, after checking its token. Repeated fields come back as lists."""
    data = await request.form()
    if not csrf_ok(request.scope, data.get(CSRF_FIELD)):
        raise FormTokenMissing()
    out: dict[str, Any] = {}
    for key in data.keys():
        values = [v for v in data.getlist(key) if isinstance(v, str)]
        out[key] = values if len(values) > 1 else (values[0] if values else "")
    return storable(out)


def storable(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of a form (each text, or a list of texts), once none has a control character in its
    name or text, which no one types and a database may not store; else 422 naming every such field."""
    problems = []
    for key, value in fields.items():
        if UNSTORABLE.search(key) or any(UNSTORABLE.search(v) for v in (value if isinstance(value, list) else [value])):
            shown = UNSTORABLE.sub("?", key[:60])
            problems.append({"where": shown, "message": f"{shown}: expected text without control characters, got a control character"})
    if problems:
        raise BadRequest(problems)
    return fields


async def json_body(request: Request) -> Any:
    """The JSON body of an API request; unsafe API requests must say they are JSON (no cross-site simple requests)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(415, "Send the body as JSON (Content-Type: application/json).")
    raw = await request.body()
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest([{"where": "body", "message": "body: expected JSON, got text that does not parse"}], 400) from None
    except RecursionError:  # the parser recurses once per level: a thousand nested arrays exhaust it
        raise _too_deep() from None
    if _depth(body) > MAX_JSON_DEPTH:
        raise _too_deep()
    return body


# Levels of arrays and objects a body may have. Ours have three (a response's answers, each an
# object); anything far deeper is not one of ours, and code walking it could exhaust the stack.
MAX_JSON_DEPTH = 16


def _too_deep() -> BadRequest:
    return BadRequest([{"where": "body", "message": f"body: expected JSON nested at most {MAX_JSON_DEPTH} levels deep, got deeper"}], 400)


def _depth(value: Any) -> int:
    """How many levels of arrays and objects `value` has, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            return level
        stack.extend((child, level + 1) for child in children)
    return deepest


# A whole number as people and forms write one: the digits 0 to 9 only. `str.isdigit` also takes other
# scripts' digits, which `int` reads, and superscripts (², ³), which it cannot: a form's "version" of ²
# was a 500.
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def whole_number(value: Any) -> int | None:
    """`value` as a whole number when it is text of 1 to 9 digits 0-9, else None."""
    return int(value) if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value) else None


def api_token_ok(request: Request) -> bool:
    """For API requests made by pages: the token may come in a header instead of a form field."""
    return csrf_ok(request.scope, request.headers.get(CSRF_HEADER))


async def blocking(fn, *args, **kwargs):
    """Run store work in a worker thread, so a slow query never stalls other requests."""
    return await run_in_threadpool(fn, *args, **kwargs)
