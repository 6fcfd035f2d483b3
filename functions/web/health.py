"""GET /api/health: whether the app and its store are working."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from functions.web import blocking
from functions.web.openapi import json_content
from model.questionnaire import Edition


async def health(request: Request) -> JSONResponse:
    ok = await blocking(request.app.state.store.ping)
    return JSONResponse(
        {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"}, status_code=200 if ok else 503
    )


api_routes = [Route("/health", health, methods=["GET"])]


def openapi_paths(edition: Edition) -> dict:
    """This endpoint's part of /api/openapi.json."""

    def body(status: str, database: str) -> dict:
        return json_content(
            {
                "type": "object",
                "required": ["status", "database"],
                "additionalProperties": False,
                "properties": {
                    "status": {"type": "string", "enum": [status]},
                    "database": {"type": "string", "enum": [database]},
                },
            }
        )

    return {
        "/health": {
            "get": {
                "operationId": "getHealth",
                "summary": "Whether the app and its database are working",
                "responses": {
                    "200": {"description": "Working", "content": body("ok", "ok")},
                    "503": {"description": "The database cannot be reached", "content": body("unavailable", "unreachable")},
                },
            }
        }
    }
