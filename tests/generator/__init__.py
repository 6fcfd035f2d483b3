"""Tests of generator/: checking content, building the site, the search index, the editor."""
