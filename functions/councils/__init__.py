"""Councils: the register's councils in the app, their email domains, members, roles and invitations."""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ('councils', 'invitations')
