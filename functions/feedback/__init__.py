"""Feedback from anyone, on every page, and the summaries editors and operators read."""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ('feedback', 'operator')
