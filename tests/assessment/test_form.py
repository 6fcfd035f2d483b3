"""The form generated from the questionnaire: steps, fieldsets and legends, errors beside fields and summarised, read back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from functions.assessment import answers, form
from model import vocabulary as v
from tests.html_tree import parse

EXAMPLES = Path(__file__).parent.parent / "examples" / "questionnaire"
BASE = "/app/councils/E07000223/rounds/r1/answer/"


def render(edition, slug, council_type="county", values=None, problems=None):
    step = form.step(edition, slug)
    problems = problems or {}
    html = (
        form.error_summary(problems)
        + form.progress(edition, step, BASE)
        + form.step_fields(edition, step, council_type, values or {}, problems)
    )
    return parse(html)


def test_there_is_an_about_step_a_step_per_theme_and_a_review_step(edition):
    steps = form.steps(edition)
    assert [s.slug for s in steps] == ["about", *v.THEMES.ids, "review"]
    assert [s.number for s in steps] == list(range(1, 8))
    assert form.next_step(edition, steps[0]).slug == v.THEMES.ids[0]
    assert form.next_step(edition, steps[-1]).slug == "review"


def test_the_progress_indicator_says_where_you_are_and_marks_the_current_step(edition):
    tree = render(edition, "leadership-of-place")
    nav = tree.find("nav")
    assert nav.attrs["aria-label"]
    assert "Step 3 of 7" in nav.text
    links = nav.find("ol").find_all("a")
    assert [a.attrs["href"] for a in links] == [BASE + s.slug for s in form.steps(edition)]
    assert [a.attrs.get("aria-current") for a in links] == [None, None, "step", None, None, None, None]


def test_each_statement_is_a_fieldset_with_its_text_as_legend_help_as_hint_and_two_radio_groups(edition):
    tree = render(edition, "place-and-priorities")
    for statement in edition.theme("place-and-priorities").statements:
        wrapper = tree.by_id(statement.id)
        fieldset = wrapper.find("fieldset")
        legend = fieldset.child_elements("legend")[0]
        assert statement.text in legend.text
        assert tree.by_id(fieldset.attrs["aria-describedby"]).text == statement.help
        groups = [f for f in fieldset.find_all("fieldset") if f is not fieldset]
        assert [g.child_elements("legend")[0].text for g in groups] == [form.QUESTIONS["current"], form.QUESTIONS["ambition"]]
        for group, part in zip(groups, ("current", "ambition"), strict=True):
            radios = group.find_all("input", type="radio")
            assert [r.attrs["name"] for r in radios] == [f"{statement.id}.{part}"] * 6
            assert [r.attrs["value"] for r in radios] == [*v.STAGES.ids, "dont-know"]
            assert radios[0].attrs["id"] == f"{statement.id}-{part}"
            for radio in radios:
                label = tree.find("label", for_=radio.attrs["id"])
                assert label is not None and label.text
        comment = fieldset.find("textarea")
        assert comment.attrs["name"] == f"{statement.id}.comment"
        assert tree.find("label", for_=comment.attrs["id"]).text == "Comment (optional)"


def test_every_id_on_a_step_is_unique(edition):
    for step in form.steps(edition)[:-1]:
        ids = Counter(e.attrs["id"] for e in render(edition, step.slug).iter() if "id" in e.attrs)
        assert [i for i, n in ids.items() if n > 1] == [], step.slug


def test_a_statement_that_does_not_apply_is_shown_as_not_applicable_without_fields(edition):
    district = render(edition, "financial-planning", council_type="district")
    na = district.by_id("FIN-02")
    assert "Not applicable" in na.text and "district councils" in na.text
    assert na.find_all("input") == [] and na.find_all("textarea") == []
    county = render(edition, "financial-planning", council_type="county")
    assert county.by_id("FIN-02").find_all("input", type="radio")


def test_saved_values_are_shown_again(edition):
    values = {"answers": {"PLC-01": {"current": "plans", "ambition": "reviews", "comment": "Our <profile> is old"}}}
    tree = render(edition, "place-and-priorities", values=values)
    checked = [r.attrs["id"] for r in tree.find_all("input") if "checked" in r.attrs]
    assert checked == ["PLC-01-current-plans", "PLC-01-ambition-reviews"]
    assert tree.by_id("PLC-01-comment").text == "Our <profile> is old"


def test_about_step_asks_officer_or_councillor_and_the_routes(edition):
    tree = render(edition, "about", values={"respondent_role": "councillor", "routes": ["commercialisation"]})
    legends = [f.child_elements("legend")[0].text for f in tree.find_all("fieldset")]
    assert legends == ["Are you an officer or a councillor?", edition.ambition_question]
    assert [r.attrs["value"] for r in tree.find_all("input", type="radio")] == ["officer", "councillor", "not-said"]
    assert [b.attrs["value"] for b in tree.find_all("input", type="checkbox")] == list(v.ROUTES.ids)
    checked = [e.attrs["value"] for e in tree.find_all("input") if "checked" in e.attrs]
    assert checked == ["councillor", "commercialisation"]


def test_errors_are_summarised_with_links_to_their_fields_and_shown_beside_them(edition):
    _, found = answers.check(
        edition,
        "county",
        {"version": 0, "answers": {"PLC-01": {"current": "does", "ambition": "plans", "comment": "x" * 2001}}},
        required=["PLC-01", "PLC-02"],
    )
    problems = {p.where: p.says for p in found}
    tree = render(edition, "place-and-priorities", problems=problems)
    summary = tree.find("div", role="alert")
    assert summary.find("h2").text == "There is a problem"
    links = summary.find_all("a")
    assert len(links) == len(problems) == 4
    for link in links:
        target = tree.by_id(link.attrs["href"].removeprefix("#"))
        assert target is not None and target.tag in ("input", "textarea"), link.attrs["href"]
        message = tree.by_id(target.attrs["id"] + "-error")
        assert message is not None and message.text.startswith("Error:")
        described = [a for a in [target, *target.ancestors()] if "aria-describedby" in a.attrs]
        assert any(message.attrs["id"] in a.attrs["aria-describedby"].split() for a in described)
    assert form.title(form.step(edition, "place-and-priorities"), 7, problems).startswith("Error: ")
    assert not form.title(form.step(edition, "place-and-priorities"), 7, {}).startswith("Error")


def test_a_problem_without_a_field_is_listed_without_a_link(edition):
    tree = parse(form.error_summary({"version": "Reload the page and try again."}))
    assert tree.find("a") is None and "Reload the page" in tree.text


def test_a_submitted_step_replaces_only_its_own_answers(edition):
    stored = {
        "respondent_role": "officer",
        "routes": ["process-redesign"],
        "answers": {
            "LDP-01": {"current": "does", "ambition": "does", "comment": ""},
            "PLC-02": {"current": "plans", "ambition": "plans", "comment": ""},
        },
    }
    fields = {
        "PLC-01.current": "plans",
        "PLC-01.ambition": "does",
        "PLC-01.comment": "Note",
        "PLC-02.comment": "",
        "csrf_token": "t",
    }
    body = form.read(edition, form.step(edition, "place-and-priorities"), fields, stored)
    assert body["answers"] == {
        "LDP-01": {"current": "does", "ambition": "does", "comment": ""},
        "PLC-01": {"current": "plans", "ambition": "does", "comment": "Note"},
    }
    assert (body["respondent_role"], body["routes"]) == ("officer", ["process-redesign"])


def test_the_about_step_reads_role_and_routes(edition):
    step = form.step(edition, "about")
    assert form.read(edition, step, {"respondent_role": "not-said", "routes": "commercialisation"}, {})["respondent_role"] is None
    body = form.read(edition, step, {"respondent_role": "officer", "routes": ["commercialisation", "process-redesign"]}, {})
    assert (body["respondent_role"], body["routes"]) == ("officer", ["commercialisation", "process-redesign"])
    assert form.read(edition, step, {}, {"routes": ["commercialisation"]})["routes"] == []  # no box ticked: none


def test_field_ids_follow_the_where_of_problems():
    assert form.field_id("answers.PLC-01.ambition") == "PLC-01-ambition"
    assert form.field_id("answers.PLC-01") == "PLC-01-current"
    assert form.field_id("answers.PLC-01.comment") == "PLC-01-comment"
    assert form.field_id("routes[2]") == "routes"
    assert form.field_id("respondent_role") == "respondent_role"
    assert form.field_id("version") is None


def test_the_review_lists_every_answer_with_a_link_to_change_it(edition):
    values = {
        "respondent_role": None,
        "routes": [],
        "answers": {"PLC-01": {"current": "plans", "ambition": "dont-know", "comment": "Hmm"}},
    }
    tree = parse(form.review(edition, "district", values, BASE))
    text = tree.text
    assert "Now: Plans; In two years: Don't know. Comment: Hmm" in text
    assert "Not said" in text and "None chosen" in text and "Not answered" in text
    assert "Not applicable" in tree.find("dl", class_="tie-summary").parent.text or "Not applicable" in text
    changes = [a.attrs["href"] for a in tree.find_all("a")]
    assert BASE + "place-and-priorities#PLC-01" in changes
    assert not any(h.endswith("#FIN-02") for h in changes)
