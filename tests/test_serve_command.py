"""`tie serve`, as `make run` starts it: one process serving the built site and the app on the port asked for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import COUNCILS, free_port

TIE = Path(sys.executable).parent / "tie"


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
                out, err = process.communicate()
                pytest.fail(f"tie serve did not start on port {port}: {err.strip()}", pytrace=False)
            time.sleep(0.1)
    yield base, process, tmp_path / "data"
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_tie_serve_serves_the_home_page_the_library_and_a_resource_page_on_the_port_asked_for(served):
    base, _, _ = served
    for address, heading in (
        ("/", "Transformation and Innovation Exchange"),
        ("/library/", "Library"),
        ("/tools/reserves-checklist/", "Reserves policy checklist"),
    ):
        reply = httpx.get(base + address)
        assert reply.status_code == 200, address
        assert reply.headers["content-type"].startswith("text/html")
        assert heading in reply.text, address
        assert "'unsafe-inline'" not in reply.headers["content-security-policy"].split("script-src")[1].split(";")[0]


def test_tie_serve_answers_the_app_on_the_same_port_with_an_embedded_database(served):
    base, _, data = served
    health = httpx.get(base + "/api/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert (data / "exchange.sqlite3").is_file()
    assert httpx.get(base + "/app/sign-in").status_code == 200


def test_tie_serve_says_where_it_runs_and_where_mail_goes_then_stops_cleanly_on_ctrl_c(served):
    base, process, data = served
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    err = process.stderr.read()
    assert f"The Exchange is running on {base}/" in err
    assert f"mail is written to {data / 'outbox'}" in err
    assert "Traceback" not in err
