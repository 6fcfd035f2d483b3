"""Every page valid HTML by the Nu Html Checker (vnu.jar, the W3C's checker): each page of the built site, and the
app's pages as they are served signed out and signed in (a member, a super-user with a second factor, an operator).

One Java process checks every page at once. `make test` installs vnu.jar from tests/vnu/package-lock.json;
Java comes from the system (.ci/run installs it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from functions.assessment import form, rounds
from tests.factories import PeopleFactory, make_settings
from tests.results.test_benchmark_comparisons import a_release
from tests.results.test_results_pages import OFFICIAL, T0, publish

VNU = Path(__file__).parent / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(*folders: Path) -> list[str]:
    """The Nu Html Checker's errors in every .html file under the folders, as 'file:line: message'."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail(f"the Nu Html Checker needs Java and {VNU} (run `make test`, which installs it)", pytrace=False)
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stderr)  # vnu writes its report to standard error
    return [
        f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"]
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


@pytest.fixture
def app(tmp_path, built_site, smtp_server):
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, site_dir=built_site, smtp_url=smtp_server.url))
    yield app
    app.state.store.close()


def app_pages(app) -> dict[str, str]:
    """The app's pages, as each kind of visitor sees them: {file name: HTML}."""
    people = PeopleFactory(app)
    published = publish(app, "ANS", T0, OFFICIAL, sharing="public")
    with app.state.store.transaction() as tx:
        open_round = rounds.open_round(tx, "ABE", "2026", None, T0)
    super_user = people.add("sue@aberdeencity.gov.uk", council="ABE", role="super-user", operator=True)
    # Bristol's results compare it with similar councils: figures shown, blank and kept from an earlier release
    compared = publish(app, "BST", T0, OFFICIAL)
    people.join(super_user, "BST")
    a_release(app, council="BST", viewers=[frozenset({"ABE", "BST"})])
    base = f"/app/councils/ABE/rounds/{open_round.id}"
    signed_out = [
        "/app/sign-in",
        "/app/sign-in/link?token=not-a-real-token",
        "/app/feedback/suggestion?page=/library/",
        "/app/feedback/unclear?statement=PLC-01&return_to=/self-assessment/",
        "/app/search/?q=budgt&kind=guidance",
        "/app/search/?q=council&page=2",
        f"/app/councils/ANS/rounds/{published.id}/results",
        "/app/nothing-here",
    ]
    signed_in = [
        "/app/",
        "/app/account",
        "/app/account/erase",
        "/app/security/two-factor",
        "/app/assessment/",
        "/app/councils",
        "/app/councils/about?council=ANS",
        "/app/councils/ABE",
        "/app/councils/ABE/members",
        *(f"{base}/answer/{step.slug}" for step in form.steps(app.state.editions["2026"])),
        f"{base}/consensus",
        f"{base}/consensus/answers",
        f"{base}/publish",
        f"{base}/my-results",
        f"/app/councils/ANS/rounds/{published.id}/results",
        f"/app/councils/BST/rounds/{compared.id}/results",
        "/app/operator/feedback",
    ]
    pages = {}
    with TestClient(app, base_url="https://testserver") as client:
        for number, address in enumerate(signed_out):
            r = client.get(address)
            assert r.status_code in (200, 404, 410) and "<html" in r.text, (address, r.status_code)  # 410: a used or unknown link
            pages[f"out-{number:02d}.html"] = r.text
        people.sign_in(client, super_user, second_factor=True)
        for number, address in enumerate(signed_in):
            r = client.get(address)
            assert r.status_code == 200 and "<html" in r.text, (address, r.status_code)
            pages[f"in-{number:02d}.html"] = r.text
    assert sum("tie-bench__table" in html for html in pages.values()) == 1  # the comparisons are checked too
    return pages


def test_every_page_of_the_site_and_the_app_is_valid_html(app, built_site, benchmark_site, tmp_path):
    served = tmp_path / "app-pages"
    served.mkdir()
    for name, html in app_pages(app).items():
        (served / name).write_text(html, encoding="utf-8")
    site_pages = list(built_site.rglob("*.html"))
    assert len(site_pages) > 40 and len(list(served.iterdir())) > 20
    # the pages a benchmark package adds or changes: the benchmarks page, the group pages and the theme pages
    errors = nu_errors(built_site, served, benchmark_site / "benchmarks", benchmark_site / "self-assessment")
    assert not errors, f"{len(errors)} error(s):\n" + "\n".join(errors[:40])
