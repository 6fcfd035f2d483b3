"""People: who someone is (a work email address, an optional name), found or created at sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from functions.ids import new_id
from functions.people import addresses
from functions.store import Tx

MAX_NAME = 200


@dataclass(frozen=True)
class Person:
    """A person who has signed in at least once (or whom an operator named)."""

    id: str
    pseudonym: str
    email: str
    name: str | None
    operator: bool

    @property
    def domain(self) -> str:
        return addresses.domain_of(self.email)

    @property
    def display_name(self) -> str:
        return self.name or self.email


def _person(row: dict | None) -> Person | None:
    if row is None:
        return None
    return Person(id=row["id"], pseudonym=row["pseudonym"], email=row["email"], name=row["name"], operator=bool(row["operator"]))


def by_id(tx: Tx, person_id: str) -> Person | None:
    return _person(tx.one("SELECT * FROM people WHERE id = ?", (person_id,)))


def by_email(tx: Tx, email: str) -> Person | None:
    return _person(tx.one("SELECT * FROM people WHERE email = ?", (addresses.canonical(email),)))


def find_or_create(tx: Tx, email: str, now: int) -> tuple[Person, bool]:
    """The person with this address, made if new; returns (person, created)."""
    email = addresses.canonical(email)
    if not addresses.is_address(email):  # every caller has checked already; nothing may make a person otherwise
        raise ValueError("not one plain email address")
    found = by_email(tx, email)
    if found:
        return found, False
    person = Person(id=new_id(), pseudonym="p-" + new_id()[:16], email=email, name=None, operator=False)
    tx.insert(
        "people",
        {
            "id": person.id,
            "pseudonym": person.pseudonym,
            "email": email,
            "name": None,
            "operator": 0,
            "created_at": now,
            "last_seen_at": now,
        },
    )
    return person, True


def set_name(tx: Tx, person_id: str, name: str | None) -> None:
    tx.execute("UPDATE people SET name = ? WHERE id = ?", ((name or "").strip()[:MAX_NAME] or None, person_id))


def set_operator(tx: Tx, person_id: str, operator: bool) -> None:
    tx.execute("UPDATE people SET operator = ? WHERE id = ?", (1 if operator else 0, person_id))


def seen(tx: Tx, person_id: str, now: int) -> None:
    tx.execute("UPDATE people SET last_seen_at = ? WHERE id = ?", (now, person_id))


def operators(tx: Tx) -> list[Person]:
    return [_person(r) for r in tx.all("SELECT * FROM people WHERE operator = 1 ORDER BY email")]
