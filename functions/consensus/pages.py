"""The super-user's consensus pages: the agenda (spread, disagreement first, and what is still to agree), one page
per statement to record the consensus on, moving from one to the next in agenda order, individual answers
(audited), and publishing the official response.

Every page needs the council's super-user with a verified second factor. Forms are plain POSTs
that work without JavaScript: a save answers with a redirect to the same statement, or to the next one
on the agenda, so the meeting keeps its place; `assets/consensus.js` sends the same POST and shows the
page it is sent to without a reload. A save based on an out-of-date version is refused with a page that
shows both versions (409), never applied silently.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from functions import audit, guards, web
from functions.assessment import context as round_context
from functions.assessment import responses
from functions.consensus import spread
from functions.consensus import store as consensus
from functions.councils import memberships
from functions.people import store as people
from functions.results.compute import stage_label
from model.vocabulary import DONT_KNOW, RESPONDENT_ROLES, ROUTES, STAGES

BASE = "/councils/{code}/rounds/{round_id}"


def _submitted(tx, round_id: str) -> list[responses.IndividualResponse]:
    """The responses people have submitted: drafts are their authors' work in progress."""
    return [r for r in responses.for_round(tx, round_id) if r.submitted]


def _agenda(request: Request, code: str, round_id: str, reader) -> dict:
    with request.app.state.store.transaction(write=False) as tx:
        ctx = round_context.load(tx, request, code, round_id)
        everyone = responses.for_round(tx, ctx.round.id)
        submitted = [r for r in everyone if r.submitted]
        drafts = consensus.drafts(tx, ctx.round.id)
        routes = consensus.routes_draft(tx, ctx.round.id)
        roles = spread.role_groups(submitted, reader.id)
        return {
            "ctx": ctx,
            "spreads": spread.spreads(ctx.edition, submitted, ctx.council_type, reader.id),
            "submitted": len(submitted),
            "started": len(everyone) - len(submitted),
            "members": memberships.member_count(tx, code),
            # too few besides the reader: no spread, no order by disagreement, no tally (spread.MIN_RESPONDENTS)
            "spread_withheld": spread.everyone_withheld(submitted, reader.id),
            "min_respondents": spread.MIN_RESPONDENTS,
            "roles_said": roles.said,
            "roles_withheld": roles.withheld,
            "min_role_group": spread.MIN_ROLE_GROUP,
            "drafts": drafts,
            "routes": routes,
            "route_votes": spread.route_votes(submitted, reader.id),
            "missing": consensus.missing(ctx.edition, ctx.council_type, drafts),
            "published": consensus.latest(tx, ctx.round.id),
        }


def _page(request: Request, template: str, status: int = 200, **data):
    for key, empty in (("problems", []), ("errors", {}), ("errors_for", ""), ("values", {}), ("changed", False)):
        data.setdefault(key, empty)
    return web.render(
        request,
        template,
        status=status,
        stages=list(STAGES.terms),
        dont_know=DONT_KNOW,
        route_terms=ROUTES.terms,
        sharing_terms=consensus.SHARING.terms,
        rationale_max=consensus.RATIONALE_MAX,
        stage_label=stage_label,
        **data,
    )


def _still_to_agree(data: dict) -> list:
    """The agenda's statements with no consensus recorded yet, in agenda order."""
    return [s for s in data["spreads"] if s.statement.id not in data["drafts"]]


async def agenda(request: Request):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    await guards.require_super_user(request, code)
    data = await web.blocking(_agenda, request, code, round_id, request.state.person)
    saved = request.query_params.get("saved", "")
    return _page(
        request,
        "consensus/agenda.html",
        page_title=f"Consensus: {data['ctx'].title}",
        saved=saved,
        still_to_agree=_still_to_agree(data),
        **data,
    )


def _on_agenda(data: dict, statement_id: str) -> dict:
    """Where a statement is on the agenda: its spread, its number, the statements before and after it."""
    order = [s.statement.id for s in data["spreads"]]
    if statement_id not in order:
        raise web.BadRequest(
            [
                {
                    "where": "statement",
                    "message": f"statement: expected a statement of this round, got {consensus.show(statement_id)}",
                }
            ],
            404,
        )
    at = order.index(statement_id)
    return {
        "s": data["spreads"][at],
        "number": at + 1,
        "previous": order[at - 1] if at > 0 else None,
        "next": order[at + 1] if at + 1 < len(order) else None,
        "still_to_agree": _still_to_agree(data),
    }


async def statement_page(request: Request, status: int = 200, **extra):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    statement_id = request.path_params["statement_id"]
    await guards.require_super_user(request, code)
    data = await web.blocking(_agenda, request, code, round_id, request.state.person)
    place = _on_agenda(data, statement_id)
    title = f"{statement_id}: Consensus: {data['ctx'].title}"
    extra.setdefault("saved", request.query_params.get("saved", ""))
    return _page(
        request,
        "consensus/statement.html",
        status=status,
        page_title=("Error: " if extra.get("problems") else "") + title,
        **place,
        **data,
        **extra,
    )


def _version(text) -> int | None:
    return web.whole_number(text)


def _save_statement(request: Request, code: str, round_id: str, statement_id: str, form: dict, person) -> dict:
    values = {
        "current": form.get("current") or "",
        "ambition": form.get("ambition") or "",
        "rationale": rationale.strip() if isinstance(rationale := form.get("rationale", ""), str) else rationale,
    }
    version = _version(form.get("version"))
    with request.app.state.store.transaction() as tx:
        ctx = round_context.load(tx, request, code, round_id)
        problems = consensus.check_answer(ctx.edition, ctx.council_type, statement_id, **values)
        if version is None:
            problems.append(
                {"where": "version", "message": f"version: expected a whole number, got {consensus.show(form.get('version'))}"}
            )
        if problems:
            return {"outcome": "problems", "problems": problems, "values": values}
        try:
            consensus.save_draft(
                tx, ctx.round.id, statement_id, based_on=version, person_id=person.id, at=request.app.state.clock.now(), **values
            )
        except consensus.StaleDraft as stale:
            return {
                "outcome": "stale",
                "ctx": ctx,
                "stored": stale.current,
                "values": values,
                "statement": ctx.edition.statement(statement_id),
            }
        return {"outcome": "saved"}


async def save_statement(request: Request):
    code, round_id, statement_id = (
        request.path_params["code"],
        request.path_params["round_id"],
        request.path_params["statement_id"],
    )
    await guards.require_super_user(request, code)
    form = await web.form(request)
    result = await web.blocking(_save_statement, request, code, round_id, statement_id, form, request.state.person)
    base = f"/app/councils/{code}/rounds/{round_id}/consensus/statements"
    if result["outcome"] == "saved":
        # the meeting keeps its place: back to this statement, or on to the next on the agenda
        target = statement_id
        if form.get("action") == "next":
            data = await web.blocking(_agenda, request, code, round_id, request.state.person)
            target = _on_agenda(data, statement_id)["next"] or statement_id
        return RedirectResponse(f"{base}/{target}?saved={statement_id}#s-{target}", status_code=303)
    if result["outcome"] == "stale":
        return _page(request, "consensus/conflict.html", status=409, page_title="Someone else saved this first", **result)
    problems = result["problems"]
    if any(p["where"] == "statement" for p in problems):
        raise web.BadRequest(problems, 404)
    return await statement_page(
        request,
        status=422,
        errors_for=statement_id,
        problems=problems,
        errors={p["where"]: p["message"] for p in problems},
        values=result["values"],
        saved="",
    )


def _save_routes(request: Request, code: str, round_id: str, form: dict, person) -> dict:
    chosen = form.get("routes") or []
    chosen = [chosen] if isinstance(chosen, str) else chosen
    version = _version(form.get("version"))
    problems = consensus.check_routes(chosen)
    if version is None:
        problems.append(
            {"where": "version", "message": f"version: expected a whole number, got {consensus.show(form.get('version'))}"}
        )
    with request.app.state.store.transaction() as tx:
        ctx = round_context.load(tx, request, code, round_id)
        if problems:
            return {"outcome": "problems", "problems": problems}
        try:
            consensus.save_routes(
                tx, ctx.round.id, tuple(chosen), based_on=version, person_id=person.id, at=request.app.state.clock.now()
            )
        except consensus.StaleDraft as stale:
            return {"outcome": "stale", "ctx": ctx, "stored": stale.current, "values": {"routes": chosen}, "statement": None}
        return {"outcome": "saved"}


async def save_routes(request: Request):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    await guards.require_super_user(request, code)
    form = await web.form(request)
    result = await web.blocking(_save_routes, request, code, round_id, form, request.state.person)
    if result["outcome"] == "saved":
        return RedirectResponse(f"/app/councils/{code}/rounds/{round_id}/consensus?saved=routes#routes", status_code=303)
    if result["outcome"] == "stale":
        return _page(request, "consensus/conflict.html", status=409, page_title="Someone else saved this first", **result)
    raise web.BadRequest(result["problems"])


def _individual_answers(request: Request, code: str, round_id: str, statement_id: str | None, reader) -> dict:
    """Everyone's submitted answers with names and comments; writes one audit record per person shown."""
    with request.app.state.store.transaction() as tx:
        ctx = round_context.load(tx, request, code, round_id)
        statements = [s for s in ctx.edition.statements if s.applies(ctx.council_type)]
        if statement_id:
            statements = [s for s in statements if s.id == statement_id]
            if not statements:
                raise web.BadRequest(
                    [{"where": "statement", "message": f"statement: expected a statement of this round, got {statement_id!r}"}],
                    404,
                )
        wanted = {s.id for s in statements}
        submitted = _submitted(tx, ctx.round.id)
        order = {s.statement.id: i for i, s in enumerate(spread.spreads(ctx.edition, submitted, ctx.council_type))}
        shown = []
        for response in submitted:
            answers = {sid: a for sid, a in response.answers.items() if sid in wanted and (a.current or a.ambition or a.comment)}
            if not answers:
                continue
            person = people.by_id(tx, response.person_id)
            shown.append({"person": person, "role": response.respondent_role, "answers": answers})
        now = request.app.state.clock.now()
        for row in shown:
            audit.record(
                tx,
                now,
                "answers.viewed",
                actor=reader.pseudonym,
                subject=row["person"].pseudonym,
                council=code,
                round=ctx.round.id,
                statements=statement_id or "all",
            )
    shown.sort(key=lambda row: (row["person"].display_name.lower(), row["person"].id))
    by_statement = {s.id: [row for row in shown if s.id in row["answers"]] for s in statements}
    return {
        "ctx": ctx,
        "statements": sorted(statements, key=lambda s: order.get(s.id, 0)),
        "shown": shown,
        "by_statement": by_statement,
        "statement_id": statement_id,
    }


async def individual_answers(request: Request):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    await guards.require_super_user(request, code)
    statement_id = request.query_params.get("statement") or None
    data = await web.blocking(_individual_answers, request, code, round_id, statement_id, request.state.person)
    title = f"Individual answers to {statement_id}" if statement_id else "Everyone's individual answers"
    return _page(
        request,
        "consensus/answers.html",
        page_title=f"{title}: {data['ctx'].title}",
        heading=title,
        role_labels={t.id: t.label for t in RESPONDENT_ROLES.terms},
        **data,
    )


def _publish_data(request: Request, code: str, round_id: str) -> dict:
    with request.app.state.store.transaction(write=False) as tx:
        ctx = round_context.load(tx, request, code, round_id)
        drafts = consensus.drafts(tx, ctx.round.id)
        routes = consensus.routes_draft(tx, ctx.round.id)
        return {
            "ctx": ctx,
            "drafts": drafts,
            "routes": routes,
            "missing": consensus.missing(ctx.edition, ctx.council_type, drafts),
            "seen": consensus.fingerprint(drafts, routes),
            "published": consensus.latest(tx, ctx.round.id),
            "statements": [s for s in ctx.edition.statements if s.applies(ctx.council_type)],
        }


async def publish_page(request: Request):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    await guards.require_super_user(request, code)
    data = await web.blocking(_publish_data, request, code, round_id)
    chosen = data["published"].sharing if data["published"] else ""
    return _page(
        request, "consensus/publish.html", page_title=f"Publish the official response: {data['ctx'].title}", chosen=chosen, **data
    )


def _publish(request: Request, code: str, round_id: str, form: dict, person) -> dict:
    sharing = form.get("sharing") or ""
    with request.app.state.store.transaction() as tx:
        ctx = round_context.load(tx, request, code, round_id)
        drafts = consensus.drafts(tx, ctx.round.id)
        problems = consensus.publish_problems(ctx.edition, ctx.council_type, drafts, sharing)
        if problems:
            return {"outcome": "problems", "problems": problems, "sharing": sharing}
        now = request.app.state.clock.now()
        try:
            published = consensus.publish(
                tx,
                ctx.round,
                ctx.edition,
                ctx.council_type,
                sharing=sharing,
                seen=str(form.get("seen") or ""),
                person_id=person.id,
                at=now,
            )
        except consensus.ChangedSincePublishPage:
            return {"outcome": "changed", "sharing": sharing}
        audit.record(
            tx,
            now,
            "consensus.published",
            actor=person.pseudonym,
            council=code,
            round=ctx.round.id,
            version=published.version,
            sharing=sharing,
        )
        return {"outcome": "published"}


async def publish(request: Request):
    code, round_id = request.path_params["code"], request.path_params["round_id"]
    await guards.require_super_user(request, code)
    form = await web.form(request)
    result = await web.blocking(_publish, request, code, round_id, form, request.state.person)
    if result["outcome"] == "published":
        return RedirectResponse(f"/app/councils/{code}/rounds/{round_id}/results?published=1", status_code=303)
    data = await web.blocking(_publish_data, request, code, round_id)
    title = f"Publish the official response: {data['ctx'].title}"
    if result["outcome"] == "changed":
        return _page(
            request, "consensus/publish.html", status=409, page_title=title, chosen=result["sharing"], changed=True, **data
        )
    problems = result["problems"]
    return _page(
        request,
        "consensus/publish.html",
        status=422,
        page_title="Error: " + title,
        chosen=result["sharing"],
        problems=problems,
        errors={p["where"]: p["message"] for p in problems},
        **data,
    )


page_routes = [
    Route(BASE + "/consensus", agenda, methods=["GET"]),
    Route(BASE + "/consensus/answers", individual_answers, methods=["GET"]),
    Route(BASE + "/consensus/routes", save_routes, methods=["POST"]),
    Route(BASE + "/consensus/statements/{statement_id}", statement_page, methods=["GET"]),
    Route(BASE + "/consensus/statements/{statement_id}", save_statement, methods=["POST"]),
    Route(BASE + "/publish", publish_page, methods=["GET"]),
    Route(BASE + "/publish", publish, methods=["POST"]),
]
