"""Councils: the register's councils in the app, their email domains, members, roles and invitations.

Owns `memberships` (who belongs to which council, in which role), `domains` (the email domains a
council registered, joined at sign-in), `invitations` (an emailed invitation to join, with its
pages and API endpoint), `services` (the work behind the pages and API: the council from the
register, members, role changes and removals), `pages` (/app/councils...), `api` (/api/councils...)
and `schema` (their part of the OpenAPI description). Exports the routes of `pages`, `api` and
`invitations`, and the OpenAPI paths of `api` and `invitations`.
"""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ("pages", "api", "invitations")
