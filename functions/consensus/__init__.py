"""The consensus: the spread of answers, the agenda, the super-user's draft and the published response."""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ('pages',)
