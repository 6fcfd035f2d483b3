"""Feedback routes: stored, rate-limited, size-limited, honeypot and cross-site refused, anonymous."""

from __future__ import annotations

import pytest

from functions.feedback import store as feedback
from functions.feedback import submission
from functions.web.security import CSRF_FIELD
from tests.factories import form_token

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}

# One valid submission per route: (path, form, the limit it counts against)
ROUTES = {
    "useful": ("/app/feedback/useful", {"page": "/guidance/budget-consultation/", "useful": "yes"}, submission.VOTES),
    "suggestion": ("/app/feedback/suggestion", {"page": "/", "message": "Add a worked example.", "email": ""}, submission.TEXTS),
    "unclear": ("/app/feedback/unclear", {"statement": "FIN-01", "return": "/app/assessment/#FIN-01"}, submission.VOTES),
    "unclear-with-text": ("/app/feedback/unclear", {"statement": "FIN-01", "message": "What counts as balanced?"}, submission.TEXTS),
    "step": ("/app/feedback/step", {"page": "/tools/reserves-checklist/", "verdict": "helped", "statement": "FIN-02"}, submission.VOTES),
}


def rows(app) -> list[dict]:
    with app.state.store.transaction(write=False) as tx:
        return tx.all("SELECT * FROM feedback ORDER BY at, id")


def post(client, route: str, headers=SAME_ORIGIN, **changes):
    path, form, _ = ROUTES[route]
    return client.post(path, data={**form, **changes}, headers=headers)


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_stores_its_feedback_and_thanks_with_a_link_back(client, app, route):
    response = post(client, route)
    assert response.status_code == 200, response.text
    assert "Thank you" in response.text
    assert 'href="' in response.text and "Back to" in response.text
    [row] = rows(app)
    assert row["kind"] == route.split("-")[0]


def test_a_page_vote_keeps_only_what_was_clicked(client, app):
    post(client, "useful", useful="no")
    [row] = rows(app)
    assert (row["kind"], row["page"], row["verdict"], row["message"], row["reply_to"]) == ("useful", "/guidance/budget-consultation/", "no", "", "")
    # nothing about the sender exists to be kept: no address, browser or person column
    assert set(app.state.store.columns("feedback")) == {"id", "at", "kind", "page", "statement", "edition", "verdict", "message", "reply_to"}


def test_not_useful_asks_what_would_have_made_it_better(client):
    response = post(client, "useful", useful="no")
    assert 'action="/app/feedback/suggestion"' in response.text
    assert 'value="/guidance/budget-consultation/"' in response.text


def test_a_suggestion_keeps_the_text_and_the_email_typed_for_a_reply(client, app):
    response = post(client, "suggestion", message="  A template would help.  ", email="officer@example.gov.uk")
    assert "reply to the address you gave" in response.text
    [row] = rows(app)
    assert (row["message"], row["reply_to"], row["page"]) == ("A template would help.", "officer@example.gov.uk", "/")


def test_a_suggestion_needs_text_and_a_real_email_if_one_is_given(client, app):
    empty = post(client, "suggestion", message="   ")
    assert empty.status_code == 422 and "message: expected your suggestion, got nothing" in empty.text
    bad = post(client, "suggestion", email="not an address")
    assert bad.status_code == 422 and "email: expected one plain email address" in bad.text
    assert rows(app) == []


def test_unclear_statement_page_names_the_statement_and_links_back(client):
    response = client.get("/app/feedback/unclear", params={"statement": "FIN-01", "return": "/app/assessment/financial-planning#FIN-01"})
    assert response.status_code == 200
    assert "Our medium-term financial plan is balanced and realistic." in response.text
    assert 'name="return" value="/app/assessment/financial-planning#FIN-01"' in response.text


def test_unclear_records_the_statement_and_its_edition(client, app):
    response = post(client, "unclear-with-text")
    assert "You can close this tab to go back to your answers." in response.text  # no return: opened in a new tab
    [row] = rows(app)
    assert (row["statement"], row["edition"], row["message"]) == ("FIN-01", "2026", "What counts as balanced?")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_the_way_back_never_leaves_the_site(client, target):
    response = post(client, "unclear", **{"return": target})
    assert response.status_code == 200
    assert "evil" not in response.text and "javascript:" not in response.text


def test_unknown_statements_and_malformed_pages_are_refused_with_a_clear_message(client, app):
    assert "statement: expected a statement id" in post(client, "unclear", statement="ZZZ-99").text
    assert "page: expected a page address" in post(client, "useful", page="https://elsewhere.example/").text
    assert "verdict: expected one of helped, not-helped" in post(client, "step", verdict="maybe").text
    assert rows(app) == []


def test_feedback_about_a_page_the_site_does_not_have_is_refused(client, app):
    site = app.state.settings.site_dir
    (site / "guidance" / "budget-consultation").mkdir(parents=True)
    (site / "guidance" / "budget-consultation" / "index.html").write_text("<h1>Budget</h1>")
    assert post(client, "useful").status_code == 200
    missing = post(client, "useful", page="/guidance/no-such-page/")
    assert missing.status_code == 422 and "page: expected a page that exists on this site" in missing.text
    assert len(rows(app)) == 1


def test_feedback_about_a_page_address_too_long_for_a_file_name_is_refused_clearly(client, app):
    """A part of the address longer than a file name may be made the file system raise ("File name too
    long"), a 500; such a page is simply not one of the site's. The suggestion form's GET asks the same."""
    (app.state.settings.site_dir / "guidance").mkdir(parents=True)
    for page in ("/" + "a" * 290 + "/", "/guidance/" + "%" * 280 + "/"):
        for route in ("useful", "step", "suggestion"):
            r = post(client, route, page=page)
            assert r.status_code == 422 and "page: expected a page that exists on this site" in r.text, (route, r.status_code)
        r = client.get("/app/feedback/suggestion", params={"page": page})
        assert r.status_code == 422 and "page: expected a page that exists on this site" in r.text
    assert rows(app) == []


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_is_rate_limited_per_client(client, app, route):
    limit = ROUTES[route][2]
    for _ in range(limit.hits):
        assert post(client, route).status_code == 200
    refused = post(client, route)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= limit.window
    assert len(rows(app)) == limit.hits


def test_the_rate_limit_keeps_no_client_address(client, app):
    post(client, "useful")
    with app.state.store.transaction(write=False) as tx:
        buckets = [r["bucket"] for r in tx.all("SELECT bucket FROM rate_limits")]
    assert buckets and all("testclient" not in b for b in buckets)


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_refuses_an_oversize_body(client, app, route):
    response = post(client, route, padding="x" * (submission.MAX_BODY + 1))
    assert response.status_code == 413
    assert rows(app) == []


@pytest.mark.parametrize("route", ["suggestion", "unclear-with-text"])
def test_an_oversize_message_is_refused_saying_how_long_it_may_be(client, app, route):
    response = post(client, route, message="x" * (submission.MAX_MESSAGE + 1))
    assert response.status_code == 413
    assert f"message: expected at most {submission.MAX_MESSAGE} characters, got {submission.MAX_MESSAGE + 1}" in response.text
    assert rows(app) == []


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_refuses_a_filled_honeypot(client, app, route):
    response = post(client, route, website="https://spam.example")
    assert response.status_code == 422
    assert "website: expected nothing" in response.text
    assert rows(app) == []


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "none"}],
    ids=["no-proof", "cross-site", "same-site", "other-origin", "typed-address"],
)
def test_each_route_refuses_what_is_not_proven_same_origin(client, app, route, headers):
    response = post(client, route, headers=headers)
    assert response.status_code == 403
    assert rows(app) == []


@pytest.mark.parametrize("route", ROUTES)
def test_a_matching_origin_or_a_form_token_is_proof_enough(client, app, route):
    assert post(client, route, headers={"Origin": "https://testserver"}).status_code == 200
    assert post(client, route, headers={}, **{CSRF_FIELD: form_token(client)}).status_code == 200
    assert len(rows(app)) == 2


def test_script_submissions_get_json(client):
    response = post(client, "step", headers={**SAME_ORIGIN, "Accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"message": "Thank you: we have noted that this next step helped."}


def test_feedback_is_kept_for_twelve_months_then_purged(fresh_store):
    now = 1_800_000_000
    with fresh_store.transaction() as tx:
        feedback.record(tx, feedback.Feedback("useful", page="/", verdict="yes"), now - feedback.RETENTION - 1)
        feedback.record(tx, feedback.Feedback("suggestion", page="/", message="Keep me", reply_to="a@example.gov.uk"), now - feedback.RETENTION + 60)
    with fresh_store.transaction() as tx:
        assert feedback.purge(tx, now) == 1
        assert [r["message"] for r in tx.all("SELECT message FROM feedback")] == ["Keep me"]


def test_the_nightly_retention_job_removes_old_feedback(app):
    from functions import retention

    now = app.state.clock.now()
    with app.state.store.transaction() as tx:
        feedback.record(tx, feedback.Feedback("useful", page="/", verdict="no"), now - feedback.RETENTION - 3600)
        feedback.record(tx, feedback.Feedback("useful", page="/", verdict="yes"), now)
    removed = retention.run(app.state.store, now)
    assert removed["Feedback"] == 1
    assert [r["verdict"] for r in rows(app)] == ["yes"]


def test_the_answers_forms_unclear_link_opens_a_page_that_says_the_answers_are_still_open(client):
    import re

    from functions.assessment import form
    from tests.factories import example_edition

    fields = str(form.statement_fields(example_edition().statement("FIN-01"), "county", {}, {}))
    link = re.search(r'<a class="tie-feedback-unclear"[^>]*>.*?</a>', fields).group(0)
    assert 'target="_blank"' in link and "opens in a new tab" in link
    href = re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")
    page = client.get(href)
    assert page.status_code == 200
    assert "Our medium-term financial plan is balanced and realistic." in page.text
    assert "still open in the tab you came from" in page.text
