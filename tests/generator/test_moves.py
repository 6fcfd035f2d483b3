"""Moving a page never breaks a published address: the ledger, `tie check`, redirect pages and the app's 301."""

from __future__ import annotations

import re
import shutil

import pytest
from starlette.testclient import TestClient

from generator.__main__ import main
from tests.factories import COUNCILS, EXAMPLES, make_settings

OLD = "/guidance/budget-consultation/"
NEW = "/guidance/consulting-on-the-budget/"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A copy of the example content, and `tie` pointed at it."""
    content = tmp_path / "content"
    shutil.copytree(EXAMPLES / "content", content)
    monkeypatch.setenv("TIE_CONTENT_DIR", str(content))
    monkeypatch.setenv("TIE_QUESTIONNAIRE_DIR", str(EXAMPLES / "questionnaire"))
    monkeypatch.setenv("TIE_COUNCILS", COUNCILS)
    monkeypatch.setenv("TIE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TIE_SITE_DIR", str(tmp_path / "site"))
    monkeypatch.setenv("TIE_BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.setenv("TIE_SITE_URL", "https://exchange.example")
    monkeypatch.chdir(tmp_path)
    return content


def tie(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def rename(content, old_rel: str, new_rel: str, redirect: str | None = None) -> None:
    text = (content / old_rel).read_text(encoding="utf-8")
    if redirect:
        text = text.replace("\nlicence:", f"\nredirect_from:\n  - {redirect}\nlicence:", 1)
    (content / new_rel).write_text(text, encoding="utf-8")
    (content / old_rel).unlink()


def ledger_lines(content) -> list[str]:
    return [line for line in (content / "addresses.txt").read_text().splitlines() if line and not line.startswith("#")]


def test_tie_addresses_records_published_addresses_once(tree, capsys):
    code, out = tie(capsys, "addresses")
    assert code == 0 and "Recorded 6 new address(es)" in out
    assert OLD in ledger_lines(tree)
    code, out = tie(capsys, "addresses")
    assert code == 0 and "already recorded" in out
    assert len(ledger_lines(tree)) == 6


def test_a_new_draft_is_not_recorded_until_it_is_published(tree, capsys):
    assert tie(capsys, "new", "guidance", "Writing a savings plan")[0] == 0
    tie(capsys, "addresses")
    assert "/guidance/writing-a-savings-plan/" not in ledger_lines(tree)
    draft = tree / "guidance" / "writing-a-savings-plan.md"
    draft.write_text(draft.read_text().replace("draft: true", "draft: false"))
    assert tie(capsys, "addresses", "--check")[0] == 1
    tie(capsys, "addresses")
    assert "/guidance/writing-a-savings-plan/" in ledger_lines(tree)


def test_a_move_without_a_redirect_fails_tie_check_with_one_clear_line(tree, capsys):
    tie(capsys, "addresses")
    rename(tree, "guidance/budget-consultation.md", "guidance/consulting-on-the-budget.md")
    code, out = tie(capsys, "check")
    assert code == 1
    lines = [line for line in out.splitlines() if OLD in line]
    assert len(lines) == 1
    assert re.match(
        r"^content/addresses\.txt:\d+: /guidance/budget-consultation/: expected a page, or a redirect to where it went "
        r"\(add `redirect_from: \[/guidance/budget-consultation/\]` to the page that replaced it\), got no page and no redirect$",
        lines[0],
    ), lines[0]


@pytest.mark.slow  # a real build of the example site
def test_a_renamed_page_redirects_from_its_old_address_statically_and_in_the_app(tree, tmp_path, capsys):
    tie(capsys, "addresses")
    rename(tree, "guidance/budget-consultation.md", "guidance/consulting-on-the-budget.md", redirect=OLD)
    code, out = tie(capsys, "check")
    assert code == 0, out
    code, out = tie(capsys, "build")
    assert code == 0, out
    site = tmp_path / "site"

    # the static redirect page: works on any host
    page = (site / "guidance" / "budget-consultation" / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../consulting-on-the-budget/">' in page
    assert '<a href="../consulting-on-the-budget/">Running a budget consultation</a>' in page
    assert f'<link rel="canonical" href="https://exchange.example{NEW}">' in page
    assert (site / "guidance" / "consulting-on-the-budget" / "index.html").is_file()
    assert f"{OLD} {NEW} 301" in (site / "_redirects").read_text()

    # the app answers 301 for it (the built site served as it would be)
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, site_dir=site))
    with TestClient(app, base_url="https://testserver") as client:
        for old in (OLD, OLD.rstrip("/"), OLD + "index.html"):
            response = client.get(old + "?from=newsletter", follow_redirects=False)
            assert response.status_code == 301, old
            assert response.headers["location"] == NEW + "?from=newsletter"
        assert client.get(NEW).status_code == 200
        assert client.get(OLD).url.path == NEW
    app.state.store.close()


@pytest.mark.slow  # a real build of the example site
def test_every_recorded_address_still_answers_after_a_move(tree, tmp_path, capsys):
    tie(capsys, "addresses")
    recorded = ledger_lines(tree)
    rename(tree, "guidance/budget-consultation.md", "guidance/consulting-on-the-budget.md", redirect=OLD)
    assert tie(capsys, "build")[0] == 0
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, site_dir=tmp_path / "site"))
    with TestClient(app, base_url="https://testserver") as client:
        for address in recorded:
            assert client.get(address).status_code == 200, address
    app.state.store.close()


def test_a_removed_page_can_send_its_readers_elsewhere_from_the_ledger(tree, capsys):
    tie(capsys, "addresses")
    (tree / "guidance" / "budget-consultation.md").unlink()
    ledger = tree / "addresses.txt"
    ledger.write_text(ledger.read_text().replace(OLD + "\n", OLD + " /library/\n"))
    code, out = tie(capsys, "check")
    assert code == 0, out
    ledger.write_text(ledger.read_text().replace(OLD + " /library/\n", OLD + " /nowhere/\n"))
    code, out = tie(capsys, "check")
    assert code == 1 and "/guidance/budget-consultation/: expected a target that is a page of the site, got '/nowhere/'" in out


def test_the_ledger_reports_its_own_bad_lines(tree, capsys):
    tie(capsys, "addresses")
    ledger = tree / "addresses.txt"
    ledger.write_text(ledger.read_text() + "guidance/no-slash\n" + OLD + "\n")
    code, out = tie(capsys, "check")
    assert code == 1
    assert "address: expected an address like /guidance/front-door/" in out
    assert f"{OLD}: expected each address once" in out


def test_a_redirect_may_not_take_a_generated_page(tree, capsys):
    text = (tree / "guidance" / "budget-consultation.md").read_text()
    (tree / "guidance" / "budget-consultation.md").write_text(text.replace("\nlicence:", "\nredirect_from: [/library/]\nlicence:", 1))
    code, out = tie(capsys, "check")
    assert code == 1 and "redirect_from: expected an old address no page has now, got '/library/'" in out
