"""A body's Markdown keeps the structure its author wrote: a list item or heading read into a paragraph or a table
is refused with its line."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.content import structure


def problems(body: str, first_line: int = 1) -> list[str]:
    return [str(p) for p in structure.check("content/guidance/here.md", body, first_line)]


def test_ordinary_lists_headings_and_tables_keep_their_structure():
    body = (
        "## Steps\n\n1. Decide.\n2. Ask, then\n   wrap a long line.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "A paragraph that wraps onto a line starting with a year,\n2019. A sum: 3 - 2 is 1.\nSome text\n## A heading\n\n"
        "1. **First.** With a table:\n\n    | x | y |\n    |---|---|\n    | 1 | 2 |\n\n    After it.\n\n2. **Second.**\n"
    )
    assert problems(body) == []


def test_steps_after_a_table_inside_a_list_item_run_into_one_paragraph_and_are_refused_with_their_lines():
    body = (
        "## Steps\n\n1. **Choose.** Using:\n\n    | Criterion | Question |\n    |---|---|\n    | Impact | Could it change? |\n\n"
        "    Fewer topics are better.\n2. **Scrutinise early.** Before the decision.\n3. **Report.**\n"
    )
    assert problems(body, first_line=20) == [
        "content/guidance/here.md:29: markdown: expected a list item on its own (leave a blank line before it, and indent "
        "what belongs to a list item by 4 spaces), got a line read into the paragraph before it: '2. Scrutinise early. Before the decision.'",
        "content/guidance/here.md:30: markdown: expected a list item on its own (leave a blank line before it, and indent "
        "what belongs to a list item by 4 spaces), got a line read into the paragraph before it: '3. Report.'",
    ]


def test_a_list_read_into_a_paragraph_without_its_blank_line_is_refused():
    assert [p.split(": markdown")[0] for p in problems("Do these:\n- one\n- two\n")] == [
        "content/guidance/here.md:2",
        "content/guidance/here.md:3",
    ]


def test_a_list_item_or_heading_read_into_a_table_or_an_indented_paragraph_line_is_refused():
    assert problems("| a | b |\n|---|---|\n| 1 | 2 |\n- item\n## Next\n") == [
        "content/guidance/here.md:4: markdown: expected a list item on its own (leave a blank line before it, and indent "
        "what belongs to a list item by 4 spaces), got a line read into the table before it: '- item'",
        "content/guidance/here.md:5: markdown: expected a heading on its own (leave a blank line before it, and indent "
        "what belongs to a list item by 4 spaces), got a line read into the table before it: '## Next'",
    ]
    assert [p.split(": expected")[0] for p in problems("Text\n    ## Not a heading here\n")] == ["content/guidance/here.md:2: markdown"]


def test_the_extensions_are_those_the_site_renders_with():
    config = yaml.load((Path(__file__).parents[2] / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    site = {e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]}
    assert set(structure.EXTENSIONS) <= site
