"""Settings, read once from the environment (and an optional .env file) and passed in everywhere else."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COUNCILS = "../shared/data/uk-councils/datapackage.json"
LOOPBACK = ("localhost", "127.0.0.1", "::1")  # this machine, where browsers treat plain http as secure
DEFAULT_PORTS = {"http": 80, "https": 443}


class SettingsError(Exception):
    """A setting is missing or wrong; the message names it and says what was expected."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about the Exchange. Build with `from_env`; tests use `replace`."""

    root: Path = ROOT
    database_url: str = ""
    councils: str = ""
    smtp_url: str | None = None
    mail_from: str = "The Exchange <no-reply@exchange.localhost>"
    site_url: str = "http://127.0.0.1:8000"
    port: int = 8000
    secret_key: str = field(default="", repr=False)
    data_dir: Path = ROOT / "data"
    site_dir: Path = ROOT / "site"
    build_dir: Path = ROOT / "build"
    content_dir: Path = ROOT / "content"
    questionnaire_dir: Path = ROOT / "questionnaire"
    # The open-data benchmark package `tie nightly` writes and `tie build` bakes into the pages; a demo
    # database's package goes to data_dir/demo-benchmarks instead, so demo figures never mix with real ones.
    benchmarks_dir: Path = ROOT / "data" / "benchmarks"
    echo_mail: bool = True  # print sign-in links on the console when mail goes to the outbox
    editor: bool = False  # build the optional editor interface (Decap CMS) into the site
    editor_repo: str = ""  # the GitHub repository the editor proposes changes to, as owner/name
    editor_branch: str = "main"
    editor_auth_url: str | None = None  # the OAuth service that signs editors in to GitHub (Decap's base_url)
    # Addresses (or networks) of the reverse proxies in front of `tie serve`, whose X-Forwarded-For
    # is believed; empty: the connecting address is the client's (TIE_TRUSTED_PROXIES).
    trusted_proxies: tuple[str, ...] = ()
    # With no SMTP server, mail goes to files in the outbox; an https site must ask for that (TIE_MAIL_OUTBOX=1).
    mail_outbox: bool = False

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def demo_benchmarks_dir(self) -> Path:
        return self.data_dir / "demo-benchmarks"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def https(self) -> bool:
        """Whether the site's address is https (whatever its letters' case)."""
        return urlsplit(self.site_url).scheme.lower() == "https"

    @property
    def host(self) -> str:
        """The site's host name, lower-cased, as browsers send it in the Host header."""
        return (urlsplit(self.site_url).hostname or "").lower()

    @property
    def secure_origin(self) -> bool:
        """True when the site is served over https, or on this machine (where browsers treat http as secure)."""
        return self.https or self.host in LOOPBACK

    @property
    def origin(self) -> str:
        """The site's origin as a browser sends it in the Origin header: scheme and host lower-cased,
        an IPv6 host in brackets, the port only when it is not the scheme's own."""
        parts = urlsplit(self.site_url)
        scheme = parts.scheme.lower()
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = parts.port
        return f"{scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS.get(scheme) else "")

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def _read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def _secret(data_dir: Path) -> str:
    """A secret key kept in the data folder, made on first use (for running on one machine)."""
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _proxies(text: str) -> tuple[str, ...]:
    """TIE_TRUSTED_PROXIES: comma-separated addresses or networks (203.0.113.7, 10.0.0.0/8, fd00::/8)."""
    proxies = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            # as uvicorn reads them: a network with no host bits set, or one address
            ipaddress.ip_network(item) if "/" in item else ipaddress.ip_address(item)
        except ValueError:
            raise SettingsError(
                f"TIE_TRUSTED_PROXIES: expected the reverse proxies' addresses or networks, separated by commas, like 10.0.0.5,10.1.0.0/16; got {item[:60]!r}"
            ) from None
        proxies.append(item)
    return tuple(proxies)


def from_env(environ: dict[str, str] | None = None, root: Path = ROOT) -> Settings:
    """Settings from the environment, with .env in the project root filling gaps."""
    env = {**_read_dotenv(root / ".env"), **(os.environ if environ is None else environ)}
    data_dir = Path(env.get("TIE_DATA_DIR") or root / "data")
    port_text = env.get("PORT") or "8000"
    if not re.fullmatch(r"[0-9]{1,5}", port_text) or not 0 < int(port_text) < 65536:
        raise SettingsError(f"PORT: expected a port number from 1 to 65535, got {port_text!r}")
    port = int(port_text)
    database_url = env.get("TIE_DATABASE_URL") or f"sqlite:///{data_dir / 'exchange.sqlite3'}"
    if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise SettingsError(f"TIE_DATABASE_URL: expected sqlite:///path or postgresql://..., got {database_url.split(':')[0]}:...")
    councils = env.get("TIE_COUNCILS") or str((root / DEFAULT_COUNCILS).resolve())
    site_url = (env.get("TIE_SITE_URL") or f"http://127.0.0.1:{port}").rstrip("/")
    settings = Settings(
        root=root,
        database_url=database_url,
        councils=councils,
        smtp_url=env.get("TIE_SMTP_URL") or None,
        mail_from=env.get("TIE_MAIL_FROM") or Settings.mail_from,
        site_url=site_url,
        port=port,
        secret_key=env.get("TIE_SECRET_KEY") or _secret(data_dir),
        data_dir=data_dir,
        site_dir=Path(env.get("TIE_SITE_DIR") or root / "site"),
        build_dir=Path(env.get("TIE_BUILD_DIR") or root / "build"),
        content_dir=Path(env.get("TIE_CONTENT_DIR") or root / "content"),
        questionnaire_dir=Path(env.get("TIE_QUESTIONNAIRE_DIR") or root / "questionnaire"),
        benchmarks_dir=Path(env.get("TIE_BENCHMARKS_DIR") or root / "data" / "benchmarks"),
        echo_mail=(env.get("TIE_ECHO_MAIL", "1") != "0"),
        editor=(env.get("TIE_EDITOR", "0") == "1"),
        editor_repo=env.get("TIE_EDITOR_REPO", ""),
        editor_branch=env.get("TIE_EDITOR_BRANCH") or "main",
        editor_auth_url=env.get("TIE_EDITOR_AUTH_URL") or None,
        trusted_proxies=_proxies(env.get("TIE_TRUSTED_PROXIES", "")),
        mail_outbox=(env.get("TIE_MAIL_OUTBOX", "0") == "1"),
    )
    if settings.editor and settings.editor_repo.count("/") != 1:
        raise SettingsError(f"TIE_EDITOR_REPO: expected the GitHub repository as owner/name when TIE_EDITOR=1, got {settings.editor_repo!r}")
    if not settings.secure_origin:
        raise SettingsError(f"TIE_SITE_URL: expected an https:// address (plain http only on localhost), got {site_url}")
    return settings


def mail_problem(settings: Settings) -> str | None:
    """Why the app must not start with these mail settings, or None. (Asked by `tie serve` only: the
    other commands send no mail, and CI checks and builds with an https site address and no server.)

    The outbox is for one machine: on an https site its files would hold people's addresses in a
    folder they never see, so it is used there only when the operator says so."""
    if settings.https and not settings.smtp_url and not settings.mail_outbox:
        return (
            "TIE_SMTP_URL: expected a mail server (smtp://host:port or smtps://host:port) when TIE_SITE_URL is https, got none "
            "(set TIE_MAIL_OUTBOX=1 to write mail to files in the outbox instead)"
        )
    return None
