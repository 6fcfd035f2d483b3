"""`tie admin`: the operators' interface, through the real command line parser."""

from __future__ import annotations

import pytest

from functions.councils import memberships
from functions.people import store as people
from functions.store import Store
from generator.__main__ import main
from tests.factories import COUNCILS


@pytest.fixture
def tie(tmp_path, monkeypatch, capsys):
    """Run `tie ...` against a private SQLite database; returns (exit code, stdout, stderr)."""
    url = f"sqlite:///{tmp_path / 'admin.sqlite3'}"
    monkeypatch.setenv("TIE_DATABASE_URL", url)
    monkeypatch.setenv("TIE_COUNCILS", COUNCILS)
    monkeypatch.setenv("TIE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TIE_SECRET_KEY", "admin-test-key")

    def run(*argv: str):
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    run.store = lambda: Store(url)
    return run


def test_an_operator_makes_the_first_super_user_of_a_council(tie):
    code, out, err = tie("admin", "super-user", "add", "abe", "Ada@AberdeenCity.gov.uk")
    assert code == 0, err
    assert "ada@aberdeencity.gov.uk is now a super-user of ABE" in out
    store = tie.store()
    with store.transaction() as tx:
        ada = people.by_email(tx, "ada@aberdeencity.gov.uk")
        assert memberships.membership(tx, ada.id, "ABE").role == "super-user"
        assert tx.value("SELECT COUNT(*) FROM audit_log WHERE action = 'role.changed'") == 1
    store.close()
    code, out, _ = tie("admin", "list", "members", "ABE")
    assert code == 0 and "ada@aberdeencity.gov.uk\tsuper-user\toperator" in out


def test_the_last_super_user_cannot_be_removed_from_the_command_line(tie):
    tie("admin", "super-user", "add", "ABE", "ada@aberdeencity.gov.uk")
    code, _, err = tie("admin", "super-user", "remove", "ABE", "ada@aberdeencity.gov.uk")
    assert code == 1
    assert err.startswith("tie admin: ABE would have no super-user left") and "Traceback" not in err
    tie("admin", "super-user", "add", "ABE", "bob@aberdeencity.gov.uk")
    code, out, _ = tie("admin", "super-user", "remove", "ABE", "ada@aberdeencity.gov.uk")
    assert code == 0 and "now a member of ABE" in out


def test_council_domains_are_added_listed_and_removed(tie):
    assert tie("admin", "council-domain", "add", "ABE", "AberdeenCity.gov.uk")[0] == 0
    assert tie("admin", "council-domain", "add", "ABD", "aberdeencity.gov.uk")[0] == 0  # shared services
    code, out, _ = tie("admin", "list", "domains")
    assert out.splitlines() == ["ABD\taberdeencity.gov.uk", "ABE\taberdeencity.gov.uk"]
    assert tie("admin", "council-domain", "remove", "ABD", "aberdeencity.gov.uk")[0] == 0
    code, _, err = tie("admin", "council-domain", "remove", "ABD", "aberdeencity.gov.uk")
    assert code == 1 and "is not registered for ABD" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("council-domain", "add", "XYZ", "x.gov.uk"),
            "council: expected a code of a current principal council in the register, like ABE; got 'XYZ'",
        ),
        (
            ("council-domain", "add", "ABE", "not a domain"),
            "domain: expected an email domain like aberdeencity.gov.uk, got 'not a domain'",
        ),
        (("super-user", "add", "ABE", "nobody"), "email: expected one plain email address like name@council.gov.uk (letters, digits and . _ - + ' before the @), got 'nobody'"),
        (
            ("operator", "remove", "ghost@example.org"),
            "email: nobody with the address ghost@example.org has signed in or been named yet",
        ),
        (("two-factor", "reset", "ghost@example.org"), "email: nobody with the address ghost@example.org"),
    ],
)
def test_mistakes_get_one_clear_line_and_exit_code_1(tie, argv, message):
    code, out, err = tie("admin", *argv)
    assert code == 1 and out == ""
    assert err.startswith("tie admin: " + message)
    assert len(err.strip().splitlines()) == 1


def test_operators_are_made_and_unmade(tie):
    assert tie("admin", "operator", "add", "olu@example.org")[0] == 0
    assert tie("admin", "list", "operators")[1].strip() == "olu@example.org"
    assert tie("admin", "operator", "remove", "olu@example.org")[0] == 0
    assert tie("admin", "list", "operators")[1].strip() == "(no operators)"


def test_every_current_principal_council_can_be_named(tie):
    code, out, _ = tie("admin", "list", "councils")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and len(rows) > 350
    assert all(len(r) == 5 and r[2] and r[3] for r in rows)  # type and nation travel with every council


def test_an_operator_erases_a_person_on_request(tie):
    tie("admin", "super-user", "add", "ABE", "ada@aberdeencity.gov.uk")
    tie("admin", "super-user", "add", "ABE", "bob@aberdeencity.gov.uk")
    code, out, _ = tie("admin", "erase", "bob@aberdeencity.gov.uk")
    assert code == 0 and "is erased" in out
    assert "bob@" not in tie("admin", "list", "members", "ABE")[1]


@pytest.fixture
def tie_on(store_url, monkeypatch, tie):
    """`tie ...` as the `tie` fixture runs it, on SQLite and on PostgreSQL in turn."""
    monkeypatch.setenv("TIE_DATABASE_URL", store_url)
    tie.store = lambda: Store(store_url)
    return tie


CRAFTED = "=?utf-8?q?attacker=40evil.com?=,nobody@aberdeencity.gov.uk"  # accepted before the rule of 6785d6d


def test_stored_addresses_that_are_not_plain_are_listed_and_the_person_can_be_erased_on_either_database(tie_on):
    from functions.feedback.store import Feedback, record

    assert tie_on("admin", "check", "addresses")[:2] == (0, "Every stored address is one plain address.\n")
    store = tie_on.store()
    store.migrate()
    with store.transaction() as tx:  # as an older Exchange stored them, bypassing today's checks
        tx.insert("people", {"id": "p1", "pseudonym": "p-crafted", "email": CRAFTED, "name": None, "operator": 0, "created_at": 1, "last_seen_at": 1})
        tx.execute("INSERT INTO memberships (person_id, council, role, joined_by, joined_at) VALUES ('p1', 'ABE', 'member', 'domain', 1)")
        record(tx, Feedback("suggestion", page="/", message="hi", reply_to="a b@example.org"), 1)
        people.find_or_create(tx, "ada@aberdeencity.gov.uk", 1)
    store.close()
    code, out, _ = tie_on("admin", "check", "addresses")
    assert code == 1
    assert out.splitlines() == [
        "feedback.reply_to\t'a b@example.org'\ta reply-to address given with feedback: do not reply to it; it goes with the feedback after 12 months",
        f"people.email\t{CRAFTED!r}\terase the person: tie admin erase {CRAFTED!r}",
        "2 stored address(es) are not one plain address by today's rule.",
    ]
    code, out, _ = tie_on("admin", "erase", CRAFTED)
    assert code == 0 and "is erased" in out
    assert "nobody@" not in tie_on("admin", "list", "members", "ABE")[1]
    assert tie_on("admin", "erase", "=?utf-8?q?x?=@example.org")[0] == 1  # no such stored address: refused as ever
