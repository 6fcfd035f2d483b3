"""The contributing guide documents every front-matter field, kind and value, and its examples pass the check."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from functions.settings import ROOT
from generator.content import fieldcheck
from generator.content.fields import FIELDS
from generator.content.kinds import KINDS
from model.frontmatter import parse

GUIDE = ROOT / "docs" / "contributing.md"
BASE = {
    "title": "A title",
    "summary": "A summary.",
    "themes": ["governance"],
    "published": dt.date(2026, 1, 1),
    "review_by": dt.date(2027, 1, 1),
    "contact": {"name": "Team", "email": "team@example.gov.uk"},
    "licence": "OGL-UK-3.0",
}


def sections() -> dict[str, str]:
    """The guide's `### name` sections under '## The fields', by name."""
    text = GUIDE.read_text(encoding="utf-8")
    fields_part = text.split("\n## The fields\n", 1)[1].split("\n## ", 1)[0]
    parts = re.split(r"^### (.+)$", fields_part, flags=re.M)
    return {name.strip(): body for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_every_front_matter_field_has_a_section_in_the_contributing_guide():
    missing = [f.name for f in FIELDS if f.name not in sections()]
    assert missing == [], f"docs/contributing.md lacks a '### <field>' section for: {', '.join(missing)}"


def test_every_field_section_is_about_a_field_that_exists():
    stale = [name for name in sections() if name not in {f.name for f in FIELDS}]
    assert stale == [], f"docs/contributing.md documents fields that do not exist: {', '.join(stale)}"


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_each_section_describes_its_field_and_lists_its_values(field):
    body = sections().get(field.name, "")
    assert field.description in body
    if field.vocabulary:
        missing = [term.id for term in field.vocabulary.terms if f"`{term.id}`" not in body]
        assert missing == [], f"{field.name}: values not listed: {missing}"


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_each_fields_example_in_the_guide_passes_the_check(field):
    """A contributor copies the example: it must work as written."""
    example = re.search(r"```yaml\n(.*?)```", sections().get(field.name, ""), re.S)
    assert example, f"{field.name}: no yaml example"
    kind = next(k.id for k in KINDS if field.allowed(k.id))
    front = {key: value for key, value in BASE.items() if key != field.name}
    text = "---\n" + yaml.safe_dump(front, sort_keys=False) + example.group(1)
    if kind == "case-study" and field.name not in ("council", "example"):
        text += "council: ABE\nexample: true\n"
    elif kind == "case-study":
        text += "example: true\n" if field.name == "council" else "council: ABE\n"
    doc, problems = parse("docs/contributing.md", (text + "---\n").encode())
    assert problems == [] and doc is not None, [str(p) for p in problems]
    ctx = fieldcheck.Context(councils=frozenset({"ABE"}), statements=frozenset({"FIN-03"}))
    assert [str(p) for p in fieldcheck.check(doc, kind, ctx)] == []


def test_every_kind_is_described_with_its_folder():
    text = GUIDE.read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"(`{kind.id}`, folder `content/{kind.folder}/`)" in text, kind.id
