"""GET /api/openapi.json: the JSON API's description, gathered from every feature and generated from the questionnaire.

A feature describes its own endpoints: a module in its package's FEATURES
(`functions/app.py` lists the packages) may define
`openapi_paths(edition) -> dict` (path items, keyed by the path under /api) and
`openapi_schemas(edition) -> dict` (named schemas for `#/components/schemas/`). `edition` is the
latest questionnaire edition, so ids that come from the questionnaire are enums. The pieces every
endpoint shares (the error body, the session cookie, the form token header) are defined here;
features refer to them with `error_responses(...)`, `SESSION` and `FORM_TOKEN`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from functions.web.security import CSRF_HEADER, SESSION_COOKIE
from model.questionnaire import Edition, latest

VERSION = "3.1.0"
SESSION = [{"session": []}]  # `security` of an endpoint that needs a signed-in person
FORM_TOKEN = {
    "name": "X-CSRF-Token",
    "in": "header",
    "required": True,
    "description": f"The form token: the value of the token cookie the app sets, echoed back (`{CSRF_HEADER}`).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}
ERRORS = {
    400: "The request cannot be read (a header or the JSON is malformed).",
    401: "Not signed in.",
    403: "Signed in, but not allowed to do this (or the form token is missing).",
    404: "Not found, or it belongs to a council you are not a member of.",
    409: "A conflict with what is stored (a newer version, or a round that is closed).",
    413: "The body is larger than the app accepts.",
    415: "The body is not JSON.",
    422: "The body has problems; every one is listed and nothing was stored.",
    429: "Too many requests of this kind; the Retry-After header says how many seconds to wait.",
}
COMMON_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "One problem with a request: where it is and what was expected.",
        "required": ["where", "message"],
        "properties": {
            "where": {
                "type": "string",
                "description": "A path into the request, like answers.PLC-01.ambition, or a header's name.",
            },
            "message": {"type": "string", "description": "`where: expected ..., got ...`"},
            "expected": {"type": "string"},
            "got": {"type": "string"},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}},
                },
            }
        },
    },
}


def error_responses(*statuses: int) -> dict[str, Any]:
    """`responses` entries for these error statuses, each with the shared error body."""
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def features() -> list:
    """The feature modules, as the app registers them."""
    from functions.app import feature_modules

    return feature_modules()


def document(modules: list, edition: Edition) -> dict:
    """The whole OpenAPI document."""
    paths: dict[str, Any] = {}
    schemas = dict(COMMON_SCHEMAS)
    for module in modules:
        if hasattr(module, "openapi_paths"):
            paths.update(module.openapi_paths(edition))
        if hasattr(module, "openapi_schemas"):
            schemas.update(module.openapi_schemas(edition))
    return {
        "openapi": VERSION,
        "info": {
            "title": "Transformation and Innovation Exchange API",
            "version": f"questionnaire {edition.id}",
            "description": "The Exchange's JSON API. Sign in on the site first: requests carry the session cookie, and "
            "requests that change something also carry the form token in the X-CSRF-Token header. Errors are JSON "
            "with every problem listed, each saying where it is and what was expected.",
        },
        "servers": [{"url": "/api"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "responses": {
                f"E{status}": {"description": text, "content": json_content({"$ref": "#/components/schemas/Error"})}
                for status, text in ERRORS.items()
            },
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": SESSION_COOKIE,
                    "description": "The session cookie the site sets when you sign in.",
                }
            },
        },
    }


async def openapi_json(request: Request) -> JSONResponse:
    state = request.app.state
    cached = getattr(state, "openapi", None)
    if cached is None:
        cached = state.openapi = document(features(), latest(state.editions))
    return JSONResponse(cached)


api_routes = [Route("/openapi.json", openapi_json, methods=["GET"])]


def openapi_paths(edition: Edition) -> dict:
    return {
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This description of the API",
                "responses": {"200": {"description": "The OpenAPI document", "content": json_content({"type": "object"})}},
            }
        }
    }
