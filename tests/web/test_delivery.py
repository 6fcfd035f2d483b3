"""How the site's files travel (functions/web/delivery.py): gzip where the browser accepts it, a year for files named
by their content, revalidation for pages, the feed as Atom; the app's own answers neither compressed nor stored."""

from __future__ import annotations

import gzip
import re

import feedparser
import httpx
import pytest
from starlette.testclient import TestClient

from model.site import IMMUTABLE
from tests.factories import PeopleFactory, make_settings

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture
def client(tmp_path, built_site, smtp_server):
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, site_dir=built_site, smtp_url=smtp_server.url))
    with TestClient(app, base_url="https://testserver") as c:
        c.app_ = app
        yield c
    app.state.store.close()


def assets(html: str) -> list[str]:
    """The styles and scripts a page links, as addresses from /."""
    return ["/" + a.lstrip("./") for a in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)]


def raw(client, path: str, headers: dict) -> httpx.Response:
    """The response as sent, its body not decoded."""
    with client.stream("GET", path, headers=headers) as r:
        r.body = b"".join(r.iter_raw())
    return r


def test_pages_are_compressed_for_browsers_that_accept_gzip_and_revalidated(client):
    plain = raw(client, "/", PLAIN)
    packed = raw(client, "/", GZIP)
    assert "content-encoding" not in plain.headers and plain.body.lstrip().startswith(b"<!doctype html>")
    assert packed.headers["content-encoding"] == "gzip" and "accept-encoding" in packed.headers["vary"].lower()
    assert gzip.decompress(packed.body) == plain.body and len(packed.body) < len(plain.body) / 3
    for r in (plain, packed):
        assert r.headers["cache-control"] == "no-cache"
    assert packed.headers["etag"].startswith('W/"')  # the compressed body is not byte for byte the plain one
    again = client.get("/", headers={**GZIP, "If-None-Match": packed.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == "no-cache" and not again.content


def test_fingerprinted_styles_and_scripts_are_kept_for_a_year_and_compressed(client):
    linked = assets(client.get("/library/").text)
    assert any("/stylesheets/main." in a for a in linked) and any(re.search(r"/exchange\.[0-9a-f]{8}\.css$", a) for a in linked)
    for address in linked:
        r = raw(client, address, GZIP)
        assert r.status_code == 200 and r.headers["cache-control"] == IMMUTABLE, address
        compressed = r.headers.get("content-encoding") == "gzip"
        body = gzip.decompress(r.body) if compressed else r.body
        assert compressed or len(body) < 1024, address  # delivery.MINIMUM_SIZE: anything larger is compressed
    unnamed = client.get("/assets/exchange.css", headers=GZIP)  # the plain name, which the app's templates may link
    assert unnamed.status_code == 200 and unnamed.headers["cache-control"] == "no-cache"


def test_the_feed_is_served_as_atom_and_parses_with_languages_and_dates(client):
    r = client.get("/feed.xml", headers=GZIP)
    assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(r.content, response_headers={"content-type": r.headers["content-type"]})
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title_detail.language == "en"
    assert len(feed.entries) >= 5
    for entry in feed.entries:
        assert entry.title_detail.language == "en" and entry.summary_detail.language == "en", entry.id
        assert entry.updated_parsed and entry.published_parsed <= entry.updated_parsed, entry.id
        assert entry.link.startswith("https://") or entry.link.startswith("http://127.0.0.1")


def test_the_apps_answers_are_neither_compressed_nor_stored(client):
    for path in ("/app/sign-in", "/api/openapi.json"):
        r = raw(client, path, GZIP)
        assert r.status_code == 200 and "content-encoding" not in r.headers, path
        assert r.headers["cache-control"] == "no-store", path


def test_signed_in_pages_are_not_stored_but_fingerprinted_files_keep_their_year(client):
    people = PeopleFactory(client.app_)
    people.sign_in(client, people.add("ada@aberdeencity.gov.uk"))
    page = client.get("/library/", headers=GZIP)
    assert page.headers["cache-control"] == "no-store"
    for address in assets(page.text):
        assert client.get(address).headers["cache-control"] == IMMUTABLE, address


def test_tie_serve_answers_with_gzip_and_cache_headers(served):
    home = httpx.get(served.url + "/", headers=GZIP)
    assert home.headers["content-encoding"] == "gzip" and home.headers["cache-control"] == "no-cache"
    assert "<!doctype html>" in home.text
    css = next(a for a in assets(home.text) if "/stylesheets/main." in a)
    style = httpx.get(served.url + css, headers=GZIP)
    assert style.headers["content-encoding"] == "gzip" and style.headers["cache-control"] == IMMUTABLE
    assert httpx.get(served.url + "/", headers=PLAIN).headers.get("content-encoding") is None
