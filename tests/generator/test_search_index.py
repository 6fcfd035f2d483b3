"""The search index: how words are normalised, how documents are scored and laid out in files, and what a
query finds when evaluated over those files; and that assets/search.js normalises words exactly as Python does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.content.library import load
from generator.search import index as si
from model import search as ms
from tests.factories import COUNCILS, EXAMPLES

SEARCH_JS = Path(si.__file__).parent.parent / "assets" / "search.js"


def doc(url: str, title: str, summary: str = "", body: str = "", kind: str = "guidance", themes=("governance",), routes=(), findable=""):
    return si.Document(url, title, summary, kind, tuple(themes), tuple(routes), findable, body)


# -- words ------------------------------------------------------------------------------------


def test_words_are_folded_to_lower_case_without_accents_and_split_on_anything_but_letters_and_digits():
    assert ms.tokens("Café CAFÉ naïve Ångström 2024/25 under_score Ⅻ") == ["cafe", "cafe", "naive", "angstrom", "2024", "25", "under", "score", "xii"]


@pytest.mark.parametrize(
    "word, stem",
    [
        ("plans", "plan"), ("planning", "plan"), ("planned", "plan"), ("plan", "plan"),
        ("policies", "policy"), ("policy", "policy"), ("houses", "hous"), ("housing", "hous"), ("house", "hous"),
        ("services", "servic"), ("service", "servic"), ("agreed", "agr"), ("agree", "agr"), ("classes", "class"),
        ("process", "process"), ("status", "status"), ("analysis", "analysis"), ("running", "run"), ("filled", "fill"),
        ("bus", "bus"), ("thing", "thing"), ("used", "used"), ("crèche", "crèche"), ("2024s", "2024s"),
    ],
)  # fmt: skip
def test_the_light_stemmer_brings_a_words_forms_together_and_leaves_short_and_foreign_words_alone(word, stem):
    assert ms.stem(word) == stem


def test_terms_leave_out_stopwords_single_characters_and_overlong_words():
    assert ms.terms("The plans of a council, for 5 years: " + "x" * 33) == ["plan", "council", "year"]


def test_a_markdown_body_is_reduced_to_the_words_a_reader_sees():
    body = (
        '!!! tip "What made the difference"\n    See [the plan](../plan.md "Plan") and <https://example.org/x>.\n\n'
        "<span class='x' onclick='y'>Kept</span> { .wide #top } &amp; [^1]\n\n[ref]: https://example.org/ref\n\n"
        "[^1]: A footnote.\n\n*[MTFP]: Medium-term financial plan\n"
    )
    words = ms.tokens(si.text_of(body))
    assert words == ["what", "made", "the", "difference", "see", "the", "plan", "and", "kept", "1", "1", "a", "footnote",
                     "mtfp", "medium", "term", "financial", "plan"]  # fmt: skip


def test_the_words_of_a_query_and_which_of_them_match_as_prefixes():
    assert ms.query_words("Budget plann") == [("budget", False, "budget"), ("plann", True, "plann")]
    assert ms.query_words("budget plans ") == [("budget", False, "budget"), ("plan", False, "plans")]
    assert ms.query_words("budget pl") == [("budget", False, "budget")]  # two letters: wait for more
    assert ms.query_words("pl") == [("pl", False, "pl")]
    assert ms.query_words("the for") == [("for", True, "for")]  # a stopword being typed may begin a word
    assert ms.query_words("the for.") == []


@pytest.mark.parametrize("term, word", [("plan", "planni"), ("planning", "plan"), ("plans", "plan")])
def test_a_word_being_typed_matches_the_terms_it_may_become(term, word):
    assert ms.matches_prefix(term, word, ms.stem(word))


def test_a_word_being_typed_does_not_match_what_it_cannot_become():
    assert not ms.matches_prefix("pl", "planni", "planni")  # too short to be its stem
    assert not ms.matches_prefix("pla", "planning", "plan")  # five letters short


# -- numbers ----------------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=2**40)))
def test_numbers_are_read_back_as_written(numbers):
    assert ms.decode(ms.encode(numbers)) == numbers


def test_small_numbers_take_one_character_and_ids_are_written_as_gaps():
    assert ms.encode([0, 1, 31]) == "01V"
    assert len(ms.encode([32])) == 2
    assert ms.gaps([3, 4, 10]) == [3, 1, 6]
    assert ms.ungap([3, 1, 6]) == [3, 4, 10]


# -- scores and files -------------------------------------------------------------------------


def test_a_word_scores_most_in_the_title_then_the_summary_then_each_use_in_the_body_up_to_a_cap():
    scores = si.scores(doc("a/", "Budget plan", "A budget summary", "budget " * 20 + "reserves", findable="Aberdeen City"))
    assert scores["budget"] == si.TITLE + si.SUMMARY + si.BODY_CAP * si.BODY
    assert scores["plan"] == si.TITLE
    assert scores["reserv"] == si.BODY
    assert scores["aberdeen"] == si.SUMMARY


@pytest.fixture
def written(tmp_path) -> tuple[ms.Index, list[si.Document]]:
    docs = [
        doc("guidance/b/", "Budget consultation", "Asking residents about the budget.", "Plan it early.", themes=("financial-planning",)),
        doc("tools/r/", "Reserves checklist", "Check your reserves.", "The budget depends on reserves.", kind="tool",
            themes=("financial-planning",), routes=("commercialisation",)),  # fmt: skip
        doc("support/p/", "Peer challenge", "Peers visit the council.", "Budget planning is one area.", kind="support",
            themes=("governance", "leadership-of-place")),  # fmt: skip
        doc("training/s/", "Scrutiny skills", "Questions for councillors.", "Nothing about money.", kind="training"),
    ]
    ordered = sorted(docs, key=lambda d: d.title.lower())
    manifest = si.write(ordered, tmp_path / "index")
    assert manifest["documents"] == 4
    return ms.Index(tmp_path / "index"), ordered


def test_a_query_is_ranked_by_its_words_summed_scores_and_every_word_must_match(written):
    index, docs = written
    titles = lambda found: [docs[i].title for i, _ in found]  # noqa: E731
    assert titles(ms.search(index, "budget ")) == ["Budget consultation", "Peer challenge", "Reserves checklist"]
    assert titles(ms.search(index, "budget reserves ")) == ["Reserves checklist"]
    assert titles(ms.search(index, "budget plan")) == ["Budget consultation", "Peer challenge"]  # plan, planning
    assert ms.search(index, "zanzibar") == []


def test_filters_narrow_within_a_facet_by_any_value_and_across_facets_by_all(written):
    index, docs = written
    titles = lambda found: [docs[i].title for i, _ in found]  # noqa: E731
    assert titles(ms.search(index, "budget ", {"kind": ["tool", "support"]})) == ["Peer challenge", "Reserves checklist"]
    assert titles(ms.search(index, "budget ", {"kind": ["tool", "support"], "theme": ["governance"]})) == ["Peer challenge"]
    assert titles(ms.search(index, "", {"theme": ["financial-planning"]})) == ["Budget consultation", "Reserves checklist"]
    assert titles(ms.search(index, "", {"route": ["commercialisation"], "kind": []})) == ["Reserves checklist"]


def test_document_metadata_is_in_small_chunks_in_title_order(written, monkeypatch, tmp_path):
    index, docs = written
    assert json.loads((index.folder / "docs" / "0.json").read_text()) == [[d.url, d.title, d.summary, d.kind] for d in docs]
    monkeypatch.setattr(si, "CHUNK", 3)
    si.write(docs, tmp_path / "small")
    assert [len(json.loads((tmp_path / "small" / "docs" / f"{n}.json").read_text())) for n in (0, 1)] == [3, 1]
    assert ms.Index(tmp_path / "small").document(3)[1] == docs[3].title


def test_filter_lists_hold_each_values_documents_as_gaps(written):
    index, docs = written
    lists = json.loads((index.folder / "filters.json").read_text())
    assert set(lists) == {"kind", "theme", "route"}
    themes = {value: ms.ungap(ms.decode(ids)) for value, ids in lists["theme"].items()}
    assert themes["financial-planning"] == [i for i, d in enumerate(docs) if "financial-planning" in d.themes]
    assert list(lists["theme"]) == sorted(lists["theme"])


def test_terms_are_sharded_by_their_first_two_characters_and_a_large_shard_by_three(written, monkeypatch, tmp_path):
    index, docs = written
    assert "bu" in index.shards and "budget" in index.shard("bu")
    for key in index.shards:
        assert all(t.startswith(key) for t in index.shard(key))
    monkeypatch.setattr(si, "SHARD_LIMIT", 10)
    si.write(docs, tmp_path / "split")
    split = ms.Index(tmp_path / "split")
    assert "bud" in split.shards and "bu" not in split.shards
    assert split.postings("budget") == index.postings("budget")
    assert [docs[i].title for i, _ in ms.search(split, "budg")] == [docs[i].title for i, _ in ms.search(index, "budg")]


def test_shard_file_names_are_plain_for_letters_a_to_z_and_code_points_otherwise():
    assert ms.shard_file("bu") == "bu"
    assert ms.shard_file("жи") == "u436-438"


def test_the_build_id_changes_with_the_content_and_only_with_it(written, tmp_path):
    index, docs = written
    again = si.write(docs, tmp_path / "again")
    changed = si.write([docs[0]._replace(summary="Another summary."), *docs[1:]], tmp_path / "changed")
    assert again["build"] == index.manifest["build"] != changed["build"]


def test_the_examples_index_finds_a_council_named_only_in_the_metadata(tmp_path):
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    docs = si.documents(lib.published, lib.register)
    assert [d.title for d in docs] == sorted((d.title for d in docs), key=str.lower)
    si.write(docs, tmp_path / "examples")
    index = ms.Index(tmp_path / "examples")
    assert [docs[i].title for i, _ in ms.search(index, "aberdeen")] == ["Redesigning the front door"]


# -- the same in the browser ------------------------------------------------------------------

WORDS = (
    "Plans planning planned policies housing houses agreed agree classes process status analysis running filled "
    "Café CAFÉ naïve Ångström façade Zürich Gdańsk Ærø straße İstanbul ΣΑΣ Москва 東京 ① Ⅻ ﬁnance x² 2024/25 £5,000 "
    "under_score e-mail co-operative O'Neil councillors’ résumé 𝒜𝒷𝒸 𠀋𠀌 don't the for of a"
).split() + [
    "Running a budget consultation",
    "budget plann",
    "budget plans ",
    "the for",
    "the for.",
    "scrutiny for councillors",
    "  spaces   and\ttabs\n",
    "ΣΑΣ σας",
]


@pytest.mark.browser
def test_search_js_normalises_words_exactly_as_python_does(page):
    page.set_content("<!doctype html><title>Parity</title>")
    page.add_script_tag(path=str(SEARCH_JS))
    browser = page.evaluate(
        """(words) => words.map((w) => {
            const t = window.tieSearchText;
            return [t.tokens(w), t.terms(w), t.tokens(w).map(t.stem), t.queryWords(w).map((q) => [q.term, q.prefix, q.word])];
        })""",
        WORDS,
    )
    python = [[ms.tokens(w), ms.terms(w), [ms.stem(t) for t in ms.tokens(w)], [list(q) for q in ms.query_words(w)]] for w in WORDS]
    assert browser == python
    numbers = [0, 1, 31, 32, 1023, 1024, 99999, 2**31]
    assert page.evaluate("(s) => window.tieSearchText.decode(s)", ms.encode(numbers)) == numbers
    pairs = [(a, b) for a in ("budgt", "budget", "budegt", "𝒜bc", "café", "") for b in ("budget", "budgt", "𝒜bd", "cafe", "a")]
    assert page.evaluate("(pairs) => pairs.map(([a, b]) => window.tieSearchText.oneEdit(a, b))", pairs) == [ms.one_edit(a, b) for a, b in pairs]
    shards = [{"budget": ms.encode([0, 5, 1, 5]), "budgex": ms.encode([0, 5]), "budgea": ms.encode([0, 5, 1, 5]), "𝒜udgey": "05"}]
    for t in ("budgey", "budgt", "𝒜udgez", "zzzz", "bud"):
        assert page.evaluate("([t, s]) => window.tieSearchText.correction(t, s)", [t, shards]) == (list(ms.correction(t, shards) or []) or None), t
    for word, t, corrected in (("budgts", "budgt", "budget"), ("polcies", "polcy", "policy"), ("𝒜𝒷𝒸s", "𝒜𝒷𝒸", "𝒜𝒷d")):
        assert page.evaluate("(a) => window.tieSearchText.shownAs(...a)", [word, t, corrected]) == ms.shown_as(word, t, corrected)


# -- one slip of the keyboard -------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, one",
    [("budgt", "budget", True), ("budget", "budgt", True), ("budegt", "budget", True), ("budgef", "budget", True),
     ("budget", "budget", False), ("bdgt", "budget", False), ("budtge", "budget", False), ("𝒜bc", "𝒜bd", True), ("", "a", True)],
)  # fmt: skip
def test_one_edit_is_one_character_added_taken_away_or_changed_or_two_neighbours_swapped(a, b, one):
    assert ms.one_edit(a, b) is one


def test_a_word_that_finds_nothing_is_searched_for_as_the_term_one_edit_away_and_the_correction_is_said(written):
    index, docs = written
    found = ms.find(index, "budgt")
    assert [docs[i].title for i, _ in found.results] == [docs[i].title for i, _ in ms.search(index, "budget")]
    assert found.corrections == (("budgt", "budget"),)
    assert ms.describe("budgt", found) == "Showing results for budget: 3 results. Nothing matched budgt."
    assert ms.find(index, "reserves budgts ").corrections == (("budgts", "budgets"),)  # the ending the stem took off, put back


def test_a_word_that_matches_is_never_corrected_nor_a_short_one_and_nothing_found_says_so(written):
    index, _ = written
    assert ms.find(index, "budget").corrections == ()
    assert ms.find(index, "pln ").results == []  # "plan" is one edit away, but three letters are too few to guess from
    assert ms.describe("zanzibar", ms.find(index, "zanzibar")) == "No results for zanzibar"
    assert ms.describe("", ms.find(index, "", {"kind": ["tool"]})) == "1 result for the filters chosen"


def test_the_correction_is_the_term_in_most_documents_then_the_first_in_code_point_order():
    shards = [{"budget": ms.encode([0, 5, 1, 5]), "budgex": ms.encode([0, 5]), "budgea": ms.encode([0, 5, 1, 5])}]
    assert ms.correction("budgey", shards) == ("budgea", shards[0]["budgea"])
    assert ms.correction("zzzz", shards) is None
