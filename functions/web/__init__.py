"""What every endpoint uses: rendering pages, reading forms and JSON, security headers and the form token,
the page shell, return paths, rate limits, the API's description, health, moved addresses, and how the
site's files travel (compression and cache lifetimes).

Exports the helpers endpoints call (`render`, `form`, `storable`, `json_body`, `blocking`,
`api_token_ok`, `whole_number`, `BadRequest`, `FormTokenMissing`, `MAX_JSON_DEPTH`); routes: `/api/health`
(`health`), `/api/openapi.json` (`openapi`) and the 301s for moved pages (`redirects`); middleware:
gzip, Cache-Control and the feed's media type for the site's files (`delivery`).
"""

from functions.web.helpers import (
    MAX_JSON_DEPTH,
    BadRequest,
    FormTokenMissing,
    api_token_ok,
    blocking,
    form,
    json_body,
    render,
    storable,
    templates,
    whole_number,
)

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ('health', 'openapi', 'delivery', 'redirects')  # delivery outside redirects: the 301s get their Cache-Control

__all__ = [
    "FEATURES",
    "MAX_JSON_DEPTH",
    "BadRequest",
    "FormTokenMissing",
    "api_token_ok",
    "blocking",
    "form",
    "json_body",
    "render",
    "storable",
    "templates",
    "whole_number",
]
