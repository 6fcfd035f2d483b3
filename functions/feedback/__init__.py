"""Feedback from anyone, on every page, and the summaries editors and operators read.

Owns `store` (feedback as stored, and its retention), `submission` (a submission read and checked),
`pages` (the endpoints under /app/feedback), `report` (the summary `tie feedback` prints) and `operator` (/app/operator/feedback).
Exports the routes of `pages` and `operator`.
"""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ("pages", "operator")
