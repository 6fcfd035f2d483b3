"""The work behind the council pages and API: a council found in the register, what its members and
super-users see, and a super-user's changes to its members (checked and audited), each in a transaction."""

from __future__ import annotations

from starlette.exceptions import HTTPException

from functions import audit, guards
from functions.councils import invitations, memberships
from functions.people import store as people
from functions.people.store import Person
from functions.store import Tx
from functions.web import BadRequest
from model.register import Council, Register


def get(register: Register, code: str) -> Council:
    """The council with this code; 404 when the register has none."""
    council = register.get(code)
    if council is None:
        raise HTTPException(404, guards.NOT_FOUND)
    return council


def read(app, fn, *args):
    """`fn(tx, *args)` in a read-only transaction."""
    with app.state.store.transaction(write=False) as tx:
        return fn(tx, *args)


def write(app, fn, *args):
    """`fn(tx, *args, now)` in a transaction that writes."""
    with app.state.store.transaction() as tx:
        return fn(tx, *args, app.state.clock.now())


def council_view(tx: Tx, person: Person, code: str) -> dict:
    mine = guards.check_member(tx, person, code)
    supers = [m for m in memberships.members(tx, code) if m.role == "super-user"]
    return {"membership": mine, "super_users": supers}


def members_view(tx: Tx, person: Person, code: str) -> dict:
    guards.check_super_user(tx, person, code)
    return {"members": memberships.members(tx, code), "invitations": invitations.pending(tx, code)}


def change_role(tx: Tx, actor: Person, code: str, person_id: str, role: str, now: int) -> memberships.Membership:
    """A super-user changes a member's role. 404 for someone not in this council; LastSuperUser for the last super-user."""
    guards.check_super_user(tx, actor, code)
    if role not in memberships.ROLES:
        raise BadRequest([{"where": "role", "message": f"role: expected one of {', '.join(memberships.ROLES)}, got {role!r}"}])
    target = people.by_id(tx, person_id)
    changed = memberships.set_role(tx, person_id, code, role)
    if changed is None or target is None:
        raise HTTPException(404, guards.NOT_FOUND)
    audit.record(tx, now, "role.changed", actor=actor.pseudonym, subject=target.pseudonym, council=code, role=role)
    return changed


def remove_member(tx: Tx, actor: Person, code: str, person_id: str, now: int) -> None:
    """A super-user removes a member. 404 for someone not in this council; LastSuperUser for the last super-user."""
    guards.check_super_user(tx, actor, code)
    target = people.by_id(tx, person_id)
    removed = memberships.remove(tx, person_id, code, now)
    if not removed or target is None:
        raise HTTPException(404, guards.NOT_FOUND)
    audit.record(tx, now, "membership.removed", actor=actor.pseudonym, subject=target.pseudonym, council=code)
