"""Mail without an SMTP server: each message a file in the outbox folder, its links printed on the console."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

from functions.mail import OutboxMailer, mailer
from functions.settings import from_env
from functions.web.security import CSRF_FIELD
from tests.factories import form_token, make_settings

LINK = re.compile(r"https://testserver/app/sign-in/link\?token=[\w-]+")


def outbox_files(settings) -> list:
    return sorted(settings.outbox_dir.iterdir()) if settings.outbox_dir.exists() else []


def outbox_messages(settings) -> list:
    """The messages in the outbox, without their plain-text copies."""
    return sorted(settings.outbox_dir.glob("*.eml")) if settings.outbox_dir.exists() else []


def age(message, when: int) -> None:
    """Date a message and its plain-text copy, as if both had been written at `when`."""
    import os

    for path in (message, message.with_suffix(".txt")):
        if path.exists():
            os.utime(path, (when, when))


def test_with_no_smtp_url_mail_goes_to_the_outbox_folder_under_the_data_folder(tmp_path):
    settings = from_env({"TIE_DATA_DIR": str(tmp_path / "data"), "TIE_SECRET_KEY": "test-secret"}, root=tmp_path)
    assert settings.smtp_url is None
    chosen = mailer(settings)
    assert isinstance(chosen, OutboxMailer)
    assert chosen.folder == tmp_path / "data" / "outbox"


def test_asking_for_a_sign_in_link_writes_the_message_to_the_outbox_and_prints_the_link(tmp_path, capsys):
    from starlette.testclient import TestClient

    from functions.app import create_app

    settings = make_settings(tmp_path, echo_mail=True)  # no smtp_url
    app = create_app(settings)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            r = client.post("/app/sign-in", data={"email": "ada@aberdeencity.gov.uk", CSRF_FIELD: form_token(client)})
            assert r.status_code == 200
    finally:
        app.state.store.close()

    files = outbox_files(settings)
    assert [f.suffix for f in files] == [".eml", ".txt"]  # one finished message and its plain copy, nothing half-written
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == "ada@aberdeencity.gov.uk"
    assert message["Subject"] == "Your link to sign in to the Exchange"
    link = LINK.search(message.get_content())
    assert link, message.get_content()
    # the plain copy beside it holds the link whole, on one line, as it can be copied
    plain = files[1].read_text(encoding="utf-8")
    assert plain.startswith("To: ada@aberdeencity.gov.uk\nSubject: Your link to sign in to the Exchange\n\n")
    assert link.group(0) in plain.splitlines() or any(link.group(0) in line for line in plain.splitlines())
    assert "=3D" not in plain

    console = capsys.readouterr()
    assert link.group(0) in console.out + console.err
    assert str(files[0]) in console.err


def test_each_message_is_a_file_of_its_own(tmp_path, capsys):
    from functions.mail import Message

    settings = make_settings(tmp_path, echo_mail=True)
    outbox = mailer(settings)
    for n in range(3):
        outbox.send(Message(to=f"person{n}@aberdeencity.gov.uk", subject=f"Note {n}", text=f"See https://testserver/note/{n}\n"))

    files = [f for f in outbox_files(settings) if f.suffix == ".eml"]
    assert len(files) == 3
    sent = {message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"] for f in files}
    assert sent == {"Note 0", "Note 1", "Note 2"}
    printed = capsys.readouterr().err
    assert all(f"https://testserver/note/{n}" in printed for n in range(3))


def test_with_echo_off_the_outbox_still_keeps_the_message_but_prints_nothing(tmp_path, capsys):
    from functions.mail import Message

    settings = make_settings(tmp_path, echo_mail=False)
    mailer(settings).send(Message(to="ada@aberdeencity.gov.uk", subject="Quiet", text="https://testserver/quiet\n"))
    assert [f.suffix for f in outbox_files(settings)] == [".eml", ".txt"]
    console = capsys.readouterr()
    assert "https://testserver/quiet" not in console.out + console.err


# -- the outbox holds people's addresses: not in production unless asked, and never past erasure or retention


def test_an_https_site_with_no_mail_server_does_not_start_unless_the_outbox_is_asked_for(tmp_path, monkeypatch, capsys):
    """In production the outbox's files kept people's addresses after their erasure; an operator who forgot
    TIE_SMTP_URL got them silently. `tie serve` now stops with one line and exit 2, unless the outbox is
    asked for. Commands that send no mail are not held up (CI checks and builds with an https address)."""
    from functions.settings import mail_problem
    from generator.__main__ import main

    env = {
        "TIE_SITE_URL": "https://exchange.example.gov.uk",
        "TIE_DATA_DIR": str(tmp_path / "data"),
        "TIE_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'exchange.sqlite3'}",
        "TIE_SECRET_KEY": "test-secret",
        "TIE_EDITOR": "0",
        "PORT": "8000",
        "TIE_SMTP_URL": "",
        "TIE_MAIL_OUTBOX": "",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 2
    console = capsys.readouterr()
    assert console.out == ""
    assert console.err == (
        "tie serve: TIE_SMTP_URL: expected a mail server (smtp://host:port or smtps://host:port) when TIE_SITE_URL is https, "
        "got none (set TIE_MAIL_OUTBOX=1 to write mail to files in the outbox instead)\n"
    )
    assert main(["retention", "--schedule"]) == 0
    assert mail_problem(from_env(env | {"TIE_MAIL_OUTBOX": "1"}, root=tmp_path)) is None
    assert mail_problem(from_env(env | {"TIE_SMTP_URL": "smtp://mail.example:25"}, root=tmp_path)) is None
    assert mail_problem(from_env(env | {"TIE_SITE_URL": "http://127.0.0.1:8000"}, root=tmp_path)) is None  # on one machine


def _outbox_app(tmp_path, store_url):
    from functions.app import create_app

    return create_app(make_settings(tmp_path, database_url=store_url, mail_outbox=True))  # no smtp_url: the outbox


def _recipients(settings) -> list[str]:
    """The recipients of the messages in the outbox, and that each plain-text copy goes with its message."""
    messages = outbox_messages(settings)
    assert all(f.with_suffix(".txt").is_file() for f in messages)
    assert len(list(settings.outbox_dir.glob("*.txt"))) == len(messages) if settings.outbox_dir.exists() else True
    return sorted(message_from_bytes(f.read_bytes(), policy=policy.default)["To"] for f in messages)


def test_erasing_a_person_deletes_the_outbox_emails_addressed_to_them_on_either_database(tmp_path, store_url):
    from starlette.testclient import TestClient

    from tests.factories import PeopleFactory

    app = _outbox_app(tmp_path, store_url)
    settings = app.state.settings
    try:
        with TestClient(app, base_url="https://testserver") as client:
            for address in ("ada@aberdeencity.gov.uk", "Ada@AberdeenCity.gov.uk", "bob@aberdeencity.gov.uk"):
                assert client.post("/app/sign-in", data={"email": address, CSRF_FIELD: form_token(client)}).status_code == 200
            assert _recipients(settings) == ["ada@aberdeencity.gov.uk"] * 2 + ["bob@aberdeencity.gov.uk"]
            people = PeopleFactory(app)
            people.sign_in(client, people.add("ada@aberdeencity.gov.uk"))
            r = client.post("/app/account/erase", data={"confirm": "yes", CSRF_FIELD: form_token(client)})
            assert r.status_code == 200, r.text
        assert _recipients(settings) == ["bob@aberdeencity.gov.uk"]
    finally:
        app.state.store.close()


def test_the_retention_job_deletes_outbox_emails_older_than_fourteen_days(tmp_path):
    import time

    from functions import retention
    from functions.mail import Message
    from functions.store import Store

    settings = make_settings(tmp_path)
    outbox = mailer(settings)
    for n in range(3):
        outbox.send(Message(to=f"person{n}@aberdeencity.gov.uk", subject="Sign in", text="https://testserver/x\n"))
    now = int(time.time())
    old, kept, new = outbox_messages(settings)
    age(old, now - retention.OUTBOX_KEPT - 60)
    age(kept, now - retention.OUTBOX_KEPT + 60)
    store = Store(settings.database_url)
    store.migrate()
    try:
        assert retention.run(store, now, settings.outbox_dir)["Copies of emails in the outbox folder"] == 1
        assert outbox_messages(settings) == [kept, new]
        assert outbox_files(settings) == sorted([kept, new, kept.with_suffix(".txt"), new.with_suffix(".txt")])
        assert retention.OUTBOX_KEPT == 14 * 86400  # as the privacy notice and the schedule say
        assert any(s.what == "Copies of emails in the outbox folder" and s.kept == "14 days" for s in retention.STEPS)
    finally:
        store.close()


def test_tie_retention_and_tie_admin_erase_clear_the_outbox_too(tmp_path, monkeypatch, capsys):
    import time

    from functions.mail import Message
    from generator.__main__ import main
    from tests.factories import COUNCILS

    for name, value in {
        "TIE_DATA_DIR": str(tmp_path / "data"),
        "TIE_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'exchange.sqlite3'}",
        "TIE_SECRET_KEY": "test-secret",
        "TIE_COUNCILS": COUNCILS,
        "TIE_SITE_URL": "http://127.0.0.1:8000",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TIE_SMTP_URL", raising=False)
    outbox = OutboxMailer(tmp_path / "data" / "outbox", "x@example.org", echo=False)
    for to in ("ada@aberdeencity.gov.uk", "bob@aberdeencity.gov.uk", "old@aberdeencity.gov.uk"):
        outbox.send(Message(to=to, subject="Sign in", text="https://testserver/x\n"))
    old = max(outbox.folder.glob("*.eml"), key=lambda p: p.name)
    age(old, int(time.time() - 15 * 86400))
    assert main(["admin", "operator", "add", "ada@aberdeencity.gov.uk"]) == 0
    assert main(["admin", "erase", "ada@aberdeencity.gov.uk"]) == 0
    assert main(["retention"]) == 0
    assert "Copies of emails in the outbox folder: 1 removed" in capsys.readouterr().out
    left = [message_from_bytes(f.read_bytes(), policy=policy.default)["To"] for f in outbox.folder.glob("*.eml")]
    assert left == ["bob@aberdeencity.gov.uk"]
