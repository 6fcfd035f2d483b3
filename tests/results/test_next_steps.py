"""Next steps: library resources and support offers matched to areas for improvement."""

from __future__ import annotations

import itertools

from functions.results import compute as results
from functions.results import next_steps


def entry(url, kind="guidance", theme=(), route=(), statements=(), stages=(), council_type=()):
    return {
        "url": url,
        "title": url.strip("/").split("/")[-1].replace("-", " ").capitalize(),
        "summary": "",
        "kind": kind,
        "theme": list(theme),
        "route": list(route),
        "council-type": list(council_type),
        "region": [],
        "statements": list(statements),
        "stages": list(stages),
    }


def area(edition, sid, current, ambition):
    r = results.compute(edition, {sid: {"current": current, "ambition": ambition}})
    return next(s for s in r.statements if s.statement.id == sid)


def test_a_resource_naming_the_statement_ranks_above_one_sharing_only_the_theme(edition):
    fin = area(edition, "FIN-01", "understands", "does")
    library = [entry("/guidance/theme-only/", theme=["financial-planning"]), entry("/guidance/named/", statements=["FIN-01"])]
    resources, _ = next_steps.suggest(library, fin)
    assert [r.url for r in resources] == ["/guidance/named/", "/guidance/theme-only/"]
    assert "written for statement FIN-01" in resources[0].reasons


def test_a_resource_for_other_stages_is_left_out(edition):
    fin = area(edition, "FIN-01", "does", "reviews")
    library = [entry("/guidance/starting-out/", statements=["FIN-01"], stages=["understands", "plans"])]
    assert next_steps.suggest(library, fin) == ((), ())


def test_a_resource_unrelated_to_statement_or_theme_is_left_out(edition):
    fin = area(edition, "FIN-01", "plans", "does")
    assert next_steps.suggest([entry("/guidance/scrutiny/", theme=["governance"])], fin) == ((), ())


def test_favoured_routes_and_council_type_raise_a_resource(edition):
    fin = area(edition, "FIN-01", "plans", "does")
    library = [
        entry("/guidance/a-plain/", theme=["financial-planning"]),
        entry("/guidance/b-route/", theme=["financial-planning"], route=["commercialisation", "process-redesign"]),
        entry("/guidance/c-type/", theme=["financial-planning"], council_type=["district"]),
    ]
    resources, _ = next_steps.suggest(library, fin, routes=("commercialisation", "process-redesign"), council_type="district")
    assert [r.url for r in resources] == ["/guidance/b-route/", "/guidance/c-type/", "/guidance/a-plain/"]
    assert resources[0].score == 3
    assert "fits the council's favoured routes: commercialisation, process redesign" in resources[0].reasons
    assert "from or for this type of council: District council" in resources[1].reasons


def test_reasons_name_whose_routes_they_are_and_never_say_yours(edition):
    fin = area(edition, "FIN-01", "plans", "does")
    library = [entry("/guidance/b-route/", theme=["financial-planning"], route=["commercialisation"], council_type=["district"])]
    official, _ = next_steps.suggest(library, fin, routes=("commercialisation",), council_type="district")
    own, _ = next_steps.suggest(library, fin, ("commercialisation",), "district", whose_routes=next_steps.OWN_ROUTES)
    assert "fits the council's favoured route: commercialisation" in official[0].reasons
    assert "fits your favoured route: commercialisation" in own[0].reasons
    # read by people outside the council too (a response shared with everyone): nothing says "your council"
    assert not any("your" in reason for reason in official[0].reasons)


def test_support_offers_are_listed_apart(edition):
    gov = area(edition, "GOV-01", "understands", "does")
    library = [
        entry("/support/peer-challenge/", kind="support", theme=["governance"]),
        entry("/training/scrutiny/", kind="training", theme=["governance"]),
    ]
    resources, support = next_steps.suggest(library, gov)
    assert [r.url for r in resources] == ["/training/scrutiny/"]
    assert [s.url for s in support] == ["/support/peer-challenge/"]


def test_at_most_three_resources_per_area(edition):
    gov = area(edition, "GOV-01", "understands", "does")
    library = [entry(f"/guidance/g{i}/", theme=["governance"]) for i in range(6)]
    resources, _ = next_steps.suggest(library, gov)
    assert len(resources) == next_steps.PER_AREA


def test_the_plan_follows_the_priority_order_of_the_areas(edition):
    r = results.compute(
        edition,
        {
            "GOV-01": {"current": "plans", "ambition": "does"},
            "FIN-01": {"current": "not-yet", "ambition": "does"},
            "CAP-01": {"current": "does", "ambition": "does"},
        },
    )
    plan = next_steps.plan(r, [entry("/guidance/budget/", statements=["FIN-01"])])
    assert [(s.rank, s.area.statement.id) for s in plan] == [(1, "FIN-01"), (2, "GOV-01")]
    assert [x.url for x in plan[0].resources] == ["/guidance/budget/"]
    assert plan[1].resources == ()


def test_a_resource_for_other_council_types_nations_or_regions_is_left_out(edition):
    fin = area(edition, "FIN-01", "understands", "does")
    library = [
        entry("/support/welsh-panel/", kind="support", theme=["financial-planning"]) | {"for": {"nation": ["wales"]}},
        entry("/guidance/counties/", theme=["financial-planning"]) | {"for": {"council-type": ["county"]}},
        entry("/guidance/north-west/", theme=["financial-planning"]) | {"for": {"region": ["north-west"]}},
        entry("/guidance/scotland/", theme=["financial-planning"])
        | {"for": {"nation": ["scotland"], "council-type": ["unitary"]}},
        entry("/guidance/anyone/", theme=["financial-planning"]) | {"for": {"council-type": [], "nation": [], "region": []}},
    ]
    aberdeen, _ = next_steps.suggest(library, fin, council_type="unitary", nation="scotland", region="scotland")
    assert [r.url for r in aberdeen] == ["/guidance/anyone/", "/guidance/scotland/"]
    cardiff = next_steps.suggest(library, fin, council_type="unitary", nation="wales", region="wales")
    assert [r.url for r in cardiff[0]] == ["/guidance/anyone/"] and [s.url for s in cardiff[1]] == ["/support/welsh-panel/"]
    # a council of which nothing is known is not left out by what is not known
    assert len(next_steps.suggest(library, fin)[0]) == 3


def test_no_next_step_for_any_council_is_a_resource_that_excludes_it(edition):
    """Every council in the register, against the shipped library, with every statement an area for improvement at
    each stage in turn (a resource for some stages only is suggested at those)."""
    from functions.settings import ROOT
    from generator.content.library import load
    from generator.pages.library_index import entries
    from model import register
    from tests.factories import COUNCILS

    lib = load(ROOT / "content", ROOT / "questionnaire", COUNCILS)
    library = entries(lib.resources, lib.register)
    assert any(e["for"]["nation"] == ["wales"] for e in library)  # the library has resources for one nation only
    stages = ["not-yet", "understands", "plans", "does"]
    each_stage = [
        results.compute(edition, {s.id: {"current": stage, "ambition": "reviews"} for s in edition.statements})
        for stage in stages
    ]
    councils = register.load(COUNCILS).councils.values()
    by_url = {e["url"]: e for e in library}
    offered = 0
    for council, found in itertools.product(councils, each_stage):
        plan = next_steps.plan(found, library, council.type, nation=council.nation, region=council.region)
        for step in plan:
            for suggestion in step.resources + step.support:
                declared = by_url[suggestion.url]["for"]
                offered += 1
                assert not declared["council-type"] or council.type in declared["council-type"], (council.name, suggestion.url)
                assert not declared["nation"] or council.nation in declared["nation"], (council.name, suggestion.url)
                assert not declared["region"] or council.region in declared["region"], (council.name, suggestion.url)
    assert offered > len(councils)  # every council was offered something
