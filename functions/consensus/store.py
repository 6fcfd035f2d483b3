"""The consensus: the super-user's draft of the council's agreed answers, and its publication as the official response.

The draft is saved statement by statement while the meeting goes on. Every draft row has a
`version`; a save names the version it was based on, and a save based on an older one (another
super-user saved first) is refused with `StaleDraft`, which carries what is stored now, so the
page can show both. Publishing copies the draft into a new, numbered official response with a
sharing choice; the newest published version is the council's official response for the round.

`shared_consensus` is what the nightly benchmark job may read: see
docs/decisions/0006-consensus-data.md.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

from functions.assessment import rounds
from functions.ids import new_id
from functions.store import Conflict, Tx
from model.published import PublicResponse
from model.questionnaire import Edition, Statement
from model.vocabulary import ROUTES, STAGES, Term, Vocabulary

RATIONALE_MAX = 1000  # characters: the reason in a sentence or two, as a committee paper would record it
POSITION = {stage: i for i, stage in enumerate(STAGES.ids)}

# Who sees what (docs/decisions/0006-consensus-data.md): the council's members always see the whole
# response, rationale included. Outside the council, a response is seen only as stages, ambitions
# and routes: the rationale is free text, and free text never leaves the council; nor does who
# published it. "Similar councils" does not open the response to any other council: until the
# benchmarks' comparator groups exist, similar councils see it only inside the anonymised benchmarks.
SHARING = Vocabulary(
    "sharing",
    (
        Term(
            "council",
            "The council only",
            "Only your council's members, signed in, see the response, rationale included. Nobody else sees it, "
            "and it is not counted in the benchmarks.",
        ),
        Term(
            "similar",
            "Similar councils",
            "Your council's members see the response, rationale included. No other council sees it: its stages, "
            "ambitions and routes are counted, without your council's name, in the benchmarks that signed-in members "
            "of similar councils see, only in groups of at least five councils.",
        ),
        Term(
            "public",
            "Everyone",
            "Your council's members see the response, rationale included. Anyone, without signing in, sees its "
            "stages, ambitions and routes under your council's name and can download them, but not the rationale. "
            "They are also counted in the benchmarks, published as open data in groups of at least ten councils.",
        ),
    ),
)
SHARED = ("similar", "public")  # the sharing choices that let a response reach the benchmarks
PUBLIC = "public"  # the only choice that lets anyone outside the council see the response itself (stages only)


@dataclass(frozen=True)
class Draft:
    """The consensus recorded so far for one statement."""

    statement_id: str
    current: str
    ambition: str
    rationale: str
    version: int
    updated_at: int
    updated_by: str | None  # the name (or address) of whoever saved it last; None once they are erased


@dataclass(frozen=True)
class RoutesDraft:
    routes: tuple[str, ...]
    version: int
    updated_at: int
    updated_by: str | None


@dataclass(frozen=True)
class PublishedAnswer:
    statement_id: str
    current: str
    ambition: str
    rationale: str


@dataclass(frozen=True)
class Published:
    """One published version of a round's official response."""

    id: str
    round_id: str
    council: str
    edition: str
    year: int
    version: int
    sharing: str
    routes: tuple[str, ...]
    published_at: int
    published_by: str | None
    answers: dict[str, PublishedAnswer]


@dataclass(frozen=True)
class SharedConsensus:
    """A council's latest shared official response, as the benchmarks may use it: stage ids and route ids only."""

    council: str
    edition: str
    year: int
    version: int
    published_at: int
    sharing: str
    routes: tuple[str, ...]
    answers: dict[str, tuple[str, str]]  # statement id -> (current stage, ambition stage)
    publication: str = ""  # the publication's id: (council, publication) is one contributor


class StaleDraft(Conflict):
    """Someone saved since the version this save was based on; `current` is what is stored now."""

    def __init__(self, current, based_on: int):
        have = current.version if current else 0
        super().__init__(f"version: expected {have} (the version stored now), got {based_on}")
        self.current = current
        self.based_on = based_on


class ChangedSincePublishPage(Conflict):
    """The draft changed after the publishing page was shown: the publisher has not seen what would be published."""


# -- checks -------------------------------------------------------------------------------------


def _one_of(ids) -> str:
    return "one of " + ", ".join(ids)


def check_answer(edition: Edition, council_type: str | None, statement_id: str, current, ambition, rationale) -> list[dict]:
    """Every problem with one statement's consensus, as {where, message}."""
    problems = []
    statement = edition.statement(statement_id)
    if statement is None or not statement.applies(council_type):
        return [
            {
                "where": "statement",
                "message": f"statement: expected a statement of edition {edition.id} for this council, got {statement_id!r}",
            }
        ]
    current_ok = isinstance(current, str) and current in POSITION  # a repeated field arrives as a list
    ambition_ok = isinstance(ambition, str) and ambition in POSITION
    if not current_ok:
        problems.append({"where": "current", "message": f"current: expected {_one_of(STAGES.ids)}; got {show(current)}"})
    if not ambition_ok:
        problems.append({"where": "ambition", "message": f"ambition: expected {_one_of(STAGES.ids)}; got {show(ambition)}"})
    elif current_ok and POSITION[ambition] < POSITION[current]:
        problems.append(
            {
                "where": "ambition",
                "message": f"ambition: expected a stage at or above the current stage ({STAGES.label(current)}), got {STAGES.label(ambition)}",
            }
        )
    if not isinstance(rationale, str):
        problems.append({"where": "rationale", "message": f"rationale: expected text, got {show(rationale)}"})
    elif len(rationale) > RATIONALE_MAX:
        problems.append(
            {"where": "rationale", "message": f"rationale: expected at most {RATIONALE_MAX} characters, got {len(rationale)}"}
        )
    return problems


def check_routes(routes) -> list[dict]:
    bad = [r for r in routes if not isinstance(r, str) or r not in ROUTES]
    return [{"where": "routes", "message": f"routes: expected {_one_of(ROUTES.ids)}; got {show(r)}"} for r in bad]


def show(value) -> str:
    """A value someone sent, briefly, for a message."""
    if value is None or value == "":
        return "nothing"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


# -- the draft ----------------------------------------------------------------------------------

_DRAFT_SELECT = (
    "SELECT d.*, COALESCE(p.name, p.email) AS updated_by_name FROM consensus_drafts d LEFT JOIN people p ON p.id = d.updated_by "
)


def _draft(row: dict) -> Draft:
    return Draft(
        row["statement_id"],
        row["current"],
        row["ambition"],
        row["rationale"],
        row["version"],
        row["updated_at"],
        row["updated_by_name"],
    )


def drafts(tx: Tx, round_id: str) -> dict[str, Draft]:
    """The consensus recorded so far for the round, by statement id."""
    return {r["statement_id"]: _draft(r) for r in tx.all(_DRAFT_SELECT + "WHERE d.round_id = ?", (round_id,))}


def draft(tx: Tx, round_id: str, statement_id: str) -> Draft | None:
    row = tx.one(_DRAFT_SELECT + "WHERE d.round_id = ? AND d.statement_id = ?", (round_id, statement_id))
    return _draft(row) if row else None


def save_draft(
    tx: Tx,
    round_id: str,
    statement_id: str,
    *,
    current: str,
    ambition: str,
    rationale: str,
    based_on: int,
    person_id: str,
    at: int,
) -> Draft:
    """Record the consensus for one statement (checked by the caller). Raises StaleDraft if `based_on` is not the stored version."""
    stored = draft(tx, round_id, statement_id)
    if (stored.version if stored else 0) != based_on:
        raise StaleDraft(stored, based_on)
    if stored is None:
        try:
            tx.insert(
                "consensus_drafts",
                {
                    "round_id": round_id,
                    "statement_id": statement_id,
                    "current": current,
                    "ambition": ambition,
                    "rationale": rationale,
                    "version": 1,
                    "updated_at": at,
                    "updated_by": person_id,
                },
            )
        except Conflict:  # another super-user's first save won the primary key
            raise StaleDraft(None, based_on) from None
    else:
        changed = tx.execute(
            "UPDATE consensus_drafts SET current = ?, ambition = ?, rationale = ?, version = ?, updated_at = ?, updated_by = ? "
            "WHERE round_id = ? AND statement_id = ? AND version = ?",
            (current, ambition, rationale, based_on + 1, at, person_id, round_id, statement_id, based_on),
        )
        if changed != 1:
            raise StaleDraft(draft(tx, round_id, statement_id), based_on)
    return draft(tx, round_id, statement_id)


def routes_draft(tx: Tx, round_id: str) -> RoutesDraft | None:
    row = tx.one(
        "SELECT r.*, COALESCE(p.name, p.email) AS updated_by_name FROM consensus_draft_routes r "
        "LEFT JOIN people p ON p.id = r.updated_by WHERE r.round_id = ?",
        (round_id,),
    )
    if row is None:
        return None
    return RoutesDraft(tuple(json.loads(row["routes"])), row["version"], row["updated_at"], row["updated_by_name"])


def save_routes(tx: Tx, round_id: str, routes: tuple[str, ...], *, based_on: int, person_id: str, at: int) -> RoutesDraft:
    """Record the council's favoured routes. Raises StaleDraft if `based_on` is not the stored version."""
    stored = routes_draft(tx, round_id)
    if (stored.version if stored else 0) != based_on:
        raise StaleDraft(stored, based_on)
    value = json.dumps([r for r in ROUTES.ids if r in routes])
    if stored is None:
        try:
            tx.insert(
                "consensus_draft_routes",
                {"round_id": round_id, "routes": value, "version": 1, "updated_at": at, "updated_by": person_id},
            )
        except Conflict:
            raise StaleDraft(None, based_on) from None
    elif (
        tx.execute(
            "UPDATE consensus_draft_routes SET routes = ?, version = ?, updated_at = ?, updated_by = ? WHERE round_id = ? AND version = ?",
            (value, based_on + 1, at, person_id, round_id, based_on),
        )
        != 1
    ):
        raise StaleDraft(routes_draft(tx, round_id), based_on)
    return routes_draft(tx, round_id)


def fingerprint(found: dict[str, Draft], routes: RoutesDraft | None) -> str:
    """A short digest of every draft row's version: it changes whenever anyone saves anything."""
    parts = sorted(f"{sid}:{d.version}" for sid, d in found.items()) + [f"routes:{routes.version if routes else 0}"]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def missing(edition: Edition, council_type: str | None, found: dict[str, Draft]) -> list[Statement]:
    """Statements that apply to the council and have no consensus yet."""
    return [s for s in edition.statements if s.applies(council_type) and s.id not in found]


# -- publishing ---------------------------------------------------------------------------------


def publish(
    tx: Tx, round_: rounds.Round, edition: Edition, council_type: str | None, *, sharing: str, seen: str, person_id: str, at: int
) -> Published:
    """Publish the draft as the round's next official response, and mark the round published (no more answers).

    The caller checks `publish_problems` first. Raises ChangedSincePublishPage when the draft's
    fingerprint is not `seen` (someone saved after the publisher opened the page).
    """
    found = drafts(tx, round_.id)
    routes = routes_draft(tx, round_.id)
    if fingerprint(found, routes) != seen:
        raise ChangedSincePublishPage("The consensus changed after you opened the publishing page.")
    version = int(tx.value("SELECT COALESCE(MAX(version), 0) FROM consensus_responses WHERE round_id = ?", (round_.id,)) or 0) + 1
    response_id = new_id()
    # two publications at once: the unique (round_id, version) key turns the second into a Conflict
    tx.insert(
        "consensus_responses",
        {
            "id": response_id,
            "round_id": round_.id,
            "council": round_.council,
            "edition": round_.edition,
            "year": round_.year,
            "version": version,
            "sharing": sharing,
            "routes": json.dumps(list(routes.routes) if routes else []),
            "published_at": at,
            "published_by": person_id,
        },
    )
    applicable = [s.id for s in edition.statements if s.applies(council_type)]
    rows = [
        (response_id, sid, found[sid].current, found[sid].ambition, found[sid].rationale) for sid in applicable if sid in found
    ]
    if rows:
        marks = ", ".join("(?, ?, ?, ?, ?)" for _ in rows)
        tx.execute(
            f"INSERT INTO consensus_answers (response_id, statement_id, current, ambition, rationale) VALUES {marks}",
            [v for row in rows for v in row],
        )
    rounds.set_status(tx, round_.council, round_.id, rounds.PUBLISHED, at)
    return latest(tx, round_.id)


def publish_problems(edition: Edition, council_type: str | None, found: dict[str, Draft], sharing) -> list[dict]:
    """Every reason the draft cannot be published yet."""
    problems = []
    if sharing not in SHARING:
        problems.append({"where": "sharing", "message": f"sharing: expected {_one_of(SHARING.ids)}; got {show(sharing)}"})
    for s in missing(edition, council_type, found):
        problems.append({"where": s.id, "message": f"{s.id}: expected a consensus stage and ambition, got nothing yet"})
    return problems


def _published(tx: Tx, row: dict | None) -> Published | None:
    if row is None:
        return None
    answers = {
        a["statement_id"]: PublishedAnswer(a["statement_id"], a["current"], a["ambition"], a["rationale"])
        for a in tx.all("SELECT * FROM consensus_answers WHERE response_id = ? ORDER BY statement_id", (row["id"],))
    }
    return Published(
        row["id"],
        row["round_id"],
        row["council"],
        row["edition"],
        row["year"],
        row["version"],
        row["sharing"],
        tuple(json.loads(row["routes"])),
        row["published_at"],
        row["published_by"],
        answers,
    )


def outside_view(published: Published) -> Published:
    """The response as anyone outside the council may see it (when it is public): stages, ambitions and routes.

    The rationale is free text and never leaves the council; who published it is a person and is
    not shown either. Pages and downloads for outsiders are made from this, never from the whole.
    """
    return replace(
        published,
        published_by=None,
        answers={sid: replace(a, rationale="") for sid, a in published.answers.items()},
    )


def latest(tx: Tx, round_id: str) -> Published | None:
    """The round's official response: its newest published version; None if never published."""
    return _published(
        tx, tx.one("SELECT * FROM consensus_responses WHERE round_id = ? ORDER BY version DESC LIMIT 1", (round_id,))
    )


def earlier(tx: Tx, council: str, year: int) -> Published | None:
    """The council's official response from its most recent round before `year` (for progress), or None."""
    row = tx.one(
        "SELECT * FROM consensus_responses WHERE council = ? AND year < ? ORDER BY year DESC, version DESC LIMIT 1",
        (council, year),
    )
    return _published(tx, row)


def _is_latest(*, per_edition: bool = False, by_time: bool = False) -> str:
    """SQL: publication `c` is its council's latest, the newest round's newest version (per edition when asked;
    among the publications made by a time, a parameter, when asked)."""
    return (
        "NOT EXISTS (SELECT 1 FROM consensus_responses n WHERE n.council = c.council"
        + (" AND n.edition = c.edition" if per_edition else "")
        + (" AND n.published_at <= ?" if by_time else "")
        + " AND (n.year > c.year OR (n.year = c.year AND n.version > c.version)))"
    )


def shared_consensus(tx: Tx, as_of: int, edition: str | None = None) -> list[SharedConsensus]:
    """For the benchmarks: each council's latest publication per edition as of `as_of`, if it is shared.

    One query. "Latest" is the newest round's newest version among the publications made by
    `as_of`, chosen before the sharing filter: a council whose latest publication is for the council
    only is left out even if an earlier version was shared (choosing "the council only" withdraws the
    response from the next benchmarks). Run it in a snapshot transaction (`Store.transaction(write=False,
    snapshot=True)`) so that every row comes from one moment. Only stage ids and route ids leave here;
    never the rationale, never who published it, never anything from individual responses. Ordered by
    edition, then council.
    """
    marks = ", ".join("?" for _ in SHARED)
    rows = tx.all(
        "SELECT c.id, c.council, c.edition, c.year, c.version, c.published_at, c.sharing, c.routes,"
        " a.statement_id, a.current, a.ambition"
        " FROM consensus_responses c LEFT JOIN consensus_answers a ON a.response_id = c.id"
        " WHERE c.published_at <= ?" + (" AND c.edition = ?" if edition is not None else "")
        + " AND " + _is_latest(per_edition=True, by_time=True)
        + f" AND c.sharing IN ({marks})"
        " ORDER BY c.edition, c.council, a.statement_id",
        (as_of, *([edition] if edition is not None else []), as_of, *SHARED),
    )
    out: list[SharedConsensus] = []
    for row in rows:
        if not out or out[-1].publication != row["id"]:
            out.append(
                SharedConsensus(
                    council=row["council"],
                    edition=row["edition"],
                    year=row["year"],
                    version=row["version"],
                    published_at=row["published_at"],
                    sharing=row["sharing"],
                    routes=tuple(json.loads(row["routes"])),
                    answers={},
                    publication=row["id"],
                )
            )
        if row["statement_id"] is not None:
            out[-1].answers[row["statement_id"]] = (row["current"], row["ambition"])
    return out


def public_responses(tx: Tx) -> list[PublicResponse]:
    """For the council pages of the site: each council's official response, if it is published for everyone.

    A council's official response is the newest version of its newest round with one. If that is not
    for everyone (the council chose "the council only" or "similar councils", now or in a
    republication), nothing of the council's is returned, even if an earlier round was public: the
    site follows the council's latest choice. Only stages and route ids, as `outside_view` shows them.
    """
    latest_rows = "SELECT c.* FROM consensus_responses c WHERE " + _is_latest()
    rows = [r for r in tx.all(latest_rows + " ORDER BY c.council") if r["sharing"] == PUBLIC]
    answers: dict[str, dict[str, tuple[str, str]]] = {r["id"]: {} for r in rows}
    for a in tx.all(
        "SELECT a.response_id, a.statement_id, a.current, a.ambition FROM consensus_answers a "
        f"JOIN ({latest_rows}) c ON c.id = a.response_id WHERE c.sharing = ? ORDER BY a.response_id, a.statement_id",
        (PUBLIC,),
    ):
        answers[a["response_id"]][a["statement_id"]] = (a["current"], a["ambition"])
    return [
        PublicResponse(
            council=r["council"],
            round_id=r["round_id"],
            edition=r["edition"],
            year=r["year"],
            version=r["version"],
            published_at=r["published_at"],
            routes=tuple(json.loads(r["routes"])),
            answers=answers[r["id"]],
        )
        for r in rows
    ]
