"""How the built site's files travel: gzip-compressed where the browser accepts it, with how long they may be kept.

Only the site's own files and pages, the same for everyone: not /app or /api, whose responses carry
form tokens and personal data beside text taken from the request, which compression would let an
attacker guess byte by byte by watching sizes (BREACH); they are small, and never stored
(functions/web/security.py sends no-store).
- Cache-Control, from `model.site.cache_control`: a year, immutable, for a file named by its content
  (Material's and the site's own styles and scripts), revalidation for everything else; with the ETag and
  Last-Modified the static files carry, a revalidated page that has not changed is a 304 with no body.
- A compressed response's ETag is made weak, as the body differs byte for byte from the plain one's.
- The feed is sent as application/atom+xml (`model.site.MEDIA_TYPES`), which its name does not say.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

from model import site

MINIMUM_SIZE = 1024  # bytes; below this gzip's header and a round of compression cost more than they save
COMPRESSION_LEVEL = 6  # zlib's default: within a few per cent of level 9's size, in a third of its time
APP_PATHS = ("/app", "/api")


class DeliveryMiddleware:
    """Pure ASGI middleware: compression, cache lifetimes and media types for the site's files."""

    def __init__(self, app, minimum_size: int = MINIMUM_SIZE, level: int = COMPRESSION_LEVEL):
        self.app = app
        self.compressing = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=level)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(APP_PATHS):
            return await self.app(scope, receive, send)
        path = scope["path"]
        accepts_gzip = "gzip" in Headers(scope=scope).get("accept-encoding", "")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"cache-control"]
                kept = site.cache_control(path) if message["status"] in (200, 304) else site.REVALIDATE
                headers.append((b"cache-control", kept.encode("latin-1")))
                media_type = site.MEDIA_TYPES.get(path)
                if media_type:
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
                    headers.append((b"content-type", media_type.encode("latin-1")))
                if accepts_gzip:
                    headers = [_weak(k, v) for k, v in headers]
                message["headers"] = headers
            await send(message)

        await self.compressing(scope, receive, send_with_headers)


def _weak(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """An ETag sent to a client that accepts gzip is weak: the body it names may be the compressed one, and a
    304 to the same client names it the same way. Starlette's static files still match it (they drop W/)."""
    if name.lower() == b"etag" and not value.startswith(b"W/"):
        return name, b"W/" + value
    return name, value


middleware = [Middleware(DeliveryMiddleware)]
