"""Every page served from a demo database says so: a banner at the top of every HTML page, site and app alike.

The app reads the demo mark once at start (functions/app.py sets `app.state.demo`); on a database
without demo data this middleware passes everything through untouched. Pages built from a demo
database carry a banner of their own as well (generator/pages/councils.py); a page that already
says so (`data-tie-demo`) gets no second one at the top.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware

BANNER = (
    b'<aside class="tie-demo-bar" aria-label="Demo data" data-tie-demo-bar><p><strong>Demo data.</strong> '
    b"This Exchange runs on a demo database: the councils' self-assessment responses are synthetic, made by "
    b"<code>tie demo</code>. No council gave them.</p></aside>"
)
BODY = re.compile(rb"<body[^>]*>")


def with_banner(html: bytes) -> bytes:
    """The page with the banner just inside <body>: before the skip link in reading order, but holding no link itself."""
    if b"data-tie-demo-bar" in html:
        return html
    match = BODY.search(html)
    return html[: match.end()] + BANNER + html[match.end() :] if match else html


class DemoBanner:
    """Adds BANNER to every HTML response when the app's database holds demo data."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") == "HEAD" or not getattr(scope["app"].state, "demo", False):
            await self.app(scope, receive, send)
            return
        # the file responses of the embedded site must come through `send` as bytes, to be changed
        scope = {**scope, "extensions": {k: v for k, v in (scope.get("extensions") or {}).items() if k != "http.response.pathsend"}}
        start: dict | None = None
        chunks: list[bytes] = []

        async def changed(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                if headers.get("content-type", "").startswith("text/html") and "content-encoding" not in headers:
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = with_banner(b"".join(chunks))
                headers = MutableHeaders(raw=list(start["headers"]))
                headers["content-length"] = str(len(body))
                await send({**start, "headers": headers.raw})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, changed)


middleware = [Middleware(DemoBanner)]
