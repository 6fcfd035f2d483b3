"""A person's answers are theirs: exported with everything else, erased with them, and deleted a year after the round closes."""

from __future__ import annotations

from functions import retention
from functions.assessment import idempotency, responses, rounds
from functions.assessment.responses import Answer
from functions.people import privacy

DAY = 86400
AT = 1767225600 + 10 * DAY  # 11 January 2026


def _setup(fresh_store):
    from functions.councils import memberships
    from functions.people import store as people

    with fresh_store.transaction() as tx:
        ann, _ = people.find_or_create(tx, "ann@eastsussex.gov.uk", AT)
        bob, _ = people.find_or_create(tx, "bob@eastsussex.gov.uk", AT)
        memberships.add(tx, ann.id, "ESX", "member", "operator", AT)
        memberships.add(tx, bob.id, "ESX", "super-user", "operator", AT)  # members are not erased as idle accounts
        round_ = rounds.open_round(tx, "ESX", "2026", ann.id, AT)
        for person, stage in ((ann, "plans"), (bob, "does")):
            responses.save(
                tx,
                round_.id,
                person.id,
                based_on=0,
                respondent_role=None,
                routes=(),
                answers={"PLC-01": Answer("PLC-01", stage, "reviews", "mine")},
                submit=False,
                at=AT,
            )
        idempotency.remember(tx, ann.id, "key-1", "hash", idempotency.Outcome(200, "{}"), AT)
    return round_, ann, bob


def test_an_export_holds_the_persons_own_responses_and_answers_only(fresh_store):
    round_, ann, _ = _setup(fresh_store)
    with fresh_store.transaction(write=False) as tx:
        tables = privacy.export(tx, ann, AT)["tables"]
    assert [r["current"] for r in tables["answers.response_id"]] == ["plans"]
    assert [r["person_id"] for r in tables["responses.person_id"]] == [ann.id]
    assert [r["id"] for r in tables["rounds.opened_by"]] == [round_.id]
    assert "request_hash" not in tables["idempotency_keys.person_id"][0]


def test_erasure_removes_the_persons_answers_and_forgets_the_round_they_opened(fresh_store):
    round_, ann, bob = _setup(fresh_store)
    with fresh_store.transaction() as tx:
        privacy.erase(tx, ann, AT)
    with fresh_store.transaction(write=False) as tx:
        assert [r.person_id for r in responses.for_round(tx, round_.id)] == [bob.id]
        assert tx.value("SELECT COUNT(*) FROM answers") == 1
        assert tx.value("SELECT COUNT(*) FROM idempotency_keys") == 0
        assert tx.value("SELECT opened_by FROM rounds WHERE id = ?", (round_.id,)) is None


def test_retention_deletes_answers_a_year_after_the_round_closes_and_idempotency_records_after_a_day(fresh_store):
    round_, _, _ = _setup(fresh_store)
    removed = retention.run(fresh_store, AT + 400 * DAY)
    assert removed["Individual answers and comments"] == 0  # the round is still open
    assert removed["Records that let a retried save be stored once"] == 1
    with fresh_store.transaction() as tx:
        rounds.set_status(tx, "ESX", round_.id, rounds.CLOSED, AT + 30 * DAY)
    assert retention.run(fresh_store, AT + 30 * DAY + 364 * DAY)["Individual answers and comments"] == 0
    assert retention.run(fresh_store, AT + 30 * DAY + 366 * DAY)["Individual answers and comments"] == 2
    with fresh_store.transaction(write=False) as tx:
        assert tx.value("SELECT COUNT(*) FROM answers") == 0
        assert rounds.get(tx, "ESX", round_.id) is not None
