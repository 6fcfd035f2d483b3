"""`tie new <kind> "Title"` starts a resource from a file that already passes `tie check`."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from generator.__main__ import main
from generator.content.kinds import KINDS
from generator.content.new import create
from tests.factories import COUNCILS, EXAMPLES


@pytest.fixture
def content(tmp_path, monkeypatch):
    """An empty content folder that `tie` commands run in this test read and write."""
    folder = tmp_path / "content"
    folder.mkdir()
    monkeypatch.setenv("TIE_CONTENT_DIR", str(folder))
    monkeypatch.setenv("TIE_QUESTIONNAIRE_DIR", str(EXAMPLES / "questionnaire"))
    monkeypatch.setenv("TIE_COUNCILS", COUNCILS)
    monkeypatch.setenv("TIE_SECRET_KEY", "test-secret")
    monkeypatch.chdir(tmp_path)
    return folder


def test_tie_new_writes_a_file_that_passes_tie_check_for_every_kind(content, capsys):
    for kind in KINDS:
        assert main(["new", kind.id, f"Our {kind.label.lower()}: a good start!"]) == 0
    written = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md"))
    assert written == sorted(f"{k.folder}/our-{k.label.lower().replace(' ', '-')}-a-good-start.md" for k in KINDS)
    capsys.readouterr()
    assert main(["check"]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.startswith(f"All clear: {len(KINDS)} resources")


def test_a_new_file_is_a_draft_with_the_title_and_todays_dates(content):
    path = create(content, "guidance", "  Writing   a council plan ", today=dt.date(2028, 2, 29))
    text = path.read_text(encoding="utf-8")
    assert path == content / "guidance" / "writing-a-council-plan.md"
    assert "title: Writing a council plan\n" in text
    assert "published: 2028-02-29\n" in text
    assert "review_by: 2029-02-28\n" in text  # a year on, even from a leap day
    assert "draft: true\n" in text
    assert "## Steps" in text


def test_a_new_draft_is_checked_but_not_published(content, tmp_path):
    from generator.content.library import load

    shutil.copytree(EXAMPLES / "content", content, dirs_exist_ok=True)
    create(content, "tool", "A new checklist")
    lib = load(content, EXAMPLES / "questionnaire", COUNCILS)
    assert lib.problems == []
    assert "A new checklist" in [r.title for r in lib.resources]
    assert "A new checklist" not in [r.title for r in lib.published]


def test_an_unknown_kind_is_refused_with_the_kinds_that_exist(content, capsys):
    assert main(["new", "article", "Title"]) == 2
    assert (
        capsys.readouterr().err
        == "tie new: kind: expected one of case-study, guidance, tool, training, data, support, got 'article'\n"
    )
    assert list(content.rglob("*")) == []


def test_an_existing_file_is_never_overwritten(content, capsys):
    path = create(content, "guidance", "Same title")
    path.write_text("mine", encoding="utf-8")
    assert main(["new", "guidance", "Same title"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "mine"


def test_a_title_without_words_is_refused(content, capsys):
    assert main(["new", "guidance", "???"]) == 2
    assert capsys.readouterr().err == "tie new: title: expected words to make a file name from, got '???'\n"
