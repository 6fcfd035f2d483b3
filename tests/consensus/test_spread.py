"""The spread of individual answers and the disagreement-first agenda."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from functions.consensus import spread


def person(role=None, person_id=None, routes=(), **answers):
    """A response: statement id -> (current, ambition[, comment])."""
    return SimpleNamespace(
        person_id=person_id,
        respondent_role=role,
        routes=routes,
        answers={
            sid.replace("_", "-"): SimpleNamespace(current=a[0], ambition=a[1], comment=a[2] if len(a) > 2 else "")
            for sid, a in answers.items()
        },
    )


def test_distribution_counts_each_stage_and_dont_know_apart():
    d = spread.distribution(["plans", "does", "dont-know", None, "plans"])
    assert d.counts == (0, 0, 2, 1, 0)
    assert d.dont_know == 1
    assert (d.staged, d.total) == (3, 4)


def test_range_ignores_dont_know():
    d = spread.distribution(["not-yet", "dont-know", "dont-know"])
    assert d.range == 0
    assert spread.distribution(["not-yet", "reviews", "dont-know"]).range == 4


def test_standard_deviation_separates_a_split_room_from_one_outlier():
    split = spread.distribution(["not-yet", "not-yet", "reviews", "reviews"])
    outlier = spread.distribution(["not-yet", "reviews", "reviews", "reviews"])
    assert split.range == outlier.range == 4
    assert split.sd == pytest.approx(2.0)
    assert outlier.sd == pytest.approx(1.7320508)
    assert split.sd > outlier.sd


def test_median_of_an_even_count_is_the_lower_middle_stage():
    assert spread.distribution(["understands", "does"]).median == "understands"
    assert spread.distribution(["understands", "plans", "does"]).median == "plans"
    assert spread.distribution(["dont-know"]).median is None


def test_agenda_puts_the_widest_range_first_and_keeps_questionnaire_order_for_ties(edition):
    responses = [
        person(PLC_01=("plans", "does"), FIN_01=("not-yet", "does"), GOV_01=("does", "does")),
        person(PLC_01=("plans", "does"), FIN_01=("reviews", "reviews"), GOV_01=("plans", "does")),
        person(PLC_01=("plans", "does"), FIN_01=("does", "reviews"), GOV_01=("does", "does")),
    ]
    order = [s.statement.id for s in spread.spreads(edition, responses)]
    assert order[:2] == ["FIN-01", "GOV-01"]
    # everything else agrees (or is unanswered): questionnaire order
    assert order[2:] == ["PLC-01", "PLC-02", "LDP-01", "FIN-02", "CAP-01"]


def test_ambition_disagreement_breaks_ties_in_current_stage(edition):
    responses = [
        person(PLC_01=("plans", "does"), PLC_02=("plans", "plans")),
        person(PLC_01=("plans", "does"), PLC_02=("plans", "reviews")),
    ]
    order = [s.statement.id for s in spread.spreads(edition, responses)]
    assert order[0] == "PLC-02"


def test_dont_know_answers_come_before_full_agreement(edition):
    responses = [
        person(LDP_01=("dont-know", "does"), CAP_01=("does", "does")),
        person(LDP_01=("does", "does"), CAP_01=("does", "does")),
    ]
    order = [s.statement.id for s in spread.spreads(edition, responses)]
    assert order.index("LDP-01") < order.index("CAP-01")


def test_roles_are_shown_side_by_side_only_when_someone_said_theirs(edition):
    nobody_said = spread.spreads(edition, [person(PLC_01=("plans", "does")), person(PLC_01=("does", "does"))])
    assert nobody_said[0].by_role == ()
    some_said = spread.spreads(
        edition,
        [
            person("officer", PLC_01=("does", "does")),
            person("officer", PLC_01=("does", "reviews")),
            person("councillor", PLC_01=("not-yet", "plans")),
            person("councillor", PLC_01=("understands", "plans")),
            person(None, PLC_01=("plans", "plans")),
            person(None, PLC_01=("plans", "does")),
        ],
    )
    plc = next(s for s in some_said if s.statement.id == "PLC-01")
    groups = {g.role: g for g in plc.by_role}
    assert [g.label for g in plc.by_role] == ["Officers", "Councillors", "Did not say"]
    assert groups["officer"].current.counts == (0, 0, 0, 2, 0)
    assert groups["councillor"].current.counts == (1, 1, 0, 0, 0)
    assert groups["councillor"].people == 2
    assert groups["unsaid"].current.counts == (0, 0, 2, 0, 0)


def test_a_group_of_one_withholds_every_role_group_since_the_others_would_give_it_away(edition):
    responses = [
        person("officer", PLC_01=("does", "does")),
        person("officer", PLC_01=("plans", "does")),
        person("officer", PLC_01=("plans", "reviews")),
        person("councillor", PLC_01=("not-yet", "plans")),  # alone: this column would be one councillor's answer
    ]
    roles = spread.role_groups(responses)
    assert (roles.groups, roles.withheld, roles.said) == ((), ("Councillors",), True)
    assert all(s.by_role == () for s in spread.spreads(edition, responses))
    # a group nobody is in shows nobody's answers, so it withholds nothing
    assert spread.role_groups(responses[:3]).withheld == ()


def test_the_readers_own_response_does_not_count_towards_a_groups_size(edition):
    responses = [
        person("officer", "sue", PLC_01=("does", "does")),  # the super-user reading the agenda
        person("officer", "ada", PLC_01=("plans", "does")),
        person("councillor", "bob", PLC_01=("not-yet", "plans")),
        person("councillor", "cat", PLC_01=("plans", "plans")),
    ]
    assert spread.role_groups(responses).withheld == ()
    # sue knows her own answers: the officers' column less hers is ada's
    assert spread.role_groups(responses, reader_id="sue").withheld == ("Officers",)
    assert all(s.by_role == () for s in spread.spreads(edition, responses, reader_id="sue"))
    assert spread.role_groups(responses + [person("officer", "dan", PLC_01=("does", "does"))], reader_id="sue").groups


def test_statements_that_do_not_apply_to_the_council_are_left_out(edition):
    ids = [s.statement.id for s in spread.spreads(edition, [], council_type="district")]
    assert "FIN-02" not in ids
    assert "FIN-02" in [s.statement.id for s in spread.spreads(edition, [], council_type="unitary")]


def test_comments_are_counted_not_carried(edition):
    responses = [person(PLC_01=("plans", "does", "We lack data")), person(PLC_01=("plans", "does", "  "))]
    plc = next(s for s in spread.spreads(edition, responses) if s.statement.id == "PLC-01")
    assert plc.comments == 1
    assert "We lack data" not in repr(plc)


def test_with_one_other_respondent_nothing_is_counted_since_less_the_readers_own_it_is_theirs(edition):
    sue = person("officer", "sue", routes=("process-redesign",), PLC_01=("plans", "does"), GOV_01=("plans", "does"))
    ada = person(
        "officer",
        "ada",
        routes=("commercialisation",),
        PLC_01=("not-yet", "reviews", "Ada's view"),
        GOV_01=("reviews", "reviews"),
    )
    for responses in ([sue, ada], [ada]):  # whether or not the reader has answered, the rest is ada's
        assert spread.everyone_withheld(responses, reader_id="sue")
        assert spread.route_votes(responses, reader_id="sue") is None
        found = spread.spreads(edition, responses, council_type="unitary", reader_id="sue")
        # questionnaire order: ordering by disagreement would say how far ada is from sue
        assert [s.statement.id for s in found] == [s.id for s in edition.statements]
        for s in found:
            assert s.withheld and s.by_role == () and s.comments == 0
            assert s.current.total == s.ambition.total == 0 and s.current.range == 0 and s.current.median is None


def test_the_spread_is_counted_from_two_respondents_besides_the_reader_or_the_readers_own_alone(edition):
    sue = person("officer", "sue", routes=("process-redesign",), PLC_01=("plans", "does"))
    ada = person(None, "ada", routes=("commercialisation",), PLC_01=("not-yet", "reviews"))
    bob = person(None, "bob", routes=("commercialisation",), PLC_01=("reviews", "reviews"))
    assert spread.MIN_RESPONDENTS == 2
    assert not spread.everyone_withheld([sue, ada, bob], reader_id="sue")
    found = spread.spreads(edition, [sue, ada, bob], reader_id="sue")
    assert found[0].statement.id == "PLC-01" and not found[0].withheld
    assert found[0].current.counts == (1, 0, 1, 0, 1)
    assert spread.route_votes([sue, ada, bob], reader_id="sue") == {"commercialisation": 2, "process-redesign": 1}
    # the reader's own answers alone show nobody else's
    assert not spread.everyone_withheld([sue], reader_id="sue")
    assert spread.spreads(edition, [sue], reader_id="sue")[0].current.counts == (0, 0, 1, 0, 0)
    # with no reader named, one response is one person's answers
    assert spread.everyone_withheld([ada])
