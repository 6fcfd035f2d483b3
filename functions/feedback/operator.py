"""Pages for the people who run the Exchange: /app/operator/feedback, the same summary as `tie feedback`, and its CSV."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from functions import web
from functions.feedback import report
from functions.guards import require_operator


def _period(request: Request) -> report.Period:
    q = request.query_params
    try:
        return report.period(q.get("since"), q.get("until"), request.app.state.clock.now())
    except report.PeriodError as err:
        where = str(err).split(":", 1)[0]
        raise web.BadRequest([{"where": where, "message": str(err)}]) from None


def _read(store, fn, period):
    with store.transaction(write=False) as tx:
        return fn(tx, period)


async def feedback_page(request: Request) -> Response:
    """GET /app/operator/feedback?since=…&until=…"""
    await require_operator(request)
    period = _period(request)
    summary = await web.blocking(_read, request.app.state.store, report.summarise, period)
    return web.render(request, "operator/feedback.html", page_title="Feedback", report=summary, period=period)


async def feedback_csv(request: Request) -> Response:
    """GET /app/operator/feedback.csv?since=…&until=…: every piece of feedback in the period."""
    await require_operator(request)
    period = _period(request)
    text = await web.blocking(_read, request.app.state.store, report.csv_text, period)
    name = f"feedback-{period.since.isoformat()}-to-{period.until.isoformat()}.csv"
    return Response(text, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'})


page_routes = [
    Route("/operator/feedback", feedback_page, methods=["GET"]),
    Route("/operator/feedback.csv", feedback_csv, methods=["GET"]),
]
