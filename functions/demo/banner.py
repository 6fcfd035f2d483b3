"""Every page served from a demo database says so: a banner at the top of every HTML page, site and app alike.

The demo mark is read for each HTML page served (`store.marked`: one read of one row by its key, about
5 µs on SQLite and one round trip, about 0.13 ms, on PostgreSQL), not once at start, so that a database filled by `tie demo` while the app
runs shows the banner on the next page, and every instance agrees without holding state. Other files
(styles, scripts, images) pass untouched without a read, as does every page of a database without
demo data. Pages built from a demo database carry a notice of their own (generator/pages/councils.py):
a page that already says so (`data-tie-demo`) gets no second one at the top.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware

from functions.demo import store as demo

BANNER = (
    b'<aside class="tie-demo-bar" aria-label="Demo data" data-tie-demo-bar><p><strong>Demo data.</strong> '
    b"This Exchange runs on a demo database: the councils' self-assessment responses are synthetic, made by "
    b"<code>tie demo</code>. No council gave them.</p></aside>"
)
BODY = re.compile(rb"<body[^>]*>")
SAYS_SO = re.compile(rb"<[^>]*\sdata-tie-demo(?:-bar)?[\s>=]")  # this banner, or the built page's own notice


def with_banner(html: bytes) -> bytes:
    """The page with the banner just inside <body>: before the skip link in reading order, but holding no link itself.
    A page that says so already (the banner, or a notice built into it) is left as it is: one notice a page."""
    if SAYS_SO.search(html):
        return html
    match = BODY.search(html)
    return html[: match.end()] + BANNER + html[match.end() :] if match else html


class DemoBanner:
    """Adds BANNER to every HTML response when the app's database holds demo data."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") == "HEAD":
            await self.app(scope, receive, send)
            return
        store = scope["app"].state.store
        # the file responses of the embedded site must come through `send` as bytes, to be changed
        scope = {**scope, "extensions": {k: v for k, v in (scope.get("extensions") or {}).items() if k != "http.response.pathsend"}}
        start: dict | None = None
        chunks: list[bytes] = []

        async def changed(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                if (
                    headers.get("content-type", "").startswith("text/html")
                    and "content-encoding" not in headers
                    and await store.read_soon(demo.marked, store)
                ):
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
