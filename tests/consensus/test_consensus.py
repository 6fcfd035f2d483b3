"""The consensus in the store (SQLite and PostgreSQL): drafts with versions, publishing, and what the benchmarks may read."""

from __future__ import annotations

import pytest

from functions.assessment import rounds
from functions.consensus import store as consensus
from functions.people import privacy
from functions.people import store as people

T0 = 1_780_000_000  # 2026-05-28


def person(store, email):
    with store.transaction() as tx:
        return people.find_or_create(tx, email, T0)[0]


def open_round(store, council="ABE", at=T0, edition="2026"):
    with store.transaction() as tx:
        return rounds.open_round(tx, council, edition, None, at)


def save(store, round_id, sid, current, ambition, based_on=0, who=None, rationale=""):
    with store.transaction() as tx:
        return consensus.save_draft(
            tx, round_id, sid, current=current, ambition=ambition, rationale=rationale, based_on=based_on, person_id=who, at=T0
        )


def record_all(store, edition, round_id, who, council_type="unitary", current="plans", ambition="does"):
    for s in edition.statements:
        if s.applies(council_type):
            save(store, round_id, s.id, current, ambition, who=who)


def publish(store, edition, round_, who, sharing="similar", council_type="unitary", at=T0):
    with store.transaction() as tx:
        seen = consensus.fingerprint(consensus.drafts(tx, round_.id), consensus.routes_draft(tx, round_.id))
        return consensus.publish(tx, round_, edition, council_type, sharing=sharing, seen=seen, person_id=who, at=at)


def test_a_draft_is_saved_and_each_save_moves_its_version_on(fresh_store):
    ada = person(fresh_store, "ada@aberdeencity.gov.uk")
    r = open_round(fresh_store)
    first = save(fresh_store, r.id, "PLC-01", "plans", "does", who=ada.id, rationale="Agreed after discussion")
    assert (first.version, first.current, first.rationale, first.updated_by) == (1, "plans", "Agreed after discussion", ada.email)
    second = save(fresh_store, r.id, "PLC-01", "does", "reviews", based_on=1, who=ada.id)
    assert (second.version, second.current) == (2, "does")


def test_a_save_based_on_an_older_version_is_refused_and_says_what_is_stored(fresh_store):
    ada = person(fresh_store, "ada@aberdeencity.gov.uk")
    bea = person(fresh_store, "bea@aberdeencity.gov.uk")
    r = open_round(fresh_store)
    save(fresh_store, r.id, "PLC-01", "plans", "does", who=ada.id)
    save(fresh_store, r.id, "PLC-01", "does", "does", based_on=1, who=bea.id)
    with pytest.raises(consensus.StaleDraft) as caught:
        save(fresh_store, r.id, "PLC-01", "understands", "plans", based_on=1, who=ada.id)
    assert caught.value.current.version == 2
    assert caught.value.current.current == "does"
    assert caught.value.current.updated_by == "bea@aberdeencity.gov.uk"
    with fresh_store.transaction() as tx:
        assert consensus.draft(tx, r.id, "PLC-01").current == "does"


def test_two_first_saves_of_the_same_statement_do_not_both_win(fresh_store):
    r = open_round(fresh_store)
    save(fresh_store, r.id, "GOV-01", "plans", "does")
    with pytest.raises(consensus.StaleDraft):
        save(fresh_store, r.id, "GOV-01", "does", "does", based_on=0)


def test_routes_are_kept_in_vocabulary_order_with_a_version(fresh_store):
    r = open_round(fresh_store)
    with fresh_store.transaction() as tx:
        saved = consensus.save_routes(tx, r.id, ("commercialisation", "process-redesign"), based_on=0, person_id=None, at=T0)
    assert saved.routes == ("process-redesign", "commercialisation") and saved.version == 1
    with pytest.raises(consensus.StaleDraft), fresh_store.transaction() as tx:
        consensus.save_routes(tx, r.id, (), based_on=0, person_id=None, at=T0)


def test_checks_report_every_problem(edition):
    problems = consensus.check_answer(edition, "unitary", "PLC-01", "sometimes", "", "x" * 1001)
    assert [p["where"] for p in problems] == ["current", "ambition", "rationale"]
    assert problems[0]["message"].startswith(
        "current: expected one of not-yet, understands, plans, does, reviews; got 'sometimes'"
    )
    lower = consensus.check_answer(edition, "unitary", "PLC-01", "does", "plans", "")
    assert lower == [
        {"where": "ambition", "message": "ambition: expected a stage at or above the current stage (Does), got Plans"}
    ]
    assert consensus.check_answer(edition, "district", "FIN-02", "does", "does", "")[0]["where"] == "statement"
    assert consensus.check_routes(["mix", "commercialisation"]) == [
        {
            "where": "routes",
            "message": "routes: expected one of process-redesign, customer-centric-design, commercialisation, community-focus-and-prevention; got 'mix'",
        }
    ]


def test_publishing_needs_every_applicable_statement_and_a_sharing_choice(fresh_store, edition):
    r = open_round(fresh_store)
    save(fresh_store, r.id, "PLC-01", "plans", "does")
    with fresh_store.transaction() as tx:
        problems = consensus.publish_problems(edition, "district", consensus.drafts(tx, r.id), "friends")
    wheres = [p["where"] for p in problems]
    assert wheres == ["sharing", "PLC-02", "LDP-01", "FIN-01", "GOV-01", "CAP-01"]  # FIN-02 does not apply to districts


def test_publishing_copies_the_draft_numbers_the_version_and_closes_the_round(fresh_store, edition):
    ada = person(fresh_store, "ada@aberdeencity.gov.uk")
    r = open_round(fresh_store)
    record_all(fresh_store, edition, r.id, ada.id)
    with fresh_store.transaction() as tx:
        consensus.save_routes(tx, r.id, ("process-redesign",), based_on=0, person_id=ada.id, at=T0)
    first = publish(fresh_store, edition, r, ada.id, sharing="council")
    assert (first.version, first.sharing, first.routes, first.council, first.year) == (
        1,
        "council",
        ("process-redesign",),
        "ABE",
        2026,
    )
    assert first.answers["FIN-02"].current == "plans"
    with fresh_store.transaction() as tx:
        assert rounds.get(tx, "ABE", r.id).status == rounds.PUBLISHED
    second = publish(fresh_store, edition, r, ada.id, sharing="public")
    assert second.version == 2
    with fresh_store.transaction() as tx:
        assert consensus.latest(tx, r.id).sharing == "public"


def test_publishing_is_refused_when_the_draft_changed_after_the_page_was_shown(fresh_store, edition):
    r = open_round(fresh_store)
    record_all(fresh_store, edition, r.id, None)
    with fresh_store.transaction() as tx:
        seen = consensus.fingerprint(consensus.drafts(tx, r.id), None)
    save(fresh_store, r.id, "PLC-01", "does", "does", based_on=1)
    with pytest.raises(consensus.ChangedSincePublishPage), fresh_store.transaction() as tx:
        consensus.publish(tx, r, edition, "unitary", sharing="council", seen=seen, person_id=None, at=T0)
    with fresh_store.transaction() as tx:
        assert consensus.latest(tx, r.id) is None


def test_the_publisher_can_see_and_erase_their_part_and_the_official_response_stays(fresh_store, edition):
    ada = person(fresh_store, "ada@aberdeencity.gov.uk")
    r = open_round(fresh_store)
    record_all(fresh_store, edition, r.id, ada.id)
    publish(fresh_store, edition, r, ada.id)
    with fresh_store.transaction() as tx:
        held = privacy.export(tx, ada, T0)["tables"]
        assert len(held["consensus_responses.published_by"]) == 1
        assert len(held["consensus_drafts.updated_by"]) == 7
        privacy.erase(tx, ada, T0)
    with fresh_store.transaction() as tx:
        kept = consensus.latest(tx, r.id)
        assert kept.published_by is None and len(kept.answers) == 7
        assert consensus.draft(tx, r.id, "PLC-01").updated_by is None


def test_shared_consensus_gives_each_councils_latest_shared_response_as_stage_ids_only(fresh_store, edition):
    ada = person(fresh_store, "ada@aberdeencity.gov.uk")
    # ABE: 2026 round published for the council, then shared with similar councils
    abe = open_round(fresh_store, "ABE")
    record_all(fresh_store, edition, abe.id, ada.id)
    with fresh_store.transaction() as tx:
        tx.execute("UPDATE consensus_drafts SET rationale = 'Cllr Smith disagreed' WHERE round_id = ?", (abe.id,))
    publish(fresh_store, edition, abe, ada.id, sharing="council")
    publish(fresh_store, edition, abe, ada.id, sharing="similar")
    # ABD: shared publicly in 2026, then its 2027 round (same edition) published for the council only: withdrawn
    abd = open_round(fresh_store, "ABD")
    record_all(fresh_store, edition, abd.id, None)
    publish(fresh_store, edition, abd, None, sharing="public")
    abd_next = open_round(fresh_store, "ABD", at=T0 + 365 * 86400)
    record_all(fresh_store, edition, abd_next.id, None)
    publish(fresh_store, edition, abd_next, None, sharing="council")
    # ANS: public, published for a different edition
    ans = open_round(fresh_store, "ANS", edition="2025")
    record_all(fresh_store, edition, ans.id, None)
    publish(fresh_store, edition, ans, None, sharing="public")
    with fresh_store.transaction() as tx:
        shared = consensus.shared_consensus(tx, 2**62, "2026")
    assert [(s.council, s.version, s.sharing) for s in shared] == [("ABE", 2, "similar")]
    abe_shared = shared[0]
    assert abe_shared.answers["PLC-01"] == ("plans", "does")
    assert set(abe_shared.answers) == {s.id for s in edition.statements}
    assert "Cllr Smith" not in repr(abe_shared)
    assert ada.id not in repr(abe_shared) and ada.email not in repr(abe_shared)


def test_the_outside_view_of_a_response_has_stages_and_routes_but_no_free_text_and_no_person(fresh_store, edition):
    ada = person(fresh_store, "ada@aberdeencity.gov.uk")
    r = open_round(fresh_store)
    record_all(fresh_store, edition, r.id, ada.id)
    save(fresh_store, r.id, "FIN-01", "understands", "does", based_on=1, who=ada.id, rationale="No agreed plan yet")
    with fresh_store.transaction() as tx:
        consensus.save_routes(tx, r.id, ("process-redesign",), based_on=0, person_id=ada.id, at=T0)
    publish(fresh_store, edition, r, ada.id, sharing="public")
    with fresh_store.transaction(write=False) as tx:
        whole = consensus.latest(tx, r.id)
    outside = consensus.outside_view(whole)
    assert whole.answers["FIN-01"].rationale == "No agreed plan yet" and whole.published_by == ada.id
    assert outside.published_by is None
    assert {a.rationale for a in outside.answers.values()} == {""}
    assert {sid: (a.current, a.ambition) for sid, a in outside.answers.items()} == {
        sid: (a.current, a.ambition) for sid, a in whole.answers.items()
    }
    assert (outside.routes, outside.sharing, outside.version) == (("process-redesign",), "public", 1)
