"""Results: themes, strengths, areas for improvement, next steps, the chart and the downloads."""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ("pages",)
