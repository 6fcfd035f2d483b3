"""The self-assessment's pages: where to start, opening a round, and answering it step by step as a plain HTML form.

Everything works without JavaScript: each step is a form POST, checked by the server against the
round's edition (functions/assessment/answers.py, as the API is) and shown again with the problems beside
the fields. "Save and continue" needs every applicable statement of the step answered; "Save and
come back later" keeps a partial draft; the review step submits. A save based on an older version
than the stored one (another window saved since) is refused and the step shows the newer answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from functions import audit, guards
from functions.assessment import answers, form, responses, rounds
from functions.assessment.api import ROUND_ID, response_json
from functions.assessment.responses import StaleVersion
from functions.councils import memberships
from functions.councils.memberships import Membership
from functions.people.store import Person
from functions.store import Conflict
from functions.web import blocking, render, whole_number
from functions.web import form as read_form
from model.questionnaire import Edition, latest
from model.register import Council

BASE = "/councils/{code}/rounds/{round_id}/answer"
ACTIONS = ("continue", "later", "submit")


@dataclass(frozen=True)
class Answering:
    """Everything a step of the form is about: the council, the round, its edition, the person's place and response."""

    council: Council
    round: rounds.Round
    edition: Edition
    membership: Membership
    response: responses.IndividualResponse | None

    @property
    def base(self) -> str:
        return f"/app/councils/{self.council.code}/rounds/{self.round.id}/answer/"

    @property
    def values(self) -> dict[str, Any]:
        """The stored response as the form shows it; before a first save, the role the person gave on their account."""
        values = response_json(self.round, self.response)
        if self.response is None:
            values["respondent_role"] = self.membership.respondent_role
        return values


def _answering(tx, request: Request, person: Person, code: str, round_id: str) -> Answering:
    council = request.app.state.register.get(code)
    if council is None or not ROUND_ID.match(round_id):
        raise HTTPException(404, guards.NOT_FOUND)
    membership = guards.check_member(tx, person, code)
    round_ = rounds.get(tx, code, round_id)
    edition = request.app.state.editions.get(round_.edition) if round_ else None
    if round_ is None or edition is None:
        raise HTTPException(404, guards.NOT_FOUND)
    return Answering(council, round_, edition, membership, responses.own(tx, round_id, person.id))


async def _load(request: Request) -> tuple[Person, Answering]:
    person = await guards.require_person(request)
    code, round_id = request.path_params["code"], request.path_params["round_id"]

    def read():
        with request.app.state.store.transaction(write=False) as tx:
            return _answering(tx, request, person, code, round_id)

    return person, await blocking(read)


def _step(a: Answering, slug: str) -> form.Step:
    found = form.step(a.edition, slug)
    if found is None:
        raise HTTPException(404, guards.NOT_FOUND)
    return found


def step_status(a: Answering, step: form.Step, values: dict) -> str:
    """ "Not started", "In progress" or "Completed" for a step, as the start page lists them."""
    if step.slug == form.ABOUT:
        return "Completed" if a.response is not None and (values["respondent_role"] or values["routes"]) else "Not started"
    if step.slug == form.REVIEW:
        return "Submitted" if a.response is not None and a.response.submitted else "Not submitted"
    ids = [s.id for s in step.theme.statements if s.applies(a.council.type)]
    given = values["answers"]
    done = [sid for sid in ids if given.get(sid, {}).get("current") and given.get(sid, {}).get("ambition")]
    if not ids or len(done) == len(ids):
        return "Completed" if a.response is not None else "Not started"
    return "In progress" if any(sid in given for sid in ids) else "Not started"


# -- pages ---------------------------------------------------------------------------------------


def _hub(app, person: Person) -> list[dict]:
    """For each of the person's councils: its rounds, and the person's own response to each."""
    out = []
    with app.state.store.transaction(write=False) as tx:
        for m in memberships.of_person(tx, person.id):
            council = app.state.register.get(m.council)
            if council is None:
                continue
            found = rounds.for_council(tx, m.council)
            out.append(
                {
                    "council": council,
                    "membership": m,
                    "rounds": [(r, responses.own(tx, r.id, person.id)) for r in found],
                    "this_year": rounds.year_of(app.state.clock.now()) in [r.year for r in found],
                }
            )
    return out


async def hub(
    request: Request, status: int = 200, refused: rounds.RoundExists | None = None, refused_council: str = ""
) -> Response:
    person = await guards.require_person(request)
    councils = await blocking(_hub, request.app, person)
    register = request.app.state.register
    opened = register.get(request.query_params.get("opened", ""))
    saved = request.query_params.get("saved", "")
    return render(
        request,
        "assessment/hub.html",
        status=status,
        page_title="Your self-assessment",
        councils=councils,
        year=rounds.year_of(request.app.state.clock.now()),
        edition=latest(request.app.state.editions),
        opened=opened,
        saved=saved,
        refused=refused,
        refused_council=register.get(refused_council),
    )


def _open(app, person: Person, code: str) -> rounds.Round:
    """Open this year's round. Raises RoundExists if there is one, even one opened a moment ago by someone else."""
    edition = latest(app.state.editions)
    now = app.state.clock.now()
    try:
        with app.state.store.transaction() as tx:
            guards.check_super_user(tx, person, code)
            opened = rounds.open_round(tx, code, edition.id, person.id, now)
            audit.record(
                tx,
                now,
                "round.opened",
                actor=person.pseudonym,
                council=code,
                round=opened.id,
                year=opened.year,
                edition=edition.id,
            )
            return opened
    except rounds.RoundExists:
        raise
    except Conflict:  # another super-user's round took the (council, year) key first
        with app.state.store.transaction(write=False) as tx:
            raise rounds.RoundExists(next(r for r in rounds.for_council(tx, code) if r.year == rounds.year_of(now))) from None


async def open_round(request: Request) -> Response:
    code = request.path_params["code"]
    if request.app.state.register.get(code) is None:
        raise HTTPException(404, guards.NOT_FOUND)
    await guards.require_super_user(request, code)
    await read_form(request)
    try:
        await blocking(_open, request.app, request.state.person, code)
    except rounds.RoundExists as exists:
        return await hub(request, status=409, refused=exists, refused_council=code)
    return RedirectResponse(f"/app/assessment/?opened={code}", status_code=303)


async def start(request: Request) -> Response:
    """The round's first page: who sees the answers, the steps and how far the person has got."""
    _, a = await _load(request)
    values = a.values
    all_steps = form.steps(a.edition)
    statuses = [(s, step_status(a, s, values)) for s in all_steps]
    resume = next((s for s, status in statuses if status in ("Not started", "In progress")), all_steps[-1])
    return render(
        request,
        "assessment/start.html",
        page_title=f"Your self-assessment: {a.council.name}, {a.round.year}",
        a=a,
        statuses=statuses,
        resume=resume,
        submitted=request.query_params.get("submitted") == "1",
    )


def _page(
    request: Request,
    a: Answering,
    step: form.Step,
    values: dict,
    problems: dict[str, str],
    status: int = 200,
    conflict: bool = False,
) -> Response:
    total = len(form.steps(a.edition))
    links = {}
    if step.slug == form.REVIEW:  # the fields are on the other steps
        links = {w: f"{a.base}{form.step_of(a.edition, w)}#{form.field_id(w)}" for w in problems if form.step_of(a.edition, w)}
    all_steps = form.steps(a.edition)
    previous = all_steps[step.number - 2] if step.number > 1 else None
    env = request.app.state.templates  # the form's pieces are rendered with the page's own environment
    return render(
        request,
        "assessment/step.html",
        status=status,
        page_title=form.title(step, total, problems),
        a=a,
        step=step,
        previous=previous,
        version=values.get("version", 0),
        summary=form.error_summary(problems, links, env=env),
        progress=form.progress(a.edition, step, a.base, env=env),
        fields=form.review(a.edition, a.council.type, values, a.base, env=env)
        if step.slug == form.REVIEW
        else form.step_fields(a.edition, step, a.council.type, values, problems, env=env),
        buttons=form.buttons(step, env=env) if a.round.is_open else "",
        conflict=conflict,
    )


async def show_step(request: Request) -> Response:
    _, a = await _load(request)
    step = _step(a, request.path_params["step"])
    return _page(request, a, step, a.values, {})


def _required(a: Answering, step: form.Step, action: str) -> list[str]:
    """The statements that must be answered: all of them to submit (and a submitted response stays
    complete); this step's to continue; none to come back later."""
    everything = answers.applicable(a.edition, a.council.type)
    if action == "submit" or (a.response is not None and a.response.submitted):
        return everything
    if action == "continue" and step.theme is not None:
        return [s.id for s in step.theme.statements if s.id in everything]
    return []


def _save(request: Request, person: Person, code: str, round_id: str, slug: str, fields: dict) -> tuple[str, Any]:
    """Check and store one step, in one transaction the store writes (`Store.write`, as the API's saves).
    Returns ("saved", response), ("problems", (a, step, body, problems)) or ("closed", a)."""
    app = request.app
    now = app.state.clock.now()
    return app.state.store.write(lambda tx: _save_in(tx, request, person, code, round_id, slug, fields, now))


def _save_in(tx, request: Request, person: Person, code: str, round_id: str, slug: str, fields: dict, now: int) -> tuple[str, Any]:
    a = _answering(tx, request, person, code, round_id)
    step = _step(a, slug)
    if not a.round.is_open:
        return "closed", a
    action = fields.get("action") if fields.get("action") in ACTIONS else "continue"
    if step.slug == form.REVIEW:
        action = "submit"
    sent_version = fields.get("version", "")
    based_on = whole_number(sent_version)
    based_on = -1 if based_on is None else based_on
    have = a.response.version if a.response else 0
    if based_on != have:
        raise StaleVersion(a.response, based_on)
    body = form.read(a.edition, step, fields, a.values)
    body.update(version=based_on, submit=action == "submit")
    draft, problems = answers.check(a.edition, a.council.type, body, required=_required(a, step, action))
    if problems:
        return "problems", (a, step, body, {p.where: p.says for p in problems})
    saved = responses.save_draft(tx, round_id, person.id, draft, at=now)
    return "saved", (a, step, action, saved)


async def save_step(request: Request) -> Response:
    person = await guards.require_person(request)
    fields = await read_form(request)
    code, round_id, slug = request.path_params["code"], request.path_params["round_id"], request.path_params["step"]
    try:
        outcome, detail = await blocking(_save, request, person, code, round_id, slug, fields)
    except Conflict:
        _, a = await _load(request)
        return _page(request, a, _step(a, slug), a.values, {}, status=409, conflict=True)
    if outcome == "closed":
        return _page(request, detail, _step(detail, slug), detail.values, {}, status=409)
    if outcome == "problems":
        a, step, body, problems = detail
        return _page(request, a, step, {**body, "version": a.response.version if a.response else 0}, problems, status=422)
    a, step, action, _ = detail
    if action == "later":
        return RedirectResponse(f"/app/assessment/?saved={a.round.id}", status_code=303)
    if action == "submit":
        return RedirectResponse(f"{a.base.rstrip('/')}?submitted=1", status_code=303)
    return RedirectResponse(a.base + form.next_step(a.edition, step).slug, status_code=303)


page_routes = [
    Route("/assessment/", hub, methods=["GET"]),
    Route("/councils/{code}/rounds", open_round, methods=["POST"]),
    Route(BASE, start, methods=["GET"]),
    Route(BASE + "/{step}", show_step, methods=["GET"]),
    Route(BASE + "/{step}", save_step, methods=["POST"]),
]
