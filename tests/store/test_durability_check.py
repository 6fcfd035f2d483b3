"""The durability benchmark's own check finds a lost or half-written save (so that its PASS means something)."""

from __future__ import annotations

from benchmarks.durability import Ledger, digest, lost, partial

SENT = {
    "PLC-01": {"current": "plans", "ambition": "does", "comment": "x"},
    "PLC-02": {"current": "does", "ambition": "does", "comment": ""},
}


def ledger(version: int) -> Ledger:
    return Ledger(acknowledged={"ann": (version, digest(SENT))})


def test_the_acknowledged_version_or_a_later_one_is_not_lost():
    assert lost(ledger(3), {"ann": (3, SENT)}) == []
    assert lost(ledger(3), {"ann": (4, {})}) == []  # version 4 is only accepted on top of version 3


def test_an_older_version_or_other_answers_under_the_acknowledged_version_are_lost():
    assert lost(ledger(3), {"ann": (2, SENT)}) == ["ann: version 3 acknowledged, the store holds version 2"]
    assert lost(ledger(1), {}) == ["ann: version 1 acknowledged, the store holds version 0"]
    changed = {**SENT, "PLC-02": {"current": "plans", "ambition": "does", "comment": ""}}
    assert lost(ledger(3), {"ann": (3, changed)}) == ["ann: version 3 holds other answers than the ones acknowledged"]


def test_a_response_missing_answers_is_reported_as_half_written():
    assert partial({"ann": (3, SENT)}, expected=2) == []
    assert partial({"ann": (3, {"PLC-01": SENT["PLC-01"]})}, expected=2) == ["ann: 1 answers, expected 2"]
