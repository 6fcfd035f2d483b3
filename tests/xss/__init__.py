"""Attempts at cross-site scripting through contributed content, for tests/browser/test_xss.py."""
