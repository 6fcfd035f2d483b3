"""Synthetic but plausible published consensus responses, written through the assessment and consensus modules.

`fill` gives most councils (every type and region) a published response for this year, many a
response for last year too, with a mix of sharing choices and some republished corrections. `night`
plays one more night: a few councils (fewer than ten) join, revise or withdraw, as in real life, so
that releases can be compared. Both are deterministic for a seed and a time.

Nobody is made up: rounds and responses are opened and published by nobody (as after an erasure).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from functions.assessment import rounds
from functions.consensus import store as consensus
from functions.demo import store as demo
from functions.store import Store, Tx
from model.questionnaire import Edition
from model.register import Council, Register
from model.vocabulary import ROUTES, STAGES

DEFAULT_SEED = 2026
DAY = 86_400
PARTICIPATION = 0.85  # councils taking part: "most councils", as in a well-used Exchange
BOTH_YEARS = 0.6  # of those, the share that also have last year's round
SHARING = (("public", 0.45), ("similar", 0.35), ("council", 0.20))  # the choices, as councils might make them
REPUBLISHED = 0.12  # responses republished with a correction
NIGHT_CHANGES = (3, 9)  # councils changing in one night: always fewer than ten
LEVEL = (1.8, 0.6)  # a council's typical stage position (mean, spread) on the five-stage scale, 0 to 4


@dataclass
class Report:
    """What a run made or changed, for the command to print."""

    councils: int = 0
    responses: int = 0
    republished: int = 0
    by_sharing: dict[str, int] = field(default_factory=dict)
    joined: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    night: int = 0


def _start_of(year: int) -> int:
    return int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp())


def _sharing(rng: random.Random) -> str:
    return rng.choices([s for s, _ in SHARING], weights=[w for _, w in SHARING])[0]


def _answers(rng: random.Random, edition: Edition, council: Council, shift: float) -> dict[str, tuple[str, str]]:
    """A plausible consensus: a council-wide level, a lean per theme, some spread per statement."""
    top = len(STAGES.ids) - 1
    level = rng.gauss(*LEVEL) + shift
    out = {}
    for theme in edition.themes:
        lean = rng.gauss(0, 0.4)
        for s in theme.statements:
            if not s.applies(council.type):
                continue
            current = min(top, max(0, round(level + lean + rng.gauss(0, 0.6))))
            ambition = min(top, current + rng.choice((0, 1, 1, 1, 2)))
            out[s.id] = (STAGES.ids[current], STAGES.ids[ambition])
    return out


def _routes(rng: random.Random) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(ROUTES.ids, rng.choice((1, 1, 2, 2, 3)))))


def _record(tx: Tx, round_id: str, answers: dict[str, tuple[str, str]], routes: tuple[str, ...], at: int) -> None:
    """Save the draft as a super-user would, statement by statement, based on what is stored now."""
    stored = consensus.drafts(tx, round_id)
    for sid, (current, ambition) in answers.items():
        based_on = stored[sid].version if sid in stored else 0
        if sid in stored and (stored[sid].current, stored[sid].ambition) == (current, ambition):
            continue
        consensus.save_draft(tx, round_id, sid, current=current, ambition=ambition, rationale="", based_on=based_on,
                             person_id=None, at=at)  # fmt: skip
    held = consensus.routes_draft(tx, round_id)
    consensus.save_routes(tx, round_id, routes, based_on=held.version if held else 0, person_id=None, at=at)


def _publish(tx: Tx, round_: rounds.Round, edition: Edition, council: Council, sharing: str, at: int) -> consensus.Published:
    seen = consensus.fingerprint(consensus.drafts(tx, round_.id), consensus.routes_draft(tx, round_.id))
    if round_.is_open:
        rounds.set_status(tx, council.code, round_.id, rounds.CLOSED, at)
    return consensus.publish(tx, round_, edition, council.type, sharing=sharing, seen=seen, person_id=None, at=at)


def _round(tx: Tx, council: Council, edition: Edition, rng: random.Random, answers, opened: int, published: int, report: Report):
    round_ = rounds.open_round(tx, council.code, edition.id, None, opened)
    _record(tx, round_.id, answers, _routes(rng), opened + DAY)
    sharing = _sharing(rng)
    _publish(tx, round_, edition, council, sharing, published)
    report.responses += 1
    report.by_sharing[sharing] = report.by_sharing.get(sharing, 0) + 1
    return round_


def _taking_part(register: Register, rng: random.Random) -> list[Council]:
    """Most councils, and at least one of every type in every region."""
    chosen, seen = [], set()
    for c in sorted(register.councils.values(), key=lambda c: c.code):
        key = (c.type, c.region)
        if key not in seen or rng.random() < PARTICIPATION:
            chosen.append(c)
        seen.add(key)
    return chosen


def fill(store: Store, register: Register, edition: Edition, now: int, seed: int = DEFAULT_SEED, limit: int | None = None) -> Report:
    """Mark the database as demo data and fill it. Raises demo.HoldsRealResponses for a database with real responses.

    `limit` keeps only that many councils (for tests); the full demo takes most of the register.
    """
    rng = random.Random(seed)
    report = Report()
    year = rounds.year_of(now)
    this_year, last_year = _start_of(year), _start_of(year - 1)
    councils = _taking_part(register, rng)[:limit]
    with store.transaction() as tx:
        demo.mark(tx, now, seed)
        for council in councils:
            report.councils += 1
            if rng.random() < BOTH_YEARS:
                opened = last_year + int(rng.uniform(0.05, 0.5) * 365 * DAY)
                _round(tx, council, edition, rng, _answers(rng, edition, council, -0.3), opened, opened + rng.randint(20, 90) * DAY, report)
            span = max(DAY, now - this_year)
            opened = min(now - 2, this_year + int(rng.uniform(0.05, 0.6) * span))
            published = opened + 1 + int(rng.uniform(0.2, 0.9) * max(0, now - opened - 1))
            round_ = _round(tx, council, edition, rng, _answers(rng, edition, council, 0.0), opened, published, report)
            if rng.random() < REPUBLISHED and published < now:
                _revise(tx, council, edition, rng, round_, rng.randint(published + 1, now), report)
    return report


def _revise(tx: Tx, council: Council, edition: Edition, rng: random.Random, round_: rounds.Round, at: int, report: Report,
            sharing: str | None = None) -> None:  # fmt: skip
    """Republish a round with a few statements corrected (and the same sharing choice, unless told another)."""
    latest = consensus.latest(tx, round_.id)
    answers = {sid: (a.current, a.ambition) for sid, a in latest.answers.items()}
    top = len(STAGES.ids) - 1
    for sid in rng.sample(sorted(answers), min(3, len(answers))):
        current = min(top, max(0, STAGES.ids.index(answers[sid][0]) + rng.choice((-1, 1))))
        answers[sid] = (STAGES.ids[current], STAGES.ids[max(current, STAGES.ids.index(answers[sid][1]))])
    _record(tx, round_.id, answers, latest.routes, at)
    _publish(tx, rounds.get(tx, council.code, round_.id), edition, council, sharing or latest.sharing, at)
    report.republished += 1


def night(store: Store, register: Register, edition: Edition, now: int) -> Report:
    """One more night on a demo database: fewer than ten councils join, revise or withdraw.

    Raises demo.HoldsRealResponses when the database is not a demo database.
    """
    report = Report()
    with store.transaction() as tx:
        mark = demo.get(tx)
        if mark is None:
            raise demo.HoldsRealResponses("the database holds no demo data (run tie demo first)")
        report.night = demo.add_night(tx)
        rng = random.Random(mark.seed * 1000 + report.night)
        taking_part = {r["council"] for r in tx.all("SELECT DISTINCT council FROM rounds")}
        newest = {}
        for r in tx.all("SELECT council, id, year FROM rounds ORDER BY council, year"):
            newest[r["council"]] = r["id"]
        absent = sorted(set(register.councils) - taking_part)
        present = sorted(code for code in taking_part if code in register.councils)
        year = rounds.year_of(now)
        for _ in range(rng.randint(*NIGHT_CHANGES)):
            action = rng.choice(("join", "revise", "revise", "withdraw")) if absent else rng.choice(("revise", "withdraw"))
            if action == "join":
                council = register.councils[absent.pop(rng.randrange(len(absent)))]
                existing = tx.one("SELECT id FROM rounds WHERE council = ? AND year = ?", (council.code, year))
                if existing:
                    continue
                _round(tx, council, edition, rng, _answers(rng, edition, council, 0.0), now - 2, now, report)
                report.joined.append(council.code)
                continue
            candidates = [c for c in present if c not in report.revised + report.withdrawn + report.joined]
            if not candidates:
                continue
            council = register.councils[rng.choice(candidates)]
            round_ = rounds.get(tx, council.code, newest[council.code])
            if action == "withdraw":
                _revise(tx, council, edition, rng, round_, now, report, sharing="council")
                report.withdrawn.append(council.code)
            else:
                _revise(tx, council, edition, rng, round_, now, report)
                report.revised.append(council.code)
    return report
