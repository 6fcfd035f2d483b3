"""A consensus meeting: the super-user records the council's answer to every statement of the real questionnaire (40
for a unitary council), in agenda order, in real Chromium, and this counts the pages the browser loads and the time.

Three members have submitted answers that differ, so the agenda shows the spread. The site is the example tree,
built by the real `tie build`, so the page's own script runs where the page has one. Run with and without
JavaScript: without it each save is a page load (the save answers with a redirect back to the statement), with
it a save is a request and no page load.

    .venv/bin/python -m benchmarks.consensus_meeting
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from functions.settings import ROOT
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, COUNCILS, EXAMPLES, PeopleFactory, free_port, make_settings, run_live

COUNCIL = "ABE"  # Aberdeen City, a unitary council: every statement applies
STAGES = ["not-yet", "understands", "plans", "does", "reviews"]


def build_site(tmp: Path) -> Path:
    from generator.build import build
    from generator.content.library import load

    lib = load(EXAMPLES / "content", ROOT / "questionnaire", COUNCILS)
    build(lib, ROOT, tmp / "build" / "docs", tmp / "site", EXAMPLES / "content")
    return tmp / "site"


def seed(app) -> tuple[object, str]:
    """The super-user (with a second factor) and the round's address; three members' submitted answers."""
    from functions.assessment import rounds
    from functions.assessment.responses import Answer, save
    from model.questionnaire import latest

    factory = PeopleFactory(app)
    edition = latest(app.state.editions)
    lead = factory.add("lead@aberdeencity.gov.uk", council=COUNCIL, role="super-user")
    members = [factory.add(f"member{i}@aberdeencity.gov.uk", council=COUNCIL) for i in range(3)]
    now = app.state.clock.now()
    with app.state.store.transaction() as tx:
        round_ = rounds.open_round(tx, COUNCIL, edition.id, lead.id, now)
        for i, person in enumerate(members):
            answers = {
                s.id: Answer(s.id, STAGES[(i + n) % 4], STAGES[(i + n) % 4 + 1], "") for n, s in enumerate(edition.statements)
            }
            save(tx, round_.id, person.id, based_on=0, respondent_role="officer", routes=(), answers=answers, submit=True, at=now)
    return lead, f"/app/councils/{COUNCIL}/rounds/{round_.id}"


def meeting(browser, server, lead, base: str, javascript: bool) -> dict:
    from functions.web.security import SESSION_COOKIE

    context = browser.new_context(java_script_enabled=javascript)
    token = PeopleFactory(server.app).session(lead, second_factor=True)
    context.add_cookies(
        [{"name": SESSION_COOKIE, "value": token, "domain": "127.0.0.1", "path": "/", "secure": True, "httpOnly": True}]
    )
    page = context.new_page()
    loads = []
    page.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)
    started = time.perf_counter()
    page.goto(server.url + base + "/consensus")
    page.get_by_role("link", name="Start with the first statement").click()
    recorded = 0
    while True:
        sid = page.locator("[data-statement]").get_attribute("data-statement")
        page.check(f"#c-{sid}-current-plans")
        page.check(f"#c-{sid}-ambition-does")
        page.fill(f"#c-{sid}-rationale", f"Agreed at the meeting ({sid})")
        last = page.get_by_role("button", name="Save and go to the next statement").count() == 0
        page.get_by_role(
            "button", name="Save and go to the next statement" if not last else f"Save the consensus for {sid}"
        ).click()
        recorded += 1
        if last:
            page.get_by_role("status").filter(has_text=f"Consensus for {sid} saved.").wait_for()
            break
        page.locator(f"[data-statement]:not([data-statement='{sid}'])").wait_for()
    seconds = time.perf_counter() - started
    context.close()
    return {"answers": recorded, "page_loads": len(loads), "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    from playwright.sync_api import sync_playwright

    from functions.app import create_app

    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as p:
        tmp = Path(tmp_name)
        site = build_site(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for javascript in (False, True):
            port = free_port()
            settings = make_settings(
                tmp / ("js" if javascript else "plain"),
                site_url=f"http://127.0.0.1:{port}",
                port=port,
                site_dir=site,
                questionnaire_dir=ROOT / "questionnaire",
            )
            app = create_app(settings)
            server, thread = run_live(app, port)
            from tests.conftest import LiveServer

            live = LiveServer(f"http://127.0.0.1:{port}", app, settings)
            lead, base = seed(app)
            found = meeting(browser, live, lead, base, javascript)
            server.should_exit = True
            thread.join(timeout=5)
            app.state.store.close()
            print(
                f"{'with' if javascript else 'without'} JavaScript: {found['answers']} answers recorded, "
                f"{found['page_loads']} page loads, {found['seconds']:.1f} s"
            )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
