"""Search without JavaScript: the page of results that the site's search forms go to when no script runs.

It reads the site's own search index (site/search/, written by the builder) with model/search.py, the
reference that the site's script follows too, so both find the same results in the same order.
"""

# The modules that bring this package's routes, middleware and OpenAPI paths to the app (functions/app.py).
FEATURES = ("pages",)
