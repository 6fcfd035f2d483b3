"""Front matter is parsed strictly: every value's line is known, and YAML's traps are reported, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.frontmatter import load_file, parse
from tests.factories import examples


def parsed(text: str):
    doc, problems = parse("content/guidance/x.md", text.encode("utf-8"))
    return doc, [str(p) for p in problems]


def test_a_clean_file_gives_its_values_their_lines_and_its_body():
    doc, problems = parsed(
        "---\n"
        "title: Front door\n"
        "themes:\n"
        "  - governance\n"
        "  - capacity-to-deliver\n"
        "published: 2026-01-02\n"
        "contact:\n"
        "  name: Team\n"
        "  email: team@example.gov.uk\n"
        "---\n"
        "## Body\n"
    )
    assert problems == []
    assert doc.data["title"] == "Front door"
    assert doc.data["published"] == dt.date(2026, 1, 2)
    assert doc.data["themes"] == ["governance", "capacity-to-deliver"]
    assert (doc.line("title"), doc.line("themes"), doc.line("themes[1]"), doc.line("contact.email")) == (2, 3, 5, 9)
    assert doc.body == "## Body\n"
    assert doc.body_line == 11


def test_quoted_values_stay_text():
    doc, problems = parsed("---\nanswer: 'NO'\ncode: \"0123\"\nsummary: |\n  yes\n---\n")
    assert problems == []
    assert doc.data == {"answer": "NO", "code": "0123", "summary": "yes"}


@pytest.mark.parametrize(
    "value, found",
    [
        ("NO", "NO, which YAML reads as false"),
        ("yes", "yes, which YAML reads as true"),
        ("On", "On, which YAML reads as true"),
        ("off", "off, which YAML reads as false"),
        ("0123", "0123, which YAML may read as a number and drop the leading zero"),
        ("0x1F", "0x1F, which YAML may read as a number and drop the leading zero"),
        ("1:30", "1:30, which YAML may read as a base-60 number"),
    ],
)
def test_unquoted_values_yaml_would_change_are_refused_at_their_line(value, found):
    _, problems = parsed(f"---\ntitle: Fine\nanswer: {value}\n---\n")
    assert problems == [f"content/guidance/x.md:3: answer: expected the value in quotes, got {found}"]


def test_a_trap_inside_a_list_or_a_mapping_names_the_item():
    _, problems = parsed("---\nthemes:\n  - governance\n  - no\ncontact:\n  name: Off\n---\n")
    assert problems == [
        "content/guidance/x.md:4: themes[1]: expected the value in quotes, got no, which YAML reads as false",
        "content/guidance/x.md:6: contact.name: expected the value in quotes, got Off, which YAML reads as false",
    ]


def test_a_field_given_twice_is_refused_at_the_second_with_the_first_line():
    doc, problems = parsed("---\ntitle: One\nsummary: S\ntitle: Two\n---\n")
    assert problems == ["content/guidance/x.md:4: title: expected each field once, got a second 'title' (first on line 2)"]
    assert doc.data["title"] == "One"


def test_a_nested_field_given_twice_is_refused():
    _, problems = parsed("---\ncontact:\n  name: A\n  name: B\n---\n")
    assert problems == ["content/guidance/x.md:4: contact.name: expected each field once, got a second 'name' (first on line 3)"]


def test_every_tab_is_reported_at_its_line():
    doc, problems = parsed("---\ntitle: A\nthemes:\n\t- governance\n\t- capacity-to-deliver\n---\n")
    assert doc is None
    assert problems == [
        "content/guidance/x.md:4: front matter: expected spaces for indentation, got a tab",
        "content/guidance/x.md:5: front matter: expected spaces for indentation, got a tab",
    ]


def test_an_unclosed_front_matter_is_refused():
    doc, problems = parsed("---\ntitle: A\n\n## Body\n")
    assert doc is None
    assert problems == ["content/guidance/x.md:1: front matter: expected a closing '---' line, got end of file"]


def test_a_file_without_front_matter_is_refused():
    doc, problems = parsed("# Just a heading\n")
    assert doc is None
    assert problems == ["content/guidance/x.md:1: front matter: expected '---' on the first line, got '# Just a heading'"]


def test_bytes_that_are_not_utf8_are_reported_with_line_and_column():
    doc, problems = parse("content/guidance/x.md", b"---\ntitle: A\n---\nThe caf\xe9 opened.\n")
    assert doc is None
    assert [str(p) for p in problems] == ["content/guidance/x.md:4: encoding: expected UTF-8 text, got byte 0xe9 at column 8"]


def test_a_byte_order_mark_and_windows_line_endings_are_accepted():
    doc, problems = parse("x.md", b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nBody\r\n")
    assert problems == []
    assert doc.data == {"title": "A"}


def test_invalid_yaml_is_reported_at_the_line_yaml_stopped():
    doc, problems = parsed("---\ntitle: A\nsummary: [unclosed\nthemes: x\n---\n")
    assert doc is None
    assert problems == [
        "content/guidance/x.md:4: front matter: expected valid YAML, got expected ',' or ']', but got ':' "
        "(while parsing a flow sequence that began on line 3)"
    ]


def test_invalid_indentation_is_reported_at_its_line():
    doc, problems = parsed("---\ntitle: A\n  summary: B\nthemes: x\n---\n")
    assert doc is None
    assert problems == ["content/guidance/x.md:3: front matter: expected valid YAML, got mapping values are not allowed here"]


def test_front_matter_that_is_not_fields_is_refused():
    doc, problems = parsed("---\n- a\n- b\n---\n")
    assert doc is None
    assert problems == ["content/guidance/x.md:2: front matter: expected fields as 'name: value' lines, got a list"]


def test_anchors_and_aliases_are_refused_before_they_can_expand():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
    doc, problems = parsed("\n".join(lines + ["---", ""]))  # a "billion laughs": 10^9 values if expanded
    assert doc is None
    assert (
        problems[0]
        == "content/guidance/x.md:2: front matter: expected plain values (no YAML anchors, aliases or tags), got an anchor (&a)"
    )
    assert (
        "content/guidance/x.md:3: front matter: expected plain values (no YAML anchors, aliases or tags), got an alias (*a)"
        in problems
    )


def test_yaml_tags_are_refused():
    doc, problems = parsed("---\ntitle: !!binary aGVsbG8=\nsummary: !!python/object:os.system x\n---\n")
    assert doc is None
    assert problems == [
        "content/guidance/x.md:2: front matter: expected plain values (no YAML anchors, aliases or tags), got a YAML tag (!!binary)",
        "content/guidance/x.md:3: front matter: expected plain values (no YAML anchors, aliases or tags), got a YAML tag (!!python/object:os.system)",
    ]


def test_nesting_too_deep_to_read_is_a_problem_not_a_crash():
    doc, problems = parsed("---\ntitle: " + "[" * 20000 + "\n---\n")
    assert doc is None
    assert problems == [
        "content/guidance/x.md:2: front matter: expected fields nested a few levels deep, got nesting too deep to read"
    ]


def test_a_whole_yaml_file_is_loaded_with_lines_from_one():
    data, lines, problems = load_file("questionnaire/2026.yaml", b"edition: '2026'\nthemes:\n  - theme: governance\n")
    assert problems == []
    assert data["edition"] == "2026"
    assert lines["themes[0]"] == 3


def test_control_characters_yaml_cannot_read_are_reported_at_their_lines_not_raised():
    doc, problems = parse("content/guidance/x.md", b"---\ntitle: A\x00B\nsummary: ok\nthemes: \x1b[31m\n---\n")
    assert doc is None
    assert [str(p) for p in problems] == [
        "content/guidance/x.md:2: front matter: expected printable text, got the control character U+0000",
        "content/guidance/x.md:4: front matter: expected printable text, got the control character U+001B",
    ]


@settings(max_examples=examples(300), deadline=None)
@given(
    st.binary(max_size=400)
    | st.text(max_size=400).map(lambda t: ("---\n" + t + "\n---\nBody\n").encode("utf-8", "surrogatepass"))
)
def test_no_input_raises_every_problem_has_a_line_in_the_file(raw):
    doc, problems = parse("content/guidance/x.md", raw)
    lines = raw.count(b"\n") + 1
    assert all(1 <= p.line <= lines for p in problems)
    assert doc is not None or problems
