"""Memberships in the store (SQLite and PostgreSQL): roles, removal, and the rule that a council keeps a super-user."""

from __future__ import annotations

import threading

import pytest

from functions.councils import memberships
from functions.councils.memberships import LastSuperUser
from functions.people import store as people

NOW = 1_900_000_000


@pytest.fixture
def council(fresh_store):
    """ABE with a super-user (ada) and a member (bob)."""
    with fresh_store.transaction() as tx:
        ada, _ = people.find_or_create(tx, "ada@aberdeencity.gov.uk", NOW)
        bob, _ = people.find_or_create(tx, "bob@aberdeencity.gov.uk", NOW)
        memberships.add(tx, ada.id, "ABE", "super-user", "operator", NOW)
        memberships.add(tx, bob.id, "ABE", "member", "invitation", NOW)
    return fresh_store, ada, bob


def test_a_membership_is_found_only_in_its_own_council(council):
    store, ada, bob = council
    with store.transaction() as tx:
        assert memberships.membership(tx, ada.id, "ABE") == memberships.Membership("ABE", "super-user", None, ada.id)
        assert memberships.membership(tx, ada.id, "ABD") is None
        assert [m.email for m in memberships.members(tx, "ABE")] == ["ada@aberdeencity.gov.uk", "bob@aberdeencity.gov.uk"]
        assert memberships.members(tx, "ABD") == []


def test_the_last_super_user_cannot_be_demoted(council):
    store, ada, bob = council
    with pytest.raises(LastSuperUser), store.transaction() as tx:
        memberships.set_role(tx, ada.id, "ABE", "member")
    with store.transaction() as tx:
        memberships.set_role(tx, bob.id, "ABE", "super-user")
        memberships.set_role(tx, ada.id, "ABE", "member")
        assert memberships.super_user_count(tx, "ABE") == 1


def test_the_last_super_user_cannot_be_removed(council):
    store, ada, bob = council
    with pytest.raises(LastSuperUser), store.transaction() as tx:
        memberships.remove(tx, ada.id, "ABE", NOW)
    with pytest.raises(LastSuperUser), store.transaction() as tx:
        memberships.remove(tx, ada.id, "ABE", NOW, leaving=True)  # not even by leaving, while others remain
    with store.transaction() as tx:
        assert memberships.remove(tx, bob.id, "ABE", NOW)
        assert memberships.removed(tx, bob.id, "ABE")
        assert memberships.remove(tx, ada.id, "ABE", NOW, leaving=True)  # the last one out may leave
        assert memberships.member_count(tx, "ABE") == 0


def test_two_super_users_demoting_each_other_at_once_leave_one(council):
    store, ada, bob = council
    with store.transaction() as tx:
        memberships.set_role(tx, bob.id, "ABE", "super-user")
    barrier = threading.Barrier(2)
    outcomes = []

    def demote(person_id):
        barrier.wait()
        try:
            with store.transaction() as tx:
                memberships.set_role(tx, person_id, "ABE", "member")
            outcomes.append("demoted")
        except LastSuperUser:
            outcomes.append("refused")

    threads = [threading.Thread(target=demote, args=(p.id,)) for p in (ada, bob)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["demoted", "refused"]
    with store.transaction() as tx:
        assert memberships.super_user_count(tx, "ABE") == 1


def test_joining_again_keeps_a_super_user_a_super_user(council):
    store, ada, _ = council
    with store.transaction() as tx:
        assert memberships.add(tx, ada.id, "ABE", "member", "domain", NOW).role == "super-user"
