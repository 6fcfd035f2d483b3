"""People: addresses, sign-in, sessions, the second factor, accounts, and their data's export and erasure.

Owns `store` (people), `addresses` (checking and comparing email addresses), `sessions` (sessions and
the middleware that sets `request.state.person`), `signin` (sign-in links and their limits) with its
pages (`signin_pages`: /app/sign-in, /app/sign-out), `two_factor` (codes and recovery codes) with its
pages (`two_factor_pages`: /app/security/two-factor), `accounts` (/app/account, /api/me) and
`privacy` (a person's data exported and erased). Exports the sessions middleware, the pages' routes
and the account API's routes and OpenAPI paths.
"""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ("sessions", "signin_pages", "two_factor_pages", "accounts")
