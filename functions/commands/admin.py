"""`tie admin`: the operators' interface to people and councils (domains, super-users, operators, second factors)."""

from __future__ import annotations

import sys

USAGE = """examples:
  tie admin council-domain add ABE aberdeencity.gov.uk
  tie admin council-domain remove ABE aberdeencity.gov.uk
  tie admin super-user add ABE person@aberdeencity.gov.uk
  tie admin super-user remove ABE person@aberdeencity.gov.uk
  tie admin operator add person@example.org
  tie admin operator remove person@example.org
  tie admin two-factor reset person@aberdeencity.gov.uk
  tie admin erase person@aberdeencity.gov.uk
  tie admin list councils | domains [CODE] | members CODE | operators
  tie admin check addresses"""


class AdminError(Exception):
    """What the operator asked cannot be done; the message says why and what to do."""


class Found(Exception):
    """A check found something: `lines` say what, one a line (exit 1, as `tie check` does)."""

    def __init__(self, lines: list[str]):
        super().__init__(f"{len(lines)} found")
        self.lines = lines


# What to do about an address stored before today's rule, by the table it is in.
ADDRESS_ADVICE = {
    "people": "erase the person: tie admin erase {shown}",
    "sign_in_links": "a sign-in link: it stops working within 15 minutes and goes at the next tie retention",
    "invitations": "an invitation: its council's super-user can cancel it; it goes 14 days after it was made",
    "feedback": "a reply-to address given with feedback: do not reply to it; it goes with the feedback after 12 months",
}


def add_arguments(parser):
    import argparse

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = USAGE
    sub = parser.add_subparsers(dest="what", metavar="what", required=True)
    domain = sub.add_parser("council-domain", help="email domains whose people join a council when they sign in")
    domain.add_argument("action", choices=["add", "remove"])
    domain.add_argument("council", help="the council's code in the register, e.g. ABE")
    domain.add_argument("domain", help="e.g. aberdeencity.gov.uk")
    su = sub.add_parser("super-user", help="make someone a council's super-user, or a member again")
    su.add_argument("action", choices=["add", "remove"])
    su.add_argument("council")
    su.add_argument("email")
    op = sub.add_parser("operator", help="the people who run the Exchange")
    op.add_argument("action", choices=["add", "remove"])
    op.add_argument("email")
    tf = sub.add_parser("two-factor", help="reset the second factor of someone who lost phone and recovery codes")
    tf.add_argument("action", choices=["reset"])
    tf.add_argument("email")
    er = sub.add_parser("erase", help="erase a person and everything that refers to them (on their request)")
    er.add_argument("email")
    ls = sub.add_parser("list", help="list councils, domains, a council's members, or operators")
    ls.add_argument("kind", choices=["councils", "domains", "members", "operators"])
    ls.add_argument("council", nargs="?")
    ck = sub.add_parser("check", help="list stored addresses that are not one plain address by today's rule (exit 1 if any)")
    ck.add_argument("kind", choices=["addresses"])


def _council(reg, code: str | None) -> str:
    code = (code or "").strip().upper()
    if not code:
        raise AdminError("council: expected a council code from the register, like ABE; got nothing")
    if code not in reg:
        raise AdminError(f"council: expected a code of a current principal council in the register, like ABE; got {code!r}")
    return code


def _email(text: str) -> str:
    from functions.people import addresses

    email = addresses.canonical(text)
    problem = addresses.problem(email)
    if problem:
        raise AdminError(problem["message"])
    return email


def _person(tx, email: str):
    from functions.people import store as people

    found = people.by_email(tx, email)
    if found is None:
        raise AdminError(f"email: nobody with the address {email} has signed in or been named yet")
    return found


def _erasable(tx, text: str):
    """The person to erase: by a plain address, or by exactly the text stored for someone before
    today's rule of what an address is (so that `check addresses` can be acted on)."""
    from functions.people import addresses
    from functions.people import store as people

    email = addresses.canonical(text)
    if addresses.problem(email):
        found = people.by_email(tx, email)
        if found is not None:
            return found
    return _person(tx, _email(text))


def check_addresses(tx) -> list[str]:
    """Every stored address that is not one plain address by today's rule (functions/people/addresses.py),
    in every column whose columns file says it holds an address, with what to do about it."""
    from functions.people import addresses, privacy

    lines = []
    for table, column in sorted(tc for tc, kind in privacy.column_kinds().items() if kind == "email"):
        for row in tx.all(f"SELECT DISTINCT {column} AS value FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"):
            value = row["value"]
            if addresses.is_address(value):
                continue
            shown = repr(value)  # quoted, control characters escaped: what is stored, safe to print and to paste
            advice = ADDRESS_ADVICE.get(table, "").format(shown=shown)
            lines.append(f"{table}.{column}\t{shown}\t{advice}")
    return lines


def perform(args, store, reg, now: int, outbox=None) -> list[str]:
    """Do what the arguments ask; returns the lines to print. Raises AdminError, or Found for a check that found something.
    `outbox` is the outbox folder, from which an erased person's emails go too."""
    from functions import audit
    from functions.councils import domains, memberships
    from functions.people import addresses, privacy, sessions, two_factor
    from functions.people import store as people

    with store.transaction() as tx:
        if args.what == "council-domain":
            code = _council(reg, args.council)
            domain = addresses.canonical_domain(args.domain)
            problem = addresses.domain_problem(domain)
            if problem:
                raise AdminError(problem)
            if args.action == "add":
                added = domains.add_domain(tx, code, domain, now)
                audit.record(tx, now, "council-domain.added", actor=None, council=code, domain=domain)
                return [
                    f"{domain} {'now belongs' if added else 'already belonged'} to {code}: people signing in with it join {code}."
                ]
            if not domains.remove_domain(tx, code, domain):
                raise AdminError(f"domain: {domain} is not registered for {code} (see `tie admin list domains {code}`)")
            audit.record(tx, now, "council-domain.removed", actor=None, council=code, domain=domain)
            return [f"{domain} no longer belongs to {code}; its members stay members."]
        if args.what == "super-user":
            code = _council(reg, args.council)
            email = _email(args.email)
            if args.action == "add":
                person, created = people.find_or_create(tx, email, now)
                memberships.add(tx, person.id, code, "super-user", "operator", now)
                audit.record(
                    tx, now, "role.changed", actor=None, subject=person.pseudonym, council=code, role="super-user", by="operator"
                )
                note = " (they sign in with that address)" if created else ""
                return [f"{email} is now a super-user of {code}{note}."]
            person = _person(tx, email)
            try:
                changed = memberships.set_role(tx, person.id, code, "member")
            except memberships.LastSuperUser as err:
                raise AdminError(str(err)) from None
            if changed is None:
                raise AdminError(f"email: {email} is not a member of {code}")
            audit.record(
                tx, now, "role.changed", actor=None, subject=person.pseudonym, council=code, role="member", by="operator"
            )
            return [f"{email} is now a member of {code}, no longer a super-user."]
        if args.what == "operator":
            email = _email(args.email)
            if args.action == "add":
                person, _ = people.find_or_create(tx, email, now)
                people.set_operator(tx, person.id, True)
                audit.record(tx, now, "operator.added", actor=None, subject=person.pseudonym)
                return [f"{email} is now an operator."]
            person = _person(tx, email)
            people.set_operator(tx, person.id, False)
            audit.record(tx, now, "operator.removed", actor=None, subject=person.pseudonym)
            return [f"{email} is no longer an operator."]
        if args.what == "two-factor":
            person = _person(tx, _email(args.email))
            if not two_factor.reset(tx, person.id):
                raise AdminError(f"email: {person.email} has no second factor to reset")
            sessions.revoke_all(tx, person.id, now)
            audit.record(tx, now, "two-factor.reset", actor=None, subject=person.pseudonym)
            return [
                f"The second factor of {person.email} is removed and their sessions ended; they set it up again at their next sign-in."
            ]
        if args.what == "erase":
            person = _erasable(tx, args.email)
            try:
                privacy.erase(tx, person, now)
            except memberships.LastSuperUser as err:
                raise AdminError(str(err)) from None
        elif args.what == "check":
            found = check_addresses(tx)
            if found:
                raise Found([*found, f"{len(found)} stored address(es) are not one plain address by today's rule."])
            return ["Every stored address is one plain address."]
        else:
            return _list(tx, args, reg)
    if outbox is not None:  # the erasure is committed: the copies of emails to them go too
        privacy.erase_mail(outbox, person)
    return [f"{person.email} is erased: no row refers to them except audit entries under pseudonym {person.pseudonym}."]


def _list(tx, args, reg) -> list[str]:
    from functions.councils import domains, memberships
    from functions.people import store as people

    if args.kind == "councils":
        return [f"{c.code}\t{c.name}\t{c.type}\t{c.nation}\t{c.region}" for c in reg.sorted()]
    if args.kind == "domains":
        code = _council(reg, args.council) if args.council else None
        rows = domains.domains(tx, code)
        return [f"{r['council']}\t{r['domain']}" for r in rows] or ["(no domains registered)"]
    if args.kind == "members":
        code = _council(reg, args.council)
        return [f"{m.email}\t{m.role}\t{m.joined_by}" for m in memberships.members(tx, code)] or [f"({code} has no members)"]
    return [p.email for p in people.operators(tx)] or ["(no operators)"]


def run(args, settings) -> int:
    from functions.clock import Clock
    from functions.store import Store, StoreError
    from model import register

    try:
        reg = register.load(settings.councils)
    except register.RegisterError as err:
        print(f"tie admin: {err}", file=sys.stderr)
        return 1
    try:
        store = Store(settings.database_url)
        store.migrate()
    except StoreError as err:
        print(f"tie admin: {err}", file=sys.stderr)
        return 1
    try:
        for line in perform(args, store, reg, Clock().now(), settings.outbox_dir):
            print(line)
        return 0
    except Found as found:
        print("\n".join(found.lines))
        return 1
    except AdminError as err:
        print(f"tie admin: {err}", file=sys.stderr)
        return 1
    except StoreError as err:
        print(f"tie admin: {err}", file=sys.stderr)
        return 1
    finally:
        store.close()
