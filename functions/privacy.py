"""People's data: the one list of every table that refers to a person, and the export and erasure built on it.

A feature that adds a table referring to a person (a `person_id` column, a foreign key to
`people`, an email address) adds a line to PERSONAL_DATA; tests/test_privacy.py reads the live
schema and fails when a table is missing here.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import audit, memberships
from .people import Person
from .store import Tx


@dataclass(frozen=True)
class PersonalData:
    """Rows of `table` whose `column` holds the person's `holds` value ("id", "email" or "pseudonym").

    on_erase: "delete" removes the rows; "forget" sets the column to NULL (the row is someone
    else's, such as a council's round the person opened); "keep" leaves them (audit entries, which
    hold only a pseudonym that nothing links to a person once they are erased).
    hidden: columns left out of the export, because they hold hashes of secrets or other people's data.
    """

    table: str
    column: str
    holds: str = "id"
    on_erase: str = "delete"
    hidden: tuple[str, ...] = ()
    via: str = ""  # SQL giving `column`'s values from the person's value, for rows that refer to them through another table

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    @property
    def where(self) -> str:
        return f"{self.column} IN ({self.via})" if self.via else f"{self.column} = ?"


PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData("people", "id"),
    PersonalData("memberships", "person_id"),
    PersonalData("removals", "person_id"),
    PersonalData("sessions", "person_id", hidden=("token_hash",)),
    PersonalData("sign_in_links", "email", holds="email", hidden=("token_hash",)),
    PersonalData("invitations", "email", holds="email", hidden=("token_hash",)),
    PersonalData("invitations", "invited_by", on_erase="forget", hidden=("token_hash", "email")),
    PersonalData("two_factor", "person_id", hidden=("salt",)),
    PersonalData("recovery_codes", "person_id", hidden=("code_hash",)),
    PersonalData("rounds", "opened_by", on_erase="forget"),
    PersonalData("answers", "response_id", via="SELECT id FROM responses WHERE person_id = ?"),
    PersonalData("responses", "person_id"),
    PersonalData("idempotency_keys", "person_id", hidden=("request_hash",)),
    PersonalData("consensus_drafts", "updated_by", on_erase="forget"),
    PersonalData("consensus_draft_routes", "updated_by", on_erase="forget"),
    PersonalData("consensus_responses", "published_by", on_erase="forget"),
    PersonalData("audit_log", "actor", holds="pseudonym", on_erase="keep"),
    PersonalData("audit_log", "subject", holds="pseudonym", on_erase="keep"),
)


def _value(person: Person, holds: str) -> str:
    return {"id": person.id, "email": person.email, "pseudonym": person.pseudonym}[holds]


def export(tx: Tx, person: Person, now: int) -> dict:
    """Everything held about the person, as JSON-ready data: one list of rows per table and column."""
    tables = {}
    for entry in PERSONAL_DATA:
        rows = tx.all(f"SELECT * FROM {entry.table} WHERE {entry.where}", (_value(person, entry.holds),))
        tables[entry.name] = [{k: v for k, v in row.items() if k not in entry.hidden} for row in rows]
    return {
        "about": "Everything the Transformation and Innovation Exchange holds about you. Each list holds "
        "the rows of one table that refer to you; hashes of sign-in secrets are left out.",
        "exported_at": now,
        "person": {"id": person.id, "pseudonym": person.pseudonym, "email": person.email, "name": person.name},
        "tables": tables,
    }


def erase(tx: Tx, person: Person, now: int) -> None:
    """Remove the person and every row that refers to them, except pseudonymous audit entries.

    Raises memberships.LastSuperUser if they are the only super-user of a council that has other
    members: someone else must take the role first, so the council is not left without one.
    """
    for m in memberships.of_person(tx, person.id):
        memberships.remove(tx, person.id, m.council, now, leaving=True)
    for entry in [e for e in PERSONAL_DATA if e.table != "people"] + [e for e in PERSONAL_DATA if e.table == "people"]:
        value = _value(person, entry.holds)
        if entry.on_erase == "delete":
            tx.execute(f"DELETE FROM {entry.table} WHERE {entry.where}", (value,))
        elif entry.on_erase == "forget":
            tx.execute(f"UPDATE {entry.table} SET {entry.column} = NULL WHERE {entry.where}", (value,))
    audit.record(tx, now, "person.erased", actor=person.pseudonym, subject=person.pseudonym)
