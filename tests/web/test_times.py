"""Times on pages: UK time with the zone named, across the clock changes."""

from __future__ import annotations

import datetime as dt

from functions.web.times import uk_time


def at(*moment) -> int:
    return int(dt.datetime(*moment, tzinfo=dt.UTC).timestamp())


def test_winter_times_are_gmt_and_summer_times_bst():
    assert uk_time(at(2026, 1, 15, 14, 5)) == "15 January 2026 at 14:05 GMT"
    assert uk_time(at(2026, 7, 1, 13, 5)) == "1 July 2026 at 14:05 BST"


def test_the_hour_repeated_when_the_clocks_go_back_is_told_apart_by_its_zone():
    # 25 October 2026: 01:30 comes twice, first in BST, then in GMT
    assert uk_time(at(2026, 10, 25, 0, 30)) == "25 October 2026 at 01:30 BST"
    assert uk_time(at(2026, 10, 25, 1, 30)) == "25 October 2026 at 01:30 GMT"


def test_no_time_is_shown_as_nothing():
    assert uk_time(None) == ""
