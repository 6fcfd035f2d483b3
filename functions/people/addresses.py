"""Email addresses: the one check of what counts as an address here, and the one form they are compared in.

Only plain addresses are accepted: a dot-atom local part made of the characters real mailboxes
use, one `@`, and a domain of letters, digits and hyphens. Everything the standard allows beyond
that (quoted strings, comments, encoded words like `=?utf-8?q?...?=`, lists separated by commas,
display names in angle brackets, whitespace) is refused, because a mail library reading a header
may turn such text into more than one recipient. Every address is kept and compared in one
canonical form: ASCII, trimmed, lower-cased. Sign-in, invitations, council domains, rate limits,
operators and feedback's reply-to all go through `canonical` and `problem`.
"""

from __future__ import annotations

import re

MAX_LENGTH = 254  # RFC 5321: the longest address a mail server must accept
MAX_LOCAL = 64  # RFC 5321: the longest local part
# Letters, digits and the few marks real mailboxes use (first.last, first_last, first-last,
# name+tag, o'brien). No `=` or `?` (encoded words), no `,` `;` `<` `>` `"` `(` `)` `:` `\`
# (lists, display names, quoting, comments), no `%` or `!` (old routing), no spaces or controls.
ATOM = r"[a-z0-9_+'-]+"
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
TOP_LABEL = r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"  # a top-level domain: letters, or an internationalised one in ASCII
DOMAIN = re.compile(rf"^(?:{LABEL}\.)+{TOP_LABEL}$")
ADDRESS = re.compile(rf"^(?P<local>{ATOM}(?:\.{ATOM})*)@(?P<domain>(?:{LABEL}\.)+{TOP_LABEL})$")
EXAMPLE = "name@council.gov.uk"


def canonical(text: str | None) -> str:
    """The form every address is stored and compared in: trimmed and lower-cased.

    Only ASCII is lower-cased: `str.lower` would turn some other characters into ASCII letters
    (KELVIN SIGN into `k`), which would let two different strings name one mailbox; such text is
    left as it is, for `problem` to refuse."""
    text = (text or "").strip()
    return text.lower() if text.isascii() else text


def canonical_domain(text: str | None) -> str:
    """A council's email domain as it is compared with the part of an address after `@`."""
    return canonical(text).lstrip("@")


def is_address(address: str) -> bool:
    """Whether `address` (already canonical) is one plain address."""
    match = ADDRESS.match(address)
    return bool(match) and len(address) <= MAX_LENGTH and len(match["local"]) <= MAX_LOCAL


def problem(address: str, where: str = "email") -> dict | None:
    """A problem dict when `address` (already canonical) is not one plain address, else None."""
    # "message" is for API clients and logs (field: expected ..., got ...); "says" is the plain sentence a form's
    # error summary shows a person (the GOV.UK pattern)
    if not address:
        return {
            "where": where,
            "message": f"{where}: expected your work email address, like {EXAMPLE}; got nothing",
            "says": f"Enter a work email address, like {EXAMPLE}",
        }
    if is_address(address):
        return None
    shown = address if len(address) <= 60 else address[:57] + "..."
    return {
        "where": where,
        "message": f"{where}: expected one plain email address like {EXAMPLE} (letters, digits and . _ - + ' before the @), got {shown!r}",
        "says": f"Enter one email address in the right form, like {EXAMPLE}",
    }


def domain_problem(domain: str, where: str = "domain") -> str | None:
    """A message when `domain` (already canonical) is not an email domain, else None."""
    if len(domain) > 253 or not DOMAIN.match(domain):
        return f"{where}: expected an email domain like aberdeencity.gov.uk, got {domain!r}"
    return None


def domain_of(address: str) -> str:
    """The domain of a canonical address."""
    return address.rsplit("@", 1)[1]


def mailbox(address: str) -> str:
    """The inbox a canonical address delivers to, as far as anyone outside the mail server can tell: the
    local part up to its first `+` (name+anything@ reaches name@ at most providers), and the domain.
    Limits on mail sent count by this, so that tags cannot multiply one inbox's allowance."""
    local, _, domain = address.rpartition("@")
    return f"{local.split('+', 1)[0].lower()}@{domain.lower()}"
