"""The self-assessment: rounds, each person's own response and answers, the form and the API."""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ('api', 'pages')
