"""Results pages and downloads: the council's official response, and each person's own answers.

Who sees what (docs/decisions/0006-consensus-data.md):

- the council's members see the official response whole, rationale included, whatever the sharing;
- anyone else (signed in to another council, or not signed in) sees it only when its latest version
  is published for everyone, and then only as stages, ambitions and routes: never the rationale
  (free text never leaves the council), never who published it, never individual answers;
- otherwise it does not exist for them: 404 when signed in, and the sign-in page when not, as for a
  round that does not exist;
- a person's own results are for that person only.

Both show current against ambition by theme and statement (an SVG chart with a table beside it),
strengths, areas for improvement in priority order with next steps from the library, and progress
since the last round. The official results also compare the council with similar councils, for its
members only (comparisons.py), read in the same transaction as the response.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from functions import guards, web
from functions.assessment import context as round_context
from functions.assessment import responses, rounds
from functions.consensus import store as consensus
from functions.councils import memberships
from functions.results import charts, comparisons, exports, next_steps
from functions.results import compute as results
from model.register import ATTRIBUTION_HTML
from model.vocabulary import ROUTES, STAGES, THEMES

BASE = "/councils/{code}/rounds/{round_id}"
DOWNLOAD = re.compile(r"^(official|my)-(answers|action-plan)\.(csv|json)$")
NOT_PUBLISHED = "The council has not published its official response for this round yet."


def _official(request: Request, code: str, round_id: str, person, compare: bool = False) -> dict:
    """The official response and its results as `person` (None when not signed in) may see them.

    Who may see it and what they see are decided from the same read of the response, so a change of
    sharing between the two cannot show a council-only response to an outsider. With `compare` (the
    page, not the downloads), a member also gets the comparisons with similar councils, in the same read.
    """
    state = request.app.state
    with state.store.transaction(write=False) as tx:
        insider = person is not None and memberships.membership(tx, person.id, code) is not None
        found = rounds.get(tx, code, round_id)
        published = consensus.latest(tx, found.id) if found else None
        if not insider and (published is None or published.sharing != consensus.PUBLIC):
            if person is None:  # a member who is not signed in yet: sign in, then come back
                raise guards.Redirect("/app/sign-in?next=" + quote(guards.here(request), safe=""))
            raise HTTPException(404, guards.NOT_FOUND)
        ctx = round_context.load(tx, request, code, round_id)
        if published is None:
            raise HTTPException(404, NOT_PUBLISHED)
        before = consensus.earlier(tx, code, ctx.round.year)
        # the benchmarks, for the council's own members only, from the same read as the response
        section = compared = key = None
        if insider and compare:
            access, latest = comparisons.access(tx, person.id)
            if access == comparisons.SHOWN:
                key = (latest.id, code, ctx.edition.id, published.id)
                section = _sections(state).get(key)
                if section is None:
                    compared = comparisons.compare(tx, state.register, ctx.council, ctx.edition, published, latest)
            else:
                compared = comparisons.Comparisons(access, latest)
    if compared is not None:
        section = _section(request, ctx, compared)
        if key is not None:
            _sections(state).put(key, section)
    if not insider:
        published = consensus.outside_view(published)
        # progress compares with last year's response: outsiders see it only if that one is public too
        before = consensus.outside_view(before) if before and before.sharing == consensus.PUBLIC else None
    found = results.compute(ctx.edition, published.answers, ctx.council_type, routes=published.routes, note_field="rationale")
    earlier_edition = state.editions.get(before.edition) if before else None
    if before and earlier_edition:
        then = results.compute(earlier_edition, before.answers, ctx.council_type, note_field="rationale")
        found = results.with_progress(found, results.progress(found, then, before.round_id, f"{before.year} official response"))
    return {"ctx": ctx, "published": published, "results": found, "insider": insider, "whose_routes": next_steps.COUNCILS_ROUTES,
            "comparisons": Markup(section) if section else None}  # fmt: skip


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
    return {"ctx": ctx, "own": own, "results": found, "insider": True, "whose_routes": next_steps.OWN_ROUTES, "comparisons": None}


def _plan(request: Request, data: dict) -> tuple[next_steps.Step, ...]:
    """The action plan of `data` (from _official or _mine): the page and the downloads both use this one."""
    council = data["ctx"].council
    return next_steps.plan(
        data["results"],
        request.app.state.library,
        council.type,
        data["whose_routes"],
        nation=council.nation,
        region=council.region,
    )


def _chart(found: results.Results) -> object:
    rows = [charts.Row(t.theme.label, t.current_mean, t.ambition_mean) for t in found.themes if t.statements]
    return charts.chart("tie-results-chart", "Where the council is now and where it aims to be, by theme", rows)


def _comparison_chart(t: comparisons.ThemeComparison) -> object:
    """A theme's chart: each group's stages now, the council's own marked; the table beside it has the same figures."""
    rows = []
    for f in t.summary.figures:
        if f.measure != "current":
            continue
        if f.status == "blank":
            rows.append(charts.Distribution(f.group.label, None, f.note[:1].upper() + f.note[1:]))
        else:
            rows.append(charts.Distribution(f"{f.group.label}: {f.n} councils counted", {c.stage: c.percent for c in f.cells}, f.note))
    title = f"{t.theme.label}: the stages of similar councils now, beside the council's"
    return charts.distribution_chart(f"tie-compare-{t.theme.id}", title, rows, t.summary.current, t.summary.ambition)


def _sections(state) -> comparisons.Rendered:
    """The app's rendered comparison sections (made at the first page that needs one)."""
    if not hasattr(state, "comparison_sections"):
        state.comparison_sections = comparisons.Rendered()
    return state.comparison_sections


def _section(request: Request, ctx, compared: comparisons.Comparisons) -> str:
    """The comparisons section of the official results page, as HTML."""
    return request.app.state.templates.get_template("results/_comparisons.html").render(
        comparisons=compared,
        ctx=ctx,
        comparison_chart=_comparison_chart,
        stages=STAGES.terms,
        stage_label=results.stage_label,
        method_page=comparisons.METHOD_PAGE,
        register_attribution=Markup(ATTRIBUTION_HTML),
        compared_states={"shown": comparisons.SHOWN, "none": comparisons.NONE_YET, "unchecked": comparisons.UNCHECKED},
    )


SUMMARY_AREAS = 8  # areas for improvement in the printed summary: a committee acts on a few; the rest are online and in the appendix


def _render(request: Request, kind: str, data: dict, status: int = 200):
    found: results.Results = data["results"]
    ctx = data["ctx"]
    plan = _plan(request, data)
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
        sharing_terms=consensus.SHARING.terms,
        just_published=request.query_params.get("published") == "1",
        # printed, the page is a committee summary; ?appendix=1 adds every statement's table as an appendix
        appendix=request.query_params.get("appendix") == "1",
        summary_areas=SUMMARY_AREAS,
        **data,
    )


async def official(request: Request):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    data = await web.blocking(_official, request, code, round_id, getattr(request.state, "person", None), True)
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
        data = await web.blocking(_official, request, code, round_id, getattr(request.state, "person", None))
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
    if scope == "official":  # which publication this is, as the page says: its version, when, and who may see it
        published = data["published"]
        meta.update(version=published.version, published_at=published.published_at, sharing=published.sharing)
    notes = data["insider"]  # comments and the rationale are free text: only for the council's members
    if what == "answers":
        body = exports.answers_csv(found, notes) if fmt == "csv" else exports.answers_json(meta, found, notes)
    else:
        plan = _plan(request, data)
        body = (
            exports.plan_csv(found, plan, site_url, notes)
            if fmt == "csv"
            else exports.plan_json(meta, found, plan, site_url, notes)
        )
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
