"""`tie serve`, as `make run` starts it: one process serving the built site and the app on the port asked for."""

from __future__ import annotations

import signal
import subprocess

import httpx
import pytest

from tests.conftest import TIE, free_port


def test_tie_serve_serves_the_home_page_the_library_and_a_resource_page_on_the_port_asked_for(served):
    base = served.url
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
    base, data = served.url, served.data
    health = httpx.get(base + "/api/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert (data / "exchange.sqlite3").is_file()
    assert httpx.get(base + "/app/sign-in").status_code == 200


def test_tie_serve_says_where_it_runs_and_where_mail_goes_then_stops_cleanly_on_ctrl_c(served):
    base, process, data = served.url, served.process, served.data
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    err = process.stderr.read()
    assert f"The Exchange is running on {base}/" in err
    assert f"mail is written to {data / 'outbox'}" in err
    assert "Traceback" not in err


def _tie_serve(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(TIE), "serve"], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://mail.example.org:notaport", "smtp://"])
def test_a_bad_smtp_url_is_one_clear_line_and_exit_2(served, url):
    done = _tie_serve(served.env | {"TIE_SMTP_URL": url, "PORT": str(free_port())})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "tie serve: TIE_SMTP_URL: expected smtp://user:password@host:port or smtps://host:port, with a port that is a number"
    ]


def test_a_port_in_use_is_one_clear_line_and_exit_2_before_saying_it_runs(served):
    done = _tie_serve(served.env)  # the same port as the Exchange already serving
    port = served.url.rsplit(":", 1)[1]
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"tie serve: port {port} on 127.0.0.1 is in use (another program, or the Exchange already running); "
        "stop it, or choose another port with PORT="
    ]
