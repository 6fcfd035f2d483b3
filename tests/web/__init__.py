"""Tests of functions/web/: request protection, return paths, dates, the API's description."""
