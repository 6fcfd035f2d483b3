"""Cross-site requests change nothing, in real Chromium.

The victim signs in to the app on http://127.0.0.1:<port>, then opens a page served from another
site, http://localhost:<other port>, which auto-submits forms and makes fetch calls to the app's
unsafe endpoints with the victim's cookies. The store shows nothing changed.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from functions.councils import memberships
from functions.people import store as people
from tests.browser.test_sign_in import sign_in
from tests.factories import PeopleFactory, free_port

pytestmark = pytest.mark.browser

ATTACK = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>You won a prize</title></head><body>
<h1>You won a prize</h1>
{forms}
<script>
const app = {app};
const member = {member};
const results = [];
const attempt = (label, promise) => promise.then(r => results.push([label, "answered", r.status, r.type]), e => results.push([label, "blocked", String(e)]));
for (const form of document.forms) form.submit();
Promise.all([
  attempt("patch json", fetch(app + "/api/councils/ABE/members/" + member, {{method: "PATCH", credentials: "include", headers: {{"Content-Type": "application/json"}}, body: JSON.stringify({{role: "super-user"}})}})),
  attempt("delete", fetch(app + "/api/councils/ABE/members/" + member, {{method: "DELETE", credentials: "include"}})),
  attempt("no-cors form post", fetch(app + "/app/councils/ABE/members/" + member + "/remove", {{method: "POST", mode: "no-cors", credentials: "include", headers: {{"Content-Type": "application/x-www-form-urlencoded"}}, body: "csrf_token=guess"}})),
  attempt("no-cors text post", fetch(app + "/api/councils/ABE/invitations", {{method: "POST", mode: "no-cors", credentials: "include", headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{email: "mallory@evil.example", role: "super-user"}})}})),
  attempt("read me", fetch(app + "/api/me", {{credentials: "include"}})),
]).then(() => {{ window.attackResults = results; document.title = "done"; }});
</script>
</body></html>
"""

FORM = '<iframe name="f{i}" title="f{i}"></iframe><form method="post" action="{action}" target="f{i}">{fields}</form>'


def attack_page(app_url: str, member_id: str) -> str:
    targets = [
        (f"/app/councils/ABE/members/{member_id}/role", {"role": "super-user", "csrf_token": "guess"}),
        (f"/app/councils/ABE/members/{member_id}/remove", {}),
        ("/app/councils/ABE/invitations", {"email": "mallory@evil.example", "role": "super-user"}),
        ("/app/account", {"name": "Mallory was here"}),
        ("/app/sign-out/everywhere", {}),
        ("/app/account/erase", {"confirm": "yes"}),
    ]
    forms = "\n".join(
        FORM.format(
            i=i,
            action=app_url + action,
            fields="".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items()),
        )
        for i, (action, fields) in enumerate(targets)
    )
    return ATTACK.format(forms=forms, app=json.dumps(app_url), member=json.dumps(member_id))


@pytest.fixture
def evil_site():
    """Serves one page on http://localhost:<port>, another site from the app's http://127.0.0.1."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get("/", "").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{port}", pages
    server.shutdown()


def snapshot(app) -> dict:
    with app.state.store.transaction(write=False) as tx:
        return {
            "memberships": tx.all("SELECT person_id, council, role FROM memberships ORDER BY person_id, council"),
            "people": tx.all("SELECT id, email, name FROM people ORDER BY id"),
            "live sessions": tx.value("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL"),
            "invitations": tx.value("SELECT COUNT(*) FROM invitations"),
        }


def test_a_page_on_another_site_cannot_change_anything(page, live_server, smtp_server, evil_site):
    app, base = live_server.app, live_server.url
    factory = PeopleFactory(app)
    ada = factory.add("ada@aberdeencity.gov.uk", council="ABE", role="super-user")
    bob = factory.add("bob@aberdeencity.gov.uk", council="ABE")
    sign_in(page, base, smtp_server, ada.email, 1)
    with app.state.store.transaction() as tx:  # a fully verified super-user: every action would be allowed from the app itself
        tx.execute("UPDATE sessions SET mfa_verified_at = ? WHERE person_id = ?", (app.state.clock.now(), ada.id))
    page.goto(base + "/app/councils/ABE/members")
    expect(page.get_by_role("heading", name="Members of Aberdeen City Council")).to_be_visible()
    before = snapshot(app)

    reached = []
    page.on("response", lambda r: reached.append((r.request.method, r.url, r.status)) if r.url.startswith(base) else None)
    evil_url, pages = evil_site
    pages["/"] = attack_page(base, bob.id)
    page.goto(evil_url + "/")
    page.wait_for_function("document.title === 'done'", timeout=20_000)
    page.wait_for_timeout(500)  # let the frames' form posts land
    results = page.evaluate("window.attackResults")

    assert snapshot(app) == before
    with app.state.store.transaction(write=False) as tx:
        assert memberships.membership(tx, bob.id, "ABE").role == "member"
        assert people.by_id(tx, ada.id).name is None
    form_posts = [(m, s) for m, url, s in reached if m == "POST" and "/app/" in url]
    assert len(form_posts) >= 6 and all(s == 403 for _, s in form_posts), reached  # they arrived, and were refused
    answered = {r[0]: r for r in results}
    assert answered["patch json"][1] == "blocked" and answered["delete"][1] == "blocked"  # no CORS: the browser stops them
    assert answered["read me"][1] == "blocked"  # and nothing can be read across sites
    page.goto(base + "/app/account")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()  # the victim is still signed in
