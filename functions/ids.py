"""Identifiers and secrets: random, unguessable, and stored only as keyed hashes where they grant access."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_id() -> str:
    """A random id for a row: 128 bits, URL-safe, so ids reveal nothing and cannot be guessed."""
    return secrets.token_urlsafe(16)


def new_token() -> str:
    """A secret for a link or a cookie: 256 bits."""
    return secrets.token_urlsafe(32)


def digest(secret_key: str, value: str, purpose: str) -> str:
    """A keyed hash of `value` for `purpose`: what the store keeps instead of a token, address or client."""
    return hmac.new(secret_key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
