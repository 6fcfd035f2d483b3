"""Moved pages: the app answers 301 from an old address to the new one, as the build recorded them.

The build also writes a static redirect page at each old address (generator/pages/redirects.py), which
any static host serves; when the app serves the site, a real 301 is better for browsers, search
engines and link checkers.
"""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import URL
from starlette.middleware import Middleware
from starlette.responses import RedirectResponse

from model import site as built


class _Moves:
    """The map of moves, re-read when a new build replaces it (so `tie build` while serving just works)."""

    def __init__(self):
        self.stamp: tuple[str, float] | None = None
        self.moves: dict[str, str] = {}

    def get(self, site: Path) -> dict[str, str]:
        path = site / built.REDIRECTS_FILE
        try:
            stamp = (str(path), path.stat().st_mtime)
        except OSError:
            return {}
        if stamp != self.stamp:
            self.moves, self.stamp = built.redirects(site), stamp
        return self.moves


class RedirectMiddleware:
    """GET and HEAD of an old address (with or without its trailing slash or index.html) answer 301."""

    def __init__(self, app):
        self.app = app
        self.cache = _Moves()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and not scope["path"].startswith(("/app/", "/api/")):
            moves = self.cache.get(scope["app"].state.settings.site_dir)
            path = scope["path"].removesuffix("index.html")
            new = moves.get(path) or moves.get(path + "/")
            if new:
                url = URL(scope=scope).replace(path=new)
                location = new + (f"?{url.query}" if url.query else "")
                return await RedirectResponse(location, status_code=301)(scope, receive, send)
        await self.app(scope, receive, send)


middleware = [Middleware(RedirectMiddleware)]
