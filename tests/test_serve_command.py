"""`tie serve`, as `make run` starts it: one process serving the built site and the app on the port asked for."""

from __future__ import annotations

import signal
import subprocess

import httpx
import pytest

from tests.factories import TIE, free_port


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


def _serving(tmp_path, **changes):
    """The app as `tie serve` runs it (uvicorn with serve's options), on a real port of 127.0.0.1."""
    import threading
    import time

    import uvicorn

    from functions.app import create_app
    from functions.commands import serve
    from tests.factories import free_port, make_settings

    port = free_port()
    settings = make_settings(tmp_path, site_url=f"http://127.0.0.1:{port}", port=port, **changes)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", **serve.uvicorn_options(settings, "127.0.0.1")))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    return app, server, thread, f"http://127.0.0.1:{port}"


def _suggest(base: str, client: str) -> int:
    data = {"page": "/", "message": "More examples, please."}
    return httpx.post(base + "/app/feedback/suggestion", data=data, headers={"Sec-Fetch-Site": "same-origin", "X-Forwarded-For": client}).status_code


def _limited_together(base: str, first: str, second: str) -> bool:
    """Whether `second` is refused once `first` has used up the per-client feedback limit."""
    from functions.feedback import submission

    assert all(_suggest(base, first) == 200 for _ in range(submission.TEXTS.hits))
    assert _suggest(base, first) == 429
    return _suggest(base, second) == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_limits_and_an_ipv6_client_is_its_slash_64(tmp_path):
    """Behind a reverse proxy every client connected from the proxy's address, so everyone shared one
    client's limits. With the proxy named in TIE_TRUSTED_PROXIES its X-Forwarded-For is believed."""
    app, server, thread, base = _serving(tmp_path, trusted_proxies=("127.0.0.1",))
    try:
        assert not _limited_together(base, "203.0.113.9", "198.51.100.7")
        assert _limited_together(base, "2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")  # one /64: one client
        assert _suggest(base, "2001:db8:1:3::1") == 200  # the next /64 is another
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        app.state.store.close()


def test_with_no_trusted_proxy_a_forwarded_address_is_not_believed(tmp_path):
    app, server, thread, base = _serving(tmp_path)
    try:
        assert _limited_together(base, "203.0.113.9", "198.51.100.7")  # both are 127.0.0.1, who wrote what it liked
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        app.state.store.close()


def test_a_client_is_counted_by_its_ipv4_address_or_its_ipv6_slash_64():
    from types import SimpleNamespace

    from functions.web.ratelimit import client_key

    def key(host):
        return client_key(SimpleNamespace(client=SimpleNamespace(host=host) if host else None))

    assert key("203.0.113.9") == "203.0.113.9"
    assert key("2001:db8:1:2::1") == key("2001:DB8:1:2:ffff::") == "2001:db8:1:2::/64"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("::ffff:203.0.113.9") == "203.0.113.9"
    assert key("fe80::1%eth0") == "fe80::/64"
    assert key("testclient") == "testclient" and key(None) == "unknown"


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
