"""Councils' email domains: a council registers the domains its staff's addresses end in, and people
signing in with one join it (unless a super-user removed them)."""

from __future__ import annotations

from functions.councils import memberships
from functions.people import addresses
from functions.people.store import Person
from functions.store import Tx


def add_domain(tx: Tx, council: str, domain: str, now: int) -> bool:
    """Register an email domain (canonical, checked) for the council; False if it already was."""
    domain = addresses.canonical_domain(domain)
    if addresses.domain_problem(domain):
        raise ValueError(addresses.domain_problem(domain))
    if tx.one("SELECT 1 AS x FROM council_domains WHERE council = ? AND domain = ?", (council, domain)):
        return False
    tx.insert("council_domains", {"council": council, "domain": domain, "added_at": now})
    return True


def remove_domain(tx: Tx, council: str, domain: str) -> bool:
    return tx.execute("DELETE FROM council_domains WHERE council = ? AND domain = ?", (council, addresses.canonical_domain(domain))) == 1


def domains(tx: Tx, council: str | None = None) -> list[dict]:
    if council:
        return tx.all("SELECT council, domain FROM council_domains WHERE council = ? ORDER BY domain", (council,))
    return tx.all("SELECT council, domain FROM council_domains ORDER BY council, domain")


def join_by_domain(tx: Tx, person: Person, now: int) -> list[str]:
    """Add the person to every council that registered their email domain, unless a super-user removed
    them from it. Called at sign-in, when the address has just been shown to be theirs. Returns the codes joined."""
    joined = []
    for row in tx.all("SELECT council FROM council_domains WHERE domain = ? ORDER BY council", (person.domain,)):
        code = row["council"]
        if memberships.membership(tx, person.id, code) or memberships.removed(tx, person.id, code):
            continue
        memberships.join(tx, person, code, "member", "domain", now)
        joined.append(code)
    return joined
