"""Sending mail: over SMTP when TIE_SMTP_URL is set, otherwise into a local outbox folder (and the console)."""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import sys
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger("exchange")


class MailError(Exception):
    """A message could not be sent; the message says why, without the recipient's address."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str


def _build(sender: str, message: Message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="exchange.localhost")
    email.set_content(message.text)
    return email


class SmtpMailer:
    """SMTP from a URL: smtp://user:password@host:port (STARTTLS when ?starttls=1), or smtps:// for TLS."""

    def __init__(self, url: str, sender: str, timeout: float = 20):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailError("TIE_SMTP_URL: expected smtp://host:port or smtps://host:port")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] == "1"
        self.sender = sender
        self.timeout = timeout

    def send(self, message: Message) -> None:
        email = _build(self.sender, message)
        try:
            if self.scheme == "smtps":
                client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.starttls:
                    client.starttls(context=ssl.create_default_context())
                if self.user:
                    client.login(self.user, self.password or "")
                client.send_message(email)
        except (smtplib.SMTPException, OSError) as err:
            raise MailError(f"mail server {self.host}:{self.port} refused or failed: {type(err).__name__}") from None


LINK = re.compile(r"https?://\S+")


class OutboxMailer:
    """Writes each message to a file in the outbox folder, and prints its links, for running on one machine."""

    def __init__(self, folder: Path, sender: str, echo: bool = True):
        self.folder = folder
        self.sender = sender
        self.echo = echo

    def send(self, message: Message) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}-{os.getpid()}.eml"
        tmp = self.folder / (name + ".tmp")
        tmp.write_bytes(bytes(_build(self.sender, message)))
        tmp.rename(self.folder / name)
        if self.echo:
            links = " ".join(LINK.findall(message.text))
            print(f"[outbox] {message.subject}: {links} (saved in {self.folder / name})", file=sys.stderr, flush=True)


def send_later(mailer, message: Message, what: str):
    """A background task sending the message after the response has gone, so how long sending takes
    reveals nothing to the requester. A failure is logged, naming `what` but never the address."""
    from starlette.background import BackgroundTask

    def send() -> None:
        try:
            mailer.send(message)
        except Exception as err:  # logged, not raised: the person has already had their answer
            log.error("%s could not be sent: %s", what, type(err).__name__ if not isinstance(err, MailError) else err)

    return BackgroundTask(send)


def mailer(settings):
    """The mailer the settings ask for."""
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.mail_from)
    return OutboxMailer(settings.outbox_dir, settings.mail_from, echo=settings.echo_mail)
