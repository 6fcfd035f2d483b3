"""Demo data: synthetic but plausible published consensus responses, so that a new Exchange shows real-looking pages.

`store` records that a database holds demo data (and refuses a database with real responses);
`data` makes the councils' rounds and responses through the assessment and consensus modules, and
plays further nights; `banner` says "demo data" on every page served from such a database.
`tie demo` (functions/commands/demo.py) runs it.
"""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ("banner",)
