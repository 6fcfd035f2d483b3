"""People's data: the one list of every table that refers to a person, and the export and erasure built on it.

Every column of every table says once what it holds, in a file beside the migration that made it
(`functions/store/migrations/NNNN_name.columns.toml`, kinds in KINDS). A column that identifies a person
(their id, address or pseudonym) is listed in PERSONAL_DATA, which exports and erases it; a table
with a person's words is erased with them; secrets are never exported. tests/people/test_privacy.py holds
the live schema against both lists and fails when a table or column is missing from either.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from functions import audit, mail
from functions.councils import memberships
from functions.people.store import Person
from functions.store import MIGRATIONS, Tx

# What a column can hold. The first three identify a person, so each such column is in PERSONAL_DATA.
KINDS = {
    "person": "identifies a person: their id, or a row of theirs that others refer to them through",
    "email": "a person's email address",
    "pseudonym": "a person's pseudonym (what the audit log names them by)",
    "words": "what a person wrote or is called (a name, a comment, a message): exported with the row, erased with it",
    "secret": "a keyed hash of a secret or a salt: never exported",
    "none": "nothing about a person",
}
IDENTIFYING = {"person": "id", "email": "email", "pseudonym": "pseudonym"}  # kind -> what PersonalData.holds


@cache
def column_kinds() -> dict[tuple[str, str], str]:
    """(table, column) -> kind, from every migration's columns file."""
    kinds: dict[tuple[str, str], str] = {}
    for path in sorted(MIGRATIONS.glob("*.columns.toml")):
        for table, columns in tomllib.loads(path.read_text(encoding="utf-8")).items():
            for column, kind in columns.items():
                kinds[(table, column)] = kind
    return kinds


def secrets_of(table: str) -> tuple[str, ...]:
    return tuple(c for (t, c), kind in column_kinds().items() if t == table and kind == "secret")


@dataclass(frozen=True)
class PersonalData:
    """Rows of `table` whose `column` holds the person's `holds` value ("id", "email" or "pseudonym").

    on_erase: "delete" removes the rows; "forget" sets the column to NULL (the row is someone
    else's, such as a council's round the person opened); "keep" leaves them (audit entries, which
    hold only a pseudonym that nothing links to a person once they are erased).
    hidden: columns left out of the export because they hold other people's data (the table's
    secrets are always left out).
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
    def left_out(self) -> set[str]:
        """The columns the export leaves out: the table's secrets and `hidden`."""
        return set(secrets_of(self.table)) | set(self.hidden)

    @property
    def where(self) -> str:
        return f"{self.column} IN ({self.via})" if self.via else f"{self.column} = ?"


PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData("people", "id"),
    PersonalData("memberships", "person_id"),
    PersonalData("removals", "person_id"),
    PersonalData("sessions", "person_id"),
    PersonalData("sign_in_links", "email", holds="email"),
    PersonalData("invitations", "email", holds="email"),
    PersonalData("invitations", "invited_by", on_erase="forget", hidden=("email",)),
    PersonalData("two_factor", "person_id"),
    PersonalData("recovery_codes", "person_id"),
    PersonalData("rounds", "opened_by", on_erase="forget"),
    PersonalData("answers", "response_id", via="SELECT id FROM responses WHERE person_id = ?"),
    PersonalData("responses", "person_id"),
    PersonalData("idempotency_keys", "person_id"),
    PersonalData("feedback", "reply_to", holds="email"),  # feedback with an address for a reply is its sender's
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
        left_out = entry.left_out
        tables[entry.name] = [{k: v for k, v in row.items() if k not in left_out} for row in rows]
    return {
        "about": "Everything the Transformation and Innovation Exchange holds about you. Each list holds "
        "the rows of one table that refer to you (by your id, your email address or your pseudonym), "
        "feedback you left with your address included; hashes of sign-in secrets are left out.",
        "exported_at": now,
        "person": {"id": person.id, "pseudonym": person.pseudonym, "email": person.email, "name": person.name},
        "tables": tables,
    }


def erase(tx: Tx, person: Person, now: int) -> None:
    """Remove the person and every row that refers to them, except pseudonymous audit entries.

    Raises memberships.LastSuperUser if they are the only super-user of a council that has other
    members: someone else must take the role first, so the council is not left without one.
    The copies of emails to them in the outbox folder go with `erase_mail`, once this is committed.
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


def erase_mail(outbox: Path, person: Person) -> int:
    """Delete the copies of emails to the person in the outbox folder (mail written to files when no mail
    server is set): the other place their address is held. Run after `erase` has been committed."""
    return mail.forget_outbox(outbox, person.email)


def coverage_problems(schema: dict[str, list[str]]) -> list[str]:
    """Every way the live schema (table -> columns) and the two lists disagree, one line each:
    a column no columns file classifies, a classified column that does not exist, an identifying
    column missing from PERSONAL_DATA, a person's words that erasure would leave behind."""
    kinds = column_kinds()
    live = {(table, column) for table, columns in schema.items() for column in columns}
    entries = {(e.table, e.column): e for e in PERSONAL_DATA}
    problems = [
        f"{t}.{c}: expected a kind ({', '.join(KINDS)}) in the .columns.toml file beside the migration that made it, got none"
        for t, c in sorted(live - kinds.keys())
    ]
    problems += [f"{t}.{c}: classified, but no such column in the schema" for t, c in sorted(kinds.keys() - live)]
    for (table, column), kind in sorted(kinds.items()):
        if kind not in KINDS:
            problems.append(f"{table}.{column}: expected a kind of {', '.join(KINDS)}, got {kind!r}")
        elif kind in IDENTIFYING and table != "people":  # the people row itself goes by its id
            entry = entries.get((table, column))
            if entry is None:
                problems.append(f"{table}.{column}: holds {KINDS[kind]}; expected it in PERSONAL_DATA (functions/people/privacy.py)")
            elif entry.holds != IDENTIFYING[kind]:
                problems.append(f"{table}.{column}: holds {kind}; expected PERSONAL_DATA to say holds={IDENTIFYING[kind]!r}, got {entry.holds!r}")
        elif kind == "words" and not any(e.table == table and e.on_erase == "delete" for e in PERSONAL_DATA):
            problems.append(f"{table}.{column}: holds {KINDS[kind]}; expected an entry in PERSONAL_DATA that deletes {table}'s rows")
    for (table, column), entry in sorted(entries.items()):
        kind = kinds.get((table, column))
        if kind not in IDENTIFYING:
            problems.append(f"{entry.name}: in PERSONAL_DATA, so expected a kind of {', '.join(IDENTIFYING)} in its columns file, got {kind!r}")
    if ("people", "id") not in entries or entries[("people", "id")].on_erase != "delete":
        problems.append("people.id: expected PERSONAL_DATA to delete the person's own row")
    return problems
