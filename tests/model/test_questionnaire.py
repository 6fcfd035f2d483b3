"""The questionnaire loader: the shipped edition loads cleanly, and each kind of bad edition gets exactly one clear problem."""

from __future__ import annotations

import re

import pytest

from functions.settings import ROOT
from model import questionnaire as q
from model import vocabulary as v

# A small valid edition: one statement per theme. Each bad input below is this text with one edit.
VALID = """\
edition: "2026"
title: Test edition
published: 2026-04-01
introduction: Answer on your own, then agree one response together.
ambition:
  question: Which routes to change does your council favour?
  help: Choose any that apply.
themes:
  - theme: place-and-priorities
    introduction: Knowing the area.
    statements:
      - id: PLC-01
        text: We use evidence about our area to set priorities.
        help: Think about the data you use.
        best_value: [continuous-improvement]
  - theme: leadership-of-place
    introduction: Leading with partners.
    statements:
      - id: LDP-01
        text: We lead partnerships that improve the area.
        help: Think about your partnership boards.
        best_value: [leadership, partnerships-and-community-engagement]
  - theme: financial-planning
    introduction: Money.
    statements:
      - id: FIN-01
        text: Our financial plans allow for rising demand for social care.
        help: Think about last year's forecasts.
        best_value: [use-of-resources]
        applies_to: [county, unitary]
  - theme: governance
    introduction: Decisions.
    statements:
      - id: GOV-01
        text: Our scrutiny makes a difference.
        help: Think about what changed because of it.
        best_value: [governance]
  - theme: capacity-to-deliver
    introduction: Delivery.
    statements:
      - id: CAP-01
        text: We have the skills to deliver our change programme.
        help: Think about hard-to-fill roles.
        best_value: [service-delivery]
"""

EXTRA_THEME = """\
  - theme: governance  # repeated
    introduction: Decisions again.
    statements:
      - id: GOV-02
        text: Our audit committee is effective.
        help: Think about its challenge.
        best_value: [governance]
"""


def edited(old: str, new: str, text: str = VALID) -> str:
    assert text.count(old) == 1, f"the edit must match exactly once: {old!r}"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


def problems_in(tmp_path, monkeypatch, files: dict[str, str]) -> list[str]:
    """Write edition files into tmp_path/questionnaire and load them as `tie check` does; each problem as printed."""
    folder = tmp_path / "questionnaire"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # so that paths read questionnaire/2026.yaml, as they do in the project
    _, problems = q.load_all(folder)
    return [str(p) for p in problems]


def test_the_shipped_edition_loads_without_problems(monkeypatch):
    monkeypatch.chdir(ROOT)
    editions, problems = q.load_all(ROOT / "questionnaire")
    assert [str(p) for p in problems] == []
    edition = q.latest(editions)
    assert edition is not None
    assert [t.id for t in edition.themes] == list(v.THEMES.ids)
    for theme in edition.themes:
        assert 6 <= len(theme.statements) <= 10, theme.id
        assert theme.introduction
    assert edition.introduction and edition.ambition_question and edition.ambition_help


def test_the_shipped_edition_asks_every_type_of_council_at_least_six_statements_a_theme(monkeypatch):
    monkeypatch.chdir(ROOT)
    editions, _ = q.load_all(ROOT / "questionnaire")
    edition = q.latest(editions)
    assert any(set(s.applies_to) != set(v.COUNCIL_TYPES.ids) for s in edition.statements)
    for council_type in v.COUNCIL_TYPES.ids:
        for theme in edition.themes:
            assert sum(s.applies(council_type) for s in theme.statements) >= 6, (council_type, theme.id)


def test_a_valid_edition_loads_with_its_themes_in_order(tmp_path, monkeypatch):
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": VALID}) == []
    editions, _ = q.load_all(tmp_path / "questionnaire")
    edition = editions["2026"]
    assert [t.id for t in edition.themes] == list(v.THEMES.ids)
    fin = edition.statement("FIN-01")
    assert fin.applies_to == ("county", "unitary")
    assert fin.applies("county") and not fin.applies("district")
    assert edition.statement("PLC-01").applies_to == v.COUNCIL_TYPES.ids
    assert edition.statement("PLC-01").line == line_of(VALID, "id: PLC-01")


def test_a_quoted_publication_date_is_read_as_a_date(tmp_path, monkeypatch):
    text = edited("published: 2026-04-01", 'published: "2026-04-01"')
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": text}) == []


BEST_VALUE_IDS = ", ".join(v.BEST_VALUE.ids)
COUNCIL_TYPE_IDS = ", ".join(v.COUNCIL_TYPES.ids)
THEME_IDS = ", ".join(v.THEMES.ids)

# (what is wrong, old text, new text, text on the problem's line or None for line 1, the problem after `path:line: `)
BAD_EDITIONS = [
    (
        "unknown top-level key",
        "title: Test edition\n",
        "title: Test edition\nsubtitle: Extra\n",
        "subtitle:",
        "subtitle: expected one of ambition, edition, introduction, published, themes, title, got an unknown field",
    ),
    (
        "unknown theme key",
        "    introduction: Money.\n",
        "    introduction: Money.\n    colour: green\n",
        "colour:",
        "themes[2].colour: expected one of introduction, statements, theme, got an unknown field",
    ),
    (
        "unknown statement key",
        "        help: Think about the data you use.\n",
        "        help: Think about the data you use.\n        owner: Policy team\n",
        "owner:",
        "themes[0].statements[0].owner: expected one of applies_to, best_value, help, id, supersedes, text, got an unknown field",
    ),
    (
        "unknown ambition key",
        "  help: Choose any that apply.\n",
        "  help: Choose any that apply.\n  routes: [all]\n",
        "routes:",
        "ambition.routes: expected one of help, question, got an unknown field",
    ),
    (
        "missing top-level key",
        "title: Test edition\n",
        "",
        None,
        "title: expected a value (it is required), got nothing",
    ),
    (
        "missing ambition question",
        "  question: Which routes to change does your council favour?\n",
        "",
        "ambition:",
        "ambition.question: expected a value (it is required), got nothing",
    ),
    (
        "missing theme introduction",
        "    introduction: Decisions.\n",
        "",
        "- theme: governance",
        "themes[3].introduction: expected a value (it is required), got nothing",
    ),
    (
        "missing statement text",
        "        text: We use evidence about our area to set priorities.\n",
        "",
        "id: PLC-01",
        "themes[0].statements[0].text: expected a value (it is required), got nothing",
    ),
    (
        "missing statement help",
        "        help: Think about hard-to-fill roles.\n",
        "",
        "id: CAP-01",
        "themes[4].statements[0].help: expected a value (it is required), got nothing",
    ),
    (
        "missing best_value",
        "        best_value: [governance]\n",
        "",
        "id: GOV-01",
        "themes[3].statements[0].best_value: expected a value (it is required), got nothing",
    ),
    (
        "empty statement text",
        "text: Our scrutiny makes a difference.",
        'text: ""',
        'text: ""',
        "themes[3].statements[0].text: expected text, got ''",
    ),
    (
        "statement id in the wrong shape",
        "id: PLC-01",
        "id: PLC-1",
        "id: PLC-1",
        "themes[0].statements[0].id: expected an id like FIN-03, got 'PLC-1'",
    ),
    (
        "statement id with another theme's prefix",
        "id: PLC-01",
        "id: FIN-09",
        "id: FIN-09",
        "themes[0].statements[0].id: expected an id starting PLC- (the place-and-priorities theme), got 'FIN-09'",
    ),
    (
        "statement id used twice in one edition",
        "        best_value: [continuous-improvement]\n",
        "        best_value: [continuous-improvement]\n"
        "      - id: PLC-01  # again\n"
        "        text: We publish our priorities.\n"
        "        help: Think about the website.\n"
        "        best_value: [governance]\n",
        "# again",
        "themes[0].statements[1].id: expected an id not used before in this edition, got PLC-01 again (first on line 12)",
    ),
    (
        "unknown theme",
        "theme: governance",
        "theme: governanse",
        "theme: governanse",
        f"themes[3].theme: expected one of {THEME_IDS}, got 'governanse'",
    ),
    (
        "theme missing",
        VALID[VALID.index("  - theme: capacity-to-deliver") :],
        "",
        "themes:",
        "themes: expected the capacity-to-deliver theme, got no 'theme: capacity-to-deliver' entry",
    ),
    (
        "theme repeated",
        "        best_value: [service-delivery]\n",
        "        best_value: [service-delivery]\n" + EXTRA_THEME,
        "# repeated",
        "themes[5].theme: expected a theme not already in this edition, got governance again (first on line 31)",
    ),
    (
        "unknown Best Value theme",
        "best_value: [continuous-improvement]",
        "best_value: [continuous-improvment]",
        "continuous-improvment",
        f"themes[0].statements[0].best_value: expected one of {BEST_VALUE_IDS}, got 'continuous-improvment'",
    ),
    (
        "more than three Best Value themes",
        "best_value: [governance]",
        "best_value: [governance, culture, leadership, use-of-resources]",
        "best_value: [governance, culture",
        "themes[3].statements[0].best_value: expected a list of 1 to 3 Best Value theme ids, "
        "got ['governance', 'culture', 'leadership', 'use-of-resources']",
    ),
    (
        "Best Value theme named twice",
        "best_value: [governance]",
        "best_value:\n          - governance\n          - governance  # again",
        "# again",
        "themes[3].statements[0].best_value: expected each id once, got governance again",
    ),
    (
        "unknown council type",
        "applies_to: [county, unitary]",
        "applies_to: [county, unitry]",
        "applies_to:",
        f"themes[2].statements[0].applies_to: expected one of {COUNCIL_TYPE_IDS}, got 'unitry'",
    ),
    (
        "empty applies_to",
        "applies_to: [county, unitary]",
        "applies_to: []",
        "applies_to:",
        "themes[2].statements[0].applies_to: expected a list of one or more council type ids, got []",
    ),
    (
        "supersedes that is not an id",
        "        best_value: [service-delivery]\n",
        "        best_value: [service-delivery]\n        supersedes: the old skills one\n",
        "supersedes:",
        "themes[4].statements[0].supersedes: expected the id of a statement in an earlier edition, got 'the old skills one'",
    ),
    (
        "unquoted NO, which YAML reads as false",
        "help: Think about what changed because of it.",
        "help: NO",
        "help: NO",
        "themes[3].statements[0].help: expected the value in quotes, got NO, which YAML reads as false",
    ),
    (
        "unquoted edition id, which YAML reads as a number",
        'edition: "2026"',
        "edition: 2026",
        "edition:",
        'edition: expected an edition id in quotes, like "2026", got 2026',
    ),
    (
        "publication date in words",
        "published: 2026-04-01",
        "published: 1 April 2026",
        "published:",
        "published: expected a date as YYYY-MM-DD, got '1 April 2026'",
    ),
    (
        "ambition that is a single value",
        "ambition:\n  question: Which routes to change does your council favour?\n  help: Choose any that apply.\n",
        "ambition: Which routes to change does your council favour?\n",
        "ambition:",
        "ambition: expected a question and its help, got 'Which routes to change does your council favour?'",
    ),
    (
        "statements that are not a list",
        "    statements:\n      - id: GOV-01\n        text: Our scrutiny makes a difference.\n"
        "        help: Think about what changed because of it.\n        best_value: [governance]\n",
        "    statements: none yet\n",
        "statements: none yet",
        "themes[3].statements: expected a list of statements, got 'none yet'",
    ),
    (
        "a statement that is a single value",
        "      - id: GOV-01\n        text: Our scrutiny makes a difference.\n"
        "        help: Think about what changed because of it.\n        best_value: [governance]\n",
        "      - Our scrutiny makes a difference.\n",
        "- Our scrutiny makes a difference.",
        "themes[3].statements[0]: expected a statement with id, text, help and best_value, got 'Our scrutiny makes a difference.'",
    ),
    (
        "a field given twice",
        "        help: Think about the data you use.\n",
        "        help: Think about the data you use.\n        help: Think again.\n",
        "help: Think again.",
        "themes[0].statements[0].help: expected each field once, got a second 'help' (first on line 14)",
    ),
]


@pytest.mark.parametrize(("old", "new", "needle", "problem"), [c[1:] for c in BAD_EDITIONS], ids=[c[0] for c in BAD_EDITIONS])
def test_a_bad_edition_gets_exactly_one_problem_naming_file_line_and_field(tmp_path, monkeypatch, old, new, needle, problem):
    text = edited(old, new)
    line = line_of(text, needle) if needle else 1
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": text}) == [f"questionnaire/2026.yaml:{line}: {problem}"]


def test_a_file_whose_name_is_not_its_edition_is_reported(tmp_path, monkeypatch):
    assert problems_in(tmp_path, monkeypatch, {"2027.yaml": VALID}) == [
        "questionnaire/2027.yaml:1: edition: expected '2027' (the file's name), got '2026'"
    ]


def test_a_yml_file_is_reported_rather_than_silently_left_out(tmp_path, monkeypatch):
    assert problems_in(tmp_path, monkeypatch, {"2026.yml": VALID}) == [
        "questionnaire/2026.yml:1: file name: expected 2026.yaml, got '2026.yml'"
    ]


def test_a_file_that_is_not_a_mapping_gets_one_problem_not_a_traceback(tmp_path, monkeypatch):
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": "- just\n- a list\n"}) == [
        "questionnaire/2026.yaml:1: questionnaire: expected fields as 'name: value' lines, got a list"
    ]


def test_every_problem_in_a_file_is_reported_not_only_the_first(tmp_path, monkeypatch):
    text = edited("id: PLC-01", "id: PLC-1")
    text = edited("best_value: [governance]", "best_value: [governence]", text)
    text = edited("title: Test edition\n", "", text)
    found = problems_in(tmp_path, monkeypatch, {"2026.yaml": text})
    assert [p.split(": ")[1] for p in found] == ["title", "themes[0].statements[0].id", "themes[3].statements[0].best_value"]


PLC_01 = (
    "      - id: PLC-01\n"
    "        text: We use evidence about our area to set priorities.\n"
    "        help: Think about the data you use.\n"
    "        best_value: [continuous-improvement]\n"
)


def edition(year: int, place_statements: str = PLC_01) -> str:
    """The valid edition as published in `year`, with other statements in place of PLC-01."""
    text = edited("published: 2026-04-01", f"published: {year}-04-01", edited('edition: "2026"', f'edition: "{year}"'))
    return edited(PLC_01, place_statements, text)


def statement(sid: str, text: str, *extra: str) -> str:
    return "".join(
        [
            f"      - id: {sid}\n",
            f"        text: {text}\n",
            "        help: Think about it.\n",
            "        best_value: [leadership]\n",
        ]
        + [f"        {line}\n" for line in extra]
    )


def test_a_later_edition_may_keep_an_id_with_the_same_wording_rewrapped_and_new_help(tmp_path, monkeypatch):
    rewrapped = PLC_01.replace(
        "text: We use evidence about our area to set priorities.",
        "text: >-\n          We use evidence about our area\n          to set priorities.",
    )
    rewrapped = edited("help: Think about the data you use.", "help: Think about the data and research you use.", rewrapped)
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": edition(2026), "2027.yaml": edition(2027, rewrapped)}) == []


def test_an_id_reused_with_different_wording_in_a_later_edition_is_reported(tmp_path, monkeypatch):
    text = edition(2027, statement("PLC-01", "We use data to set priorities."))
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": edition(2026), "2027.yaml": text}) == [
        f"questionnaire/2027.yaml:{line_of(text, 'id: PLC-01')}: PLC-01.text: expected the wording PLC-01 has in "
        "questionnaire/2026.yaml (ids are never reused: give a changed statement a new id and supersedes: PLC-01), "
        "got 'We use data to set priorities.'"
    ]


def test_an_id_dropped_and_brought_back_with_different_wording_is_reported(tmp_path, monkeypatch):
    replaced = edition(2027, statement("PLC-02", "We use evidence and insight to set priorities.", "supersedes: PLC-01"))
    back = edition(2028, statement("PLC-01", "We use evidence and insight to set priorities."))
    found = problems_in(tmp_path, monkeypatch, {"2026.yaml": edition(2026), "2027.yaml": replaced, "2028.yaml": back})
    assert found == [
        f"questionnaire/2028.yaml:{line_of(back, 'id: PLC-01')}: PLC-01.text: expected the wording PLC-01 has in "
        "questionnaire/2026.yaml (ids are never reused: give a changed statement a new id and supersedes: PLC-01), "
        "got 'We use evidence and insight to set priorities.'"
    ]


def test_a_changed_statement_with_a_new_id_superseding_the_old_one_is_accepted(tmp_path, monkeypatch):
    replaced = edition(2027, statement("PLC-02", "We use evidence and insight to set priorities.", "supersedes: PLC-01"))
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": edition(2026), "2027.yaml": replaced}) == []
    editions, _ = q.load_all(tmp_path / "questionnaire")
    newest = q.latest(editions)
    assert newest.id == "2027"
    assert newest.statement("PLC-02").supersedes == "PLC-01"
    assert newest.statement("PLC-01") is None


def test_supersedes_naming_an_id_from_no_earlier_edition_is_reported(tmp_path, monkeypatch):
    text = edition(2027, statement("PLC-02", "We use evidence and insight to set priorities.", "supersedes: PLC-09"))
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": edition(2026), "2027.yaml": text}) == [
        f"questionnaire/2027.yaml:{line_of(text, 'id: PLC-02')}: PLC-02.supersedes: "
        "expected the id of a statement in an earlier edition, got 'PLC-09'"
    ]


def test_supersedes_in_the_first_edition_is_reported(tmp_path, monkeypatch):
    text = edition(2026, statement("PLC-02", "We use evidence and insight to set priorities.", "supersedes: PLC-01"))
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": text}) == [
        f"questionnaire/2026.yaml:{line_of(text, 'id: PLC-02')}: PLC-02.supersedes: "
        "expected the id of a statement in an earlier edition, got 'PLC-01'"
    ]


def test_superseding_a_statement_the_edition_still_asks_is_reported(tmp_path, monkeypatch):
    text = edition(2027, PLC_01 + statement("PLC-02", "We use evidence and insight to set priorities.", "supersedes: PLC-01"))
    assert problems_in(tmp_path, monkeypatch, {"2026.yaml": edition(2026), "2027.yaml": text}) == [
        f"questionnaire/2027.yaml:{line_of(text, 'id: PLC-02')}: PLC-02.supersedes: expected an id this edition no longer asks, "
        "got PLC-01, which it still asks"
    ]


def test_every_theme_has_an_id_prefix():
    assert set(q.ID_PREFIX) == set(v.THEMES.ids)
    assert len(set(q.ID_PREFIX.values())) == len(q.ID_PREFIX)


# -- the editors' guide ------------------------------------------------------------------------

GUIDE = ROOT / "docs" / "questionnaire.md"
KEY_SECTIONS = {
    "Edition keys": q.TOP_KEYS,
    "Ambition keys": q.AMBITION_KEYS,
    "Theme keys": q.THEME_KEYS,
    "Statement keys": q.STATEMENT_KEYS,
}


def sections(markdown: str, level: int) -> dict[str, str]:
    """Each heading of `level` (## or ###) and the text under it, up to the next heading of that level or higher."""
    markdown = re.sub(r"^```.*?^```", "", markdown, flags=re.M | re.S)  # a "# comment" in an example is not a heading
    parts = re.split(rf"^(#{{1,{level}}}) (.+)$", markdown, flags=re.M)
    return {parts[i + 1].strip(): parts[i + 2] for i in range(1, len(parts) - 2, 3) if len(parts[i]) == level}


@pytest.mark.parametrize("section", KEY_SECTIONS)
def test_the_editors_guide_describes_every_key_the_loader_accepts(section):
    chapters = sections(GUIDE.read_text(encoding="utf-8"), 2)
    assert section in chapters, f"docs/questionnaire.md has no '## {section}'"
    described = {heading.strip("`") for heading in sections(chapters[section], 3)}
    assert sorted(KEY_SECTIONS[section] - described) == [], f"keys without a '### key' section under '## {section}'"
    assert sorted(described - KEY_SECTIONS[section]) == [], (
        f"'### key' sections under '## {section}' for keys the loader does not accept"
    )
    for key, text in sections(chapters[section], 3).items():
        assert text.strip(), f"'### {key}' under '## {section}' is empty"


def test_the_editors_guide_lists_the_answer_scale():
    chapters = sections(GUIDE.read_text(encoding="utf-8"), 2)
    scale = chapters.get("The answer scale", "")
    for stage in (*v.STAGES.terms, v.DONT_KNOW):
        assert stage.label in scale, stage.label
