"""Individual responses: one per person per round, versioned saves, nobody else's answers (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from functions.assessment import responses, rounds
from functions.assessment.responses import Answer, StaleVersion
from functions.councils import memberships
from functions.people import store as people

AT = 1767225600 + 86400 * 10  # 11 January 2026, UTC
E = "E07000223"


@pytest.fixture
def setting(fresh_store):
    """A round and two members, Ann and Bob."""
    with fresh_store.transaction() as tx:
        ann, _ = people.find_or_create(tx, "ann@adur-worthing.gov.uk", AT)
        bob, _ = people.find_or_create(tx, "bob@adur-worthing.gov.uk", AT)
        round_ = rounds.open_round(tx, E, "2026", ann.id, AT)
    return fresh_store, round_, ann, bob


def save(store, round_id, person_id, based_on, answers, submit=False, at=AT, role="officer", routes=("commercialisation",)):
    with store.transaction() as tx:
        return responses.save(
            tx,
            round_id,
            person_id,
            based_on=based_on,
            respondent_role=role,
            routes=routes,
            answers={a.statement_id: a for a in answers},
            submit=submit,
            at=at,
        )


def test_a_first_save_makes_version_one_and_reads_back_the_same(setting):
    store, round_, ann, _ = setting
    saved = save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does", "A note"), Answer("PLC-02", None, None, "")])
    with store.transaction(write=False) as tx:
        assert responses.own(tx, round_.id, ann.id) == saved
    assert saved.version == 1
    assert saved.answers["PLC-01"] == Answer("PLC-01", "plans", "does", "A note")
    assert saved.routes == ("commercialisation",)
    assert saved.respondent_role == "officer" and saved.submitted_at is None


def test_each_save_replaces_the_answers_and_moves_the_version_on(setting):
    store, round_, ann, _ = setting
    save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does"), Answer("PLC-02", "does", "does")])
    second = save(store, round_.id, ann.id, 1, [Answer("PLC-01", "does", "reviews")], at=AT + 5)
    with store.transaction(write=False) as tx:
        stored = responses.own(tx, round_.id, ann.id)
    assert stored == second
    assert (stored.version, stored.updated_at, list(stored.answers)) == (2, AT + 5, ["PLC-01"])


def test_a_save_based_on_an_old_version_is_refused_and_carries_the_newer_answers(setting):
    store, round_, ann, _ = setting
    save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does")])
    newer = save(store, round_.id, ann.id, 1, [Answer("PLC-01", "does", "does")])
    with pytest.raises(StaleVersion) as refused:
        save(store, round_.id, ann.id, 1, [Answer("PLC-01", "not-yet", "plans")])
    assert refused.value.current == newer
    assert "expected 2" in str(refused.value) and "got 1" in str(refused.value)
    with store.transaction(write=False) as tx:
        assert responses.own(tx, round_.id, ann.id) == newer


def test_a_first_save_claiming_a_version_that_does_not_exist_is_refused(setting):
    store, round_, ann, _ = setting
    with pytest.raises(StaleVersion) as refused:
        save(store, round_.id, ann.id, 3, [Answer("PLC-01", "plans", "does")])
    assert refused.value.current is None


def test_a_submitted_response_keeps_its_first_submission_time(setting):
    store, round_, ann, _ = setting
    first = save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does")], submit=True, at=AT + 10)
    again = save(store, round_.id, ann.id, 1, [Answer("PLC-01", "does", "does")], submit=False, at=AT + 20)
    assert first.submitted_at == again.submitted_at == AT + 10
    assert again.submitted


def test_each_person_reads_only_their_own_and_the_round_holds_both(setting):
    store, round_, ann, bob = setting
    anns = save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does")])
    bobs = save(
        store, round_.id, bob.id, 0, [Answer("PLC-01", "not-yet", "dont-know", "Unsure")], role=None, routes=(), at=AT + 1
    )
    with store.transaction(write=False) as tx:
        assert responses.own(tx, round_.id, ann.id) == anns
        assert responses.own(tx, round_.id, bob.id) == bobs
        assert responses.for_round(tx, round_.id) == [anns, bobs]


def test_erasing_a_person_erases_their_response_and_answers(setting):
    store, round_, ann, bob = setting
    save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does")])
    bobs = save(store, round_.id, bob.id, 0, [Answer("PLC-01", "does", "does")], at=AT + 1)
    with store.transaction() as tx:
        tx.execute("DELETE FROM people WHERE id = ?", (ann.id,))
        assert responses.for_round(tx, round_.id) == [bobs]
        assert tx.value("SELECT COUNT(*) FROM answers") == 1


def test_answers_of_rounds_closed_long_enough_are_deleted(setting):
    store, round_, ann, _ = setting
    save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does")])
    with store.transaction() as tx:
        assert responses.delete_for_rounds_closed_before(tx, AT + 1000) == 0  # still open
        rounds.set_status(tx, E, round_.id, rounds.CLOSED, AT + 100)
        assert responses.delete_for_rounds_closed_before(tx, AT + 100) == 0
        assert responses.delete_for_rounds_closed_before(tx, AT + 101) == 1
        assert tx.value("SELECT COUNT(*) FROM answers") == 0
        assert rounds.get(tx, E, round_.id) is not None


@pytest.mark.parametrize("changes", [1, 8])
def test_a_save_that_changes_some_answers_stores_exactly_the_new_set(setting, changes):
    store, round_, ann, _ = setting
    ids = [f"PLC-0{i}" for i in range(1, 9)]
    save(store, round_.id, ann.id, 0, [Answer(sid, "plans", "does", f"note {sid}") for sid in ids])
    after = {sid: Answer(sid, "plans", "does", f"note {sid}") for sid in ids[1:]}  # PLC-01 removed
    for sid in ids[1 : 1 + changes]:
        after[sid] = Answer(sid, "does", "reviews", "changed")
    after["LDP-01"] = Answer("LDP-01", "not-yet", None, "")  # added
    saved = save(store, round_.id, ann.id, 1, list(after.values()))
    with store.transaction(write=False) as tx:
        stored = responses.own(tx, round_.id, ann.id)
    assert stored == saved
    assert stored.answers == dict(sorted(after.items()))


def test_a_save_based_on_a_response_read_earlier_is_refused_if_another_save_came_between(setting):
    store, round_, ann, _ = setting
    save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does")])
    with store.transaction(write=False) as tx:
        read_earlier = responses.own(tx, round_.id, ann.id)
    newer = save(store, round_.id, ann.id, 1, [Answer("PLC-01", "does", "does")])
    with pytest.raises(StaleVersion) as refused, store.transaction() as tx:
        responses.save(
            tx,
            round_.id,
            ann.id,
            based_on=1,
            respondent_role=None,
            routes=(),
            answers={},
            submit=False,
            at=AT,
            stored=read_earlier,
        )
    assert refused.value.current == newer


def test_a_save_to_a_round_that_is_no_longer_open_is_refused(setting):
    store, round_, ann, bob = setting
    save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does")])
    with store.transaction(write=False) as tx:
        read_while_open = responses.own(tx, round_.id, ann.id)
    with store.transaction() as tx:
        rounds.set_status(tx, E, round_.id, rounds.CLOSED, AT + 1)
    with pytest.raises(responses.RoundClosed):
        save(store, round_.id, bob.id, 0, [Answer("PLC-01", "plans", "does")])  # a first save
    with pytest.raises(responses.RoundClosed), store.transaction() as tx:
        responses.save(
            tx,
            round_.id,
            ann.id,
            based_on=1,
            respondent_role=None,
            routes=(),
            answers={},
            submit=False,
            at=AT,
            stored=read_while_open,
        )
    with store.transaction(write=False) as tx:
        assert responses.own(tx, round_.id, ann.id) == read_while_open
        assert responses.own(tx, round_.id, bob.id) is None


def test_the_round_and_the_persons_own_response_are_read_together(setting):
    store, round_, ann, bob = setting
    saved = save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does", "a"), Answer("PLC-02", None, None, "")])
    with store.transaction(write=False) as tx:
        assert responses.in_round(tx, E, round_.id, ann.id) == (round_, saved)
        assert responses.in_round(tx, E, round_.id, bob.id) == (round_, None)
        assert responses.in_round(tx, "E07000224", round_.id, ann.id) == (None, None)  # another council's round


def save_one(store, round_id, person_id, answer, based_on, stored, at=AT, statement="PLC-01"):
    with store.transaction() as tx:
        return responses.save_answer(tx, round_id, person_id, statement, answer, based_on=based_on, at=at, stored=stored)


def test_saving_one_answer_changes_that_answer_alone_and_moves_the_version_on(setting):
    store, round_, ann, _ = setting
    first = save_one(store, round_.id, ann.id, Answer("PLC-01", "plans", "does", "a"), 0, None)
    assert (first.version, first.answers) == (1, {"PLC-01": Answer("PLC-01", "plans", "does", "a")})
    whole = save(store, round_.id, ann.id, 1, [Answer("PLC-01", "plans", "does", "a"), Answer("PLC-02", "does", "does")])
    changed = save_one(store, round_.id, ann.id, Answer("PLC-01", "does", "reviews"), 2, whole, at=AT + 9)
    added = save_one(store, round_.id, ann.id, Answer("GOV-01", None, "plans"), 3, changed, statement="GOV-01")
    with store.transaction(write=False) as tx:
        stored = responses.own(tx, round_.id, ann.id)
    assert stored.version == added.version == 4
    assert stored.answers == {
        "GOV-01": Answer("GOV-01", None, "plans"),
        "PLC-01": Answer("PLC-01", "does", "reviews"),
        "PLC-02": Answer("PLC-02", "does", "does"),
    }
    assert (stored.respondent_role, stored.routes) == ("officer", ("commercialisation",))  # kept
    save_one(store, round_.id, ann.id, None, 4, stored, statement="PLC-02")
    with store.transaction(write=False) as tx:
        assert list(responses.own(tx, round_.id, ann.id).answers) == ["GOV-01", "PLC-01"]


def test_saving_one_answer_on_a_response_read_before_another_save_is_refused(setting):
    store, round_, ann, bob = setting
    read_earlier = save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does")])
    newer = save(store, round_.id, ann.id, 1, [Answer("PLC-01", "does", "does")])
    with pytest.raises(StaleVersion):
        save_one(store, round_.id, ann.id, Answer("PLC-01", "not-yet", "plans"), 1, read_earlier)
    with pytest.raises(StaleVersion):  # claiming a version the read does not have
        save_one(store, round_.id, ann.id, Answer("PLC-01", "not-yet", "plans"), 1, newer)
    with pytest.raises(responses.Conflict):  # two first saves: the second takes a key already taken
        save_one(store, round_.id, ann.id, Answer("PLC-01", "not-yet", "plans"), 0, None)
    with store.transaction(write=False) as tx:
        assert responses.own(tx, round_.id, ann.id) == newer
    with store.transaction() as tx:
        rounds.set_status(tx, E, round_.id, rounds.CLOSED, AT + 1)
    with pytest.raises(responses.RoundClosed):
        save_one(store, round_.id, ann.id, Answer("PLC-01", "not-yet", "plans"), 2, newer)
    with pytest.raises(responses.RoundClosed):
        save_one(store, round_.id, bob.id, Answer("PLC-01", "not-yet", "plans"), 0, None)
    with store.transaction(write=False) as tx:
        assert responses.own(tx, round_.id, ann.id) == newer and responses.own(tx, round_.id, bob.id) is None


def test_the_row_saved_alongside_one_answer_is_kept_only_with_it(setting):
    store, round_, ann, _ = setting
    with store.transaction() as tx:
        tx.execute("CREATE TABLE receipts (version INTEGER NOT NULL, at BIGINT NOT NULL)")
    also = lambda saved: ("receipts", {"version": saved.version, "at": saved.updated_at})  # noqa: E731
    with store.transaction() as tx:
        first = responses.save_answer(
            tx, round_.id, ann.id, "PLC-01", Answer("PLC-01", "plans", "does"), based_on=0, at=AT + 1, stored=None, also=also
        )
    with pytest.raises(responses.Conflict), store.transaction() as tx:  # a second first save: the key is taken
        responses.save_answer(tx, round_.id, ann.id, "PLC-01", None, based_on=0, at=AT + 2, stored=None, also=also)
    with store.transaction(write=False) as tx:
        assert tx.all("SELECT version, at FROM receipts") == [{"version": first.version, "at": AT + 1}]


@pytest.fixture
def on_postgresql(postgres_url):
    """A migrated PostgreSQL store, a round and two members: for what only PostgreSQL can do."""
    from functions.store import Store

    store = Store(postgres_url)
    store.migrate()
    with store.transaction() as tx:
        ann, _ = people.find_or_create(tx, "ann@adur-worthing.gov.uk", AT)
        bob, _ = people.find_or_create(tx, "bob@adur-worthing.gov.uk", AT)
        round_ = rounds.open_round(tx, E, "2026", ann.id, AT)
        tx.execute("CREATE TABLE receipts (version INTEGER NOT NULL, at BIGINT NOT NULL)")
    yield store, round_, ann, bob
    store.close()


def test_one_answer_written_by_the_store_on_postgresql_follows_every_rule_of_a_save_in_a_transaction(on_postgresql):
    store, round_, ann, bob = on_postgresql
    also = lambda saved: ("receipts", {"version": saved.version, "at": saved.updated_at})  # noqa: E731

    def alone(person, answer, based_on, stored, statement="PLC-01", at=AT):
        return store.write(
            lambda tx: responses.save_answer(
                tx, round_.id, person.id, statement, answer, based_on=based_on, at=at, stored=stored, also=also
            )
        )

    def own(person):
        with store.transaction(write=False) as tx:
            return responses.own(tx, round_.id, person.id)

    first = alone(ann, Answer("PLC-01", "plans", "does", "a"), 0, None, at=AT + 1)
    assert own(ann) == first and first.version == 1
    whole = save(store, round_.id, ann.id, 1, [Answer("PLC-01", "plans", "does", "a"), Answer("PLC-02", "does", "does")])
    changed = alone(ann, Answer("PLC-01", "does", "reviews"), 2, whole, at=AT + 3)
    added = alone(ann, Answer("GOV-01", None, "plans"), 3, changed, statement="GOV-01", at=AT + 4)
    cleared = alone(ann, None, 4, added, statement="PLC-02", at=AT + 5)
    stored = own(ann)
    assert stored.version == cleared.version == 5 and stored.updated_at == AT + 5
    assert stored.answers == {"GOV-01": Answer("GOV-01", None, "plans"), "PLC-01": Answer("PLC-01", "does", "reviews")}
    assert (stored.respondent_role, stored.routes) == ("officer", ("commercialisation",))
    with pytest.raises(StaleVersion):  # based on a response read before another save
        alone(ann, Answer("PLC-01", "not-yet", "plans"), 4, added)
    with pytest.raises(responses.Conflict):  # a second first save takes a key already taken
        alone(ann, Answer("PLC-01", "not-yet", "plans"), 0, None)
    with store.transaction() as tx:
        rounds.set_status(tx, E, round_.id, rounds.CLOSED, AT + 9)
    with pytest.raises(responses.RoundClosed):
        alone(ann, Answer("PLC-01", "not-yet", "plans"), 5, stored)
    with pytest.raises(responses.RoundClosed):
        alone(bob, Answer("PLC-01", "not-yet", "plans"), 0, None)
    assert own(ann) == stored and own(bob) is None
    with store.transaction(write=False) as tx:  # the row saved alongside: one for each save made, none for the others
        assert [r["at"] for r in tx.all("SELECT at FROM receipts ORDER BY version")] == [AT + 1, AT + 3, AT + 4, AT + 5]


def test_one_answer_saved_in_one_round_trip_on_postgresql_only_when_every_check_holds(on_postgresql):
    """The statement that checks as it writes saves only a member's answer to their council's open round,
    based on the latest version; otherwise nothing is written (and the caller saves the usual way)."""
    store, round_, ann, bob = on_postgresql
    with store.transaction() as tx:
        memberships.add(tx, ann.id, E, "super-user", "operator", AT)
        elsewhere = rounds.open_round(tx, "E07000224", "2026", bob.id, AT)
    first = save(store, round_.id, ann.id, 0, [Answer("PLC-01", "plans", "does", "a")])
    save(store, elsewhere.id, ann.id, 0, [Answer("PLC-01", "plans", "does")])
    save(store, round_.id, bob.id, 0, [Answer("PLC-01", "plans", "does")])

    def at_once(person, based_on, answer=Answer("PLC-02", "does", "reviews", "b"), round_id=round_.id, council=E, key="k1"):
        row = {"person_id": person.id, "idempotency_key": key, "request_hash": "h", "status": 200, "body": "{}", "created_at": AT}
        receipt = ("idempotency_keys", row)
        return responses.save_answer_at_once(
            store, council, round_id, person.id, answer.statement_id, answer, based_on=based_on, at=AT + 7, also=receipt
        )

    def own(person, round_id=round_.id):
        with store.transaction(write=False) as tx:
            return responses.own(tx, round_id, person.id)

    def keys():
        with store.transaction(write=False) as tx:
            return [r["idempotency_key"] for r in tx.all("SELECT idempotency_key FROM idempotency_keys ORDER BY idempotency_key")]

    assert at_once(ann, 1) is True
    saved = own(ann)
    assert (saved.version, saved.updated_at) == (2, AT + 7)
    assert saved.answers == {**first.answers, "PLC-02": Answer("PLC-02", "does", "reviews", "b")}
    assert keys() == ["k1"]
    assert at_once(ann, 2, Answer("PLC-02", "plans", "plans"), key="k2") is True  # an answer already there is replaced
    assert own(ann).answers["PLC-02"] == Answer("PLC-02", "plans", "plans", "") and own(ann).version == 3
    before = own(ann)
    assert at_once(ann, 2, key="k3") is False  # based on an older version
    assert at_once(bob, 1, key="k4") is False  # not a member of the council (though he has a response to its round)
    assert at_once(ann, 1, round_id=elsewhere.id, key="k5") is False  # another council's round under this council
    assert at_once(ann, 1, round_id=elsewhere.id, council="E07000224", key="k6") is False  # not a member there
    with pytest.raises(responses.Conflict):  # an Idempotency-Key used before: the whole statement is undone
        at_once(ann, 3, key="k1")
    with store.transaction() as tx:
        rounds.set_status(tx, E, round_.id, rounds.CLOSED, AT + 9)
    assert at_once(ann, 3, key="k7") is False  # the round is closed
    assert own(ann) == before and own(bob).version == 1 and own(ann, elsewhere.id).version == 1
    assert keys() == ["k1", "k2"]


def test_one_answer_in_one_round_trip_needs_postgresql(setting):
    store, round_, ann, _ = setting
    answer = Answer("PLC-01", "plans", "does")
    if store.dialect == "postgresql":  # Ann is no member, and has no response yet
        assert responses.save_answer_at_once(store, E, round_.id, ann.id, "PLC-01", answer, based_on=1, at=AT) is False
    else:
        with pytest.raises(ValueError):
            responses.save_answer_at_once(store, E, round_.id, ann.id, "PLC-01", answer, based_on=1, at=AT)
