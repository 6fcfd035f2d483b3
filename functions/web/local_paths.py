"""Return paths: the one decision whether an address given in a request (`next=`, `return=`) is a page of this site.

Pages send people back where they came from: after signing in, after the second factor, after
feedback. The address comes from the request, so it could name another site, and the question is
how a browser would read it, not how it looks. A browser drops tabs and newlines anywhere in an
address and reads a backslash as a slash, so `/<TAB>/evil.example` and `/\\evil.example` are both
`//evil.example`: another host. A page or a proxy may also decode the address once more before a
browser sees it, so `/%2F/evil.example` must be judged as `//evil.example` too. Only a path that
starts with one `/`, holds no control character or backslash, and still does after decoding, is on
this site; anything else gives the caller's default.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

MAX_LENGTH = 500  # characters; our own addresses with their queries are far shorter
DECODINGS = 3  # an address that still changes after this many decodings is not one of ours


def local_path(value: object, default: str = "") -> str:
    """`value` if every browser would take it to a page of this site, else `default`."""
    if not isinstance(value, str) or not value or len(value) > MAX_LENGTH:
        return default
    text = value
    for _ in range(DECODINGS):
        if not _on_this_site(text):
            return default
        decoded = unquote(text)
        if decoded == text:
            return value
        text = decoded
    return default


def _on_this_site(text: str) -> bool:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):  # browsers drop tabs and newlines, and trim the rest
        return False
    if not text.startswith("/") or "\\" in text or text.startswith("//"):  # `//host` and `/\host` name another host
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc
