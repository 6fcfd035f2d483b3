"""The council pages, the list of councils, the method page and the similar-councils package, as `tie build` writes them."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pages import councils
from generator.pages.listings import PAGE_SIZE
from model import questionnaire, register, similar
from model.published import PublicResponse, Published
from tests.factories import COUNCILS, EXAMPLES

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


@pytest.fixture(scope="module")
def reg():
    return register.load(COUNCILS)


def page(site: Path, code: str) -> str:
    return (site / "councils" / code.lower() / "index.html").read_text(encoding="utf-8")


def test_every_current_council_has_a_page(built_site, reg):
    made = {p.parent.name.upper() for p in (built_site / "councils").glob("*/index.html") if len(p.parent.name) <= 4}
    assert set(reg.councils) <= made
    assert not any(code.lower() in ("page", "by-type", "by-region") for code in reg.councils)  # no address taken twice


def test_a_council_page_shows_its_context_with_the_attribution_and_register_version(built_site, reg):
    html = page(built_site, "ABE")
    assert "Aberdeen City Council" in html
    assert "229,060" in html and "186 km²" in html and "1,232 people per km²" in html and "14.9" in html
    assert "mySociety" in html and "creativecommons.org/licenses/by/4.0" in html
    assert f"sha256 {reg.version.sha256[:12]}" in html


def test_a_council_page_lists_its_groups_with_their_members(built_site, reg):
    html = page(built_site, "ABE")
    mine = similar.membership(similar.groups(reg))["ABE"]
    for group in mine.values():
        assert group.label in html
        for code in group.members:
            if code != "ABE":
                assert f'href="../{code.lower()}/"' in html


def test_a_council_page_links_its_nearest_neighbours_in_order(built_site, reg):
    html = page(built_site, "ABE")
    table = html.split('id="neighbours"', 1)[1].split("</table>", 1)[0]
    linked = re.findall(r'href="\.\./([a-z]+)/"', table)
    assert linked == [n.code.lower() for n in similar.neighbours(reg)["ABE"]]


def test_a_northern_ireland_council_page_says_why_it_has_ten_neighbours(built_site):
    html = page(built_site, "BFS")
    table = html.split('id="neighbours"', 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r"<tr><td>\d+</td>", table)) == 10
    assert "number 11, so each has only 10 others of its tier" in html


def test_a_council_page_lists_the_librarys_case_studies_by_that_council(built_site):
    assert "Redesigning the front door" in page(built_site, "ABE")
    assert "The library has no case study from Belfast yet" in page(built_site, "BFS")


def test_a_council_without_a_public_response_says_none_was_published(built_site):
    assert "has not published a self-assessment response to everyone" in page(built_site, "ABE")


def test_a_council_with_a_public_response_shows_its_summary_and_links_to_its_results(reg):
    editions, _ = questionnaire.load_all(EXAMPLES / "questionnaire")
    edition = questionnaire.latest(editions)
    answers = {s.id: ("plans", "does") for s in edition.statements}
    response = PublicResponse("ABE", "r1", edition.id, 2026, 2, 1_780_000_000, ("process-redesign",), answers)
    pages = dict(councils.council_pages(reg, [], editions, Published({"ABE": response})))
    abe = pages["/councils/abe/"]
    assert "published its 2026 self-assessment response to everyone" in abe
    assert "version 2: republished with corrections" in abe
    assert "<td>Plans</td><td>Does</td>" in abe
    assert "Process redesign" in abe
    assert 'href="../../app/councils/ABE/rounds/r1/results"' in abe
    assert "has not published" in pages["/councils/abd/"]
    assert "Demo data" not in abe


def test_pages_made_from_demo_data_say_so(reg):
    pages = councils.council_pages(reg, [], {}, Published({}, demo=True)) + councils.list_pages(reg, Published({}, demo=True))
    assert all("data-tie-demo" in markdown for _, markdown in pages)


def test_the_list_is_paginated_and_leads_to_every_council(built_site, reg):
    listed = []
    pages = sorted((built_site / "councils").glob("index.html")) + sorted((built_site / "councils" / "page").glob("*/index.html"))
    assert len(pages) == -(-len(reg.councils) // PAGE_SIZE)
    for p in pages:
        results = p.read_text(encoding="utf-8").split('id="tie-results"', 1)[1].split("</ul>", 1)[0]
        found = re.findall(r'href="(?:\.\./)+(?:councils/)?([a-z]+)/"', results) or re.findall(r'href="([a-z]+)/"', results)
        assert len(found) <= PAGE_SIZE
        listed += found
    assert sorted(listed) == sorted(code.lower() for code in reg.councils)


def test_the_list_can_be_filtered_and_searched_without_javascript(built_site):
    html = (built_site / "councils" / "index.html").read_text(encoding="utf-8")
    assert 'href="by-type/district/"' in html and 'href="by-region/wales/"' in html
    assert 'href="./#letter-a"' in html and 'id="letter-a"' in html  # A-Z: the page and place each letter starts
    wales = (built_site / "councils" / "by-region" / "wales" / "index.html").read_text(encoding="utf-8")
    assert wales.count('class="tie-item"') == 22
    assert "<span class=\"tie-item__kind\">Unitary council, Wales</span>" in wales
    assert (built_site / "councils" / "councils.json").is_file()


def test_the_method_page_names_the_register_the_merges_and_how_it_differs_from_cipfa(built_site, reg):
    html = (built_site / "similar-councils" / "index.html").read_text(encoding="utf-8")
    assert f"sha256 {reg.version.sha256[:12]}" in html
    assert "mySociety" in html and "CC BY 4.0" in html
    for merge in similar.MERGES:
        assert merge.label in html
    assert "CIPFA" in html and "subscription" in html
    for name in ("datapackage.json", "groups.csv", "neighbours.csv"):
        assert f'href="./{name}"' in html and (built_site / "similar-councils" / name).is_file()


def test_the_similar_councils_package_is_valid_frictionless_data(built_site):
    result = subprocess.run([str(FRICTIONLESS), "validate", str(built_site / "similar-councils" / "datapackage.json")],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_holds_every_council_in_each_grouping_and_its_neighbours(built_site, reg):
    folder = built_site / "similar-councils"
    with (folder / "groups.csv").open(encoding="utf-8") as f:
        groups = list(csv.DictReader(f))
    assert len(groups) == len(reg.councils) * len(similar.GROUPINGS)
    with (folder / "neighbours.csv").open(encoding="utf-8") as f:
        near = list(csv.DictReader(f))
    expected = similar.neighbours(reg)
    assert len(near) == sum(len(n) for n in expected.values())
    first = next(r for r in near if r["council-code"] == "ABE" and r["rank"] == "1")
    assert first["neighbour-code"] == expected["ABE"][0].code
    assert float(first["distance"]) == pytest.approx(expected["ABE"][0].distance, abs=1e-6)
    assert reg.version.sha256 in (folder / "datapackage.json").read_text(encoding="utf-8")


def test_every_page_names_the_register_version_in_its_footer(built_site, reg):
    for rel in ("index.html", "library/index.html", "case-studies/front-door/index.html", "councils/abe/index.html"):
        footer = (built_site / rel).read_text(encoding="utf-8").split('class="md-copyright', 1)[1]
        assert f"sha256 {reg.version.sha256[:12]}" in footer and "mySociety" in footer, rel
