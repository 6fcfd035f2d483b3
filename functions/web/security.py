"""Protections every request passes through: security headers, cross-site refusal, body size, the form token cookie."""

from __future__ import annotations

import hmac
import re
import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, PlainTextResponse

from model import site

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_COOKIE = "__Host-tie_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "__Host-tie_session"
# An address with a control character in it (a NUL, say, sent as %00) names nothing here: refused at the
# edge, before any of it reaches SQL, which would otherwise have to cope (PostgreSQL cannot hold a NUL).
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NOT_FOUND = "There is nothing here, or you do not have access to it."
# Text a database cannot store or a person cannot see: NUL and other control characters (tab and
# newlines are fine), and lone surrogates, which are not characters at all. Refused in every form
# (functions/web/helpers.py) and in the API's free text (functions/assessment/answers.py).
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_BODY = 256 * 1024  # bytes; a whole questionnaire with long comments fits in a tenth of this
# A Content-Length: the digits 0 to 9 (`isdigit` takes ², which `int` cannot read).
DIGITS = re.compile(r"[0-9]+")
# Seconds browsers keep to https for the site once told (Strict-Transport-Security): a year, the usual
# figure. Not includeSubDomains: other hosts under the council's or operator's domain are not ours to bind.
HSTS_MAX_AGE = 365 * 24 * 3600


COOKIES = "tie.cookies"  # where a request's scope keeps its cookies once read
HEALTH = "/api/health"


def host_name(header: str) -> str:
    """The host a Host header names, lower-cased, without its port: `Exchange.example:443` gives
    `exchange.example`, `[::1]:8000` gives `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def cookie_value(scope, name: str) -> str | None:
    """The value of the request's cookie `name`, or None.

    Every request asks three or four times (the form token, the session), so the Cookie header is
    read once and kept in the scope. The parsing is deliberately plain: our cookies' values are
    URL-safe tokens, and a value that is not one simply matches nothing.
    """
    jar = scope.get(COOKIES)
    if jar is None:
        jar = scope[COOKIES] = _cookies(scope)
    return jar.get(name)


def _cookies(scope) -> dict[str, str]:
    jar: dict[str, str] = {}
    for key, raw in scope.get("headers", ()):
        if key != b"cookie":
            continue
        for part in raw.decode("latin-1").split(";"):
            name, sep, value = part.partition("=")
            if sep:
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = value[1:-1]
                jar[name.strip()] = value  # the last of a repeated name, as the standard library's parser does
    return jar


def set_cookie_header(name: str, value: str, max_age: int | None = None, same_site: str = "Lax") -> str:
    """A Set-Cookie value with the flags every cookie of ours carries: __Host- prefixed, Secure, HttpOnly, Path=/."""
    parts = [f"{name}={value}", "Path=/", "Secure", "HttpOnly", f"SameSite={same_site}"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


class SecurityMiddleware:
    """Pure ASGI middleware, outermost.

    - refuses unsafe requests from another site (Sec-Fetch-Site, then Origin) with 403;
    - refuses bodies over MAX_BODY with 413 (by Content-Length, and by counting as it streams);
    - answers 400 to a Host header naming a host that is not ours (`hosts`; None takes any), because
      the addresses of redirects are made from it: a forged one would send people, or a cache, elsewhere;
      except for /api/health, which a load balancer asks by the instance's own address;
    - answers 404 to an address with a control character in it (see CONTROL);
    - sets the form-token cookie when a browser has none (double-submit: forms echo it back);
    - adds the security headers to every response, static pages included, and no-store to the app's and, when
      signed in, to every page (not to files named by their content, which are the same for everyone).
    """

    def __init__(
        self,
        app,
        origin: str,
        script_hashes: frozenset[str] = frozenset(),
        max_body: int = MAX_BODY,
        https: bool = False,
        hosts: frozenset[str] | None = None,
    ):
        self.app = app
        self.origin = origin
        self.hosts = hosts
        self.policy = site.policy(script_hashes)
        self.max_body = max_body
        # The headers every response gets, made once: setting them one by one on each response costs
        # more than anything else this middleware does.
        self.fixed = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ]
        if https:  # the site's address is https: browsers are to use nothing else for it for a year (HSTS_MAX_AGE)
            self.fixed.append((b"strict-transport-security", f"max-age={HSTS_MAX_AGE}".encode()))
        self.replaced = {name for name, _ in self.fixed} | {b"content-security-policy"}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        method = scope["method"]
        if self.hosts is not None and scope["path"] != HEALTH and host_name(headers.get("host", "")) not in self.hosts:
            return await self._respond(scope, receive, send, 400, "Refused: this request names a host that is not the Exchange's.")
        if method in UNSAFE_METHODS and self._cross_site(headers):
            return await self._respond(scope, receive, send, 403, "Refused: this request came from another site.")
        length = headers.get("content-length")
        if length is not None and (not DIGITS.fullmatch(length) or int(length) > self.max_body):
            return await self._respond(
                scope, receive, send, 413, f"Too large: requests may carry at most {self.max_body // 1024} KB."
            )
        csrf = cookie_value(scope, CSRF_COOKIE)
        new_csrf = None
        if not csrf or len(csrf) < 20:
            csrf = new_csrf = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = csrf
        signed_in = cookie_value(scope, SESSION_COOKIE) is not None
        received = 0
        too_large = False

        async def limited_receive():
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    too_large = True
                    raise BodyTooLarge()
            return message

        # The app's answers, and any page while signed in, are never stored; a file named by its content
        # (model.site.FINGERPRINTED) is the same for everyone, so it keeps the year it was given (web/delivery.py).
        no_store = scope["path"].startswith(("/app", "/api")) or (signed_in and not site.FINGERPRINTED.match(scope["path"]))
        replaced = self.replaced | {b"cache-control"} if no_store else self.replaced

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                raw = [(k, v) for k, v in message.get("headers", ()) if k.lower() not in replaced]
                raw.append((b"content-security-policy", (_editor_policy(scope) or self.policy).encode("latin-1")))
                raw += self.fixed
                if no_store:
                    raw.append((b"cache-control", b"no-store"))
                if new_csrf and scope["path"].startswith("/app"):
                    raw.append((b"set-cookie", set_cookie_header(CSRF_COOKIE, new_csrf, same_site="Strict").encode("latin-1")))
                message["headers"] = raw
            await send(message)

        if CONTROL.search(scope["path"]):
            return await self._respond(scope, receive, send_with_headers, 404, NOT_FOUND, wrap=False)
        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            if too_large:
                await self._respond(
                    scope,
                    receive,
                    send_with_headers,
                    413,
                    f"Too large: requests may carry at most {self.max_body // 1024} KB.",
                    wrap=False,
                )

    def _cross_site(self, headers: Headers) -> bool:
        site = headers.get("sec-fetch-site")
        if site is not None:
            return site not in ("same-origin", "none")
        origin = headers.get("origin")
        if origin is not None:
            return origin != self.origin
        return False  # not a browser request: the form token still applies

    async def _respond(self, scope, receive, send, status: int, text: str, wrap: bool = True):
        if scope["path"].startswith("/api"):
            response = JSONResponse({"error": {"status": status, "message": text}}, status_code=status)
        else:
            response = PlainTextResponse(text, status_code=status)
        if wrap:
            policy = self.policy

            fixed = self.fixed

            async def send_wrapped(message):
                if message["type"] == "http.response.start":
                    h = MutableHeaders(scope=message)
                    h["Content-Security-Policy"] = policy
                    for name, value in fixed:
                        h[name.decode("latin-1")] = value.decode("latin-1")
                await send(message)

            await response(scope, receive, send_wrapped)
        else:
            await response(scope, receive, send)


def _editor_policy(scope) -> str | None:
    """The optional editor (Decap CMS) needs a looser policy: on its own pages only, and only when it is switched on."""
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    if settings is not None and settings.editor and scope["path"].startswith("/admin/"):
        return site.ADMIN_POLICY
    return None


class BodyTooLarge(Exception):
    """Raised inside a request whose body passed MAX_BODY while streaming."""


def csrf_ok(scope, submitted: object) -> bool:
    """True when a submitted form token matches the browser's token cookie.

    `submitted` is whatever arrived (a form field may be a file, a header any Latin-1 text): anything
    but text is no token, and the two are compared as bytes, which `compare_digest` takes whatever
    they hold (as text it takes ASCII only, and raised on anything else)."""
    expected = scope.get("state", {}).get("csrf")
    cookie = cookie_value(scope, CSRF_COOKIE)
    if not isinstance(submitted, str) or not submitted or not cookie or expected != cookie:
        return False
    return hmac.compare_digest(submitted.encode("utf-8", "surrogatepass"), cookie.encode("utf-8", "surrogatepass"))
