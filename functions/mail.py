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
from email.parser import BytesHeaderParser
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from functions.people import addresses

log = logging.getLogger("exchange")


class MailError(Exception):
    """A message could not be sent; the message says why, without the recipient's address."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str


# Any control character or line break in a header value could start a header of its own: CR and
# LF above all, and everything else `str.splitlines` breaks at (NEL, the separators), as the email
# library does.
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(value: str) -> str:
    """A header value from text that may hold anything (a council's or a person's name): on one line, always."""
    return CONTROLS.sub(" ", value).strip()


def recipient(message: Message) -> str:
    """The message's one recipient, canonical; MailError unless it is one plain address.

    Every caller has checked the address already; this is the last line, so that no text a mail
    library might read as several recipients is ever put in a header or handed to a server."""
    address = addresses.canonical(message.to)
    if not addresses.is_address(address):
        raise MailError("refused to send: the recipient is not one plain email address")
    return address


def _build(sender: str, message: Message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = header_text(sender)
    email["To"] = recipient(message)
    email["Subject"] = header_text(message.subject)
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="exchange.localhost")
    email.set_content(message.text)
    return email


class SmtpMailer:
    """SMTP from a URL: smtp://user:password@host:port (STARTTLS when ?starttls=1), or smtps:// for TLS."""

    def __init__(self, url: str, sender: str, timeout: float = 20):
        parts = urlsplit(url)
        try:
            parts.port  # noqa: B018  (reading it checks it: a port that is not a number raises ValueError)
        except ValueError:
            parts = urlsplit("")
        # the URL is never repeated in the message: it may hold a password
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailError("TIE_SMTP_URL: expected smtp://user:password@host:port or smtps://host:port, with a port that is a number")
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
                # The envelope names its one recipient itself, whatever the headers say.
                client.send_message(email, from_addr=parseaddr(self.sender)[1], to_addrs=[recipient(message)])
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
        # beside it, the message as plain text: in the .eml a long link is quoted-printable ("token=3D...",
        # broken across lines), so it cannot be copied from the file
        plain = self.folder / (name.removesuffix(".eml") + ".txt.tmp")
        plain.write_text(f"To: {message.to}\nSubject: {message.subject}\n\n{message.text}", encoding="utf-8")
        plain.rename(self.folder / (name.removesuffix(".eml") + ".txt"))
        tmp.rename(self.folder / name)
        if self.echo:
            links = " ".join(LINK.findall(message.text))
            print(f"[outbox] {message.subject}: {links} (saved in {self.folder / name})", file=sys.stderr, flush=True)


def _outbox_files(folder: Path) -> list[Path]:
    """The messages in the outbox and their plain-text copies (and any left half-written): each begins
    with its recipient's `To:` line, which the header parser reads in either."""
    return [p for p in (*folder.glob("*.eml*"), *folder.glob("*.txt*")) if p.is_file()] if folder.is_dir() else []


def _is_message(path: Path) -> bool:
    """Whether the file is a message rather than its plain-text copy: what the counts count."""
    return ".eml" in path.name


def forget_outbox(folder: Path, address: str) -> int:
    """Delete every message in the outbox addressed to `address` (on the person's erasure); returns how many.

    Each file is a copy of a message with its recipient's address in it: the outbox is part of what
    the Exchange holds about a person, so it goes with them."""
    address = addresses.canonical(address)
    removed = 0
    for path in _outbox_files(folder):
        try:
            with path.open("rb") as f:
                to = BytesHeaderParser().parse(f).get("To", "")
        except OSError:
            continue
        if addresses.canonical(str(to)) == address:
            path.unlink(missing_ok=True)
            removed += _is_message(path)
    return removed


def purge_outbox(folder: Path, before: int) -> int:
    """Delete the outbox's messages written before `before` (seconds since the epoch); returns how many."""
    removed = 0
    for path in _outbox_files(folder):
        try:
            if path.stat().st_mtime < before:
                path.unlink(missing_ok=True)
                removed += _is_message(path)
        except OSError:
            continue
    return removed


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
