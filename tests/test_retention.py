"""Retention: the job removes what has expired, keeps what has not, and agrees with the privacy notice."""

from __future__ import annotations

import re
import time

from functions import audit, retention
from functions.assessment import idempotency
from functions.councils import invitations, memberships
from functions.ids import new_id
from functions.people import sessions, signin, two_factor
from functions.people import store as people
from functions.settings import ROOT
from functions.web import ratelimit

DAY = 86400


def test_the_retention_job_removes_what_has_expired_and_keeps_the_rest(fresh_store):
    now = int(time.time())  # real time: the audit log's own triggers judge its age by the database's clock
    with fresh_store.transaction() as tx:
        ada, _ = people.find_or_create(tx, "ada@aberdeencity.gov.uk", now)
        memberships.add(tx, ada.id, "ABE", "super-user", "operator", now)
        gone, _ = people.find_or_create(tx, "gone@example.org", now - 400 * DAY)  # in no council, unused for over a year
        recent, _ = people.find_or_create(tx, "recent@example.org", now - 300 * DAY)
        old_member, _ = people.find_or_create(tx, "old@aberdeencity.gov.uk", now - 400 * DAY)
        memberships.add(tx, old_member.id, "ABE", "member", "domain", now - 400 * DAY)

        signin.request_link(tx, "k", "a@example.org", "", now - signin.LINK_VALID - 1)  # expired
        used = signin.request_link(tx, "k", "b@example.org", "", now - 60)
        signin.use_link(tx, "k", used, now - 30)  # used
        signin.request_link(tx, "k", "c@example.org", "", now - 60)  # still usable

        invitations.create(tx, "k", "ABE", "x@example.org", "member", ada, now - invitations.INVITATION_VALID - 1)
        invitations.create(tx, "k", "ABE", "y@example.org", "member", ada, now - DAY)

        sessions.create(tx, "k", ada.id, now - sessions.IDLE_TIMEOUT - 1)  # idle
        _, revoked = sessions.create(tx, "k", ada.id, now - 60)
        sessions.revoke(tx, revoked.id, now - 30)
        sessions.create(tx, "k", ada.id, now - 60)  # live

        two_factor.begin(tx, recent.id, now - 2 * DAY)  # never confirmed
        two_factor.begin(tx, ada.id, now - 60)

        ratelimit.hit(tx, "k", signin.ADDRESS_MAILS, "a", now - 2 * DAY)
        ratelimit.hit(tx, "k", signin.ADDRESS_MAILS, "a", now)

        tx.insert(
            "audit_log",
            {
                "id": new_id(),
                "at": now - 3 * 365 * DAY,
                "actor": "p-x",
                "action": "signed-in",
                "subject": None,
                "council": None,
                "detail": "",
            },
        )
        audit.record(tx, now - 365 * DAY, "signed-in", actor="p-y")

    removed = retention.run(fresh_store, now)

    assert removed["Sign-in links"] == 2
    assert removed["Invitations to join a council"] == 1
    assert removed["Sessions"] == 2
    assert removed["Second-factor set-ups never confirmed"] == 1
    assert removed["Rate-limit counters"] == 1
    assert removed["Audit log"] == 1
    assert removed["Accounts in no council, not signed in for 12 months"] == 1
    with fresh_store.transaction() as tx:
        assert tx.value("SELECT COUNT(*) FROM sign_in_links") == 1
        assert tx.value("SELECT COUNT(*) FROM invitations") == 1
        assert tx.value("SELECT COUNT(*) FROM sessions") == 1
        assert people.by_id(tx, gone.id) is None
        assert people.by_id(tx, recent.id) is not None and people.by_id(tx, old_member.id) is not None
        assert tx.value("SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run'") == 1
    assert set(retention.run(fresh_store, now).values()) == {0}  # nothing left to remove


def test_the_audit_log_refuses_early_deletion_and_any_change(fresh_store):
    import pytest

    with fresh_store.transaction() as tx:
        audit.record(tx, int(time.time()), "signed-in", actor="p-x")
    with pytest.raises(Exception, match="cannot be changed"), fresh_store.transaction() as tx:
        tx.execute("UPDATE audit_log SET actor = 'p-y'")
    with pytest.raises(Exception, match="kept for 2 years"), fresh_store.transaction() as tx:
        tx.execute("DELETE FROM audit_log")


def test_the_privacy_notice_states_the_periods_the_code_applies():
    notice = (ROOT / "generator" / "pages" / "text" / "privacy.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", notice, re.M))
    assert f"({signin.LINK_VALID // 60} minutes)" in rows["Sign-in links"]
    assert f"{signin.ADDRESS_MAILS.hits} emails have gone that hour" in rows["Sign-in links"]
    assert "at most three more to made-up versions of it" in " ".join(notice.split()) and signin.TAGGED_MAILS.hits == 3
    assert f"{signin.LINK_LONGEST // 60} minutes at most" in rows["Sign-in links"]
    assert rows["Invitations to join a council"].startswith(f"{invitations.INVITATION_VALID // DAY} days")
    assert rows["Sessions"].startswith(
        f"{sessions.IDLE_TIMEOUT // 3600} hours without use, {sessions.ABSOLUTE_TIMEOUT // 3600} hours at most"
    )
    assert rows["Rate-limit counters"] == "one day" and retention.RATE_LIMITS_KEPT == DAY
    assert rows["Records that let a retried save be stored once"] == "one day" and idempotency.KEEP_FOR == DAY
    assert rows["Audit log"] == "2 years" and retention.AUDIT_LOG_KEPT == 2 * 365 * DAY
    assert "12 months" in rows["Your account"] and retention.ACCOUNT_IDLE == 365 * DAY
    assert rows["Copies of emails in the outbox folder"].startswith("14 days") and retention.OUTBOX_KEPT == 14 * DAY
    assert "every night" in notice


def test_tie_retention_prints_what_it_removed(tmp_path, monkeypatch, capsys):
    from generator.__main__ import main

    monkeypatch.setenv("TIE_DATABASE_URL", f"sqlite:///{tmp_path / 'r.sqlite3'}")
    monkeypatch.setenv("TIE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TIE_SECRET_KEY", "k")
    assert main(["retention"]) == 0
    out = capsys.readouterr().out
    assert "Sessions: 0 removed" in out
    assert main(["retention", "--schedule"]) == 0
    assert "Audit log: 2 years" in capsys.readouterr().out
