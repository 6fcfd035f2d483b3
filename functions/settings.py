"""Settings, read once from the environment (and an optional .env file) and passed in everywhere else."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COUNCILS = "../shared/data/uk-councils/datapackage.json"


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
    echo_mail: bool = True  # print sign-in links on the console when mail goes to the outbox
    editor: bool = False  # build the optional editor interface (Decap CMS) into the site
    editor_repo: str = ""  # the GitHub repository the editor proposes changes to, as owner/name
    editor_branch: str = "main"
    editor_auth_url: str | None = None  # the OAuth service that signs editors in to GitHub (Decap's base_url)

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def secure_origin(self) -> bool:
        """True when the site is served over https, or on this machine (where browsers treat http as secure)."""
        parts = urlsplit(self.site_url)
        return parts.scheme == "https" or parts.hostname in ("localhost", "127.0.0.1", "::1")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.site_url)
        return f"{parts.scheme}://{parts.netloc}"

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


def from_env(environ: dict[str, str] | None = None, root: Path = ROOT) -> Settings:
    """Settings from the environment, with .env in the project root filling gaps."""
    env = {**_read_dotenv(root / ".env"), **(os.environ if environ is None else environ)}
    data_dir = Path(env.get("TIE_DATA_DIR") or root / "data")
    port_text = env.get("PORT") or "8000"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
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
        echo_mail=(env.get("TIE_ECHO_MAIL", "1") != "0"),
        editor=(env.get("TIE_EDITOR", "0") == "1"),
        editor_repo=env.get("TIE_EDITOR_REPO", ""),
        editor_branch=env.get("TIE_EDITOR_BRANCH") or "main",
        editor_auth_url=env.get("TIE_EDITOR_AUTH_URL") or None,
    )
    if settings.editor and settings.editor_repo.count("/") != 1:
        raise SettingsError(f"TIE_EDITOR_REPO: expected the GitHub repository as owner/name when TIE_EDITOR=1, got {settings.editor_repo!r}")
    if not settings.secure_origin:
        raise SettingsError(f"TIE_SITE_URL: expected an https:// address (plain http only on localhost), got {site_url}")
    return settings
