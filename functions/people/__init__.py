"""People: addresses, sign-in, sessions, the second factor, accounts, and their data's export and erasure."""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ('sessions', 'signin', 'two_factor', 'accounts')
