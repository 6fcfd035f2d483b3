"""Results: themes, strengths, areas for improvement ranked by gap and stage, progress since the last round."""

from __future__ import annotations

import dataclasses

from functions.results import compute as results


def answers(**given):
    """Statement id (with _ for -) -> (current, ambition)."""
    return {sid.replace("_", "-"): {"current": current, "ambition": ambition} for sid, (current, ambition) in given.items()}


def test_gap_is_the_steps_from_current_up_to_ambition(edition):
    r = results.compute(edition, answers(PLC_01=("understands", "does"), PLC_02=("does", "plans"), LDP_01=("dont-know", "does")))
    by_id = {s.statement.id: s for s in r.statements}
    assert by_id["PLC-01"].gap == 2
    assert by_id["PLC-02"].gap == 0  # an ambition below the current stage is not a gap
    assert by_id["LDP-01"].gap is None
    assert by_id["CAP-01"].current is None and by_id["CAP-01"].current_label == "Not answered"


def test_theme_means_ignore_dont_know_and_unanswered(edition):
    r = results.compute(edition, answers(PLC_01=("understands", "does"), PLC_02=("dont-know", "reviews")))
    place = r.themes[0]
    assert place.theme.id == "place-and-priorities"
    assert place.current_mean == 1.0
    assert place.ambition_mean == 3.5
    assert place.gap == 2.5
    assert r.themes[1].current_mean is None and r.themes[1].gap is None


def test_strengths_are_does_or_reviews_most_advanced_first(edition):
    r = results.compute(edition, answers(PLC_01=("does", "does"), PLC_02=("reviews", "reviews"), LDP_01=("plans", "does")))
    assert [s.statement.id for s in r.strengths] == ["PLC-02", "PLC-01"]


def test_improvements_rank_by_gap_then_earliest_stage_then_questionnaire_order(edition):
    r = results.compute(
        edition,
        answers(
            PLC_01=("plans", "does"),  # gap 1 at plans
            PLC_02=("understands", "plans"),  # gap 1 at understands
            LDP_01=("not-yet", "does"),  # gap 3
            GOV_01=("plans", "does"),  # gap 1 at plans, later than PLC-01
            CAP_01=("does", "does"),  # no gap
        ),
    )
    assert [s.statement.id for s in r.improvements] == ["LDP-01", "PLC-02", "PLC-01", "GOV-01"]


def test_dont_know_is_listed_to_find_out(edition):
    r = results.compute(edition, answers(PLC_01=("dont-know", "does")), council_type="district")
    unknown = [s.statement.id for s in r.unknown]
    assert unknown[0] == "PLC-01"
    assert "FIN-02" not in unknown  # does not apply to districts


def test_progress_matches_statements_by_id_and_by_supersedes(edition):
    before = results.compute(edition, answers(PLC_01=("understands", "does"), GOV_01=("plans", "does"), CAP_01=("does", "does")))
    # a later edition replaced GOV-01 with GOV-02
    gov = edition.themes[3]
    new_statement = dataclasses.replace(
        gov.statements[0], id="GOV-02", supersedes="GOV-01", text="Decisions are clear, recorded and scrutinised."
    )
    later = dataclasses.replace(
        edition, id="2027", themes=(*edition.themes[:3], dataclasses.replace(gov, statements=(new_statement,)), edition.themes[4])
    )
    now = results.compute(later, answers(PLC_01=("does", "does"), GOV_02=("does", "reviews"), CAP_01=("plans", "does")))
    p = results.progress(now, before, "r1", "2026")
    changes = {c.key: c.change for c in p.statements}
    assert changes["PLC-01"] == 2
    assert changes["GOV-02"] == 1
    assert changes["CAP-01"] == -1
    assert [c.key for c in p.improved] == ["PLC-01", "GOV-02"]
    assert [c.key for c in p.declined] == ["CAP-01"]
    themes = {c.key: c for c in p.themes}
    assert themes["place-and-priorities"].before == 1.0 and themes["place-and-priorities"].now == 3.0
