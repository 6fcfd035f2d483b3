"""The pages the builder writes: listings, resource pages, the site's own pages, the feed, redirects."""
