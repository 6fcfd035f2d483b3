"""The time, from one place, so that expiry can be tested by moving a clock rather than by waiting."""

from __future__ import annotations

import time


class Clock:
    """Wall-clock time in whole seconds since the epoch."""

    def now(self) -> int:
        return int(time.time())


class FixedClock(Clock):
    """A clock that stands still until moved (for tests and benchmarks)."""

    def __init__(self, start: int | None = None):
        self.at = int(time.time()) if start is None else start

    def now(self) -> int:
        return self.at

    def advance(self, seconds: int) -> None:
        self.at += seconds
