"""Nobody reads or changes anything of another council: a Hypothesis state machine drives the real app.

Three councils, each with a super-user and members, an outsider who belongs to none, and an
anonymous visitor, try reads and changes on every council, in any order. After every step the
store must match a model of who belongs where, objects of another council must have answered
404, and every council with members must still have a super-user.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from starlette.testclient import TestClient

from functions.app import create_app
from functions.mail import OutboxMailer
from functions.security import CSRF_FIELD
from tests.conftest import PeopleFactory, form_token, make_settings

COUNCILS = ("ABE", "ABD", "ANS")
SEATS = ("s", "m1", "m2")  # each council starts with a super-user and two members
ACTORS = [f"{c}-{s}" for c in COUNCILS for s in SEATS] + ["outsider", "anonymous"]
TABLES = (
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


class RecordingOutbox(OutboxMailer):
    """The real outbox, remembering what it sent so the machine can follow invitation links."""

    def __init__(self, folder, sender):
        super().__init__(folder, sender, echo=False)
        self.sent = []

    def send(self, message):
        super().send(message)
        self.sent.append(message)


def test_nobody_reads_or_changes_anything_of_another_council(tmp_path):
    config = make_settings(tmp_path)
    outbox = RecordingOutbox(tmp_path / "outbox", config.mail_from)
    app = create_app(config, mailer=outbox)
    factory = PeopleFactory(app)
    clients = {actor: TestClient(app, base_url="https://testserver") for actor in ACTORS}
    tokens = {actor: form_token(c) for actor, c in clients.items()}

    class Councils(RuleBasedStateMachine):
        @initialize()
        def populate(self):
            with app.state.store.transaction() as tx:
                for table in TABLES:
                    tx.execute(f"DELETE FROM {table}")
            self.people = {}  # actor -> Person
            self.model: dict[tuple[str, str], str] = {}  # (actor, council) -> role
            self.invitations: list[tuple[str, str, str, str]] = []  # (council, invitee actor, token, role)
            for actor in ACTORS:
                clients[actor].cookies.delete("__Host-tie_session")
                if actor == "anonymous":
                    continue
                council, _, seat = actor.partition("-")
                person = factory.add(f"{actor.lower()}@example.org")
                if seat:
                    role = "super-user" if seat == "s" else "member"
                    factory.join(person, council, role)
                    self.model[(actor, council)] = role
                self.people[actor] = person
                # every session has a verified second factor: this machine is about councils, not the second factor
                factory.sign_in(clients[actor], person, second_factor=True)

        # -- expectations -------------------------------------------------------------------------

        def role(self, actor, council):
            return self.model.get((actor, council))

        def members(self, council):
            return {a for (a, c) in self.model if c == council}

        def expect_super_user_action(self, actor, council, api=False) -> int | None:
            """The status a guard gives before the action itself, or None if the actor may act."""
            if actor == "anonymous":
                return 401 if api else 303
            role = self.role(actor, council)
            if role is None:
                return 404
            if role != "super-user":
                return 403
            return None

        # -- reads ---------------------------------------------------------------------------------

        @rule(actor=st.sampled_from(ACTORS), council=st.sampled_from(COUNCILS), api=st.booleans())
        def read_members(self, actor, council, api):
            path = f"/api/councils/{council}/members" if api else f"/app/councils/{council}/members"
            r = clients[actor].get(path, follow_redirects=False)
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
        def read_council(self, actor, council):
            r = clients[actor].get(f"/app/councils/{council}", follow_redirects=False)
            if actor == "anonymous":
                assert r.status_code == 303
            else:
                assert r.status_code == (200 if self.role(actor, council) else 404), (actor, council)

        # -- changes -------------------------------------------------------------------------------

        @rule(
            actor=st.sampled_from(ACTORS),
            council=st.sampled_from(COUNCILS),
            subject=st.sampled_from(ACTORS[:-1]),
            role=st.sampled_from(("member", "super-user")),
            api=st.booleans(),
        )
        def change_role(self, actor, council, subject, role, api):
            subject_id = self.people[subject].id
            if api:
                r = clients[actor].patch(
                    f"/api/councils/{council}/members/{subject_id}", json={"role": role}, headers={"x-csrf-token": tokens[actor]}
                )
            else:
                r = clients[actor].post(
                    f"/app/councils/{council}/members/{subject_id}/role",
                    data={"role": role, CSRF_FIELD: tokens[actor]},
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
        def remove(self, actor, council, subject, api):
            subject_id = self.people[subject].id
            if api:
                r = clients[actor].delete(
                    f"/api/councils/{council}/members/{subject_id}", headers={"x-csrf-token": tokens[actor]}
                )
            else:
                r = clients[actor].post(
                    f"/app/councils/{council}/members/{subject_id}/remove",
                    data={CSRF_FIELD: tokens[actor]},
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
        def invite(self, actor, council, invitee, role):
            before = len(outbox.sent)
            r = clients[actor].post(
                f"/app/councils/{council}/invitations",
                data={"email": self.people[invitee].email, "role": role, CSRF_FIELD: tokens[actor]},
                follow_redirects=False,
            )
            refused = self.expect_super_user_action(actor, council)
            assert r.status_code == (refused or 303), (actor, council, r.status_code)
            if refused is None:
                token = LINK.search(outbox.sent[-1].text).group(1)
                self.invitations.append((council, invitee, token, role))
            else:
                assert len(outbox.sent) == before  # a refused invitation sends nothing

        @rule(data=st.data(), actor=st.sampled_from(ACTORS))
        def accept(self, data, actor):
            if not self.invitations:
                return
            council, invitee, token, role = data.draw(st.sampled_from(self.invitations))
            r = clients[actor].post(f"/app/invitations/{token}", data={CSRF_FIELD: tokens[actor]}, follow_redirects=False)
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

        @rule(data=st.data(), actor=st.sampled_from(ACTORS), council=st.sampled_from(COUNCILS))
        def withdraw(self, data, actor, council):
            if not self.invitations:
                return
            invited_to, invitee, token, role = data.draw(st.sampled_from(self.invitations))
            with app.state.store.transaction(write=False) as tx:
                row = tx.one(
                    "SELECT id FROM invitations WHERE council = ? AND email = ? AND used_at IS NULL",
                    (invited_to, self.people[invitee].email),
                )
            if row is None:
                return
            r = clients[actor].post(
                f"/app/councils/{council}/invitations/{row['id']}/cancel",
                data={CSRF_FIELD: tokens[actor]},
                follow_redirects=False,
            )
            expected = self.expect_super_user_action(actor, council)
            if expected is None:
                expected = 303 if council == invited_to else 404  # another council's invitation does not exist here
            assert r.status_code == expected, (actor, council, invited_to, r.status_code)
            if expected == 303:
                self.invitations = [i for i in self.invitations if not (i[0] == invited_to and i[1] == invitee)]

        # -- invariants ----------------------------------------------------------------------------

        @invariant()
        def the_store_matches_the_model(self):
            if not hasattr(self, "people"):
                return
            by_id = {p.id: a for a, p in self.people.items()}
            with app.state.store.transaction(write=False) as tx:
                rows = tx.all("SELECT person_id, council, role FROM memberships")
            assert {(by_id[r["person_id"]], r["council"]): r["role"] for r in rows} == self.model

        @invariant()
        def every_council_with_members_keeps_a_super_user(self):
            for council in COUNCILS:
                roles = [r for (a, c), r in getattr(self, "model", {}).items() if c == council]
                assert not roles or "super-user" in roles

    try:
        run_state_machine_as_test(
            Councils,
            settings=settings(max_examples=40, stateful_step_count=50, deadline=None, suppress_health_check=list(HealthCheck)),
        )
    finally:
        for c in clients.values():
            c.close()
        app.state.store.close()
