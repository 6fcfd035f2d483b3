"""Keeping the built site safe: sanitising contributed content and the Content Security Policy."""
