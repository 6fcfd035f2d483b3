"""Downloads: CSV and JSON of the answers and of the action plan."""

from __future__ import annotations

import csv
import io
import json

import pytest

from functions.results import compute as results
from functions.results import exports, next_steps
from model.questionnaire import load_all
from tests.factories import EXAMPLES


@pytest.fixture(scope="module")
def computed():
    editions, problems = load_all(EXAMPLES / "questionnaire")
    assert not problems
    answers = {
        "PLC-01": {"current": "understands", "ambition": "does", "comment": '=HYPERLINK("http://evil")'},
        "FIN-01": {"current": "not-yet", "ambition": "plans", "comment": "Needs a plan, soon"},
        "GOV-01": {"current": "dont-know", "ambition": "does", "comment": "Ask the finance team"},
    }
    r = results.compute(editions["2026"], answers, council_type="district", routes=("process-redesign",))
    library = [
        {
            "url": "/guidance/budget-consultation/",
            "title": "Running a budget consultation",
            "kind": "guidance",
            "theme": ["financial-planning"],
            "statements": ["FIN-01"],
            "stages": ["not-yet"],
            "summary": "How to ask residents about spending choices.",
        },
        {
            "url": "/support/peer-challenge/",
            "title": "Corporate peer challenge",
            "kind": "support",
            "theme": ["place-and-priorities"],
        },
    ]
    return r, next_steps.plan(r, library)


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_answers_csv_has_a_row_per_applicable_statement(computed):
    r, _ = computed
    table = rows(exports.answers_csv(r))
    assert [row["statement_id"] for row in table] == ["PLC-01", "PLC-02", "LDP-01", "FIN-01", "GOV-01", "CAP-01"]
    fin = table[3]
    assert (fin["current_stage"], fin["current"], fin["ambition"], fin["gap"], fin["note"]) == (
        "not-yet",
        "Not yet",
        "Plans",
        "2",
        "Needs a plan, soon",
    )
    assert table[4]["current"] == "Don't know" and table[4]["gap"] == ""


def test_a_formula_in_a_comment_stays_text_in_the_csv(computed):
    r, _ = computed
    assert rows(exports.answers_csv(r))[0]["note"] == '\'=HYPERLINK("http://evil")'


def test_action_plan_csv_lists_areas_in_priority_order_with_full_links(computed):
    r, plan = computed
    table = rows(exports.plan_csv(r, plan, "https://exchange.example"))
    improve = [row for row in table if row["section"] == "area for improvement"]
    assert [(row["priority"], row["statement_id"]) for row in improve] == [("1", "FIN-01"), ("2", "PLC-01")]
    assert improve[0]["resources"] == (
        "Running a budget consultation (https://exchange.example/guidance/budget-consultation/): "
        "How to ask residents about spending choices. (why: written for statement FIN-01; for councils at the stage “Not yet”; same theme)"
    )
    assert (
        improve[1]["support"] == "Corporate peer challenge (https://exchange.example/support/peer-challenge/) (why: same theme)"
    )


def test_action_plan_csv_ends_with_the_statements_to_find_out_about(computed):
    r, plan = computed
    table = rows(exports.plan_csv(r, plan, "https://exchange.example"))
    assert [row["section"] for row in table] == ["area for improvement"] * 2 + ["to find out"] * 4
    find_out = table[2:]
    assert [row["statement_id"] for row in find_out] == ["PLC-02", "LDP-01", "GOV-01", "CAP-01"]
    assert [row["current"] for row in find_out] == ["Not answered", "Not answered", "Don't know", "Not answered"]
    assert {(row["priority"], row["gap"], row["resources"], row["support"]) for row in find_out} == {("", "", "", "")}


def test_json_downloads_carry_the_same_answers_and_plan(computed):
    r, plan = computed
    meta = {"council": "ABE", "round": "r1", "response": "official"}
    answers = json.loads(exports.answers_json(meta, r))
    assert answers["council"] == "ABE" and answers["edition"] == "2026"
    assert answers["routes"] == [{"id": "process-redesign", "label": "Process redesign"}]
    assert {a["statement_id"]: a["current_stage"] for a in answers["answers"]}["FIN-01"] == "not-yet"
    assert answers["answers"][0]["note"] == '=HYPERLINK("http://evil")'  # JSON is not a spreadsheet: kept as written
    doc = json.loads(exports.plan_json(meta, r, plan, "https://exchange.example"))
    assert doc["action_plan"][0]["statement_id"] == "FIN-01"
    assert doc["action_plan"][0]["resources"] == [
        {
            "title": "Running a budget consultation",
            "url": "https://exchange.example/guidance/budget-consultation/",
            "summary": "How to ask residents about spending choices.",
            "reasons": ["written for statement FIN-01", "for councils at the stage “Not yet”", "same theme"],
        }
    ]
    assert doc["action_plan"][1]["support"][0]["reasons"] == ["same theme"]
    assert [(x["statement_id"], x["current"]) for x in doc["to_find_out"]] == [
        ("PLC-02", "Not answered"),
        ("LDP-01", "Not answered"),
        ("GOV-01", "Don't know"),
        ("CAP-01", "Not answered"),
    ]


def test_without_notes_the_free_text_column_is_left_out_of_every_download(computed):
    r, plan = computed
    meta = {"council": "ABE", "response": "official"}
    answers, plan_table = (
        rows(exports.answers_csv(r, notes=False)),
        rows(exports.plan_csv(r, plan, "https://x.example", notes=False)),
    )
    assert "note" not in answers[0] and "note" not in plan_table[0]
    assert [row["current_stage"] for row in answers][:4] == ["understands", "", "", "not-yet"]
    docs = [exports.answers_json(meta, r, notes=False), exports.plan_json(meta, r, plan, "https://x.example", notes=False)]
    parts = ("answers", "action_plan", "to_find_out")
    assert all("note" not in row for doc in docs for part in parts for row in json.loads(doc).get(part, []))
    for text in [exports.answers_csv(r, notes=False), exports.plan_csv(r, plan, "https://x.example", notes=False), *docs]:
        assert "HYPERLINK" not in text and "Needs a plan, soon" not in text and "Ask the finance team" not in text
    # the council's members get the note of a statement to find out about, as the page shows it to them
    assert rows(exports.plan_csv(r, plan, "https://x.example"))[4]["note"] == "Ask the finance team"
    assert json.loads(exports.plan_json(meta, r, plan, "https://x.example"))["to_find_out"][2]["note"] == "Ask the finance team"
