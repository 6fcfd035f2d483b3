"""Nobody reads or changes anything of another council: a Hypothesis state machine drives the real app,
on SQLite and on PostgreSQL.

Three councils, each with a super-user and members, an outsider who belongs to none, and an
anonymous visitor, act on every council in any order, through the API and the pages: they manage
memberships and invitations, open the council's round, save answers one at a time or submit them
whole, read the consensus agenda, everyone's individual answers and the publishing page, record
and publish the consensus, and read the results and downloads. Each acts on its own council's
objects and on another's (a round id of one council under the address of another, too). Each
example starts the three councils at different depths of their assessment (no round, a round
open, members' responses submitted, the consensus published), reached through the app itself.

After every step the store must match a model of who belongs where and of every council's round,
responses, answers and consensus; objects of another council must have answered 404; and no page
or reply may show a comment or a rationale it should not: a member's comments reach only that
member and (once submitted) the council's super-users, a rationale only the council's members, and
nothing of one council reaches another. Every comment and rationale is a unique marker, so a leak
is found wherever it turns up. The test counts the steps that ran and fails below MIN_STEPS, or
if the runs never reached one of the MILESTONES (a publication, a public result read from outside...).
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from starlette.testclient import TestClient

from functions.app import create_app
from functions.mail import OutboxMailer
from functions.web.security import CSRF_FIELD
from tests.factories import PeopleFactory, examples, form_token, make_settings

COUNCILS = ("ABE", "ABD", "ANS")  # three unitary councils: the same seven statements apply to each
SEATS = ("s", "m1", "m2")  # each council starts with a super-user and two members
ACTORS = [f"{c}-{s}" for c in COUNCILS for s in SEATS] + ["outsider", "anonymous"]
TABLES = (  # children before parents
    "consensus_answers",
    "consensus_responses",
    "consensus_draft_routes",
    "consensus_drafts",
    "answers",
    "responses",
    "rounds",
    "idempotency_keys",
    "memberships",
    "removals",
    "invitations",
    "sessions",
    "recovery_codes",
    "two_factor",
    "sign_in_links",
    "rate_limits",
    "people",
)
LINK = re.compile(r"/app/invitations/([\w-]+)")
STATEMENTS = ("PLC-01", "PLC-02", "LDP-01", "FIN-01", "FIN-02", "GOV-01", "CAP-01")
STEP_OF = {  # the form's step (a theme) of each statement: a step's page saves all of its statements at once
    "PLC-01": "place-and-priorities",
    "PLC-02": "place-and-priorities",
    "LDP-01": "leadership-of-place",
    "FIN-01": "financial-planning",
    "FIN-02": "financial-planning",
    "GOV-01": "governance",
    "CAP-01": "capacity-to-deliver",
}
STAGES = ("not-yet", "understands", "plans", "does", "reviews")
STAGE_PAIRS = [(c, a) for i, c in enumerate(STAGES) for a in STAGES[i:]]  # an ambition at or above the current stage
SHARINGS = ("public", "council", "similar", "public")  # public the most: outsiders then read it
DEPTHS = ("published", "submitted", "round open", "no round")  # how far a council's assessment is when an example starts
NO_ROUND = "no-such-round"  # stands for a council without a round: it names nothing
SECRET = re.compile(r"secret\d{5}x")  # every comment and rationale: unique, so any leak can be traced
EMAIL = re.compile(r"[\w.-]+@example\.org")
SEEN = re.compile(r'name="seen" value="([0-9a-f]+)"')
# who acts, relative to the council: mostly its own people, so that its assessment gets far enough to be worth guarding
RELATIONS = ("super-user", "super-user", "super-user", "member", "member", "elsewhere", "anonymous")
MIN_STEPS = 2000
SEARCHES = 8  # Hypothesis searches at most, to count MIN_STEPS steps and reach every milestone
# What the runs must have reached at least once, or the machine tested less than it claims.
MILESTONES = {
    "round opened",
    "answer saved through the API",
    "answer saved through a page",
    "response submitted",
    "individual answers read by the super-user",
    "consensus recorded",
    "consensus published",
    "published results read by a member",
    "public results read from outside",
    "another council's round answered 404",
    "another council answered 404",
    "a closed round refused an answer",
}


def said(r) -> str:
    """What a reply says, briefly: a page's error summary or heading, or the start of the body."""
    text = r.text
    at = text.find("tie-error-summary__list")
    if at < 0:
        at = text.find("<h1")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text[max(at, 0) : max(at, 0) + 600]))


class RecordingOutbox(OutboxMailer):
    """The real outbox, remembering what it sent so the machine can follow invitation links."""

    def __init__(self, folder, sender):
        super().__init__(folder, sender, echo=False)
        self.sent = []

    def send(self, message):
        super().send(message)
        self.sent.append(message)


@dataclass
class World:
    """What the machine drives and counts: the app, its people, each actor's started client and form token."""

    app: object
    factory: PeopleFactory
    clients: dict
    tokens: dict
    outbox: RecordingOutbox
    ran: dict = field(default_factory=lambda: {"steps": 0, "examples": 0})
    reached: set = field(default_factory=set)


def counted(step):
    """A rule that adds one to the steps run each time it runs."""

    @functools.wraps(step)
    def run(self, **kwargs):
        self.world.ran["steps"] += 1
        return step(self, **kwargs)

    return run


class Councils(RuleBasedStateMachine):
    """Three councils, their people and their assessments, driven through the app; the model says what each
    person may read and change, and every rule checks the app agrees. `world` is set by the test that runs it."""

    world: World

    @initialize(depths=st.permutations(DEPTHS), sharing=st.sampled_from(SHARINGS), stages=st.sampled_from(STAGE_PAIRS))
    def populate(self, depths, sharing, stages):
        """The three councils and their people, everyone signed in; each council's assessment starts at
        a depth of its own, reached through the app as the rules reach it: its super-user has opened
        its round, its two members have submitted, or the consensus is recorded and published (shared
        as `sharing`), so that every example has councils far enough on to read and refuse."""
        self.world.ran["examples"] += 1
        with self.world.app.state.store.transaction() as tx:
            for table in TABLES:
                tx.execute(f"DELETE FROM {table}")
        self.people = {}  # actor -> Person
        self.model: dict[tuple[str, str], str] = {}  # (actor, council) -> role
        self.invitations: list[tuple[str, str, str, str]] = []  # (council, invitee actor, token, role)
        self.rounds: dict[str, dict] = {}  # council -> {"id", "status"}
        self.responses: dict[tuple[str, str], dict] = {}  # (actor, round id) -> {"version", "submitted", "answers"}
        self.drafts: dict[
            tuple[str, str], tuple[int, str, str, str]
        ] = {}  # (round id, statement) -> (version, current, ambition, rationale)
        self.routes_version: dict[str, int] = {}  # round id -> version of the consensus routes
        self.published: dict[str, list[tuple[str, dict[str, str]]]] = {}  # round id -> [(sharing, {statement: rationale})]
        self.secrets: dict[str, tuple[str, str | None, str]] = {}  # marker -> (kind, author actor or None, council)
        for actor in ACTORS:
            self.world.clients[actor].cookies.delete("__Host-tie_session")
            if actor == "anonymous":
                continue
            council, _, seat = actor.partition("-")
            person = self.world.factory.add(f"{actor.lower()}@example.org")
            if seat:
                role = "super-user" if seat == "s" else "member"
                self.world.factory.join(person, council, role)
                self.model[(actor, council)] = role
            self.people[actor] = person
            # every session has a verified second factor: this machine is about councils, not the second factor
            self.world.factory.sign_in(self.world.clients[actor], person, second_factor=True)
        for council, depth in zip(COUNCILS, depths[: len(COUNCILS)], strict=True):  # three of the four depths
            if depth == "no round":
                continue
            self.open(f"{council}-s", council, 303)
            if depth == "round open":
                continue
            for seat in ("m1", "m2"):
                self.submit_as(f"{council}-{seat}", council, council, stages, 200)
            if depth == "published":
                self.publish_as(f"{council}-s", council, council, sharing, True, stages, None)

    # -- expectations -------------------------------------------------------------------------

    def role(self, actor, council):
        return self.model.get((actor, council))

    def members(self, council):
        return {a for (a, c) in self.model if c == council}

    def expect_super_user_action(self, actor, council, api=False) -> int | None:
        """The status a guard gives before the action itself, or None if the actor may act."""
        return self.refusal(actor, council, "super-user", api)

    def refusal(self, actor, council, need, api=False) -> int | None:
        """The status a guard gives an actor who needs to be `need` ("member" or "super-user") of the
        council, before anything is looked up; None if the actor may go on."""
        if actor == "anonymous":
            return 401 if api else 303
        role = self.role(actor, council)
        if role is None:
            return 404
        if need == "super-user" and role != "super-user":
            return 403
        return None

    def round_id(self, council) -> str:
        found = self.rounds.get(council)
        return found["id"] if found else NO_ROUND

    def is_councils(self, council, round_of) -> bool:
        """Whether the round named under this council's address is the council's own round."""
        return round_of == council and council in self.rounds

    def answered(self, r, expected, actor, *context):
        """The reply has the expected status; a visitor who is not signed in is sent to sign in."""
        assert r.status_code == expected, (actor, *context, r.status_code, said(r))
        if expected == 303 and actor == "anonymous":
            assert r.headers["location"].startswith("/app/sign-in"), r.headers["location"]
        if expected == 404:
            council, round_of = context[0], context[1] if len(context) > 1 else None
            if actor != "anonymous" and self.role(actor, council) is None:
                self.world.reached.add("another council answered 404")
            elif round_of is not None and round_of != council and round_of in self.rounds:
                self.world.reached.add("another council's round answered 404")

    def secret(self, kind, author, council) -> str:
        marker = f"secret{len(self.secrets):05d}x"
        self.secrets[marker] = (kind, author, council)
        return marker

    def who(self, data, council) -> str:
        """Someone to act on the council: its super-user, a member, someone of elsewhere, or nobody signed in."""
        relation = data.draw(st.sampled_from(RELATIONS), label="relation")
        if relation == "anonymous":
            return "anonymous"
        if relation == "elsewhere":
            pool = [a for a in self.people if self.role(a, council) is None]
        else:
            pool = [a for a in self.people if self.role(a, council) == relation]
        return data.draw(st.sampled_from(sorted(pool) or ACTORS[:-1]), label="actor")

    def which_council(self, data, further) -> str:
        """A council, any of them, but more often one of those `further` on (with something to read)."""
        return data.draw(st.sampled_from([*sorted(further) * 2, *COUNCILS]), label="council")

    def which_round(self, data, council) -> str:
        """The council whose round is named under `council`'s address: mostly its own, sometimes another's."""
        return data.draw(st.sampled_from([council] * 4 + list(COUNCILS)), label="round of")

    def submitted_comments(self, round_id) -> set[str]:
        return {
            a[2]
            for (_, rid), resp in self.responses.items()
            if rid == round_id and resp["submitted"]
            for a in resp["answers"].values()
        }

    def shown(self, actor, council, text, individual=False):
        """Nothing in a reply to `actor` about `council` that the actor may not see: a comment only
        to its author and (on the individual answers page) the council's super-users, a rationale
        only to the council's members; outside the council, nobody's address but one's own."""
        current = self.submitted_comments(self.round_id(council)) if individual else set()
        for marker in SECRET.findall(text):
            kind, author, of = self.secrets[marker]
            if kind == "rationale":
                allowed = of == council and self.role(actor, council) is not None
            else:
                allowed = of == council and (
                    author == actor or (individual and self.role(actor, council) == "super-user" and marker in current)
                )
            assert allowed, (actor, council, kind, author, of, marker)
        if self.role(actor, council) is None:
            own = self.people[actor].email if actor in self.people else None
            assert set(EMAIL.findall(text)) <= {own}, (actor, council, set(EMAIL.findall(text)))

    # -- reads ---------------------------------------------------------------------------------

    @rule(actor=st.sampled_from(ACTORS), council=st.sampled_from(COUNCILS), api=st.booleans())
    @counted
    def read_members(self, actor, council, api):
        path = f"/api/councils/{council}/members" if api else f"/app/councils/{council}/members"
        r = self.world.clients[actor].get(path, follow_redirects=False)
        expected = self.expect_super_user_action(actor, council, api) or 200
        assert r.status_code == expected, (actor, council, r.status_code)
        if api and expected == 200:
            listed = {m["email"] for m in r.json()["members"]}
            assert listed == {self.people[a].email for a in self.members(council)}
        if not api and expected == 200:
            # The page may list the addresses this council's super-users invited (they typed them);
            # no other person's address may appear.
            invited_here = {invitee for (c, invitee, _, _) in self.invitations if c == council}
            for other in ACTORS:
                if other in self.people and other not in self.members(council) | invited_here:
                    assert self.people[other].email not in r.text

    @rule(actor=st.sampled_from(ACTORS), council=st.sampled_from(COUNCILS))
    @counted
    def read_council(self, actor, council):
        r = self.world.clients[actor].get(f"/app/councils/{council}", follow_redirects=False)
        if actor == "anonymous":
            assert r.status_code == 303
        else:
            assert r.status_code == (200 if self.role(actor, council) else 404), (actor, council)
        self.shown(actor, council, r.text)

    # -- changes -------------------------------------------------------------------------------

    @rule(
        actor=st.sampled_from(ACTORS),
        council=st.sampled_from(COUNCILS),
        subject=st.sampled_from(ACTORS[:-1]),
        role=st.sampled_from(("member", "super-user")),
        api=st.booleans(),
    )
    @counted
    def change_role(self, actor, council, subject, role, api):
        subject_id = self.people[subject].id
        if api:
            r = self.world.clients[actor].patch(
                f"/api/councils/{council}/members/{subject_id}", json={"role": role}, headers={"x-csrf-token": self.world.tokens[actor]}
            )
        else:
            r = self.world.clients[actor].post(
                f"/app/councils/{council}/members/{subject_id}/role",
                data={"role": role, CSRF_FIELD: self.world.tokens[actor]},
                follow_redirects=False,
            )
        expected = self.expect_super_user_action(actor, council, api)
        if expected is None:
            current = self.role(subject, council)
            supers = [a for a in self.members(council) if self.role(a, council) == "super-user"]
            if current is None:
                expected = 404  # not in this council: as if they did not exist
            elif current == "super-user" and role == "member" and len(supers) == 1:
                expected = 409
            else:
                expected = 200 if api else 303
                self.model[(subject, council)] = role
        assert r.status_code == expected, (actor, council, subject, role, r.status_code)

    @rule(
        actor=st.sampled_from(ACTORS),
        council=st.sampled_from(COUNCILS),
        subject=st.sampled_from(ACTORS[:-1]),
        api=st.booleans(),
    )
    @counted
    def remove(self, actor, council, subject, api):
        subject_id = self.people[subject].id
        if api:
            r = self.world.clients[actor].delete(
                f"/api/councils/{council}/members/{subject_id}", headers={"x-csrf-token": self.world.tokens[actor]}
            )
        else:
            r = self.world.clients[actor].post(
                f"/app/councils/{council}/members/{subject_id}/remove",
                data={CSRF_FIELD: self.world.tokens[actor]},
                follow_redirects=False,
            )
        expected = self.expect_super_user_action(actor, council, api)
        if expected is None:
            current = self.role(subject, council)
            supers = [a for a in self.members(council) if self.role(a, council) == "super-user"]
            if current is None:
                expected = 404
            elif current == "super-user" and len(supers) == 1:
                expected = 409
            else:
                expected = 204 if api else 303
                del self.model[(subject, council)]
        assert r.status_code == expected, (actor, council, subject, r.status_code)

    @rule(
        actor=st.sampled_from(ACTORS),
        council=st.sampled_from(COUNCILS),
        invitee=st.sampled_from(ACTORS[:-1]),
        role=st.sampled_from(("member", "super-user")),
    )
    @counted
    def invite(self, actor, council, invitee, role):
        before = len(self.world.outbox.sent)
        r = self.world.clients[actor].post(
            f"/app/councils/{council}/invitations",
            data={"email": self.people[invitee].email, "role": role, CSRF_FIELD: self.world.tokens[actor]},
            follow_redirects=False,
        )
        refused = self.expect_super_user_action(actor, council)
        assert r.status_code == (refused or 303), (actor, council, r.status_code)
        if refused is None:
            token = LINK.search(self.world.outbox.sent[-1].text).group(1)
            self.invitations.append((council, invitee, token, role))
        else:
            assert len(self.world.outbox.sent) == before  # a refused invitation sends nothing

    @precondition(lambda self: self.invitations)
    @rule(data=st.data(), actor=st.sampled_from(ACTORS))
    @counted
    def accept(self, data, actor):
        council, invitee, token, role = data.draw(st.sampled_from(self.invitations))
        r = self.world.clients[actor].post(f"/app/invitations/{token}", data={CSRF_FIELD: self.world.tokens[actor]}, follow_redirects=False)
        if actor == "anonymous":
            assert r.status_code == 303 and r.headers["location"].startswith("/app/sign-in")
        elif actor != invitee:
            assert r.status_code == 403  # an invitation is for its addressee only
        else:
            assert r.status_code == 303
            self.invitations.remove((council, invitee, token, role))
            current = self.role(actor, council)
            self.model[(actor, council)] = "super-user" if "super-user" in (current, role) else "member"
            for later in [i for i in self.invitations if i[2] == token]:
                self.invitations.remove(later)

    @precondition(lambda self: self.invitations)
    @rule(data=st.data(), actor=st.sampled_from(ACTORS), council=st.sampled_from(COUNCILS))
    @counted
    def withdraw(self, data, actor, council):
        invited_to, invitee, token, role = data.draw(st.sampled_from(self.invitations))
        with self.world.app.state.store.transaction(write=False) as tx:
            row = tx.one(
                "SELECT id FROM invitations WHERE council = ? AND email = ? AND used_at IS NULL",
                (invited_to, self.people[invitee].email),
            )
        if row is None:
            return
        r = self.world.clients[actor].post(
            f"/app/councils/{council}/invitations/{row['id']}/cancel",
            data={CSRF_FIELD: self.world.tokens[actor]},
            follow_redirects=False,
        )
        expected = self.expect_super_user_action(actor, council)
        if expected is None:
            expected = 303 if council == invited_to else 404  # another council's invitation does not exist here
        assert r.status_code == expected, (actor, council, invited_to, r.status_code)
        if expected == 303:
            self.invitations = [i for i in self.invitations if not (i[0] == invited_to and i[1] == invitee)]

    # -- the self-assessment: rounds and answers -------------------------------------------------

    @rule(data=st.data(), council=st.sampled_from(COUNCILS))
    @counted
    def open_round(self, data, council):
        actor = self.who(data, council)
        expected = self.refusal(actor, council, "super-user")
        if expected is None:
            expected = 409 if council in self.rounds else 303  # one round a year
        self.open(actor, council, expected)

    def open(self, actor, council, expected):
        r = self.world.clients[actor].post(f"/app/councils/{council}/rounds", data={CSRF_FIELD: self.world.tokens[actor]}, follow_redirects=False)
        self.answered(r, expected, actor, council)
        if expected == 303 and actor != "anonymous":
            assert r.headers["location"] == f"/app/assessment/?opened={council}"
            with self.world.app.state.store.transaction(write=False) as tx:
                opened = tx.one("SELECT id FROM rounds WHERE council = ?", (council,))
            self.rounds[council] = {"id": opened["id"], "status": "open"}
            self.world.reached.add("round opened")

    @rule(
        data=st.data(),
        council=st.sampled_from(COUNCILS),
        statement=st.sampled_from(STATEMENTS),
        stages=st.sampled_from(STAGE_PAIRS),
        api=st.booleans(),
    )
    @counted
    def save_answer(self, data, council, statement, stages, api):
        """A member saves one statement's answer: through the API, or the form's page for its step."""
        actor, round_of = self.who(data, council), self.which_round(data, council)
        round_id = self.round_id(round_of)
        mine = self.responses.get((actor, round_id), {"version": 0, "submitted": False, "answers": {}})
        comment = self.secret("comment", actor, round_of)
        answer = (*stages, comment)
        if api:
            r = self.world.clients[actor].put(
                f"/api/councils/{council}/rounds/{round_id}/my-response/answers/{statement}",
                json={"version": mine["version"], "current": stages[0], "ambition": stages[1], "comment": comment},
                headers={"x-csrf-token": self.world.tokens[actor]},
            )
            kept = {**mine["answers"], statement: answer}
        else:
            step = STEP_OF[statement]
            kept = {**mine["answers"], statement: answer}
            fields = {"version": str(mine["version"]), "action": "later", CSRF_FIELD: self.world.tokens[actor]}
            for sid, (current, ambition, note) in kept.items():
                if STEP_OF[sid] == step:
                    fields.update({f"{sid}.current": current, f"{sid}.ambition": ambition, f"{sid}.comment": note})
            r = self.world.clients[actor].post(
                f"/app/councils/{council}/rounds/{round_id}/answer/{step}", data=fields, follow_redirects=False
            )
        expected = self.saving(actor, council, round_of, api, 200 if api else 303)
        self.answered(r, expected, actor, council, round_of, statement)
        if expected in (200, 303) and actor != "anonymous":
            if api:
                assert r.json()["answer"] == {"current": stages[0], "ambition": stages[1], "comment": comment}
            else:
                assert r.headers["location"] == f"/app/assessment/?saved={round_id}"
            self.responses[(actor, round_id)] = {**mine, "version": mine["version"] + 1, "answers": kept}
            self.world.reached.add("answer saved through the API" if api else "answer saved through a page")
        self.shown(actor, council, r.text)

    def saving(self, actor, council, round_of, api, saved) -> int:
        """The status of a save of a member's own answers to the round named under the council's address."""
        refused = self.refusal(actor, council, "member", api)
        if refused is not None:
            return refused
        if not self.is_councils(council, round_of):
            return 404
        if self.rounds[council]["status"] != "open":
            self.world.reached.add("a closed round refused an answer")
            return 409
        return saved

    @rule(data=st.data(), council=st.sampled_from(COUNCILS), stages=st.sampled_from(STAGE_PAIRS))
    @counted
    def submit(self, data, council, stages):
        """A member submits a whole response, every statement answered, through the API."""
        actor, round_of = self.who(data, council), self.which_round(data, council)
        self.submit_as(actor, council, round_of, stages, self.saving(actor, council, round_of, True, 200))

    def submit_as(self, actor, council, round_of, stages, expected):
        round_id = self.round_id(round_of)
        mine = self.responses.get((actor, round_id), {"version": 0, "submitted": False, "answers": {}})
        given = {sid: (*stages, self.secret("comment", actor, round_of)) for sid in STATEMENTS}
        body = {
            "version": mine["version"],
            "answers": {sid: {"current": c, "ambition": a, "comment": n} for sid, (c, a, n) in given.items()},
            "submit": True,
        }
        r = self.world.clients[actor].put(
            f"/api/councils/{council}/rounds/{round_id}/my-response", json=body, headers={"x-csrf-token": self.world.tokens[actor]}
        )
        self.answered(r, expected, actor, council, round_of)
        if expected == 200:
            assert r.json()["answers"] == body["answers"] and r.json()["submitted_at"]
            self.responses[(actor, round_id)] = {"version": mine["version"] + 1, "submitted": True, "answers": given}
            self.world.reached.add("response submitted")
        self.shown(actor, council, r.text)

    @rule(
        data=st.data(),
        council=st.sampled_from(COUNCILS),
        where=st.sampled_from(("api", "rounds", "start", "step", "my-results", "my-answers.json", "my-action-plan.csv")),
    )
    @counted
    def read_own(self, data, council, where):
        """A member reads their own answers, through the API, the form's pages, their results and downloads."""
        actor, round_of = self.who(data, council), self.which_round(data, council)
        round_id = self.round_id(round_of)
        base = f"/app/councils/{council}/rounds/{round_id}"
        path = {
            "api": f"/api/councils/{council}/rounds/{round_id}/my-response",
            "rounds": f"/api/councils/{council}/rounds",
            "start": f"{base}/answer",
            "step": f"{base}/answer/financial-planning",
            "my-results": f"{base}/my-results",
        }.get(where, f"{base}/downloads/{where}")
        r = self.world.clients[actor].get(path, follow_redirects=False)
        api = where in ("api", "rounds")
        expected = self.refusal(actor, council, "member", api)
        if expected is None:
            expected = 200 if where == "rounds" or self.is_councils(council, round_of) else 404
        self.answered(r, expected, actor, council, None if where == "rounds" else round_of)
        if expected == 200 and where == "rounds":
            assert [x["id"] for x in r.json()["rounds"]] == ([self.rounds[council]["id"]] if council in self.rounds else [])
        if expected == 200 and where == "api":
            mine = self.responses.get((actor, round_id), {"version": 0, "answers": {}})
            assert r.json()["version"] == mine["version"]
            assert r.json()["answers"] == {
                sid: {"current": c, "ambition": a, "comment": n} for sid, (c, a, n) in mine["answers"].items()
            }
        self.shown(actor, council, r.text)

    # -- the consensus ---------------------------------------------------------------------------

    @rule(data=st.data(), page=st.sampled_from(("consensus", "consensus/answers", "consensus/answers", "publish")))
    @counted
    def read_consensus(self, data, page):
        """The super-user's pages: the agenda, everyone's individual answers, and the publishing page."""
        council = self.which_council(data, {c for c, r in self.rounds.items() if self.submitted_comments(r["id"])})
        actor, round_of = self.who(data, council), self.which_round(data, council)
        r = self.world.clients[actor].get(f"/app/councils/{council}/rounds/{self.round_id(round_of)}/{page}", follow_redirects=False)
        expected = self.refusal(actor, council, "super-user")
        if expected is None:
            expected = 200 if self.is_councils(council, round_of) else 404
        self.answered(r, expected, actor, council, round_of)
        individual = page == "consensus/answers"
        self.shown(actor, council, r.text, individual=individual)
        if expected == 200 and individual:
            current = self.submitted_comments(self.round_id(council))
            assert set(SECRET.findall(r.text)) >= current  # every submitted answer, and (by `shown`) nothing else
            if current:
                self.world.reached.add("individual answers read by the super-user")

    @rule(
        data=st.data(),
        council=st.sampled_from(COUNCILS),
        statement=st.sampled_from(STATEMENTS),
        stages=st.sampled_from(STAGE_PAIRS),
    )
    @counted
    def record_consensus(self, data, council, statement, stages):
        """A super-user records the consensus for one statement."""
        actor, round_of = self.who(data, council), self.which_round(data, council)
        expected = self.refusal(actor, council, "super-user")
        if expected is None:
            expected = 303 if self.is_councils(council, round_of) else 404
        self.record(actor, council, round_of, statement, stages, expected)

    def record(self, actor, council, round_of, statement, stages, expected):
        round_id = self.round_id(round_of)
        version = self.drafts.get((round_id, statement), (0,))[0]
        rationale = self.secret("rationale", None, round_of)
        r = self.world.clients[actor].post(
            f"/app/councils/{council}/rounds/{round_id}/consensus/statements/{statement}",
            data={
                "current": stages[0],
                "ambition": stages[1],
                "rationale": rationale,
                "version": str(version),
                CSRF_FIELD: self.world.tokens[actor],
            },
            follow_redirects=False,
        )
        self.answered(r, expected, actor, council, round_of, statement)
        if expected == 303 and actor != "anonymous":
            assert r.headers["location"].startswith(
                f"/app/councils/{council}/rounds/{round_id}/consensus/statements/{statement}?saved={statement}"
            )
            self.drafts[(round_id, statement)] = (version + 1, *stages, rationale)
            self.world.reached.add("consensus recorded")
        self.shown(actor, council, r.text)

    @rule(
        data=st.data(),
        council=st.sampled_from(COUNCILS),
        routes=st.sets(st.sampled_from(("process-redesign", "commercialisation"))),
    )
    @counted
    def record_routes(self, data, council, routes):
        actor, round_of = self.who(data, council), self.which_round(data, council)
        round_id = self.round_id(round_of)
        version = self.routes_version.get(round_id, 0)
        r = self.world.clients[actor].post(
            f"/app/councils/{council}/rounds/{round_id}/consensus/routes",
            data={"routes": sorted(routes), "version": str(version), CSRF_FIELD: self.world.tokens[actor]},
            follow_redirects=False,
        )
        expected = self.refusal(actor, council, "super-user")
        if expected is None:
            expected = 303 if self.is_councils(council, round_of) else 404
        self.answered(r, expected, actor, council, round_of)
        if expected == 303 and actor != "anonymous":
            self.routes_version[round_id] = version + 1

    @rule(
        data=st.data(),
        council=st.sampled_from(COUNCILS),
        sharing=st.sampled_from(SHARINGS),
        finish=st.booleans(),
        stages=st.sampled_from(STAGE_PAIRS),
    )
    @counted
    def publish(self, data, council, sharing, finish, stages):
        """A super-user publishes the consensus as the official response (once every statement has one);
        with `finish`, the meeting first records every statement it has not yet agreed."""
        actor, round_of = self.who(data, council), self.which_round(data, council)
        expected = self.refusal(actor, council, "super-user")
        if expected is None and not self.is_councils(council, round_of):
            expected = 404
        self.publish_as(actor, council, round_of, sharing, finish, stages, expected)

    def publish_as(self, actor, council, round_of, sharing, finish, stages, expected):
        """`actor` publishes; `expected` is the guard's refusal, or None if the actor may open the
        publishing page (then the reply is 303 once every statement has a consensus, else 422)."""
        round_id = self.round_id(round_of)
        base = f"/app/councils/{council}/rounds/{round_id}"
        seen = "0" * 16  # what someone who cannot open the publishing page might send
        if expected is None:
            for sid in STATEMENTS if finish else ():
                if (round_id, sid) not in self.drafts:
                    self.record(actor, council, round_of, sid, stages, 303)
            page = self.world.clients[actor].get(f"{base}/publish")
            assert page.status_code == 200
            seen = SEEN.search(page.text).group(1)
            complete = all((round_id, sid) in self.drafts for sid in STATEMENTS)
            expected = 303 if complete else 422
        r = self.world.clients[actor].post(
            f"{base}/publish", data={"sharing": sharing, "seen": seen, CSRF_FIELD: self.world.tokens[actor]}, follow_redirects=False
        )
        self.answered(r, expected, actor, council, round_of)
        if expected == 303 and actor != "anonymous":
            assert r.headers["location"] == f"{base}/results?published=1"
            rationales = {sid: self.drafts[(round_id, sid)][3] for sid in STATEMENTS}
            self.published.setdefault(round_id, []).append((sharing, rationales))
            self.rounds[council]["status"] = "published"
            self.world.reached.add("consensus published")
        self.shown(actor, council, r.text)

    @rule(
        data=st.data(),
        where=st.sampled_from(("results", "official-answers.json", "official-action-plan.csv")),
    )
    @counted
    def read_results(self, data, where):
        """Anyone reads the official results: the council's members once published, others only when public."""
        council = self.which_council(data, {c for c, r in self.rounds.items() if r["id"] in self.published})
        self.results_read(self.who(data, council), council, self.which_round(data, council), where)

    def publicly(self) -> set[str]:
        """The councils whose latest official response is published for everyone."""
        return {
            c for c, r in self.rounds.items() if self.published.get(r["id"]) and self.published[r["id"]][-1][0] == "public"
        }

    @precondition(lambda self: hasattr(self, "rounds") and bool(self.publicly()))
    @rule(
        data=st.data(),
        where=st.sampled_from(("results", "official-answers.json", "official-action-plan.csv")),
    )
    @counted
    def read_public_results_from_outside(self, data, where):
        """Someone of another council, or nobody signed in, reads results published for everyone: no rationale."""
        council = data.draw(st.sampled_from(sorted(self.publicly())), label="council")
        outside = sorted(a for a in self.people if a != "anonymous" and self.role(a, council) is None)
        actor = data.draw(st.sampled_from([*outside, "anonymous"]), label="actor")
        self.results_read(actor, council, council, where)

    def results_read(self, actor, council, round_of, where):
        """`actor` reads the official results of the round named under `council`'s address."""
        round_id = self.round_id(round_of)
        path = f"/app/councils/{council}/rounds/{round_id}/" + ("results" if where == "results" else f"downloads/{where}")
        r = self.world.clients[actor].get(path, follow_redirects=False)
        insider = actor != "anonymous" and self.role(actor, council) is not None
        versions = self.published.get(round_id, []) if self.is_councils(council, round_of) else []
        if insider:
            expected = 200 if versions else 404
        elif versions and versions[-1][0] == "public":
            expected = 200
        else:
            expected = 303 if actor == "anonymous" else 404
        self.answered(r, expected, actor, council, round_of)
        self.shown(actor, council, r.text)
        if expected == 200 and where == "official-answers.json":
            notes = {row.get("note") for row in json.loads(r.text)["answers"]}
            assert notes == (set(versions[-1][1].values()) if insider else {None})
        if expected == 200:
            self.world.reached.add("published results read by a member" if insider else "public results read from outside")

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def the_store_matches_the_model(self):
        if not hasattr(self, "people"):
            return
        by_id = {p.id: a for a, p in self.people.items()}
        with self.world.app.state.store.transaction(write=False) as tx:
            rows = tx.all("SELECT person_id, council, role FROM memberships")
        assert {(by_id[r["person_id"]], r["council"]): r["role"] for r in rows} == self.model

    @invariant()
    def every_councils_assessment_is_as_its_own_people_left_it(self):
        """Rounds, responses, answers, the consensus and its publications hold what the model says
        and nothing more: no refused request, of this council or another, changed any of them."""
        if not hasattr(self, "people"):
            return
        by_id = {p.id: a for a, p in self.people.items()}
        with self.world.app.state.store.transaction(write=False) as tx:
            found_rounds = {r["council"]: {"id": r["id"], "status": r["status"]} for r in tx.all("SELECT * FROM rounds")}
            found_responses = {
                (by_id[r["person_id"]], r["round_id"]): (r["version"], r["submitted_at"] is not None)
                for r in tx.all("SELECT * FROM responses")
            }
            found_answers = {
                (by_id[r["person_id"]], r["round_id"], r["statement_id"]): (r["current"], r["ambition"], r["comment"])
                for r in tx.all(
                    "SELECT s.person_id, s.round_id, a.statement_id, a.current, a.ambition, a.comment "
                    "FROM answers a JOIN responses s ON s.id = a.response_id"
                )
            }
            found_drafts = {
                (r["round_id"], r["statement_id"]): (r["version"], r["current"], r["ambition"], r["rationale"])
                for r in tx.all("SELECT * FROM consensus_drafts")
            }
            found_routes = {r["round_id"]: r["version"] for r in tx.all("SELECT * FROM consensus_draft_routes")}
            found_published = {
                (r["council"], r["round_id"], r["version"]): r["sharing"] for r in tx.all("SELECT * FROM consensus_responses")
            }
        assert found_rounds == self.rounds
        assert found_responses == {k: (v["version"], v["submitted"]) for k, v in self.responses.items()}
        assert found_answers == {
            (actor, rid, sid): answer for (actor, rid), v in self.responses.items() for sid, answer in v["answers"].items()
        }
        assert found_drafts == self.drafts
        assert found_routes == self.routes_version
        council_of = {v["id"]: c for c, v in self.rounds.items()}
        assert found_published == {
            (council_of[rid], rid, n + 1): sharing
            for rid, versions in self.published.items()
            for n, (sharing, _) in enumerate(versions)
        }

    @invariant()
    def every_council_with_members_keeps_a_super_user(self):
        for council in COUNCILS:
            roles = [r for (a, c), r in getattr(self, "model", {}).items() if c == council]
            assert not roles or "super-user" in roles


def test_nobody_reads_or_changes_anything_of_another_council(tmp_path, store_url):
    config = make_settings(tmp_path, database_url=store_url)
    outbox = RecordingOutbox(tmp_path / "outbox", config.mail_from)
    app = create_app(config, mailer=outbox)
    factory = PeopleFactory(app)
    started = contextlib.ExitStack()
    # each client started once: its event loop and worker threads last for the whole test (a client
    # used without starting it runs every request on a new thread, each with a new connection)
    clients = {actor: started.enter_context(TestClient(app, base_url="https://testserver")) for actor in ACTORS}
    tokens = {actor: form_token(c) for actor, c in clients.items()}
    Councils.world = world = World(app, factory, clients, tokens, outbox)
    ran, reached = world.ran, world.reached
    # Hypothesis runs at most stateful_step_count steps an example, and fewer when it stops one early;
    # and each example uses only some of the rules, so one search may miss a milestone. The machine
    # searches again, a few times at most, until it has counted MIN_STEPS steps and reached them all.
    # Where Hypothesis is derandomised (its "ci" profile, chosen when the CI variable is set) every
    # search would be the same one: each is given a seed of its own, so they differ and still repeat.
    derandomised = settings.default.derandomize
    try:
        for search in range(SEARCHES):
            run_state_machine_as_test(
                seed(search)(Councils) if derandomised else Councils,
                settings=settings(
                    max_examples=examples(40),
                    stateful_step_count=80,
                    deadline=None,
                    database=None,
                    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
                    suppress_health_check=list(HealthCheck),
                ),
            )
            if ran["steps"] >= MIN_STEPS and reached == MILESTONES:
                break
    finally:
        started.close()
        app.state.store.close()
    assert ran["steps"] >= MIN_STEPS, f"{ran['steps']} steps ran in {ran['examples']} examples; expected at least {MIN_STEPS}"
    assert reached == MILESTONES, f"never reached in {ran['steps']} steps: {sorted(MILESTONES - reached)}"
