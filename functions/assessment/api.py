"""The self-assessment's JSON API: the questionnaire, a council's rounds, and a member's own response.

`PUT .../my-response` stores a whole response, and `PUT .../my-response/answers/{statement_id}`
one statement's answer (what saving as you go sends: what changed, not everything). Both answer
only after the save has committed. Both check what they are sent against the round's edition and
answer 422 listing every problem, storing nothing; a body based on an older version of the
response gets 409 with what is stored now; a request retried with the same `Idempotency-Key` is
stored once and answered the same.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from functions import guards
from functions.assessment import answers, idempotency, responses, rounds
from functions.assessment import schema as assessment_schema
from functions.people.store import Person
from functions.store import Conflict, Tx
from functions.web import BadRequest, api_token_ok, blocking, json_body
from model import vocabulary as v
from model.questionnaire import Edition, latest

ROUND_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # ids.new_id() makes 22 of these; anything else names nothing
IF_MATCH = re.compile(r'^\s*(?:W/)?"?([0-9]{1,10})"?\s*$')
# -- JSON shapes -------------------------------------------------------------------------------


def iso(at: int | None) -> str | None:
    """A stored time (integer seconds) as the API shows it: ISO 8601 in UTC."""
    return None if at is None else dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def edition_json(edition: Edition) -> dict:
    def terms(vocabulary) -> list[dict]:
        return [{"id": t.id, "label": t.label, "description": t.description} for t in vocabulary]

    return {
        "edition": edition.id,
        "title": edition.title,
        "published": edition.published.isoformat(),
        "introduction": edition.introduction,
        "stages": terms(v.STAGES.terms),
        "dont_know": terms([v.DONT_KNOW])[0],
        "routes": terms(v.ROUTES.terms),
        "respondent_roles": terms(v.RESPONDENT_ROLES.terms),
        "ambition": {"question": edition.ambition_question, "help": edition.ambition_help},
        "themes": [
            {
                "id": t.id,
                "label": t.label,
                "introduction": t.introduction,
                "statements": [
                    {
                        "id": s.id,
                        "text": s.text,
                        "help": s.help,
                        "best_value": list(s.best_value),
                        "applies_to": list(s.applies_to),
                        "supersedes": s.supersedes,
                    }
                    for s in t.statements
                ],
            }
            for t in edition.themes
        ],
    }


def round_json(round_: rounds.Round) -> dict:
    return {
        "id": round_.id,
        "council": round_.council,
        "edition": round_.edition,
        "year": round_.year,
        "status": round_.status,
        "opened_at": iso(round_.opened_at),
        "closed_at": iso(round_.closed_at),
    }


def response_json(round_: rounds.Round, response: responses.IndividualResponse | None) -> dict:
    """A person's own response; before their first save, an empty one at version 0."""
    if response is None:
        return {
            "round_id": round_.id,
            "edition": round_.edition,
            "version": 0,
            "updated_at": None,
            "submitted_at": None,
            "respondent_role": None,
            "routes": [],
            "answers": {},
        }
    return {
        "round_id": round_.id,
        "edition": round_.edition,
        "version": response.version,
        "updated_at": iso(response.updated_at),
        "submitted_at": iso(response.submitted_at),
        "respondent_role": response.respondent_role,
        "routes": list(response.routes),
        "answers": {
            sid: {"current": a.current, "ambition": a.ambition, "comment": a.comment} for sid, a in response.answers.items()
        },
    }


def as_text(round_: rounds.Round, response: responses.IndividualResponse) -> str:
    """A saved response as the PUT answers it, byte for byte the same when an idempotent retry replays it."""
    return json.dumps(response_json(round_, response), ensure_ascii=False, separators=(",", ":"))


def answer_json(round_id: str, statement_id: str, response: responses.IndividualResponse | None) -> dict:
    """One statement's answer as stored, with the version of the response it belongs to (0 before a first save)."""
    if response is None:
        return stored_answer_json(round_id, statement_id, 0, None, None)
    return stored_answer_json(round_id, statement_id, response.version, response.updated_at, response.answers.get(statement_id))


def stored_answer_json(
    round_id: str, statement_id: str, version: int, updated_at: int | None, answer: responses.Answer | None
) -> dict:
    return {
        "round_id": round_id,
        "statement_id": statement_id,
        "version": version,
        "updated_at": iso(updated_at) if updated_at is not None else None,
        "answer": None if answer is None else {"current": answer.current, "ambition": answer.ambition, "comment": answer.comment},
    }


# -- what every endpoint checks first ------------------------------------------------------------


def council_type(request: Request, code: str) -> str:
    """The council's type from the register; 404 for a code the register does not hold."""
    council = request.app.state.register.get(code)
    if council is None:
        raise HTTPException(404, guards.NOT_FOUND)
    return council.type


def checked_round_id(round_id: str) -> str:
    if not ROUND_ID.match(round_id):
        raise HTTPException(404, guards.NOT_FOUND)
    return round_id


# -- endpoints ---------------------------------------------------------------------------------


async def latest_edition(request: Request) -> JSONResponse:
    edition = latest(request.app.state.editions)
    if edition is None:
        raise HTTPException(404, "No questionnaire edition is published yet.")
    return JSONResponse(edition_json(edition))


async def council_rounds(request: Request) -> JSONResponse:
    code = request.path_params["code"]
    council_type(request, code)
    person = await guards.require_person(request)

    def read():
        with request.app.state.store.transaction(write=False) as tx:
            guards.check_member(tx, person, code)
            return rounds.for_council(tx, code)

    found = await blocking(read)
    return JSONResponse({"council": code, "rounds": [round_json(r) for r in found]})


async def my_response(request: Request) -> JSONResponse:
    code, round_id = request.path_params["code"], checked_round_id(request.path_params["round_id"])
    council_type(request, code)
    person = await guards.require_person(request)

    def read():
        with request.app.state.store.transaction(write=False) as tx:
            guards.check_member(tx, person, code)
            round_, response = responses.in_round(tx, code, round_id, person.id)
            if round_ is None:
                raise HTTPException(404, guards.NOT_FOUND)
            return round_, response

    round_, response = await blocking(read)
    return JSONResponse(response_json(round_, response), headers={"ETag": f'"{response.version if response else 0}"'})


def _version_from_if_match(request: Request, body: Any) -> list[dict]:
    """`If-Match: "3"` may stand in for the body's version; when both are given they must agree."""
    header = request.headers.get("if-match")
    if header is None or not isinstance(body, dict):
        return []
    match = IF_MATCH.match(header)
    if not match:
        return [{"where": "If-Match", "message": f'If-Match: expected a version in quotes, like "3", got {header[:40]!r}'}]
    if "version" not in body:
        body["version"] = int(match.group(1))
    elif body["version"] != int(match.group(1)):
        return [
            {"where": "If-Match", "message": f"If-Match: expected the body's version ({body['version']!r}), got {header[:40]!r}"}
        ]
    return []


@dataclass(frozen=True)
class _Put:
    """One PUT of a member's own response (or of one statement's answer in it), as received."""

    code: str
    round_id: str
    council_type: str
    person: Person
    body: Any
    key: str | None
    fingerprint: str
    header_problems: list[dict]
    statement_id: str = ""  # saving one answer: the statement it answers


async def _received(request: Request) -> _Put:
    """What every PUT checks before its store work: the council, the person, the form token, the
    Idempotency-Key, and a JSON body (with If-Match standing in for its version)."""
    code, round_id = request.path_params["code"], checked_round_id(request.path_params["round_id"])
    kind = council_type(request, code)
    person = await guards.require_person(request)
    if not api_token_ok(request):
        raise HTTPException(403, "Send the form token in the X-CSRF-Token header.")
    key = request.headers.get(idempotency.HEADER)
    if key is not None and not idempotency.valid(key):
        raise BadRequest(
            [
                {
                    "where": idempotency.HEADER,
                    "message": f"{idempotency.HEADER}: expected 1 to 255 visible ASCII characters, got {len(key)} character(s)",
                }
            ],
            400,
        )
    raw = await request.body()
    body = await json_body(request)
    header_problems = _version_from_if_match(request, body)
    fingerprint = (
        idempotency.fingerprint("PUT", request.scope["path"], raw + (request.headers.get("if-match") or "").encode())
        if key
        else ""
    )
    statement_id = request.path_params.get("statement_id", "")
    return _Put(code, round_id, kind, person, body, key, fingerprint, header_problems, statement_id)


def _replayed(outcome: idempotency.Outcome) -> Response:
    return Response(
        outcome.body, status_code=outcome.status, media_type="application/json", headers={"Idempotent-Replayed": "true"}
    )


async def put_my_response(request: Request) -> Response:
    put = await _received(request)
    try:
        outcome = await blocking(_save, request.app, put)
    except Conflict:
        return await blocking(
            _conflict, request.app, put.code, put.round_id, put.person, put.key, put.fingerprint, _based_on(put.body)
        )
    if isinstance(outcome, idempotency.Outcome):
        return _replayed(outcome)
    round_, saved = outcome
    return Response(as_text(round_, saved), media_type="application/json", headers={"ETag": f'"{saved.version}"'})


def _based_on(body: Any) -> Any:
    return body.get("version") if isinstance(body, dict) else None


def _save(app, put: _Put) -> idempotency.Outcome | tuple[rounds.Round, responses.IndividualResponse]:
    """Read, check and write one save, answering only once the commit that holds it is done.

    The save is read and checked first, then written by the store (`Store.write`: on SQLite together
    with the saves arriving alongside it, in one transaction with one commit). The write is safe
    although the read was not in its transaction: it happens only if the response's version is still
    the one read (functions/assessment/responses.py).
    """
    store = app.state.store
    with store.transaction(write=False) as tx:
        found = _read(tx, app, put)
    if isinstance(found, idempotency.Outcome):
        return found
    draft = _check(app, put, *found)
    return found[0], store.write(lambda tx: _write(tx, app, put, *found, draft))


def _read(tx, app, put: _Put) -> idempotency.Outcome | tuple[rounds.Round, responses.IndividualResponse | None]:
    """The member's rights, an earlier answer to the same Idempotency-Key, the round and the stored response."""
    guards.check_member(tx, put.person, put.code)
    if put.key is not None:
        try:
            replay = idempotency.recall(tx, put.person.id, put.key, put.fingerprint)
        except idempotency.KeyReused:
            problem = f"{idempotency.HEADER}: expected a new key for a different request, got one already used"
            raise BadRequest([{"where": idempotency.HEADER, "message": problem}]) from None
        if replay is not None:
            return replay
    round_, stored = responses.in_round(tx, put.code, put.round_id, put.person.id)
    if round_ is None:
        raise HTTPException(404, guards.NOT_FOUND)
    return round_, stored


def _check(app, put: _Put, round_: rounds.Round, stored: responses.IndividualResponse | None) -> answers.Draft:
    """The body against the round's edition: a draft, or 422 with every problem. A submitted response stays complete."""
    edition = _edition(app, round_)
    body = put.body
    complete = (isinstance(body, dict) and body.get("submit") is True) or (stored is not None and stored.submitted)
    required = answers.applicable(edition, put.council_type) if complete else ()
    draft, problems = answers.check(edition, put.council_type, body, required=required)
    _refuse(put, round_, problems)
    return draft


def _edition(app, round_: rounds.Round) -> Edition:
    edition = app.state.editions.get(round_.edition)
    if edition is None:  # editions are never withdrawn; a round without one cannot be answered
        raise HTTPException(409, f"This round's questionnaire edition ({round_.edition}) is not available.")
    return edition


def _refuse(put: _Put, round_: rounds.Round, problems: list) -> None:
    """422 with every problem of the body and the headers; then 409 if the round is not open."""
    found = [p.as_dict() for p in problems] + put.header_problems
    if found:
        raise BadRequest(found)
    if not round_.is_open:
        raise responses.RoundClosed(round_.id)


def _write(
    tx, app, put: _Put, round_: rounds.Round, stored: responses.IndividualResponse | None, draft: answers.Draft
) -> responses.IndividualResponse:
    now = app.state.clock.now()
    saved = responses.save_draft(tx, round_.id, put.person.id, draft, at=now, stored=stored)
    if put.key is not None:
        outcome = idempotency.Outcome(200, as_text(round_, saved))
        idempotency.remember(tx, put.person.id, put.key, put.fingerprint, outcome, now)
    return saved


def _conflict(app, code: str, round_id: str, person: Person, key: str | None, fingerprint: str, based_on: Any) -> Response:
    """409 with the response as stored now; or, if the conflict was this same request's twin finishing first, its answer."""
    with app.state.store.transaction(write=False) as tx:
        if key is not None:
            try:
                replay = idempotency.recall(tx, person.id, key, fingerprint)
            except idempotency.KeyReused:
                replay = None
            if replay is not None:
                return _replayed(replay)
        round_ = rounds.get(tx, code, round_id)
        current = responses.own(tx, round_id, person.id) if round_ else None
    body = {
        "error": {
            "status": 409,
            "message": "Someone saved these answers since the version yours were based on (perhaps you, in another window). "
            "Nothing was saved; `current` holds what is stored now.",
            "problems": [
                {
                    "where": "version",
                    "message": f"version: expected {current.version if current else 0} (the version stored now), got {answers.show(based_on)}",
                }
            ],
            "current": response_json(round_, current) if round_ else None,
        }
    }
    return JSONResponse(body, status_code=409)


# -- saving one answer -----------------------------------------------------------------------------


async def put_my_answer(request: Request) -> Response:
    """Save one statement's answer: a body of a few dozen bytes, answered with the new version only."""
    put = await _received(request)
    try:
        outcome = await save_answer(request.app, put)
    except Conflict:
        return await blocking(_answer_conflict, request.app, put)
    if isinstance(outcome, idempotency.Outcome):
        return _replayed(outcome)
    text, version = outcome
    return Response(text, media_type="application/json", headers={"ETag": f'"{version}"'})


async def save_answer(app, put: _Put) -> idempotency.Outcome | tuple[str, int]:
    """The one way an answer is saved as you go: the outcome of an earlier request with the same
    Idempotency-Key, or the reply and the new version, once the commit that holds the save is done.

    Where the store writes several things in one statement (`Store.one_statement_writes`), the usual
    save (a complete answer, to a round whose edition is known) is written by one statement that checks
    as it writes. Otherwise, or when that statement finds a condition unmet, the save is read (one
    statement), checked, and written by the store (`Store.write_soon`: on SQLite in a batch that shares
    one commit, without a worker thread waiting for it).
    """
    store = app.state.store
    if store.one_statement_writes:
        try:
            done = await blocking(_save_answer_at_once, app, put)  # a write: in a worker thread
        except Conflict:  # the Idempotency-Key was used before: read, and replay its outcome or refuse
            done = None
        if done is not None:
            return done
    ready = await store.read_soon(_ready_answer, app, put)
    if isinstance(ready, idempotency.Outcome):
        return ready
    return await store.write_soon(lambda tx: _write_answer(app, put, ready, tx))


# Everything a save of one answer needs to know, in one statement: whether the person is a member,
# the round, the person's response (without its answers) and this statement's answer, and an earlier
# outcome of the same Idempotency-Key. Each join is on a unique key, so there is at most one row.
ONE_ANSWER = (
    f"SELECT m.role AS m_role, {responses.ROUND_COLUMNS}, {responses.RESPONSE_COLUMNS}, {responses.ANSWER_COLUMNS}, "
    "k.request_hash, k.status, k.body "
    "FROM memberships m LEFT JOIN rounds r ON r.id = ? AND r.council = m.council "
    "LEFT JOIN responses s ON s.round_id = r.id AND s.person_id = m.person_id "
    "LEFT JOIN answers a ON a.response_id = s.id AND a.statement_id = ? "
    "LEFT JOIN idempotency_keys k ON k.person_id = m.person_id AND k.idempotency_key = ? "
    "WHERE m.person_id = ? AND m.council = ?"
)


@dataclass(frozen=True)
class _Answering:
    """A save of one answer, read and checked, ready to write."""

    round: rounds.Round
    stored: responses.IndividualResponse | None
    draft: answers.AnswerDraft


def _ready_answer(app, put: _Put) -> idempotency.Outcome | _Answering:
    """Read what the save needs in one statement and check the body: the outcome of an earlier request
    with the same Idempotency-Key, or the save to write. The write is safe although the read was not in
    its transaction: it happens only if the response's version is still the one read
    (functions/assessment/responses.py)."""
    rows = app.state.store.read(ONE_ANSWER, (put.round_id, put.statement_id, put.key or "", put.person.id, put.code))
    if not rows:
        raise HTTPException(404, guards.NOT_FOUND)  # not a member of the council (or no such council)
    try:
        replay = idempotency.outcome(rows[0], put.fingerprint) if put.key is not None else None
    except idempotency.KeyReused:
        problem = f"{idempotency.HEADER}: expected a new key for a different request, got one already used"
        raise BadRequest([{"where": idempotency.HEADER, "message": problem}]) from None
    if replay is not None:
        return replay
    round_, stored = responses.joined(rows)
    if round_ is None:
        raise HTTPException(404, guards.NOT_FOUND)
    _remember_edition(app, round_)
    return _Answering(round_, stored, _check_answer(app, put, round_, stored))


def _write_answer(app, put: _Put, ready: _Answering, tx: Tx) -> tuple[str, int]:
    """Write a save of one answer in `tx`, with the record an Idempotency-Key replays; returns the reply
    and the new version."""
    now = app.state.clock.now()
    draft = ready.draft

    def reply(saved: responses.IndividualResponse) -> str:
        return json.dumps(answer_json(ready.round.id, draft.statement_id, saved), ensure_ascii=False, separators=(",", ":"))

    def record(saved: responses.IndividualResponse) -> tuple[str, dict]:
        outcome = idempotency.Outcome(200, reply(saved))
        return idempotency.TABLE, idempotency.row(put.person.id, put.key, put.fingerprint, outcome, now)

    saved = responses.save_answer(
        tx,
        ready.round.id,
        put.person.id,
        draft.statement_id,
        draft.answer,
        based_on=draft.version,
        at=now,
        stored=ready.stored,
        also=record if put.key is not None else None,
    )
    return reply(saved), saved.version


def _save_answer_at_once(app, put: _Put) -> tuple[str, int] | None:
    """Save one answer in the statement that checks what a save needs, without reading first, when the
    check of the body can be made beforehand: the round's edition is known (a round's edition never
    changes, so it is remembered once read) and the answer is complete, so it is valid whether or not
    the response was submitted. The reply, known beforehand too, is stored with the Idempotency-Key.
    None when this save must be read first: nothing was written."""
    known = app.state.round_editions.get(put.round_id)
    edition = app.state.editions.get(known[1]) if known is not None and known[0] == put.code else None
    if edition is None or put.header_problems:
        return None
    draft, problems = answers.check_answer(edition, put.council_type, put.statement_id, put.body, required=True)
    if problems or draft is None or draft.answer is None or draft.version < 1:
        return None
    now = app.state.clock.now()
    version = draft.version + 1
    text = json.dumps(
        stored_answer_json(put.round_id, draft.statement_id, version, now, draft.answer),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    also = None
    if put.key is not None:
        also = idempotency.TABLE, idempotency.row(put.person.id, put.key, put.fingerprint, idempotency.Outcome(200, text), now)
    saved = responses.save_answer_at_once(
        app.state.store,
        put.code,
        put.round_id,
        put.person.id,
        draft.statement_id,
        draft.answer,
        based_on=draft.version,
        at=now,
        also=also,
    )
    return (text, version) if saved else None


def _remember_edition(app, round_: rounds.Round) -> None:
    editions = app.state.round_editions
    if len(editions) >= 10_000:  # a round a year per council: far more than a server meets; start again
        editions.clear()
    editions[round_.id] = (round_.council, round_.edition)


def _check_answer(app, put: _Put, round_: rounds.Round, stored: responses.IndividualResponse | None) -> answers.AnswerDraft:
    """The body against the round's edition: a draft, or 422 with every problem. A submitted response stays complete."""
    edition = _edition(app, round_)
    required = stored is not None and stored.submitted
    draft, problems = answers.check_answer(edition, put.council_type, put.statement_id, put.body, required=required)
    _refuse(put, round_, problems)
    return draft


def _answer_conflict(app, put: _Put) -> Response:
    """409 with this statement's answer as stored now; or, if the conflict was this same request's twin
    finishing first, its answer."""
    rows = app.state.store.read(ONE_ANSWER, (put.round_id, put.statement_id, put.key or "", put.person.id, put.code))
    if put.key is not None and rows:
        try:
            replay = idempotency.outcome(rows[0], put.fingerprint)
        except idempotency.KeyReused:
            replay = None
        if replay is not None:
            return _replayed(replay)
    round_, current = responses.joined(rows)
    have = current.version if current is not None else 0
    body = {
        "error": {
            "status": 409,
            "message": "Someone saved these answers since the version yours were based on (perhaps you, in another window). "
            "Nothing was saved; `current` holds this statement's answer as stored now.",
            "problems": [
                {
                    "where": "version",
                    "message": f"version: expected {have} (the version stored now), got {answers.show(_based_on(put.body))}",
                }
            ],
            "current": answer_json(round_.id, put.statement_id, current) if round_ else None,
        }
    }
    return JSONResponse(body, status_code=409)


api_routes = [
    Route("/editions/latest", latest_edition, methods=["GET"]),
    Route("/councils/{code}/rounds", council_rounds, methods=["GET"]),
    Route("/councils/{code}/rounds/{round_id}/my-response", my_response, methods=["GET"]),
    Route("/councils/{code}/rounds/{round_id}/my-response", put_my_response, methods=["PUT"]),
    Route("/councils/{code}/rounds/{round_id}/my-response/answers/{statement_id}", put_my_answer, methods=["PUT"]),
]


def openapi_paths(edition: Edition) -> dict:
    """This API's part of /api/openapi.json (functions/web/openapi.py gathers every feature's)."""
    return assessment_schema.paths(edition)


def openapi_schemas(edition: Edition) -> dict:
    return assessment_schema.schemas(edition)
