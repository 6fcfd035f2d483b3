"""Results pages and downloads: the council's official response, and each person's own answers.

The official results are for the council's members, and for everyone when the council published
them for everyone. A person's own results are for that person only. Both show current against
ambition by theme and statement (an SVG chart with a table beside it), strengths, areas for
improvement in priority order with next steps from the library, and progress since the last round.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from generator.vocabulary import ROUTES, THEMES

from . import charts, consensus, exports, guards, next_steps, responses, results, round_context, rounds, web
from .consensus_pages import when

BASE = "/councils/{code}/rounds/{round_id}"
DOWNLOAD = re.compile(r"^(official|my)-(answers|action-plan)\.(csv|json)$")
NOT_PUBLISHED = "The council has not published its official response for this round yet."


def _is_public(request: Request, code: str, round_id: str) -> bool:
    """True only when the round exists and its official response is published for everyone."""
    with request.app.state.store.transaction(write=False) as tx:
        found = rounds.get(tx, code, round_id)
        published = consensus.latest(tx, found.id) if found else None
        return published is not None and published.sharing == "public"


async def _official_access(request: Request, code: str, round_id: str) -> None:
    """Members of the council always; anyone else only when the response is public (otherwise as the guards say)."""
    if not await web.blocking(_is_public, request, code, round_id):
        await guards.require_member(request, code)


def _official(request: Request, code: str, round_id: str) -> dict:
    state = request.app.state
    with state.store.transaction(write=False) as tx:
        ctx = round_context.load(tx, request, code, round_id)
        published = consensus.latest(tx, ctx.round.id)
        if published is None:
            raise HTTPException(404, NOT_PUBLISHED)
        before = consensus.earlier(tx, code, ctx.round.year)
    found = results.compute(ctx.edition, published.answers, ctx.council_type, routes=published.routes, note_field="rationale")
    earlier_edition = state.editions.get(before.edition) if before else None
    if before and earlier_edition:
        then = results.compute(earlier_edition, before.answers, ctx.council_type, note_field="rationale")
        found = results.with_progress(found, results.progress(found, then, before.round_id, f"{before.year} official response"))
    return {"ctx": ctx, "published": published, "results": found}


def _mine(request: Request, code: str, round_id: str, person_id: str) -> dict:
    state = request.app.state
    with state.store.transaction(write=False) as tx:
        ctx = round_context.load(tx, request, code, round_id)
        own = responses.own(tx, ctx.round.id, person_id)
        earlier = None
        for r in rounds.for_council(tx, code):  # newest first
            if r.year < ctx.round.year:
                earlier_own = responses.own(tx, r.id, person_id)
                if earlier_own and earlier_own.submitted:
                    earlier = (r, earlier_own)
                    break
    found = results.compute(ctx.edition, own.answers if own else {}, ctx.council_type, routes=own.routes if own else ())
    if earlier and earlier[0].edition in state.editions:
        then = results.compute(state.editions[earlier[0].edition], earlier[1].answers, ctx.council_type)
        found = results.with_progress(found, results.progress(found, then, earlier[0].id, f"your {earlier[0].year} answers"))
    return {"ctx": ctx, "own": own, "results": found}


def _chart(found: results.Results) -> object:
    rows = [charts.Row(t.theme.label, t.current_mean, t.ambition_mean) for t in found.themes if t.statements]
    return charts.chart("tie-results-chart", "Where the council is now and where it aims to be, by theme", rows)


def _render(request: Request, kind: str, data: dict, status: int = 200):
    found: results.Results = data["results"]
    ctx = data["ctx"]
    plan = next_steps.plan(found, request.app.state.library, ctx.council_type)
    title = f"Official results: {ctx.title}" if kind == "official" else f"Your results: {ctx.title}"
    return web.render(
        request,
        "results/results.html",
        status=status,
        page_title=title,
        kind=kind,
        plan=plan,
        chart=_chart(found),
        value_text=charts.value_text,
        route_label=ROUTES.label,
        theme_label=THEMES.label,
        when=when,
        sharing_terms=consensus.SHARING.terms,
        just_published=request.query_params.get("published") == "1",
        **data,
    )


async def official(request: Request):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    await _official_access(request, code, round_id)
    data = await web.blocking(_official, request, code, round_id)
    return _render(request, "official", data)


async def mine(request: Request):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    await guards.require_member(request, code)
    data = await web.blocking(_mine, request, code, round_id, request.state.person.id)
    return _render(request, "mine", data)


async def download(request: Request):
    code, round_id, name = request.path_params["code"], request.path_params["round_id"], request.path_params["name"]
    match = DOWNLOAD.match(name)
    if not match:
        raise HTTPException(
            404,
            "There is no such download. Downloads are official-answers, official-action-plan, my-answers and my-action-plan, as .csv or .json.",
        )
    scope, what, fmt = match.groups()
    if scope == "official":
        await _official_access(request, code, round_id)
        data = await web.blocking(_official, request, code, round_id)
    else:
        await guards.require_member(request, code)
        data = await web.blocking(_mine, request, code, round_id, request.state.person.id)
    ctx, found = data["ctx"], data["results"]
    site_url = request.app.state.settings.site_url
    meta = {
        "council": ctx.council.code,
        "council_name": ctx.council.name,
        "round": ctx.round.id,
        "year": ctx.round.year,
        "response": "official" if scope == "official" else "own",
        "exported_at": request.app.state.clock.now(),
    }
    if scope == "official":
        meta["version"] = data["published"].version
    if what == "answers":
        body = exports.answers_csv(found) if fmt == "csv" else exports.answers_json(meta, found)
    else:
        plan = next_steps.plan(found, request.app.state.library, ctx.council_type)
        body = exports.plan_csv(plan, site_url) if fmt == "csv" else exports.plan_json(meta, found, plan, site_url)
    filename = f"{ctx.council.code.lower()}-{ctx.round.year}-{name}"
    if fmt == "csv":
        # the byte order mark tells spreadsheet programs the file is UTF-8, so names and quotes survive
        return Response(
            "\ufeff" + body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return Response(body, media_type="application/json", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


page_routes = [
    Route(BASE + "/results", official, methods=["GET"]),
    Route(BASE + "/my-results", mine, methods=["GET"]),
    Route(BASE + "/downloads/{name}", download, methods=["GET"]),
]
