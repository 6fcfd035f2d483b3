"""The content and questionnaire the Exchange ships with: clean, broad enough to be useful, case studies marked as examples."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from functions.settings import ROOT
from generator.content.kinds import KINDS
from generator.content.library import Library, load
from model.vocabulary import THEMES
from tests.factories import COUNCILS

CONTENT = ROOT / "content"
QUESTIONNAIRE = ROOT / "questionnaire"
MINIMUM_PUBLISHED = 40  # resources; fewer and the library is too thin to launch with


@pytest.fixture(scope="module")
def shipped() -> Library:
    return load(CONTENT, QUESTIONNAIRE, COUNCILS)


def test_tie_check_passes_on_the_shipped_content_and_questionnaire(tmp_path):
    env = {
        **os.environ,
        "TIE_CONTENT_DIR": str(CONTENT),
        "TIE_QUESTIONNAIRE_DIR": str(QUESTIONNAIRE),
        "TIE_COUNCILS": COUNCILS,
        "TIE_SECRET_KEY": "test-secret",
        "TIE_DATA_DIR": str(tmp_path / "data"),
    }
    tie = Path(sys.executable).parent / "tie"
    run = subprocess.run([str(tie), "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("All clear: ")


def test_at_least_forty_resources_are_published(shipped):
    assert len(shipped.published) >= MINIMUM_PUBLISHED, [r.path for r in shipped.published]


def test_every_kind_of_resource_has_a_published_resource(shipped):
    counts = Counter(r.kind.id for r in shipped.published)
    assert [k.id for k in KINDS if not counts[k.id]] == [], counts


def test_every_focus_theme_has_a_published_resource(shipped):
    counts = Counter(theme for r in shipped.published for theme in r.themes)
    assert [t for t in THEMES.ids if not counts[t]] == [], counts


def test_every_shipped_case_study_is_marked_as_an_example(shipped):
    case_studies = [r for r in shipped.resources if r.kind.id == "case-study"]
    assert case_studies
    assert [r.path for r in case_studies if not r.example] == []
