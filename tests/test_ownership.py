"""The contribution workflow: who reviews what (CODEOWNERS), and what runs on every pull request."""

from __future__ import annotations

import fnmatch

import pytest
import yaml

from functions.settings import ROOT

EDITORS = "@example-org/exchange-editors"
MAINTAINERS = "@example-org/exchange-maintainers"


def owners(path: str) -> set[str]:
    """The owners of a path as GitHub reads CODEOWNERS: the last matching pattern wins."""
    found: set[str] = set()
    for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        pattern, *who = line.split()
        anchored = pattern.startswith("/")
        pattern = pattern.lstrip("/")
        if pattern.endswith("/"):
            matched = path.startswith(pattern) if anchored else ("/" + pattern) in ("/" + path)
        elif pattern == "*":
            matched = True
        else:
            matched = fnmatch.fnmatch(path, pattern) if anchored else fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern)
        if matched:
            found = set(who)
    return found


@pytest.mark.parametrize("path", ["content/guidance/budget-consultation.md", "content/case-studies/front-door.md", "questionnaire/2026.yaml"])
def test_editors_review_content_and_the_questionnaire(path):
    assert owners(path) == {EDITORS}


@pytest.mark.parametrize(
    "path",
    [
        "generator/build.py",
        "functions/app.py",
        "mkdocs.yml",
        ".github/workflows/check.yml",
        "generator/overrides/main.html",
        "functions/templates/feedback/thanks.html",
        "tests/conftest.py",
        "Makefile",
    ],
)
def test_maintainers_review_code_configuration_workflows_and_templates(path):
    assert owners(path) == {MAINTAINERS}


def test_pull_requests_run_tie_check_and_tie_build():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "check.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any("tie check" in s for s in steps) and any("tie build" in s for s in steps)
    assert workflow["env"]["TIE_COUNCILS"] == "${{ vars.TIE_COUNCILS }}"


def test_the_stale_report_runs_on_a_schedule():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "stale.yml").read_text())
    assert workflow[True]["schedule"]
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any("tie report stale" in s for s in steps)
