"""Checking a response against the edition: every problem reported with where, what was expected and what was found."""

from __future__ import annotations

from pathlib import Path

import pytest

from functions.assessment import answers
from functions.assessment.responses import Answer

EXAMPLES = Path(__file__).parent.parent / "examples" / "questionnaire"


def body(**answers_by_id):
    return {"version": 0, "answers": answers_by_id}


def wheres(problems):
    return [p.where for p in problems]


def test_a_good_partial_draft_passes_and_keeps_questionnaire_order(edition):
    draft, problems = answers.check(
        edition,
        "county",
        {
            "version": 2,
            "respondent_role": "councillor",
            "routes": ["commercialisation", "process-redesign"],
            "answers": {
                "LDP-01": {"current": "plans", "ambition": "dont-know"},
                "PLC-01": {"current": "does", "ambition": "reviews", "comment": " Yes \r\n"},
            },
        },
    )
    assert problems == []
    assert draft.version == 2 and draft.respondent_role == "councillor" and not draft.submit
    assert draft.routes == ("process-redesign", "commercialisation")  # vocabulary order
    assert list(draft.answers) == ["PLC-01", "LDP-01"]
    assert draft.answers["PLC-01"] == Answer("PLC-01", "does", "reviews", "Yes")


def test_every_problem_is_reported_at_once(edition):
    _, problems = answers.check(
        edition,
        "district",
        {
            "version": -1,
            "respondent_role": "mayor",
            "routes": ["teleportation", "commercialisation", "commercialisation"],
            "answers": {
                "XYZ-99": {"current": "plans", "ambition": "plans"},
                "FIN-02": {"current": "plans", "ambition": "plans"},
                "PLC-01": {"current": "excellent", "ambition": "does", "colour": "red"},
                "PLC-02": {"current": "does", "ambition": "plans"},
                "GOV-01": {"current": "plans", "ambition": "does", "comment": "x" * (answers.COMMENT_MAX + 1)},
                "CAP-01": "plans",
            },
            "submit": "yes",
            "extra": 1,
        },
    )
    assert sorted(wheres(problems)) == sorted(
        [
            "extra",
            "version",
            "respondent_role",
            "routes[0]",
            "routes[2]",
            "answers.XYZ-99",
            "answers.FIN-02",
            "answers.PLC-01.colour",
            "answers.PLC-01.current",
            "answers.PLC-02.ambition",
            "answers.GOV-01.comment",
            "answers.CAP-01",
            "submit",
        ]
    )
    by_where = {p.where: p for p in problems}
    assert by_where["answers.PLC-02.ambition"].message == (
        "answers.PLC-02.ambition: expected a stage at or above the current stage (does), or dont-know, got 'plans'"
    )
    assert "does not apply to district councils" in by_where["answers.FIN-02"].message
    assert (
        by_where["answers.GOV-01.comment"].message
        == f"answers.GOV-01.comment: expected at most 2000 characters, got {answers.COMMENT_MAX + 1}"
    )
    assert by_where["routes[0]"].got == "'teleportation'"
    assert all(p.says for p in problems)


def test_ambition_below_current_is_allowed_only_with_dont_know(edition):
    _, problems = answers.check(
        edition,
        None,
        body(
            **{
                "PLC-01": {"current": "dont-know", "ambition": "not-yet"},
                "PLC-02": {"current": "reviews", "ambition": "dont-know"},
            }
        ),
    )
    assert problems == []


def test_required_statements_need_both_parts_and_each_missing_part_is_named(edition):
    _, problems = answers.check(edition, "county", body(**{"PLC-01": {"current": "plans"}}), required=["PLC-01", "PLC-02"])
    assert wheres(problems) == ["answers.PLC-01.ambition", "answers.PLC-02.current", "answers.PLC-02.ambition"]
    assert problems[1].says == "Select where your council is now"


def test_a_statement_with_a_wrong_value_is_not_also_reported_missing(edition):
    _, problems = answers.check(edition, "county", body(**{"PLC-01": {"current": "soon", "ambition": None}}), required=["PLC-01"])
    assert wheres(problems) == ["answers.PLC-01.current"]


@pytest.mark.parametrize(
    "sent, where",
    [
        ("[]", "body"),
        ({"answers": {}}, "version"),
        ({"version": True, "answers": {}}, "version"),
        ({"version": 2**31, "answers": {}}, "version"),
        ({"version": 0, "answers": []}, "answers"),
        ({"version": 0, "routes": "commercialisation"}, "routes"),
        ({"version": 0, "answers": {"PLC-01": {"current": "plans", "ambition": "does", "comment": 7}}}, "answers.PLC-01.comment"),
        (
            {"version": 0, "answers": {"PLC-01": {"current": "plans", "ambition": "does", "comment": "nul\x00"}}},
            "answers.PLC-01.comment",
        ),
        (
            {"version": 0, "answers": {"PLC-01": {"current": "plans", "ambition": "does", "comment": "\ud800"}}},
            "answers.PLC-01.comment",
        ),
        ({"version": 0, "answers": {"PLC-01": {"current": ["plans"], "ambition": "does"}}}, "answers.PLC-01.current"),
    ],
)
def test_malformed_bodies_are_problems_not_errors(edition, sent, where):
    draft, problems = answers.check(edition, "county", [] if sent == "[]" else sent)
    assert draft is None
    assert where in wheres(problems)


def test_messages_never_repeat_characters_that_cannot_be_stored_or_shown(edition):
    _, problems = answers.check(edition, "county", {"version": 0, "answers": {"\ud800\x00": {}}, "\x07": 1})
    for p in problems:
        assert not answers.UNSTORABLE.search(p.message), p.message
        p.message.encode("utf-8")


# -- one statement's answer -----------------------------------------------------------------------


def test_one_answer_passes_the_same_checks_and_an_empty_one_clears(edition):
    draft, problems = answers.check_answer(
        edition, "county", "PLC-01", {"version": 4, "current": "does", "ambition": "reviews", "comment": " Yes \r\n"}
    )
    assert problems == []
    assert draft == answers.AnswerDraft(4, "PLC-01", Answer("PLC-01", "does", "reviews", "Yes"))
    cleared, _ = answers.check_answer(edition, "county", "PLC-01", {"version": 4, "current": None, "comment": "  "})
    assert cleared == answers.AnswerDraft(4, "PLC-01", None)


def test_every_problem_with_one_answer_is_reported_at_once(edition):
    _, problems = answers.check_answer(
        edition,
        "district",
        "FIN-02",
        {"version": "3", "current": "does", "ambition": "plans", "comment": "\x00", "answers": {}},
    )
    assert sorted(wheres(problems)) == ["ambition", "answers", "comment", "statement_id", "version"]
    by_where = {p.where: p for p in problems}
    assert by_where["statement_id"].message == (
        "statement_id: expected a statement that applies to district councils, got FIN-02, which does not"
    )
    assert by_where["answers"].message == "answers: expected only version, current, ambition, comment, got an unknown field"
    assert all(p.says for p in problems)


@pytest.mark.parametrize(
    "statement, sent, where",
    [
        ("PLC-01", [], "body"),
        ("PLC-01", {"current": "plans"}, "version"),
        ("XYZ-99", {"version": 0}, "statement_id"),
        ("\ud800\x00", {"version": 0}, "statement_id"),
        ("PLC-01", {"version": 0, "current": ["plans"]}, "current"),
        ("PLC-01", {"version": 0, "comment": 7}, "comment"),
        ("PLC-01", {"version": 0, "comment": "x" * (answers.COMMENT_MAX + 1)}, "comment"),
    ],
)
def test_malformed_bodies_of_one_answer_are_problems_not_errors(edition, statement, sent, where):
    draft, problems = answers.check_answer(edition, "county", statement, sent)
    assert draft is None
    assert where in wheres(problems)
    for p in problems:
        assert not answers.UNSTORABLE.search(p.message), p.message


def test_one_answer_of_a_submitted_response_needs_both_stages(edition):
    _, problems = answers.check_answer(edition, "county", "PLC-01", {"version": 1, "current": "plans"}, required=True)
    assert wheres(problems) == ["ambition"]
    _, problems = answers.check_answer(edition, "county", "PLC-01", {"version": 1}, required=True)
    assert wheres(problems) == ["current", "ambition"]
    draft, problems = answers.check_answer(
        edition, "county", "PLC-01", {"version": 1, "current": "dont-know", "ambition": "plans"}, required=True
    )
    assert problems == [] and draft.answer.current == "dont-know"
