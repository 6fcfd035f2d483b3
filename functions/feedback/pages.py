"""Feedback's endpoints under /app/feedback: "was this useful?", suggestions, "this question is unclear"
and "this next step helped", from every page. Anonymous, small and spam-resistant.

Every endpoint takes a plain form POST and answers with a page that links back, so it works without
JavaScript; with `Accept: application/json` (assets/feedback.js) it answers JSON instead. The static
site's pages cannot carry a per-visitor form token, so a POST without one is accepted only when the
browser proves it is same-origin (docs/decisions/0005-feedback.md; the checks: submission.py).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from functions import web
from functions.feedback import store, submission
from functions.web.local_paths import local_path


async def _save(request: Request, item: store.Feedback) -> None:
    app = request.app
    await web.blocking(submission.in_transaction, app.state.store, lambda tx: store.record(tx, item, app.state.clock.now()))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _thanks(request: Request, message: str, back: str, back_label: str, **context) -> Response:
    if _wants_json(request):
        return JSONResponse({"message": message})
    return web.render(request, "feedback/thanks.html", page_title="Thank you", message=message, back=back, back_label=back_label, **context)


async def useful(request: Request) -> Response:
    """POST /app/feedback/useful: page, useful (yes or no)."""
    form = await submission.read(request, submission.VOTES)
    page = submission.page(request, form.get("page"))
    verdict = submission.verdict(form, "useful", "useful")
    await _save(request, store.Feedback("useful", page=page, verdict=verdict))
    if verdict == "no":
        return _thanks(request, "Thank you for telling us. What would have made this page more useful?", page, "Back to the page", suggest_page=page)
    return _thanks(request, "Thank you: we are glad it helped.", page, "Back to the page")


async def suggestion_form(request: Request) -> Response:
    """GET /app/feedback/suggestion?page=…: the suggestion form on a page of its own."""
    page = submission.page(request, request.query_params.get("page"))
    return web.render(request, "feedback/suggest.html", page_title="Suggest an improvement", page=page)


async def suggestion(request: Request) -> Response:
    """POST /app/feedback/suggestion: page, message, email (optional, for a reply)."""
    form = await submission.read(request, submission.TEXTS)
    page = submission.page(request, form.get("page"))
    message = submission.message(form, required=True)
    email = submission.email(form)
    await _save(request, store.Feedback("suggestion", page=page, message=message, reply_to=email))
    reply = " We will reply to the address you gave." if email else ""
    return _thanks(request, "Thank you: an editor will read your suggestion." + reply, page, "Back to the page")


async def unclear_form(request: Request) -> Response:
    """GET /app/feedback/unclear?statement=…&return=…: say a statement is unclear, and optionally why."""
    edition, statement = submission.statement(request, request.query_params.get("statement"))
    back = local_path(request.query_params.get("return"), "")
    return web.render(request, "feedback/unclear.html", page_title="This question is unclear", statement=statement, back=back)


async def unclear(request: Request) -> Response:
    """POST /app/feedback/unclear: statement, message (optional), return."""
    form = await submission.read(request)
    edition, statement = submission.statement(request, form.get("statement"))
    message = submission.message(form, required=False)
    back = local_path(form.get("return"), "")
    await _save(request, store.Feedback("unclear", statement=statement.id, edition=edition, message=message))
    said = f"Thank you: we will look again at how statement {statement.id} is worded."
    if not back:  # opened in a new tab from the answers form, which is still open in the first one
        return _thanks(request, said + " You can close this tab to go back to your answers.", "/self-assessment/", "Back to the self-assessment")
    return _thanks(request, said, back, "Back to where you were")


async def step(request: Request) -> Response:
    """POST /app/feedback/step: page (the recommended resource), verdict (helped or not-helped), statement, return."""
    form = await submission.read(request, submission.VOTES)
    page = submission.page(request, form.get("page"))
    verdict = submission.verdict(form, "step", "verdict")
    statement_id = edition = ""
    if form.get("statement"):
        edition, found = submission.statement(request, form.get("statement"))
        statement_id = found.id
    back = local_path(form.get("return"), page)
    await _save(request, store.Feedback("step", page=page, statement=statement_id, edition=edition, verdict=verdict))
    said = "helped" if verdict == "helped" else "did not help"
    return _thanks(request, f"Thank you: we have noted that this next step {said}.", back, "Back to your results")


page_routes = [
    Route("/feedback/useful", useful, methods=["POST"]),
    Route("/feedback/suggestion", suggestion_form, methods=["GET"]),
    Route("/feedback/suggestion", suggestion, methods=["POST"]),
    Route("/feedback/unclear", unclear_form, methods=["GET"]),
    Route("/feedback/unclear", unclear, methods=["POST"]),
    Route("/feedback/step", step, methods=["POST"]),
]
