"""The page of search results without JavaScript (/app/search/): the same index the site's script reads, the same
results in the same order (model/search.py is the reference for both), a page of them at a time."""

from __future__ import annotations

import re
from html import unescape

import pytest

from generator.content.library import load
from generator.search import index as si
from model import search as ms
from tests.factories import COUNCILS, EXAMPLES


@pytest.fixture
def index(settings) -> ms.Index:
    """The example library's search index, where the app reads the built site's (no MkDocs build needed)."""
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    si.write(si.documents(lib.published, lib.register), settings.site_dir / ms.FOLDER)
    return ms.Index(settings.site_dir / ms.FOLDER)


def shown(response) -> list[str]:
    return [unescape(t) for t in re.findall(r'<li class="tie-item"><a href="[^"]*">([^<]*)</a>', response.text)]


def status(response) -> str:
    return unescape(re.search(r'<p class="tie-search__status" role="status">([^<]*)</p>', response.text).group(1))


@pytest.mark.parametrize("query", ["council", "budget consultation", "consul", "scrutiny for councillors", "checklist ", "aberdeen"])
def test_the_results_are_the_indexs_in_the_same_order(index, client, query):
    response = client.get("/app/search/", params={"q": query})
    assert response.status_code == 200
    expected = [index.document(i)[1] for i, _ in ms.search(index, query)][: ms.SHOWN]
    assert expected and shown(response) == expected
    assert status(response) == ms.describe(query, ms.find(index, query))


def test_filters_narrow_the_results_as_on_the_search_page(index, client):
    response = client.get("/app/search/", params=[("q", "council"), ("kind", "support"), ("kind", "training")])
    assert shown(response) == [index.document(i)[1] for i, _ in ms.search(index, "council", {"kind": ["support", "training"]})]
    assert 'value="support" checked' in response.text and 'value="tool" checked' not in response.text
    assert '<details class="tie-search__filters" open>' in response.text


def test_a_slip_of_the_keyboard_finds_what_was_meant_and_says_so(index, client):
    response = client.get("/app/search/", params={"q": "budgt"})
    assert shown(response) == [index.document(i)[1] for i, _ in ms.search(index, "budget")]
    assert status(response).startswith("Showing results for budget: ")
    assert status(response).endswith(" Nothing matched budgt.")


def test_nothing_found_says_so_and_no_query_shows_only_the_form(index, client):
    assert status(client.get("/app/search/", params={"q": "zanzibar"})) == "No results for zanzibar"
    empty = client.get("/app/search/")
    assert empty.status_code == 200 and status(empty) == "" and shown(empty) == []


def test_results_beyond_the_first_come_a_page_at_a_time(index, client, monkeypatch):
    monkeypatch.setattr(ms, "SHOWN", 2)
    everything = [index.document(i)[1] for i, _ in ms.search(index, "council")]
    first = client.get("/app/search/", params={"q": "council"})
    assert shown(first) == everything[:2]
    assert 'href="/app/search/?q=council&amp;page=2" rel="next"' in first.text
    second = client.get("/app/search/", params={"q": "council", "page": "2"})
    assert shown(second) == everything[2:4]
    assert 'rel="prev"' in second.text


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "two"}, {"q": "x" * 201}])
def test_an_unusable_query_is_refused_naming_what_is_wrong(index, client, params):
    response = client.get("/app/search/", params=params)
    assert response.status_code == 400
    assert next(iter(params)) in response.text


def test_without_a_built_site_the_page_says_search_is_not_available(client):
    response = client.get("/app/search/", params={"q": "budget"})
    assert response.status_code == 503
    assert "Search is not available just now" in response.text
