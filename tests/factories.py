"""What tests build their cases from: the example content, settings, people in councils, the form token,
the example questionnaire, axe-core's findings. Fixtures (tests/conftest.py) give these per test;
tests import the plain helpers from here."""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from functions.settings import ROOT, Settings

EXAMPLES = Path(__file__).parent / "examples"
COUNCILS = str((ROOT / ".." / "shared" / "data" / "uk-councils" / "datapackage.json").resolve())
PG_ADMIN_URL = os.environ.get("TIE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

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


@lru_cache(maxsize=1)
def example_edition():
    """The example questionnaire's 2026 edition, read and checked once."""
    from model.questionnaire import load_all

    editions, problems = load_all(EXAMPLES / "questionnaire")
    assert not problems, [str(p) for p in problems]
    return editions["2026"]


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


def form_token(client) -> str:
    """The form token for the test client, fetching a page to get one if it has none yet."""
    from functions.web.security import CSRF_COOKIE

    token = client.cookies.get(CSRF_COOKIE)
    if not token:
        client.get("/app/sign-in")
        token = client.cookies.get(CSRF_COOKIE)
    assert token, "the app did not set a form token cookie"
    return token


FAST = os.environ.get("TIE_TEST_TIER") == "fast"  # `make test-fast`: the quick tier


def examples(n: int) -> int:
    """How many cases a property test tries: `n` in the full run, a tenth (at least 20) in the quick tier."""
    return max(20, n // 10) if FAST else n
