"""Rate limits kept in the store, so they hold across several app instances."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from functions.ids import digest
from functions.store import Tx


@dataclass(frozen=True)
class Limit:
    """At most `hits` in each fixed window of `window` seconds."""

    name: str
    hits: int
    window: int


class RateLimited(Exception):
    """Too many requests; `retry_after` says how many seconds until the window resets."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many requests; try again in {retry_after} seconds")
        self.retry_after = retry_after


# An IPv6 client is its /64: one home, office or phone is given a whole /64 and may use any address
# in it, so counting single addresses would give each client billions of allowances.
IPV6_CLIENT_PREFIX = 64


def client_key(request) -> str:
    """What a request's client is counted as: its IPv4 address, or its IPv6 network (IPV6_CLIENT_PREFIX).

    `request.client` is the connecting address, or the one a trusted proxy forwarded (tie serve)."""
    host = request.client.host if request.client else ""
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])  # without an IPv6 zone (fe80::1%eth0)
    except ValueError:
        return host or "unknown"  # not an address (a test client, a Unix socket): counted as itself
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(ip)


def hit(tx: Tx, secret_key: str, limit: Limit, key: str, now: int) -> int:
    """Count one request for `key` (an address, a client). Returns 0 within the limit, else the
    seconds until the window resets. (It returns rather than raises so that the count is committed.)

    The key is stored as a keyed hash: counters never hold an email or IP address.
    """
    bucket = digest(secret_key, key, "rate:" + limit.name)
    window_start = now - now % limit.window
    tx.execute(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1) "
        "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1",
        (bucket, window_start),
    )
    hits = tx.value("SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?", (bucket, window_start))
    return max(1, window_start + limit.window - now) if hits > limit.hits else 0


def purge(tx: Tx, before: int) -> int:
    """Remove counters whose windows started before `before`."""
    return tx.execute("DELETE FROM rate_limits WHERE window_start < ?", (before,))
