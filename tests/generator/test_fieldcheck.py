"""A resource's front matter is checked against the field definitions; every problem is reported at its line."""

from __future__ import annotations

import pytest

from generator.content import fieldcheck
from generator.content.fields import FIELDS
from generator.content.kinds import KINDS
from model.frontmatter import parse

CTX = fieldcheck.Context(councils=frozenset({"ABE", "BIR"}), statements=frozenset({"FIN-01", "FIN-02"}))
GOOD = """title: Running a budget consultation
summary: How to ask residents about spending choices.
themes: [financial-planning]
published: 2026-01-10
review_by: 2027-01-10
contact:
  name: Finance team
  email: finance@example.gov.uk
licence: OGL-UK-3.0
"""


def problems_in(front: str, kind: str = "guidance", ctx: fieldcheck.Context = CTX) -> list[str]:
    doc, found = parse("content/guidance/x.md", f"---\n{front}---\nBody\n".encode())
    assert doc is not None and not found, found
    return [str(p) for p in fieldcheck.check(doc, kind, ctx)]


def test_a_complete_resource_has_no_problems():
    assert problems_in(GOOD) == []


def test_every_optional_field_with_its_example_value_passes_on_a_kind_that_allows_it():
    import datetime as dt

    import yaml

    for kind in KINDS:
        values = {f.name: f.example for f in FIELDS if f.allowed(kind.id)}
        values.update(
            statements=["FIN-01"], published=dt.date(2026, 1, 1), updated=dt.date(2026, 2, 1), review_by=dt.date(2027, 1, 1)
        )
        front = yaml.safe_dump(values, sort_keys=False)
        assert problems_in(front, kind.id) == [], kind.id


def test_an_unknown_field_is_named_with_the_fields_that_exist():
    found = problems_in(GOOD + "colour: blue\n")
    assert len(found) == 1
    assert found[0].startswith("content/guidance/x.md:11: colour: expected a known field (title, summary, themes,")
    assert found[0].endswith("got an unknown field")


def test_a_field_of_another_kind_is_refused():
    assert problems_in(GOOD + "duration: Half a day\n") == [
        "content/guidance/x.md:11: duration: expected only fields a guidance may have, got a field for training, support only"
    ]


def test_every_missing_required_field_is_reported():
    found = problems_in("title: Only a title\n")
    assert [p.split(":")[2].strip() for p in found] == ["summary", "themes", "published", "review_by", "contact", "licence"]
    assert found[0] == "content/guidance/x.md:1: summary: expected text, got nothing (it is required)"


def test_an_empty_required_field_is_reported_at_its_line():
    assert problems_in(GOOD.replace("themes: [financial-planning]", "themes: []")) == [
        "content/guidance/x.md:4: themes: expected a list of ids from the theme list, got nothing (it is required)"
    ]


def test_case_studies_require_a_council_and_the_example_flag():
    found = problems_in(GOOD, "case-study")
    assert (
        "content/guidance/x.md:1: council: expected a council code from the council register, got nothing (it is required)"
        in found
    )
    assert "content/guidance/x.md:1: example: expected true or false, got nothing (it is required)" in found


def test_values_outside_the_vocabulary_are_reported_at_the_item():
    front = (
        GOOD.replace("themes: [financial-planning]", "themes:\n  - financial-planning\n  - finance") + "stages: [plans, nope]\n"
    )
    assert problems_in(front) == [
        "content/guidance/x.md:6: themes: expected one of place-and-priorities, leadership-of-place, financial-planning, "
        "governance, capacity-to-deliver, got 'finance'",
        "content/guidance/x.md:13: stages: expected one of not-yet, understands, plans, does, reviews, got 'nope'",
    ]


def test_a_value_given_twice_in_a_list_is_reported():
    assert problems_in(GOOD.replace("[financial-planning]", "[governance, governance]")) == [
        "content/guidance/x.md:4: themes: expected each value once, got 'governance' again"
    ]


def test_a_licence_outside_the_list_is_refused():
    assert problems_in(GOOD.replace("OGL-UK-3.0", "MIT")) == [
        "content/guidance/x.md:10: licence: expected one of OGL-UK-3.0, CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, got 'MIT'"
    ]


def test_an_unknown_council_code_is_refused():
    front = GOOD + "council: ZZZ\nexample: true\n"
    assert problems_in(front, "case-study") == [
        "content/guidance/x.md:11: council: expected a current council's code in the council register (e.g. ABE), got 'ZZZ'"
    ]


def test_council_codes_are_not_checked_when_the_register_could_not_be_read():
    assert problems_in(GOOD + "council: ZZZ\nexample: true\n", "case-study", fieldcheck.Context(councils=None)) == []


def test_an_unknown_statement_id_is_refused():
    assert problems_in(GOOD + "statements: [FIN-01, FIN-99]\n") == [
        "content/guidance/x.md:11: statements: expected a statement id from the questionnaire (e.g. FIN-03), got 'FIN-99'"
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("published: 2026-13-01", "published: expected a date as YYYY-MM-DD, got '2026-13-01'"),
        ("published: 2026-01-10 10:00:00", "published: expected a date as YYYY-MM-DD, got datetime.datetime(2026, 1, 10, 10, 0)"),
        ("published: '2026-01-10'", "published: expected a date as YYYY-MM-DD, got '2026-01-10'"),
    ],
)
def test_dates_must_be_plain_dates(line, expected):
    assert problems_in(GOOD.replace("published: 2026-01-10", line)) == [f"content/guidance/x.md:5: {expected}"]


def test_review_by_must_follow_published_and_updated_may_not_precede_it():
    front = GOOD.replace("review_by: 2027-01-10", "review_by: 2025-01-10") + "updated: 2025-12-01\n"
    assert problems_in(front) == [
        "content/guidance/x.md:6: review_by: expected a date after published (2026-01-10), got 2025-01-10",
        "content/guidance/x.md:11: updated: expected a date on or after published (2026-01-10), got 2025-12-01",
    ]


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("title", "'<script>alert(1)</script>'", "title: expected plain text without HTML, got '<script>alert(1)</script>'"),
        ("summary", "'Click <a href=x>here</a>'", "summary: expected plain text without HTML, got 'Click <a href=x>here</a>'"),
        ("title", "'" + "x" * 121 + "'", "title: expected at most 120 characters, got 121"),
        ("title", "[a, b]", "title: expected text, got ['a', 'b']"),
    ],
)
def test_text_fields_are_plain_and_short(field, value, expected):
    front = "\n".join(line if not line.startswith(field + ":") else f"{field}: {value}" for line in GOOD.splitlines()) + "\n"
    line = next(i for i, text in enumerate(front.splitlines(), start=2) if text.startswith(field + ":"))
    assert problems_in(front) == [f"content/guidance/x.md:{line}: {expected}"]


def test_the_contact_needs_a_plain_name_and_an_email_address():
    front = GOOD.replace(
        "  name: Finance team\n  email: finance@example.gov.uk\n",
        "  name: '<b>Finance</b>'\n  email: not-an-email\n  phone: 123\n",
    )
    assert problems_in(front) == [
        "content/guidance/x.md:10: contact.phone: expected name or email, got an unknown field",
        "content/guidance/x.md:8: contact.name: expected plain text without HTML, got '<b>Finance</b>'",
        "content/guidance/x.md:9: contact.email: expected an email address, got 'not-an-email'",
    ]


@pytest.mark.parametrize("link", ["http://example.org/x", "javascript:alert(1)", "https://", "ftp://example.org"])
def test_links_must_be_https(link):
    assert problems_in(GOOD + f"link: '{link}'\n", "data") == [
        f"content/guidance/x.md:11: link: expected an https:// address, got '{link}'"
    ]


def test_yes_no_fields_must_be_true_or_false():
    assert problems_in(GOOD + "draft: 'yes'\n") == ["content/guidance/x.md:11: draft: expected true or false, got 'yes'"]


def test_redirects_must_be_site_addresses():
    assert problems_in(GOOD + "redirect_from: [/guidance/old/, 'https://example.org/']\n") == [
        "content/guidance/x.md:11: redirect_from: expected an address like /guidance/old-name/, got 'https://example.org/'"
    ]
