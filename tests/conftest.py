"""Fixtures named for what they give: real SQLite files and the real PostgreSQL, a real SMTP server,
a real build of the example content, the real app on a real port, and real Chromium."""

from __future__ import annotations

import hashlib
import os
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from functions.settings import ROOT, Settings
from tests.factories import (
    COUNCILS,
    EXAMPLES,
    PG_ADMIN_URL,
    TIE,
    PeopleFactory,
    example_edition,
    free_port,
    make_settings,
    run_live,
)

CHROMIUM = os.environ.get("TIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path)


# -- databases ---------------------------------------------------------------------------------


def _pg_connect(url: str):
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as err:
        pytest.fail(f"PostgreSQL at {url} is not reachable ({str(err).splitlines()[0]}); the store tests need it", pytrace=False)


def _pg_database(template: str | None = None):
    """A new PostgreSQL database (a copy of `template`, or empty) for one test, dropped afterwards."""
    name = "tie_test_" + secrets.token_hex(6)
    admin = _pg_connect(PG_ADMIN_URL)
    admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def migrated_template() -> str:
    """A PostgreSQL database with every migration applied, made once for these migrations and kept:
    copying it is much faster than migrating a database for every test. Its name carries a hash of the
    migrations, so a changed migration makes a new one; it is published by renaming, under a lock, so
    that test runs side by side never copy one half made."""
    from functions.store import MIGRATIONS, Store

    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.glob("*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    name = f"tie_template_{digest.hexdigest()[:16]}"
    admin = _pg_connect(PG_ADMIN_URL)
    try:
        admin.execute("SELECT pg_advisory_lock(7310003)")
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            building = name + "_building"
            admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{building}"')
            store = Store(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{building}")
            try:
                store.migrate()
            finally:
                store.close()
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        admin.execute("SELECT pg_advisory_unlock(7310003)")
    finally:
        admin.close()
    return name


@pytest.fixture
def postgres_url(migrated_template):
    """A new PostgreSQL database for one test, with every migration applied, dropped afterwards."""
    yield from _pg_database(migrated_template)


@pytest.fixture
def empty_postgres_url():
    """A new, empty PostgreSQL database for one test (for tests of the migrations themselves), dropped afterwards."""
    yield from _pg_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """Each store test runs twice: on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture
def fresh_store(store_url):
    """A migrated, empty store (SQLite and PostgreSQL in turn)."""
    from functions.store import Store

    store = Store(store_url)
    store.migrate()
    yield store
    store.close()


# -- mail --------------------------------------------------------------------------------------


@dataclass
class SmtpServer:
    """A real SMTP server on loopback that keeps what it receives."""

    host: str
    port: int
    messages: list = field(default_factory=list)
    envelopes: list = field(default_factory=list)  # (sender, [recipients]) as the SMTP conversation gave them, one per message

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def wait_for(self, count: int, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"expected {count} message(s), got {len(self.messages)}"
        return self.messages


@pytest.fixture
def smtp_server():
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    server = SmtpServer("127.0.0.1", free_port())

    class Handler:
        async def handle_DATA(self, _server, _session, envelope):
            server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            server.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    controller = Controller(Handler(), hostname=server.host, port=server.port)
    controller.start()
    yield server
    controller.stop()


# -- the app -----------------------------------------------------------------------------------


@pytest.fixture
def app(settings, smtp_server):
    """The app on a fresh SQLite file, sending mail to the real SMTP server."""
    from functions.app import create_app

    app = create_app(settings.with_(smtp_url=smtp_server.url))
    yield app
    app.state.store.close()


@pytest.fixture
def client(app):
    from starlette.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as c:
        yield c


@dataclass
class LiveServer:
    url: str
    app: object
    settings: Settings


# -- the built site ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The example content built once for the session by the real `tie build` (MkDocs strict, the search index)."""
    from generator.build import build
    from generator.content.library import load

    tmp = tmp_path_factory.mktemp("built")
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    assert not lib.problems, [str(p) for p in lib.problems]
    site = tmp / "site"
    build(lib, ROOT, tmp / "build" / "docs", site, EXAMPLES / "content")
    return site


BENCHMARK_NIGHT = 1_796_000_000  # 2026-11-29: when the demo package's night ran


@pytest.fixture(scope="session")
def benchmark_package(tmp_path_factory) -> Path:
    """A demo benchmark package, made once: `tie demo`'s data in a temporary SQLite file (the example questionnaire),
    then one night of `tie nightly --demo` (functions.benchmarks.nightly.run). Gives the package's folder."""
    from functions.benchmarks import nightly
    from functions.demo import data
    from functions.store import Store
    from model import questionnaire, register

    tmp = tmp_path_factory.mktemp("benchmarks")
    editions, _ = questionnaire.load_all(EXAMPLES / "questionnaire")
    reg = register.load(COUNCILS)
    store = Store(f"sqlite:///{tmp / 'demo.sqlite3'}")
    try:
        store.migrate()
        data.fill(store, reg, questionnaire.latest(editions), BENCHMARK_NIGHT)
        nightly.run(store, reg, editions, tmp / "package", now=BENCHMARK_NIGHT, allow_demo=True)
    finally:
        store.close()
    return tmp / "package"


@pytest.fixture(scope="session")
def benchmark_site(tmp_path_factory, benchmark_package) -> Path:
    """The example content built once by the real `tie build` command with TIE_BENCHMARKS_DIR at the demo package
    (and no database: the package alone says it is synthetic)."""
    tmp = tmp_path_factory.mktemp("benchmark-site")
    env = {key: value for key, value in os.environ.items() if not key.startswith("TIE_")} | {
        "TIE_DATA_DIR": str(tmp / "data"),
        "TIE_CONTENT_DIR": str(EXAMPLES / "content"),
        "TIE_QUESTIONNAIRE_DIR": str(EXAMPLES / "questionnaire"),
        "TIE_COUNCILS": COUNCILS,
        "TIE_SITE_DIR": str(tmp / "site"),
        "TIE_BUILD_DIR": str(tmp / "build"),
        "TIE_BENCHMARKS_DIR": str(benchmark_package),
    }
    run = subprocess.run([str(TIE), "build"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    return tmp / "site"


@pytest.fixture
def live_server(tmp_path, built_site, smtp_server):
    """The app serving the built example site on a real port of 127.0.0.1, mail to the SMTP server."""
    from functions.app import create_app

    port = free_port()
    settings = make_settings(
        tmp_path, site_url=f"http://127.0.0.1:{port}", port=port, site_dir=built_site, smtp_url=smtp_server.url
    )
    app = create_app(settings)
    server, thread = run_live(app, port)
    yield LiveServer(f"http://127.0.0.1:{port}", app, settings)
    server.should_exit = True
    thread.join(timeout=5)
    app.state.store.close()


# -- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; .ci/run installs Debian's chromium package", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


# -- people, councils and sessions -------------------------------------------------------------


@pytest.fixture(scope="session")
def edition():
    """The example questionnaire's 2026 edition."""
    return example_edition()


@pytest.fixture
def people(app) -> PeopleFactory:
    return PeopleFactory(app)


# -- a library long enough to run to a second page -----------------------------------------------

EXTRA_RESOURCES = 55  # with the examples, more than one listing page (listings.PAGE_SIZE is 50)
# A table wider than a phone, in the first of them (/guidance/practice-note-00/): it must scroll in a region a keyboard reaches.
WIDE_TABLE = (
    "\n## Recommendations tracker\n\n| Source | Recommendation | Priority | Owner | Agreed date | Status | Revised date and reason |\n"
    "|---|---|---|---|---|---|---|\n| Internal audit | Review the register | High | Head of audit | 1 May | Open | None yet |\n"
)


@pytest.fixture(scope="session")
def library_site(tmp_path_factory) -> Path:
    """The example content plus EXTRA_RESOURCES guidance resources, built once by the real build."""
    import shutil

    from generator.build import build
    from generator.content.library import load

    tmp = tmp_path_factory.mktemp("library")
    content = tmp / "content"
    shutil.copytree(EXAMPLES / "content", content)
    themes = ["place-and-priorities", "leadership-of-place", "financial-planning", "governance", "capacity-to-deliver"]
    for n in range(EXTRA_RESOURCES):
        (content / "guidance" / f"practice-note-{n:02d}.md").write_text(
            f"---\ntitle: Practice note {n:02d}\nsummary: A short note on good practice, number {n}.\n"
            f"themes: [{themes[n % len(themes)]}]\npublished: 2026-03-{n % 28 + 1:02d}\nreview_by: 2027-03-01\n"
            "contact:\n  name: Practice team\n  email: practice@example.gov.uk\nlicence: OGL-UK-3.0\n---\n"
            f"## What to do\n\nStep {n}, described.\n" + (WIDE_TABLE if n == 0 else ""),
            encoding="utf-8",
        )
    lib = load(content, EXAMPLES / "questionnaire", COUNCILS)
    assert not lib.problems, [str(p) for p in lib.problems]
    build(lib, ROOT, tmp / "build" / "docs", tmp / "site", content)
    return tmp / "site"


@pytest.fixture(scope="session")
def library_server(tmp_path_factory, library_site):
    """The app serving library_site on a real port, with its Content Security Policy; mail to an outbox."""
    from functions.app import create_app

    port = free_port()
    settings = make_settings(
        tmp_path_factory.mktemp("library-app"), site_url=f"http://127.0.0.1:{port}", port=port, site_dir=library_site
    )
    app = create_app(settings)
    server, thread = run_live(app, port)
    yield LiveServer(f"http://127.0.0.1:{port}", app, settings)
    server.should_exit = True
    thread.join(timeout=5)
    app.state.store.close()


# -- `tie serve`, as `make run` starts it ------------------------------------------------------------

@dataclass
class Served:
    url: str
    process: subprocess.Popen
    data: Path  # its TIE_DATA_DIR: the SQLite file and the outbox
    env: dict[str, str]  # its environment, for running other `tie` commands on the same Exchange

    def tie(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(TIE), *args], env=self.env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def served(tmp_path, built_site):
    """`tie serve` in a process of its own, on a free port, with the embedded defaults (SQLite, the outbox)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TIE_")} | {
        "PORT": str(port),
        "TIE_DATA_DIR": str(tmp_path / "data"),
        "TIE_SITE_DIR": str(built_site),
        "TIE_COUNCILS": COUNCILS,
    }
    process = subprocess.Popen([str(TIE), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/api/health", timeout=1)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _, err = process.communicate()
                pytest.fail(f"tie serve did not start on port {port}: {err.strip()}", pytrace=False)
            time.sleep(0.1)
    yield Served(base, process, tmp_path / "data", env)
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- tiers ---------------------------------------------------------------------------------------

# What makes a test slow: real Chromium, a real build of the site, `tie serve` in a process of its own.
SLOW_FIXTURES = {"browser", "page", "no_js_page", "built_site", "library_site", "benchmark_site", "benchmark_package", "live_server", "library_server", "served", "site"}
SLOW_FILES = {"test_authorisation_state_machine.py", "test_build_scale.py", "test_decap.py", "test_editorial.py",
              "test_intruder.py", "test_disclosure_properties.py"}


def pytest_collection_modifyitems(config, items):
    """Mark each test with what it needs, so that `make test-fast` (-m "not slow") can leave out the slow tier."""
    for item in items:
        path = Path(str(item.fspath))
        if "browser" in path.parts or "page" in item.fixturenames or "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        if {"postgres_url", "empty_postgres_url"} & set(item.fixturenames):
            item.add_marker(pytest.mark.postgres)
        if "browser" in path.parts or path.name in SLOW_FILES or SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
