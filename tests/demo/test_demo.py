"""`tie demo`: synthetic published responses in a database of their own, a banner on every page, one more night."""

from __future__ import annotations

import os
import subprocess
from collections import Counter

import pytest

from functions.assessment import rounds
from functions.consensus import site as site_data
from functions.consensus import store as consensus
from functions.demo import data
from functions.demo import store as demo
from functions.demo.banner import with_banner
from functions.store import Store
from model import questionnaire, register
from tests.factories import COUNCILS, EXAMPLES, TIE, make_settings

NOW = 1_796_000_000  # 2026-11-29


@pytest.fixture(scope="module")
def reg():
    return register.load(COUNCILS)


@pytest.fixture(scope="module")
def edition():
    editions, _ = questionnaire.load_all(EXAMPLES / "questionnaire")
    return questionnaire.latest(editions)


def with_a_real_round(store) -> None:
    with store.transaction() as tx:
        rounds.open_round(tx, "ABE", "2026", None, NOW)


def tie_demo(database_url: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIE_")} | {
        "TIE_DATABASE_URL": database_url,
        "TIE_DATA_DIR": str(tmp_path / "data"),
        "TIE_COUNCILS": COUNCILS,
        "TIE_QUESTIONNAIRE_DIR": str(EXAMPLES / "questionnaire"),
    }
    return subprocess.run([str(TIE), "demo", *args], env=env, capture_output=True, text=True, timeout=120)


def test_tie_demo_refuses_a_database_with_real_responses_and_changes_nothing(store_url, tmp_path):
    store = Store(store_url)
    store.migrate()
    with_a_real_round(store)
    result = tie_demo(store_url, tmp_path)
    assert result.returncode == 1
    assert "holds 1 real round(s) and response(s)" in result.stderr and "a database of its own" in result.stderr
    with store.transaction(write=False) as tx:
        assert not demo.holds_demo(tx)
        assert tx.value("SELECT COUNT(*) FROM rounds") == 1
        assert tx.value("SELECT COUNT(*) FROM consensus_responses") == 0
    store.close()
    night = tie_demo(store_url, tmp_path, "--night")
    assert night.returncode == 1 and "real round" in night.stderr


def test_marking_a_database_with_real_responses_as_demo_is_refused(fresh_store, reg, edition):
    with_a_real_round(fresh_store)
    with pytest.raises(demo.HoldsRealResponses):
        data.fill(fresh_store, reg, edition, NOW, limit=3)
    with fresh_store.transaction(write=False) as tx:
        assert not demo.holds_demo(tx) and tx.value("SELECT COUNT(*) FROM rounds") == 1  # rolled back whole


def test_a_demo_is_marked_and_published_through_the_consensus_and_a_night_changes_fewer_than_ten(fresh_store, reg, edition):
    report = data.fill(fresh_store, reg, edition, NOW, limit=20)
    assert report.councils == 20 and report.responses >= 20
    with fresh_store.transaction(write=False) as tx:
        assert demo.get(tx).nights == 0
        assert demo.real_rounds(tx) == 0
        years = {r["year"] for r in tx.all("SELECT year FROM rounds")}
        assert years == {2025, 2026}
        statuses = {r["status"] for r in tx.all("SELECT status FROM rounds")}
        assert statuses == {rounds.PUBLISHED}
        public = consensus.public_responses(tx)
    assert public and all(len(r.answers) > 0 for r in public)
    night = data.night(fresh_store, reg, edition, NOW + 86_400)
    changed = night.joined + night.revised + night.withdrawn
    assert night.night == 1 and 0 < len(changed) < 10
    with fresh_store.transaction(write=False) as tx:
        assert demo.get(tx).nights == 1
        for code in night.withdrawn:
            assert code not in {r.council for r in consensus.public_responses(tx)}


def test_the_full_demo_covers_most_councils_every_type_and_region_and_every_sharing_choice(tmp_path, reg, edition):
    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    store.migrate()
    report = data.fill(store, reg, edition, NOW)
    with store.transaction(write=False) as tx:
        taking_part = {r["council"] for r in tx.all("SELECT DISTINCT council FROM rounds")}
        sharing = Counter(r["sharing"] for r in tx.all("SELECT sharing FROM consensus_responses"))
        versions = tx.value("SELECT MAX(version) FROM consensus_responses")
    store.close()
    assert len(taking_part) > 0.75 * len(reg.councils)
    assert {(c.type, c.region) for c in reg.councils.values()} == {(reg.get(code).type, reg.get(code).region) for code in taking_part}
    assert set(sharing) == {"council", "similar", "public"} and min(sharing.values()) > 30
    assert versions >= 2 and report.republished > 0


def test_the_build_reads_public_responses_and_the_demo_mark_only_from_a_configured_database(tmp_path, reg, edition):
    settings = make_settings(tmp_path)
    assert site_data.read(settings).responses == {}
    assert not (tmp_path / "data" / "test.sqlite3").exists()  # the build never makes a database
    store = Store(settings.database_url)
    store.migrate()
    data.fill(store, reg, edition, NOW, limit=30)
    with store.transaction(write=False) as tx:
        public = {r.council for r in consensus.public_responses(tx)}
    store.close()
    found = site_data.read(settings)
    assert found.demo and set(found.responses) == public


def test_every_page_served_from_a_demo_database_carries_the_banner(tmp_path, reg, edition, built_site):
    from starlette.testclient import TestClient

    from functions.app import create_app

    settings = make_settings(tmp_path, site_dir=built_site)
    plain = create_app(settings)
    with TestClient(plain, base_url="https://testserver") as client:
        assert "data-tie-demo-bar" not in client.get("/").text
    data.fill(plain.state.store, reg, edition, NOW, limit=2)
    plain.state.store.close()
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        for address in ("/", "/councils/abe/", "/library/", "/app/sign-in", "/no-such-page/"):
            for encoding in ("identity", "gzip"):  # the banner goes in before the page is compressed
                response = client.get(address, headers={"Accept-Encoding": encoding})
                assert response.text.count("data-tie-demo-bar") == 1, (address, encoding)
                assert int(response.headers["content-length"]) == response.num_bytes_downloaded, (address, encoding)
        assert "data-tie-demo-bar" not in client.get("/assets/exchange.css").text
    app.state.store.close()


def test_a_database_filled_by_tie_demo_while_the_app_runs_shows_the_banner_on_the_next_page(tmp_path, reg, edition):
    from starlette.testclient import TestClient

    from functions.app import create_app

    settings = make_settings(tmp_path)
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as client:
        assert "data-tie-demo-bar" not in client.get("/app/sign-in").text
        other = Store(settings.database_url)  # `tie demo`, run beside the app on the same database
        data.fill(other, reg, edition, NOW, limit=2)
        other.close()
        assert client.get("/app/sign-in").text.count("data-tie-demo-bar") == 1  # the next page says so: no restart
    app.state.store.close()


def test_a_page_built_with_its_own_demo_notice_gets_no_second_one():
    from generator.pages.councils import demo_banner

    page = f'<html><body><h1>Aberdeen City</h1>{demo_banner()}<p>Context</p></body></html>'.encode()
    assert with_banner(page) == page and with_banner(page).count(b"Demo data.") == 1
    plain = b"<html><body><p>data-tie-demo is only words here</p></body></html>"
    assert with_banner(plain).count(b"Demo data.") == 1  # words are not a notice


def test_the_banner_goes_just_inside_the_body_once():
    page = b'<html><body class="x"><a href="#main">Skip</a></body></html>'
    once = with_banner(page)
    assert once.startswith(b'<html><body class="x"><aside class="tie-demo-bar"') and with_banner(once) == once
