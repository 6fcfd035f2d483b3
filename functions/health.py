"""GET /api/health: whether the app and its store are working."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .web import blocking


async def health(request: Request) -> JSONResponse:
    ok = await blocking(request.app.state.store.ping)
    return JSONResponse({"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"}, status_code=200 if ok else 503)


api_routes = [Route("/health", health, methods=["GET"])]
