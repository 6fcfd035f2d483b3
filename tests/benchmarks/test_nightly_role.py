"""The nightly job's PostgreSQL role, made by the SQL in docs/operating.md: it can do the night's work and nothing more."""

import re

import psycopg
import pytest

from functions.benchmarks import nightly
from functions.demo import data
from functions.store import Store
from model.register import load
from tests.factories import COUNCILS, ROOT, example_edition

T0 = 1_780_000_000
ROLE = "tie_nightly_test"


def role_sql(database: str) -> list[str]:
    """The statements of the operating guide's role block, for this test's database and role."""
    text = (ROOT / "docs" / "operating.md").read_text(encoding="utf-8")
    block = re.search(r"```sql\n(CREATE ROLE tie_nightly.*?)```", text, re.S).group(1)
    block = block.replace("tie_nightly", ROLE).replace("DATABASE exchange", f'DATABASE "{database}"')
    lines = [line for line in block.splitlines() if not line.startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


@pytest.fixture
def role_url(postgres_url):
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone():
            admin.execute(f"DROP OWNED BY {ROLE}")  # left by a run that stopped halfway, in another database
            admin.execute(f"DROP ROLE {ROLE}")
        for statement in role_sql(database):
            admin.execute(statement)
    yield postgres_url.replace("postgres@", f"{ROLE}:x@", 1)
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"DROP OWNED BY {ROLE}")
        admin.execute(f"DROP ROLE {ROLE}")


@pytest.mark.slow
def test_the_nightly_role_runs_the_night_and_cannot_read_free_text_or_change_responses(postgres_url, role_url, tmp_path):
    owner = Store(postgres_url)
    register = load(COUNCILS)
    data.fill(owner, register, example_edition(), T0, limit=60)
    owner.close()
    store = Store(role_url, pool_size=1)
    try:
        assert store.pending() == []
        out = nightly.run(store, register, {"2026": example_edition()}, tmp_path / "b", now=T0 + 86_400, allow_demo=True)
        assert out.release == 1 and (tmp_path / "b" / "stages.csv").is_file()
    finally:
        store.close()
    with psycopg.connect(role_url, autocommit=True) as conn:
        for forbidden in (
            "SELECT rationale FROM consensus_answers",
            "SELECT published_by FROM consensus_responses",
            "SELECT email FROM people",
            "SELECT person_id FROM memberships",
            "UPDATE consensus_responses SET sharing = 'public'",
            "DELETE FROM benchmark_figures",
            "UPDATE benchmark_releases SET version = '9.9.9'",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(forbidden)
