"""Results: themes, strengths, areas for improvement, next steps, the charts, the downloads, and the comparisons
with similar councils that a council's members see (comparisons.py, from the benchmarks' signed-in release)."""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ("pages",)
