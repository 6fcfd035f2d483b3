"""Individual responses to a round: each member's own answers, stored one transaction per save.

A response has a `version` that goes up by one with every save. A save names the version it was
based on; if someone (the same person in another window, or a retried request) saved since, the
save is refused with `StaleVersion` rather than silently overwriting the newer answers.

Reading other people's responses (`for_round`) is for the council's super-user only: the caller
checks that right and writes the audit record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from functions.assessment.rounds import Round
from functions.ids import new_id
from functions.store import Conflict, Store, Tx


@dataclass(frozen=True)
class Answer:
    """One person's answer to one statement. `current` and `ambition` are stage ids or "dont-know";
    None means not answered yet (a draft may be partial)."""

    statement_id: str
    current: str | None
    ambition: str | None
    comment: str = ""


@dataclass(frozen=True)
class IndividualResponse:
    """One person's response to one round."""

    id: str
    round_id: str
    person_id: str
    respondent_role: str | None  # "officer", "councillor", or None when the person did not say
    version: int
    updated_at: int
    submitted_at: int | None  # None while it is a draft
    answers: dict[str, Answer] = field(default_factory=dict)
    routes: tuple[str, ...] = ()

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class StaleVersion(Conflict):
    """The save was based on an older version than the one stored; `current` is what is stored now."""

    def __init__(self, current: IndividualResponse | None, based_on: int):
        have = current.version if current else 0
        super().__init__(f"version: expected {have} (the version stored now), got {based_on}")
        self.current = current
        self.based_on = based_on


def _response(row: dict, answers: dict[str, Answer]) -> IndividualResponse:
    return IndividualResponse(
        id=row["id"],
        round_id=row["round_id"],
        person_id=row["person_id"],
        respondent_role=row["respondent_role"],
        version=row["version"],
        updated_at=row["updated_at"],
        submitted_at=row["submitted_at"],
        answers=answers,
        routes=tuple(json.loads(row["routes"] or "[]")),
    )


def _answer(row: dict) -> Answer:
    return Answer(row["statement_id"], row["current"], row["ambition"], row["comment"] or "")


def own(tx: Tx, round_id: str, person_id: str) -> IndividualResponse | None:
    """The person's own response to the round, or None if they have not saved one."""
    row = tx.one("SELECT * FROM responses WHERE round_id = ? AND person_id = ?", (round_id, person_id))
    if row is None:
        return None
    rows = tx.all("SELECT * FROM answers WHERE response_id = ? ORDER BY statement_id", (row["id"],))
    return _response(row, {r["statement_id"]: _answer(r) for r in rows})


ROUND_COLUMNS = (
    "r.id AS r_id, r.council AS r_council, r.edition AS r_edition, r.year AS r_year, r.status AS r_status, "
    "r.opened_at AS r_opened_at, r.closed_at AS r_closed_at"
)
RESPONSE_COLUMNS = "s.id, s.round_id, s.person_id, s.respondent_role, s.routes, s.version, s.updated_at, s.submitted_at"
ANSWER_COLUMNS = "a.statement_id, a.current, a.ambition, a.comment"


def in_round(tx: Tx, council: str, round_id: str, person_id: str) -> tuple[Round | None, IndividualResponse | None]:
    """The council's round and the person's own response to it, in one query (a save reads both, and on
    PostgreSQL every query is a round trip). (None, None) when the round is not the council's."""
    rows = tx.all(
        f"SELECT {ROUND_COLUMNS}, {RESPONSE_COLUMNS}, {ANSWER_COLUMNS} "
        "FROM rounds r LEFT JOIN responses s ON s.round_id = r.id AND s.person_id = ? "
        "LEFT JOIN answers a ON a.response_id = s.id WHERE r.id = ? AND r.council = ? ORDER BY a.statement_id",
        (person_id, round_id, council),
    )
    return joined(rows)


def joined(rows: list[dict]) -> tuple[Round | None, IndividualResponse | None]:
    """The round and the response in rows selected with ROUND_COLUMNS, RESPONSE_COLUMNS and ANSWER_COLUMNS
    (a round LEFT JOIN its response LEFT JOIN answers): (None, None) without rows or a round; the
    response holds the answers the rows hold."""
    if not rows or rows[0]["r_id"] is None:
        return None, None
    first = rows[0]
    round_ = Round(
        first["r_id"],
        first["r_council"],
        first["r_edition"],
        first["r_year"],
        first["r_status"],
        first["r_opened_at"],
        first["r_closed_at"],
    )
    if first["id"] is None:
        return round_, None
    return round_, _response(first, {r["statement_id"]: _answer(r) for r in rows if r["statement_id"] is not None})


def for_round(tx: Tx, round_id: str) -> list[IndividualResponse]:
    """Every response to the round (drafts included; see `IndividualResponse.submitted`), oldest first.

    Personal data of other people: the caller must have checked that the reader is the council's
    super-user, and must write the audit record.
    """
    rows = tx.all("SELECT * FROM responses WHERE round_id = ? ORDER BY updated_at, id", (round_id,))
    answers: dict[str, dict[str, Answer]] = {r["id"]: {} for r in rows}
    for a in tx.all(
        "SELECT a.* FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.round_id = ? ORDER BY a.statement_id",
        (round_id,),
    ):
        answers[a["response_id"]][a["statement_id"]] = _answer(a)
    return [_response(r, answers[r["id"]]) for r in rows]


class RoundClosed(Exception):
    """The round is no longer open: answers cannot change (a 409, functions/errors.py)."""

    message = "This round is closed: answers can no longer change. Your council's super-user can tell you what happens next."


UNREAD = object()  # `save` reads the stored response itself


def save(
    tx: Tx,
    round_id: str,
    person_id: str,
    *,
    based_on: int,
    respondent_role: str | None,
    routes: tuple[str, ...],
    answers: dict[str, Answer],
    submit: bool,
    at: int,
    stored: IndividualResponse | None | object = UNREAD,
) -> IndividualResponse:
    """Replace the person's response with these answers, in the caller's transaction.

    `based_on` is the version the person last saw (0 when they have none): StaleVersion if the
    stored version differs. RoundClosed if the round is not open. A response once submitted stays
    submitted (it keeps its first submission time); the caller checks that a save to it is complete.

    `stored` may be the response as read earlier (`own`), in another transaction: the write then
    takes only the statements that change something, which matters on SQLite, where writers take
    turns. It is safe: the update below happens only if the version is still the one read, and
    every save moves the version on, so nothing can have changed in between.
    """
    if stored is UNREAD:
        stored = own(tx, round_id, person_id)
    have = stored.version if stored is not None else 0
    if have != based_on:
        raise StaleVersion(stored, based_on)
    routes_json = json.dumps(list(routes))
    is_open = "EXISTS (SELECT 1 FROM rounds WHERE id = ? AND status = 'open')"
    if stored is None:
        response_id, version, submitted_at = new_id(), 1, (at if submit else None)
        # a concurrent first save by the same person takes the unique (round_id, person_id) key: Conflict
        done = tx.execute(
            "INSERT INTO responses (id, round_id, person_id, respondent_role, routes, version, updated_at, submitted_at) "
            f"SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE {is_open}",
            (response_id, round_id, person_id, respondent_role, routes_json, version, at, submitted_at, round_id),
        )
        before: dict[str, Answer] = {}
    else:
        response_id, version = stored.id, stored.version + 1
        submitted_at = stored.submitted_at if stored.submitted_at is not None else (at if submit else None)
        done = tx.execute(
            "UPDATE responses SET respondent_role = ?, routes = ?, version = ?, updated_at = ?, submitted_at = ? "
            f"WHERE id = ? AND version = ? AND {is_open}",
            (respondent_role, routes_json, version, at, submitted_at, response_id, based_on, round_id),
        )
        before = stored.answers
    if done != 1:  # the round closed, or another save slipped in since the response was read
        if tx.value(f"SELECT 1 WHERE {is_open}", (round_id,)) is None:
            raise RoundClosed(f"round {round_id} is not open")
        raise StaleVersion(own(tx, round_id, person_id), based_on)
    _replace_answers(tx, response_id, before, answers)
    return IndividualResponse(
        response_id, round_id, person_id, respondent_role, version, at, submitted_at, dict(sorted(answers.items())), tuple(routes)
    )


# A row to insert in the same write as a save, made only if the save is: given the response as saved,
# its table and values (the outcome an Idempotency-Key replays, which repeats the saved version).

def save_draft(tx: Tx, round_id: str, person_id: str, draft, *, at: int, stored: IndividualResponse | None | object = UNREAD) -> IndividualResponse:
    """`save` of a checked draft (`answers.check`'s), as the API and the pages both send one."""
    return save(
        tx,
        round_id,
        person_id,
        based_on=draft.version,
        respondent_role=draft.respondent_role,
        routes=draft.routes,
        answers=draft.answers,
        submit=draft.submit,
        at=at,
        stored=stored,
    )


Also = Callable[[IndividualResponse], tuple[str, dict]]
IS_OPEN = "EXISTS (SELECT 1 FROM rounds WHERE id = ? AND status = 'open')"


def _answered(
    round_id: str, person_id: str, statement_id: str, answer: Answer | None, stored: IndividualResponse | None, at: int
) -> IndividualResponse:
    """The response once this answer is saved, with only this statement's answer."""
    kept = {statement_id: answer} if answer is not None else {}
    if stored is None:
        return IndividualResponse(new_id(), round_id, person_id, None, 1, at, None, kept, ())
    return IndividualResponse(
        stored.id, round_id, person_id, stored.respondent_role, stored.version + 1, at, stored.submitted_at, kept, stored.routes
    )


def save_answer(
    tx: Tx,
    round_id: str,
    person_id: str,
    statement_id: str,
    answer: Answer | None,
    *,
    based_on: int,
    at: int,
    stored: IndividualResponse | None,
    also: Also | None = None,
) -> IndividualResponse:
    """Store one statement's answer (None clears it), in the caller's transaction: saving as you go.

    The response's version moves on as with `save`, and the same rules hold: StaleVersion if the
    stored version is not `based_on`, RoundClosed if the round is not open. `stored` is the response
    as read earlier, perhaps in another transaction; its `answers` need hold only this statement's
    (present or not). That is safe for the reason `save` gives: the update happens only if the
    version is still the one read. Returns the response with only this statement's answer.
    """
    have = stored.version if stored is not None else 0
    if have != based_on:
        raise StaleVersion(stored, based_on)
    saved = _answered(round_id, person_id, statement_id, answer, stored, at)
    if stored is None:
        done = tx.execute(  # a concurrent first save by the same person takes the unique key: Conflict
            "INSERT INTO responses (id, round_id, person_id, respondent_role, routes, version, updated_at, submitted_at) "
            f"SELECT ?, ?, ?, NULL, '[]', 1, ?, NULL WHERE {IS_OPEN}",
            (saved.id, round_id, person_id, at, round_id),
        )
    else:
        done = tx.execute(
            f"UPDATE responses SET version = ?, updated_at = ? WHERE id = ? AND version = ? AND {IS_OPEN}",
            (saved.version, at, saved.id, based_on, round_id),
        )
    if done != 1:
        _refused(tx.value(f"SELECT 1 WHERE {IS_OPEN}", (round_id,)) is not None, round_id, based_on)
    had = stored is not None and statement_id in stored.answers
    if answer is None:  # cleared whether or not `stored` showed it: what matters is what is stored
        tx.execute("DELETE FROM answers WHERE response_id = ? AND statement_id = ?", (saved.id, statement_id))
    elif had:
        tx.execute(
            "UPDATE answers SET current = ?, ambition = ?, comment = ? WHERE response_id = ? AND statement_id = ?",
            (answer.current, answer.ambition, answer.comment, saved.id, statement_id),
        )
    else:
        _insert_answers(tx, saved.id, {statement_id: answer})
    if also is not None:
        tx.insert(*also(saved))
    return saved


def _refused(is_open: bool, round_id: str, based_on: int) -> None:
    """Why a save changed no row: the round closed, or another save slipped in since the response was read."""
    if not is_open:
        raise RoundClosed(f"round {round_id} is not open")
    raise StaleVersion(None, based_on)


def save_answer_at_once(
    store: Store,
    council: str,
    round_id: str,
    person_id: str,
    statement_id: str,
    answer: Answer,
    *,
    based_on: int,
    at: int,
    also: tuple[str, dict] | None = None,
) -> bool:
    """Saving as you go in one round trip, on PostgreSQL, in the usual case: the person's response to
    the round exists at version `based_on`, the person is a member of `council`, and the round is the
    council's and open. What `save_answer` reads first is checked by the statement that writes: the
    version moved on, the answer written and the `also` row inserted happen together, or nothing does.

    Returns False when a condition does not hold, and raises Conflict when the `also` row's key is
    taken (an Idempotency-Key used before): nothing was written either way, and the caller reads and
    saves as usual, which says why, or replays the earlier outcome. Clearing an answer, and a first
    save (no response yet), always go that way.
    """
    if not store.one_statement_writes:
        raise ValueError("save_answer_at_once needs a store that writes several things in one statement")
    sql = (
        "WITH saved AS (UPDATE responses s SET version = ?, updated_at = ? FROM rounds r, memberships m "
        "WHERE s.round_id = ? AND s.person_id = ? AND s.version = ? "
        "AND r.id = s.round_id AND r.council = ? AND r.status = 'open' "
        "AND m.person_id = s.person_id AND m.council = r.council RETURNING s.id), "
        "answer AS (INSERT INTO answers (response_id, statement_id, current, ambition, comment) "
        "SELECT id, ?, ?, ?, ? FROM saved ON CONFLICT (response_id, statement_id) DO UPDATE SET "
        "current = excluded.current, ambition = excluded.ambition, comment = excluded.comment)"
    )
    params: list = [based_on + 1, at, round_id, person_id, based_on, council]
    params += [statement_id, answer.current, answer.ambition, answer.comment]
    if also is not None:
        table, values = also
        sql += f", also AS (INSERT INTO {table} ({', '.join(values)}) SELECT {', '.join('?' for _ in values)} FROM saved)"
        params += list(values.values())
    (done,) = store.write_alone(sql + " SELECT COUNT(*) AS saved FROM saved", params)
    return done["saved"] == 1


FEW = 3  # changed answers updated one by one; more are deleted and inserted again in two statements


def _replace_answers(tx: Tx, response_id: str, stored: dict[str, Answer], answers: dict[str, Answer]) -> None:
    """Write only what changed. A save as you go changes one answer of forty: rewriting them all would
    write (and, on SQLite, sync) ten times the data for the same result."""
    gone = [sid for sid in stored if sid not in answers]
    changed = [a for sid, a in answers.items() if sid in stored and stored[sid] != a]
    new = {sid: a for sid, a in answers.items() if sid not in stored}
    if len(changed) > FEW:
        gone += [a.statement_id for a in changed]
        new.update((a.statement_id, a) for a in changed)
        changed = []
    if gone:
        marks = ", ".join("?" for _ in gone)
        tx.execute(f"DELETE FROM answers WHERE response_id = ? AND statement_id IN ({marks})", [response_id, *gone])
    for a in changed:
        tx.execute(
            "UPDATE answers SET current = ?, ambition = ?, comment = ? WHERE response_id = ? AND statement_id = ?",
            (a.current, a.ambition, a.comment, response_id, a.statement_id),
        )
    _insert_answers(tx, response_id, new)


def _insert_answers(tx: Tx, response_id: str, answers: dict[str, Answer]) -> None:
    """All the answers in one statement: one round trip to the database, however many there are."""
    if not answers:
        return
    rows = [(response_id, a.statement_id, a.current, a.ambition, a.comment) for a in answers.values()]
    marks = ", ".join("(?, ?, ?, ?, ?)" for _ in rows)
    tx.execute(
        f"INSERT INTO answers (response_id, statement_id, current, ambition, comment) VALUES {marks}",
        [value for row in rows for value in row],
    )


def delete_for_rounds_closed_before(tx: Tx, cutoff: int) -> int:
    """Delete the individual responses (and their answers) of rounds closed before `cutoff`; returns how many."""
    return tx.execute(
        "DELETE FROM responses WHERE round_id IN (SELECT id FROM rounds WHERE closed_at IS NOT NULL AND closed_at < ?)",
        (cutoff,),
    )
