"""Mail without an SMTP server: each message a file in the outbox folder, its links printed on the console."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

from functions.mail import OutboxMailer, mailer
from functions.settings import from_env
from functions.web.security import CSRF_FIELD
from tests.conftest import form_token, make_settings

LINK = re.compile(r"https://testserver/app/sign-in/link\?token=[\w-]+")


def outbox_files(settings) -> list:
    return sorted(settings.outbox_dir.iterdir()) if settings.outbox_dir.exists() else []


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
