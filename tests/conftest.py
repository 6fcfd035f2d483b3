"""Fixtures named for what they give: real SQLite files and the real PostgreSQL, a real SMTP server,
a real build of the example content, the real app on a real port, and real Chromium."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from functions.settings import ROOT, Settings

EXAMPLES = Path(__file__).parent / "examples"
COUNCILS = str((ROOT / ".." / "shared" / "data" / "uk-councils" / "datapackage.json").resolve())
PG_ADMIN_URL = os.environ.get("TIE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_settings(tmp: Path, **changes) -> Settings:
    """Settings for a test: the example content and questionnaire, a private data folder."""
    values = dict(
        root=ROOT,
        database_url=f"sqlite:///{tmp / 'data' / 'test.sqlite3'}",
        councils=COUNCILS,
        site_url="https://testserver",
        port=8000,
        secret_key="test-secret-" + secrets.token_hex(8),
        data_dir=tmp / "data",
        site_dir=tmp / "site",
        build_dir=tmp / "build",
        content_dir=EXAMPLES / "content",
        questionnaire_dir=EXAMPLES / "questionnaire",
        echo_mail=False,
    )
    values.update(changes)
    return Settings(**values)


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


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    name = "tie_test_" + secrets.token_hex(6)
    admin = _pg_connect(PG_ADMIN_URL)
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


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


def run_live(app, port: int):
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the app did not start"
    return server, thread


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


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}},
    )
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "nodes": [n.get("target") for n in v.get("nodes", [])][:5],
            "help": v.get("help"),
        }
        for v in result.response["violations"]
    ]


# -- people, councils and sessions -------------------------------------------------------------


@dataclass
class PeopleFactory:
    """Makes people, puts them in councils and signs them in, straight through the store."""

    app: object

    def add(self, email: str, council: str | None = None, role: str = "member", operator: bool = False):
        from functions.councils import memberships
        from functions.people import store as people

        store, now = self.app.state.store, self.app.state.clock.now()
        with store.transaction() as tx:
            person, _ = people.find_or_create(tx, email, now)
            if operator:
                people.set_operator(tx, person.id, True)
            if council:
                memberships.add(tx, person.id, council, role, "operator", now)
            return people.by_id(tx, person.id)

    def join(self, person, council: str, role: str = "member") -> None:
        from functions.councils import memberships

        with self.app.state.store.transaction() as tx:
            memberships.add(tx, person.id, council, role, "invitation", self.app.state.clock.now())

    def session(self, person, second_factor: bool = False) -> str:
        """A new session for the person; returns the cookie's value."""
        from functions.people import sessions

        state = self.app.state
        with state.store.transaction() as tx:
            token, session = sessions.create(tx, state.settings.secret_key, person.id, state.clock.now())
            if second_factor:
                sessions.mark_second_factor(tx, session.id, state.clock.now())
        return token

    def sign_in(self, client, person, second_factor: bool = False) -> str:
        """Sign the test client in as the person (replacing any session cookie it had)."""
        from functions.web.security import SESSION_COOKIE

        token = self.session(person, second_factor)
        client.cookies.set(
            SESSION_COOKIE, token, domain="testserver.local", path="/"
        )  # where httpx keeps the cookies of a dotless host
        return token


@pytest.fixture
def people(app) -> PeopleFactory:
    return PeopleFactory(app)


def form_token(client) -> str:
    """The form token for the test client, fetching a page to get one if it has none yet."""
    from functions.web.security import CSRF_COOKIE

    token = client.cookies.get(CSRF_COOKIE)
    if not token:
        client.get("/app/sign-in")
        token = client.cookies.get(CSRF_COOKIE)
    assert token, "the app did not set a form token cookie"
    return token


# -- a library long enough to run to a second page -----------------------------------------------

EXTRA_RESOURCES = 55  # with the examples, more than one listing page (listings.PAGE_SIZE is 50)


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
            f"## What to do\n\nStep {n}, described.\n",
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

TIE = Path(sys.executable).parent / "tie"


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


# What the boundary and target check looks at: every control a person types into or chooses with.
CONTROL_CHECK = """() => {
  const parse = text => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = el => {  // the colour around the control: its ancestors' backgrounds, composited
    const layers = [];
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    return layers.reverse().reduce((below, c) => over(c, below), {r: 255, g: 255, b: 255, a: 1});
  };
  const show = c => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
  const name = el => el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}[name=${el.name}]`;
  const problems = [];
  const selector = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), textarea, select';
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!el.getClientRects().length || style.visibility === 'hidden' || el.closest('[aria-hidden="true"]') || box.right < 0) continue;
    const outside = behind(el);
    const own = over(parse(style.backgroundColor) || {r: 0, g: 0, b: 0, a: 0}, outside);
    const sides = ['top', 'right', 'bottom', 'left'].map(side => {
      const width = parseFloat(style.getPropertyValue(`border-${side}-width`));
      const line = style.getPropertyValue(`border-${side}-style`);
      const colour = over(parse(style.getPropertyValue(`border-${side}-color`)), outside);
      return width >= 1 && line !== 'none' && line !== 'hidden' ? ratio(colour, outside) : 0;
    });
    const border = Math.min(...sides);
    const fill = ratio(own, outside);
    if (border < 3 && fill < 3) {
      problems.push(`${name(el)}: boundary ${border.toFixed(2)}:1 (border ${style.borderTopWidth} ${style.borderTopColor}, `
        + `fill ${show(own)}) against ${show(outside)}; expected at least 3:1`);
    }
    if (box.width < 23.5 || box.height < 23.5) {
      problems.push(`${name(el)}: target ${box.width.toFixed(1)} by ${box.height.toFixed(1)} CSS px; expected at least 24 by 24`);
    }
  }
  return problems;
}"""


def control_problems(page) -> list[str]:
    """Every visible form control (text box, textarea, select, radio, checkbox) whose boundary has less than 3:1
    contrast against what surrounds it (WCAG 2.2 1.4.11), or whose target is under 24 by 24 CSS px (2.5.8),
    computed from the styles Chromium applies. A native radio or checkbox, drawn by the browser and not by
    the page's styles, has no computed boundary, so it counts as having none."""
    return page.evaluate(CONTROL_CHECK)
