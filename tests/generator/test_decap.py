"""The editor interface (Decap CMS) offers exactly the fields, values and rules that `tie check` applies, for every kind."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from starlette.testclient import TestClient

from generator import editor as decap
from generator.build import BuildError, build
from generator.content import fieldcheck
from generator.content.fields import BY_NAME, FIELDS
from generator.content.kinds import KINDS
from generator.content.library import load
from model import frontmatter
from model.site import ADMIN_POLICY
from tests.factories import COUNCILS, EXAMPLES, make_settings

BACKEND = decap.Backend("example-org/exchange", "main", "https://oauth.exchange.example", "https://exchange.example")


@pytest.fixture(scope="module")
def lib():
    return load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)


@pytest.fixture(scope="module")
def config(lib):
    return decap.config(lib, BACKEND)


def ctx(lib) -> fieldcheck.Context:
    return fieldcheck.Context(
        councils=frozenset(lib.register.councils),
        statements=frozenset(s.id for e in lib.editions.values() for s in e.statements),
    )


def fields_of(config, kind: str) -> dict[str, dict]:
    [collection] = [c for c in config["collections"] if c["name"] == kind]
    return {f["name"]: f for f in collection["fields"] if f["name"] != "body"}


def doc(data: dict) -> frontmatter.Document:
    return frontmatter.Document("x.md", data, {}, "", 1)


def accepted_by_the_check(kind: str, lib) -> set[str]:
    """The fields `tie check` accepts on a kind, found by asking it about each known field in turn."""
    # Each field is given its documented example, which is a good value wherever the field is allowed,
    # so any problem the check raises about the field itself says the field is not allowed on this kind.
    anything = fieldcheck.Context(councils=None, statements=frozenset(BY_NAME["statements"].example))
    accepted = set()
    for f in FIELDS:
        example = dt.date.fromisoformat(f.example) if f.type == "date" else f.example  # as YAML reads a plain date
        problems = fieldcheck.check(doc({f.name: example}), kind, anything)
        if not any(p.field == f.name for p in problems):
            accepted.add(f.name)
    return accepted


def required_by_the_check(kind: str, lib) -> set[str]:
    return {p.field for p in fieldcheck.check(doc({}), kind, ctx(lib)) if p.got == "nothing (it is required)"}


def test_there_is_one_collection_per_kind_over_its_content_folder(config):
    assert [(c["name"], c["folder"]) for c in config["collections"]] == [(k.id, f"content/{k.folder}") for k in KINDS]


@pytest.mark.parametrize("kind", [k.id for k in KINDS])
def test_the_editors_field_list_equals_the_checks_field_list(config, lib, kind):
    editor = fields_of(config, kind)
    assert set(editor) == accepted_by_the_check(kind, lib)
    assert list(editor) == [f.name for f in FIELDS if f.name in editor]  # in the documented order
    assert {name for name, f in editor.items() if f["required"]} == required_by_the_check(kind, lib)


@pytest.mark.parametrize("kind", [k.id for k in KINDS])
def test_the_editors_choices_are_the_checks_vocabularies(config, lib, kind):
    for name, f in fields_of(config, kind).items():
        field = BY_NAME[name]
        values = [o["value"] for o in f.get("options", [])]
        if field.vocabulary is not None:
            assert values == list(field.vocabulary.ids), name
            assert f["multiple"] is (field.type == "terms")
        elif field.type == "council":
            assert set(values) == set(lib.register.councils), name
        elif field.type == "statements":
            assert set(values) == ctx(lib).statements, name
        else:
            assert not values, name


@pytest.mark.parametrize("kind", [k.id for k in KINDS])
def test_what_the_editor_saves_passes_the_check(config, lib, kind):
    """A file made of values the editor offers, written as Decap writes YAML (dates plain), passes `tie check`."""
    values = {}
    for name, f in fields_of(config, kind).items():
        if f.get("options"):
            first = f["options"][0]["value"]
            values[name] = [first] if f.get("multiple") else first
        elif f["widget"] == "datetime":
            values[name] = dt.date(2026, 1, 1) if name != "review_by" else dt.date(2027, 1, 1)
        else:
            values[name] = BY_NAME[name].example
    values.pop("draft", None)  # a draft is checked the same; leave it out to keep the file a plain published one
    text = "---\n" + yaml.safe_dump(values, sort_keys=False) + "---\nBody.\n"
    parsed, problems = frontmatter.parse("x.md", text.encode())
    assert problems == []
    assert fieldcheck.check(parsed, kind, ctx(lib)) == []


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("contact", "team@council.gov.uk", "not an address"),
        ("link", "https://www.gov.uk/x", "http://www.gov.uk/x"),
        ("redirect_from", "/guidance/old-name/", "/guidance/Old Name"),
        ("title", "A" * 120, "A" * 121),
    ],
)
def test_the_editors_patterns_accept_and_refuse_what_the_check_does(config, field, good, bad):
    f = fields_of(config, "guidance")[field]
    pattern = f["fields"][1]["pattern"][0] if field == "contact" else f["field"]["pattern"][0] if field == "redirect_from" else f["pattern"][0]
    assert re.search(pattern, good) and not re.search(pattern, bad)


def test_changes_arrive_as_pull_requests_to_the_configured_repository(config):
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"] == {"name": "github", "repo": "example-org/exchange", "branch": "main", "base_url": "https://oauth.exchange.example"}


def test_the_editor_is_off_by_default(settings):
    assert settings.editor is False


def test_switched_on_without_decap_installed_the_build_says_what_to_do(lib, tmp_path):
    with pytest.raises(BuildError, match=r"editor: expected Decap CMS at node_modules/decap-cms/dist/decap-cms.js, got nothing; run `make editor`"):
        build(lib, tmp_path / "root-without-node-modules", tmp_path / "docs", tmp_path / "site", EXAMPLES / "content", editor=BACKEND)


@pytest.fixture(scope="module")
def editor_site(lib, tmp_path_factory):
    """The example site built with the editor on, Decap's script taken from a project root that has it installed."""
    from functions.settings import ROOT

    tmp = tmp_path_factory.mktemp("editor")
    script = tmp / "root" / decap.SCRIPT
    script.parent.mkdir(parents=True)
    script.write_text("/* decap-cms.js */\n")
    (tmp / "root" / "mkdocs.yml").symlink_to(ROOT / "mkdocs.yml")
    (tmp / "root" / "generator").symlink_to(ROOT / "generator")
    (tmp / "root" / "docs").symlink_to(ROOT / "docs")
    site = tmp / "site"
    build(lib, tmp / "root", tmp / "build" / "docs", site, EXAMPLES / "content", editor=BACKEND)
    return site


def test_the_build_writes_the_editor_with_its_script_served_from_the_site(editor_site, config):
    admin = editor_site / "admin"
    index = (admin / "index.html").read_text()
    assert '<script src="decap-cms.js"></script>' in index
    assert not re.search(r"<script[^>]+src=\"(https?:)?//", index)  # nothing from another host
    assert (admin / "decap-cms.js").read_text() == "/* decap-cms.js */\n"
    assert yaml.safe_load((admin / "config.yml").read_text()) == yaml.safe_load(yaml.safe_dump(config))
    assert f"/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {ADMIN_POLICY}\n" in (editor_site / "_headers").read_text()


@pytest.mark.parametrize("editor", [True, False])
def test_the_looser_policy_applies_under_admin_only_and_only_when_the_editor_is_on(editor_site, tmp_path, editor):
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, site_dir=editor_site, editor=editor, editor_repo="example-org/exchange"))
    with TestClient(app, base_url="https://testserver") as client:
        admin = client.get("/admin/").headers["content-security-policy"]
        home = client.get("/").headers["content-security-policy"]
    app.state.store.close()
    assert "'unsafe-eval'" not in home
    assert ("'unsafe-eval'" in admin) is editor
