"""The Starlette app: assembles the features' routes, the middleware and the error handlers around one store."""

from __future__ import annotations

import importlib
import logging

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from functions import errors, web
from functions.clock import Clock
from functions.mail import mailer as make_mailer
from functions.settings import LOOPBACK, Settings
from functions.store import Store
from functions.web.security import SecurityMiddleware
from model import questionnaire, register, site

log = logging.getLogger("exchange")

# The app is these packages by domain. Each lists in its `FEATURES` the modules that bring routes:
# `api_routes` (mounted under /api), `page_routes` (under /app), optionally `middleware` (a list of
# starlette Middleware, innermost last) and their part of the OpenAPI description. A new feature
# registers in its package, the same way the built-in ones do.
PACKAGES = (
    "functions.people",
    "functions.councils",
    "functions.feedback",
    "functions.assessment",
    "functions.consensus",
    "functions.results",
    "functions.search",
    "functions.web",
    "functions.demo",
)


def feature_modules() -> list:
    """Every feature module, package by package, in the order their routes and middleware apply."""
    modules = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        modules += [importlib.import_module(f"{name}.{module}") for module in package.FEATURES]
    return modules


class StartupError(Exception):
    """The app cannot start; the message says why in one line."""


def create_app(settings: Settings, *, store: Store | None = None, mailer=None, clock: Clock | None = None) -> Starlette:
    """Build the app. Reads the council register and the questionnaire once, here, and fails clearly if either is wrong."""
    try:
        reg = register.load(settings.councils)
    except register.RegisterError as err:
        raise StartupError(str(err)) from None
    editions, problems = questionnaire.load_all(settings.questionnaire_dir)
    if problems:
        raise StartupError(f"questionnaire has {len(problems)} problem(s); first: {problems[0]} (run `tie check`)")
    store = store or Store(settings.database_url)
    store.migrate()

    modules = feature_modules()
    api_routes = [r for m in modules for r in getattr(m, "api_routes", [])]
    page_routes = [r for m in modules for r in getattr(m, "page_routes", [])]
    middleware = [
        Middleware(
            SecurityMiddleware,
            origin=settings.origin,
            script_hashes=site.script_hashes(settings.site_dir),
            https=settings.https,
            # the site's own host, and this machine's names (`make run`, a health check on the instance)
            hosts=frozenset({settings.host, *LOOPBACK}),
        )
    ]
    middleware += [mw for m in modules for mw in getattr(m, "middleware", [])]

    routes = [Mount("/api", routes=api_routes), Mount("/app", routes=page_routes)]
    if settings.site_dir.is_dir():
        routes.append(Mount("/", app=StaticFiles(directory=settings.site_dir, html=True), name="site"))

    app = Starlette(routes=routes, middleware=middleware, exception_handlers=errors.handlers())
    app.state.settings = settings
    app.state.store = store
    app.state.mailer = mailer or make_mailer(settings)
    app.state.clock = clock or Clock()
    app.state.register = reg
    app.state.editions = editions
    app.state.round_editions = {}  # round id -> (council, edition id), as read: a round's edition never changes
    app.state.library = site.library(settings.site_dir)  # the library's metadata, for next steps
    app.state.templates = web.templates(settings.site_dir)
    return app
