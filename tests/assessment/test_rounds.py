"""Rounds: one per council per year, tied to an edition, invisible to other councils (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from functions.assessment import rounds
from functions.people import store as people
from functions.store import Conflict

JAN_2026 = 1767225600 + 86400 * 10  # 11 January 2026, UTC
E, OTHER = "E07000223", "E07000224"


@pytest.fixture
def opener(fresh_store):
    with fresh_store.transaction() as tx:
        person, _ = people.find_or_create(tx, "lead@adur-worthing.gov.uk", JAN_2026)
    return person


def test_a_round_is_opened_for_the_year_and_found_by_its_council(fresh_store, opener):
    with fresh_store.transaction() as tx:
        opened = rounds.open_round(tx, E, "2026", opener.id, JAN_2026)
    with fresh_store.transaction(write=False) as tx:
        assert rounds.get(tx, E, opened.id) == opened
        assert rounds.for_council(tx, E) == [opened]
        assert rounds.current(tx, E) == opened
    assert (opened.year, opened.edition, opened.status, opened.closed_at) == (2026, "2026", rounds.OPEN, None)


def test_a_second_round_in_the_same_year_is_refused_naming_the_first(fresh_store, opener):
    with fresh_store.transaction() as tx:
        first = rounds.open_round(tx, E, "2026", opener.id, JAN_2026)
    with pytest.raises(rounds.RoundExists) as refused:
        with fresh_store.transaction() as tx:
            rounds.open_round(tx, E, "2026", opener.id, JAN_2026 + 86400 * 100)
    assert refused.value.existing == first
    assert "11 January 2026" in str(refused.value)
    assert isinstance(refused.value, Conflict)


def test_the_next_year_may_have_its_own_round(fresh_store, opener):
    with fresh_store.transaction() as tx:
        rounds.open_round(tx, E, "2026", opener.id, JAN_2026)
        later = rounds.open_round(tx, E, "2026", opener.id, JAN_2026 + 366 * 86400)
    with fresh_store.transaction(write=False) as tx:
        assert [r.year for r in rounds.for_council(tx, E)] == [2027, 2026]
    assert later.year == 2027


def test_another_councils_round_is_not_found(fresh_store, opener):
    with fresh_store.transaction() as tx:
        opened = rounds.open_round(tx, E, "2026", opener.id, JAN_2026)
    with fresh_store.transaction(write=False) as tx:
        assert rounds.get(tx, OTHER, opened.id) is None
        assert rounds.for_council(tx, OTHER) == []
        assert rounds.current(tx, OTHER) is None


def test_closing_records_when_and_the_round_is_no_longer_current(fresh_store, opener):
    with fresh_store.transaction() as tx:
        opened = rounds.open_round(tx, E, "2026", opener.id, JAN_2026)
        closed = rounds.set_status(tx, E, opened.id, rounds.CLOSED, JAN_2026 + 50)
        published = rounds.set_status(tx, E, opened.id, rounds.PUBLISHED, JAN_2026 + 90)
        assert rounds.current(tx, E) is None
    assert (closed.status, closed.closed_at) == (rounds.CLOSED, JAN_2026 + 50)
    assert (published.status, published.closed_at) == (rounds.PUBLISHED, JAN_2026 + 50)


def test_the_opener_is_forgotten_but_the_round_kept_when_they_are_erased(fresh_store, opener):
    with fresh_store.transaction() as tx:
        opened = rounds.open_round(tx, E, "2026", opener.id, JAN_2026)
        tx.execute("DELETE FROM people WHERE id = ?", (opener.id,))
        assert tx.value("SELECT opened_by FROM rounds WHERE id = ?", (opened.id,)) is None
        assert rounds.get(tx, E, opened.id) == opened
