"""`tie check`, run as the real command on content trees made for each test: every problem, one line each, exit 1."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import COUNCILS, EXAMPLES

GOOD = """---
title: Running a budget consultation
summary: How to ask residents about spending choices.
themes: [financial-planning]
published: 2026-01-10
review_by: 2027-01-10
contact:
  name: Finance team
  email: finance@example.gov.uk
licence: OGL-UK-3.0
---
## Steps

1. Decide what is open to change.
"""
HTML_EXPECTED = "html: expected Markdown or one of the allowed tags (abbr, br, details, kbd, sub, summary, sup)"
LINK_EXPECTED = "link: expected an https, mailto or site address"


def with_line(text: str, number: int, line: str) -> str:
    """GOOD with a line inserted so that it becomes line `number` of the file."""
    lines = text.split("\n")
    lines.insert(number - 1, line)
    return "\n".join(lines)


# Each kind of bad input: the file's name, its bytes, and the exact lines `tie check` must print for it.
BAD: dict[str, tuple[str, bytes, list[str]]] = {
    "unknown field": (
        "guidance/unknown-field.md",
        with_line(GOOD, 5, "colour: blue").encode(),
        [
            "content/guidance/unknown-field.md:5: colour: expected a known field (title, summary, themes, ambition_routes, "
            "council_types, nations, regions, council, statements, stages, link, published, updated, review_by, contact, "
            "licence, draft, redirect_from), got an unknown field"
        ],
    ),
    "missing field": (
        "guidance/missing-field.md",
        GOOD.replace("licence: OGL-UK-3.0\n", "").encode(),
        [
            "content/guidance/missing-field.md:1: licence: expected one of OGL-UK-3.0, CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, got nothing (it is required)"
        ],
    ),
    "value outside the vocabulary": (
        "guidance/outside-vocabulary.md",
        GOOD.replace("themes: [financial-planning]", "themes:\n  - financial-planning\n  - money").encode(),
        [
            "content/guidance/outside-vocabulary.md:6: themes: expected one of place-and-priorities, leadership-of-place, "
            "financial-planning, governance, capacity-to-deliver, got 'money'"
        ],
    ),
    "unknown council code": (
        "case-studies/unknown-council.md",
        with_line(with_line(GOOD, 11, "example: true"), 11, "council: ZZZZ").encode(),
        [
            "content/case-studies/unknown-council.md:11: council: expected a current council's code in the council register (e.g. ABE), got 'ZZZZ'"
        ],
    ),
    "broken internal link": (
        "guidance/broken-link.md",
        (GOOD + "\nSee the [checklist](../tools/no-such-checklist.md).\n").encode(),
        [
            "content/guidance/broken-link.md:16: link: expected a page that exists in the library, got '../tools/no-such-checklist.md'"
        ],
    ),
    "NO read as false": (
        "guidance/yaml-no.md",
        GOOD.replace("name: Finance team", "name: NO").encode(),
        ["content/guidance/yaml-no.md:8: contact.name: expected the value in quotes, got NO, which YAML reads as false"],
    ),
    "leading zero": (
        "training/leading-zero.md",
        with_line(GOOD, 10, "duration: 0130").encode(),
        [
            "content/training/leading-zero.md:10: duration: expected the value in quotes, got 0130, which YAML may read as a number and drop the leading zero"
        ],
    ),
    "duplicate key": (
        "guidance/duplicate-key.md",
        with_line(GOOD, 4, "title: A second title").encode(),
        ["content/guidance/duplicate-key.md:4: title: expected each field once, got a second 'title' (first on line 2)"],
    ),
    "tab": (
        "guidance/tab.md",
        GOOD.replace("  email:", "\temail:").encode(),
        ["content/guidance/tab.md:9: front matter: expected spaces for indentation, got a tab"],
    ),
    "unclosed front matter": (
        "guidance/unclosed.md",
        GOOD.replace("licence: OGL-UK-3.0\n---\n", "licence: OGL-UK-3.0\n").encode(),
        ["content/guidance/unclosed.md:1: front matter: expected a closing '---' line, got end of file"],
    ),
    "not UTF-8": (
        "guidance/not-utf8.md",
        GOOD.encode() + b"\nThe caf\xe9 r\xe9opened.\n",
        ["content/guidance/not-utf8.md:16: encoding: expected UTF-8 text, got byte 0xe9 at column 8"],
    ),
    "raw HTML": (
        "guidance/raw-html.md",
        (GOOD + "\nPress <kbd>Enter</kbd>. <img src=x onerror=alert(1)>\n").encode(),
        [f"content/guidance/raw-html.md:16: {HTML_EXPECTED}, got '<img src=x onerror=alert(1)>'"],
    ),
    "javascript: link": (
        "guidance/javascript-link.md",
        (GOOD + "\n[Click](JaVa&#x09;Script:alert(1))\n").encode(),
        [f"content/guidance/javascript-link.md:16: {LINK_EXPECTED}, got 'JaVa&#x09;Script:alert(1)'"],
    ),
    "data: link": (
        "guidance/data-link.md",
        (GOOD + "\n[Open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n").encode(),
        [f"content/guidance/data-link.md:16: {LINK_EXPECTED}, got 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='"],
    ),
    "vbscript: link": (
        "guidance/vbscript-link.md",
        (GOOD + "\n[Open][ref]\n\n[ref]: vbscript:msgbox(1)\n").encode(),
        [f"content/guidance/vbscript-link.md:18: {LINK_EXPECTED}, got 'vbscript:msgbox(1)'"],
    ),
    "list swallowed into a paragraph": (
        "guidance/swallowed-list.md",
        GOOD.replace(
            "1. Decide what is open to change.\n",
            "1. Decide what is open to change:\n\n    | Choice | Cost |\n    |---|---|\n    | Libraries | £1m |\n\n"
            "    Keep it short.\n2. Ask residents.\n",
        ).encode(),
        [
            "content/guidance/swallowed-list.md:21: markdown: expected a list item on its own (leave a blank line before it, "
            "and indent what belongs to a list item by 4 spaces), got a line read into the paragraph before it: '2. Ask residents.'"
        ],
    ),
    "snippet include": (
        "guidance/snippet.md",
        (GOOD + '\n--8<-- "../../docs/development.md"\n').encode(),
        [
            "content/guidance/snippet.md:16: include: expected no includes in contributed content, got '--8<-- \"../../docs/development.md\"'"
        ],
    ),
    "event handler in an attribute list": (
        "guidance/attribute-list.md",
        (GOOD + '\n## More { onclick="alert(1)" }\n').encode(),
        [
            "content/guidance/attribute-list.md:16: attributes: expected only .class or #id in an attribute list, got '{ onclick=\"alert(1)\" }'"
        ],
    ),
}


def tie_check(content: Path, questionnaire: Path = EXAMPLES / "questionnaire") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "TIE_CONTENT_DIR": str(content),
        "TIE_QUESTIONNAIRE_DIR": str(questionnaire),
        "TIE_COUNCILS": COUNCILS,
        "TIE_SECRET_KEY": "test-secret",
    }
    tie = Path(sys.executable).parent / "tie"
    return subprocess.run([str(tie), "check"], cwd=content.parent, env=env, capture_output=True, text=True, timeout=120)


def make_tree(root: Path, files: dict[str, bytes]) -> Path:
    """A content folder holding the example resources and `files`."""
    content = root / "content"
    shutil.copytree(EXAMPLES / "content", content)
    for rel, data in files.items():
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return content


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory) -> subprocess.CompletedProcess:
    """`tie check` once on a tree holding every kind of bad input, one file each."""
    content = make_tree(tmp_path_factory.mktemp("bad"), {rel: data for rel, data, _ in BAD.values()})
    return tie_check(content)


def test_clean_content_passes_with_exit_0(tmp_path):
    run = tie_check(make_tree(tmp_path, {"guidance/extra.md": GOOD.encode()}))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == "All clear: 7 resources, questionnaire editions: 2026.\n"


@pytest.mark.parametrize("kind", list(BAD))
def test_each_kind_of_bad_input_gives_its_line(bad_run, kind):
    rel, _, expected = BAD[kind]
    lines = [line for line in bad_run.stdout.splitlines() if line.startswith(f"content/{rel}:")]
    assert lines == expected


def test_a_tree_with_every_kind_of_bad_input_exits_1_with_one_line_per_problem(bad_run):
    expected = sorted(line for _, _, lines in BAD.values() for line in lines)
    assert bad_run.returncode == 1
    assert bad_run.stdout.splitlines() == expected
    assert bad_run.stderr == f"{len(expected)} problem(s) found.\n"


def test_every_line_has_the_form_path_line_field_expected_got(bad_run):
    form = re.compile(r"^content/[a-z-]+/[a-z0-9-]+\.md:\d+: [a-z_. ]+: expected .+, got .+$")
    assert all(form.match(line) for line in bad_run.stdout.splitlines()), bad_run.stdout


def test_every_problem_in_a_file_is_reported_front_matter_and_body_together(tmp_path):
    text = GOOD.replace("licence: OGL-UK-3.0", "licence: MIT\ncolour: red").replace("name: Finance team", "name: yes")
    text += "\n<script>alert(1)</script>\n"
    run = tie_check(make_tree(tmp_path, {"guidance/many.md": text.encode()}))
    assert run.returncode == 1
    assert [": ".join(line.split(": ")[:2]) for line in run.stdout.splitlines()] == [
        "content/guidance/many.md:8: contact.name",
        "content/guidance/many.md:10: licence",
        "content/guidance/many.md:11: colour",
        "content/guidance/many.md:17: html",
        "content/guidance/many.md:17: html",
    ]


def test_every_problem_in_a_files_body_is_reported(tmp_path):
    text = GOOD + "\n<script>alert(1)</script> [x](javascript:alert(1))\n\n[y](../tools/gone.md)\n"
    run = tie_check(make_tree(tmp_path, {"guidance/many.md": text.encode()}))
    assert run.returncode == 1
    assert [": ".join(line.split(": ")[:2]) for line in run.stdout.splitlines()] == [
        "content/guidance/many.md:16: html",
        "content/guidance/many.md:16: html",
        "content/guidance/many.md:16: link",
        "content/guidance/many.md:18: link",
    ]


def test_a_file_in_the_wrong_place_is_reported(tmp_path):
    run = tie_check(make_tree(tmp_path, {"articles/x.md": GOOD.encode(), "guidance/Bad Name.md": GOOD.encode()}))
    assert run.returncode == 1
    assert (
        "content/articles/x.md:1: file: expected a file directly in one of case-studies/, guidance/, tools/, training/, data/, support/, got 'articles/x.md'"
        in run.stdout
    )
    assert (
        "content/guidance/Bad Name.md:1: file name: expected lower-case words joined by hyphens, like front-door.md, got 'Bad Name.md'"
        in run.stdout
    )


def test_a_missing_content_folder_is_one_line_not_a_traceback(tmp_path):
    run = tie_check(tmp_path / "content")
    assert run.returncode == 1
    assert run.stdout.splitlines() == [f"{tmp_path / 'content'}:1: content: expected a folder of resources, got no such folder"]
    assert "Traceback" not in run.stderr
