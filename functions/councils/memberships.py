"""Memberships: who belongs to which council, as a member or its super-user, and the rule that a council keeps one super-user."""

from __future__ import annotations

from dataclasses import dataclass

from functions import audit
from functions.store import Tx

ROLES = ("member", "super-user")
RESPONDENT_ROLES = ("officer", "councillor")


@dataclass(frozen=True)
class Membership:
    """One person's place in one council (`council` is the register's code)."""

    council: str
    role: str
    respondent_role: str | None
    person_id: str

    @property
    def is_super_user(self) -> bool:
        return self.role == "super-user"


@dataclass(frozen=True)
class Member:
    """A council's member as its super-user sees them."""

    person_id: str
    pseudonym: str
    email: str
    name: str | None
    role: str
    respondent_role: str | None
    joined_by: str
    joined_at: int

    @property
    def display_name(self) -> str:
        return self.name or self.email


class LastSuperUser(Exception):
    """The change would leave a council with members but no super-user."""

    def __init__(self, council: str):
        super().__init__(
            f"{council} would have no super-user left. Make someone else its super-user first; a council always keeps at least one."
        )
        self.council = council


def _membership(row: dict | None) -> Membership | None:
    if row is None:
        return None
    return Membership(
        council=row["council"], role=row["role"], respondent_role=row["respondent_role"], person_id=row["person_id"]
    )


def membership(tx: Tx, person_id: str, council_code: str) -> Membership | None:
    """The person's membership of the council, or None."""
    return _membership(tx.one("SELECT * FROM memberships WHERE person_id = ? AND council = ?", (person_id, council_code)))


def of_person(tx: Tx, person_id: str) -> list[Membership]:
    """Every council the person belongs to, by code."""
    return [_membership(r) for r in tx.all("SELECT * FROM memberships WHERE person_id = ? ORDER BY council", (person_id,))]


def members(tx: Tx, council_code: str) -> list[Member]:
    """The council's members, super-users first, then by address."""
    rows = tx.all(
        "SELECT m.person_id, p.pseudonym, p.email, p.name, m.role, m.respondent_role, m.joined_by, m.joined_at "
        "FROM memberships m JOIN people p ON p.id = m.person_id WHERE m.council = ? "
        "ORDER BY CASE WHEN m.role = 'super-user' THEN 0 ELSE 1 END, p.email",
        (council_code,),
    )
    return [Member(**r) for r in rows]


def super_user_count(tx: Tx, council_code: str) -> int:
    return int(tx.value("SELECT COUNT(*) FROM memberships WHERE council = ? AND role = 'super-user'", (council_code,)) or 0)


def member_count(tx: Tx, council_code: str) -> int:
    return int(tx.value("SELECT COUNT(*) FROM memberships WHERE council = ?", (council_code,)) or 0)


def add(tx: Tx, person_id: str, council_code: str, role: str, joined_by: str, now: int) -> Membership:
    """Add the person to the council; if already a member, a super-user role is kept and a member may be raised."""
    current = membership(tx, person_id, council_code)
    tx.execute("DELETE FROM removals WHERE person_id = ? AND council = ?", (person_id, council_code))
    if current is None:
        tx.insert(
            "memberships",
            {
                "person_id": person_id,
                "council": council_code,
                "role": role,
                "respondent_role": None,
                "joined_by": joined_by,
                "joined_at": now,
            },
        )
        return Membership(council_code, role, None, person_id)
    if role == "super-user" and not current.is_super_user:
        tx.execute("UPDATE memberships SET role = 'super-user' WHERE person_id = ? AND council = ?", (person_id, council_code))
        return Membership(council_code, role, current.respondent_role, person_id)
    return current


def join(tx: Tx, person, council_code: str, role: str, how: str, now: int) -> Membership:
    """The person joins the council by themselves (`how`: by invitation, or by their email's domain): added, and
    audited as they joined, by pseudonym."""
    joined = add(tx, person.id, council_code, role, how, now)
    audit.record(
        tx, now, "membership.joined", actor=person.pseudonym, subject=person.pseudonym, council=council_code, how=how, role=joined.role
    )
    return joined


def _lock_council(tx: Tx, council_code: str) -> None:
    """Serialise role changes within one council, so two super-users demoting each other at once cannot both win."""
    tx.lock(council_code)


def set_role(tx: Tx, person_id: str, council_code: str, role: str) -> Membership | None:
    """Change a member's role. Raises LastSuperUser rather than leave the council without one; None if not a member."""
    if role not in ROLES:
        raise ValueError(f"role: expected one of {', '.join(ROLES)}, got {role!r}")
    _lock_council(tx, council_code)
    current = membership(tx, person_id, council_code)
    if current is None:
        return None
    if current.is_super_user and role != "super-user" and super_user_count(tx, council_code) <= 1:
        raise LastSuperUser(council_code)
    tx.execute("UPDATE memberships SET role = ? WHERE person_id = ? AND council = ?", (role, person_id, council_code))
    return Membership(council_code, role, current.respondent_role, person_id)


def remove(tx: Tx, person_id: str, council_code: str, now: int, leaving: bool = False) -> bool:
    """Take the person out of the council; False if they were not in it.

    The only super-user cannot be removed; they may leave (on erasure) only when nobody else is
    left in the council. A removal (not a leaving) is remembered, so that the person's email
    domain does not add them straight back; an invitation still can.
    """
    _lock_council(tx, council_code)
    current = membership(tx, person_id, council_code)
    if current is None:
        return False
    if current.is_super_user and super_user_count(tx, council_code) <= 1 and (not leaving or member_count(tx, council_code) > 1):
        raise LastSuperUser(council_code)
    tx.execute("DELETE FROM memberships WHERE person_id = ? AND council = ?", (person_id, council_code))
    if not leaving:
        tx.execute("DELETE FROM removals WHERE person_id = ? AND council = ?", (person_id, council_code))
        tx.insert("removals", {"person_id": person_id, "council": council_code, "removed_at": now})
    return True


def set_respondent_role(tx: Tx, person_id: str, council_code: str, respondent_role: str | None) -> None:
    if respondent_role is not None and respondent_role not in RESPONDENT_ROLES:
        raise ValueError(f"respondent_role: expected one of {', '.join(RESPONDENT_ROLES)}, got {respondent_role!r}")
    tx.execute(
        "UPDATE memberships SET respondent_role = ? WHERE person_id = ? AND council = ?",
        (respondent_role, person_id, council_code),
    )


def removed(tx: Tx, person_id: str, council_code: str) -> bool:
    return tx.one("SELECT 1 AS x FROM removals WHERE person_id = ? AND council = ?", (person_id, council_code)) is not None
