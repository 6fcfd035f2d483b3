"""The built site as search engines and browsers expect it: a sitemap of every page by its absolute address, a
canonical link and a description of its own on each page, robots.txt, favicon.ico, fingerprinted assets and the
cache rules static hosts read from _headers."""

from __future__ import annotations

import hashlib
import re
import struct
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from functions.settings import ROOT
from generator.build import build
from generator.content.library import load
from model.site import FINGERPRINT_LENGTH, FINGERPRINTED, IMMUTABLE
from tests.factories import COUNCILS, EXAMPLES

SITE_URL = "https://exchange.example"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
NOINDEX = '<meta name="robots" content="noindex">'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example content built for a configured site address."""
    tmp = tmp_path_factory.mktemp("crawlable")
    lib = load(EXAMPLES / "content", EXAMPLES / "questionnaire", COUNCILS)
    build(lib, ROOT, tmp / "build" / "docs", tmp / "site", EXAMPLES / "content", site_url=SITE_URL)
    return tmp / "site"


def address_of(site, page) -> str:
    """The address a built page is served at."""
    rel = page.relative_to(site).as_posix()
    return "/" + rel.removesuffix("index.html") if rel.endswith("index.html") else "/" + rel


def indexed_pages(site) -> dict[str, str]:
    """Every built page meant for search engines, {address: HTML}: all but the 404 page and those marked noindex
    (the app's page shell, the pages left at moved addresses)."""
    pages = {}
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if page.relative_to(site).as_posix() != "404.html" and NOINDEX not in html:
            pages[address_of(site, page)] = html
    return pages


def sitemap(site) -> list[str]:
    root = ET.parse(site / "sitemap.xml").getroot()
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_every_page_by_its_absolute_address_on_the_configured_site(site):
    locations = sitemap(site)
    assert len(locations) == len(set(locations))
    for url in locations:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("https", "exchange.example") and url.startswith(SITE_URL + "/"), url
    pages = indexed_pages(site)
    assert len(pages) > 40 and "/" in pages and "/guidance/budget-consultation/" in pages
    assert sorted(urlsplit(url).path for url in locations) == sorted(pages)


def test_the_sitemap_dates_resources_by_their_last_change_and_nothing_else(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    dated = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in root.iter(f"{SITEMAP}url")}
    assert dated[SITE_URL + "/guidance/budget-consultation/"].text == "2026-01-10"  # its published date
    assert dated[SITE_URL + "/library/"] is None


def test_every_page_names_its_own_canonical_address_and_the_app_shell_none(site):
    for address, html in indexed_pages(site).items():
        assert CANONICAL.findall(html) == [SITE_URL + address], address
    shell = (site / "_tie" / "shell" / "index.html").read_text(encoding="utf-8")
    assert NOINDEX in shell and not CANONICAL.search(shell)


def test_every_page_has_a_description_of_its_own(site):
    descriptions = {}
    for address, html in indexed_pages(site).items():
        found = DESCRIPTION.findall(html)
        assert len(found) == 1 and len(found[0]) > 30, address
        descriptions.setdefault(found[0], []).append(address)
    shared = {d: a for d, a in descriptions.items() if len(a) > 1}
    assert not shared


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_app_and_api(site):
    robots = RobotFileParser()
    robots.parse((site / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert robots.site_maps() == [SITE_URL + "/sitemap.xml"]
    for path in ("/app/", "/app/sign-in", "/api/health"):
        assert not robots.can_fetch("Googlebot", SITE_URL + path), path
    for path in ("/", "/library/", "/guidance/budget-consultation/", "/sitemap.xml"):
        assert robots.can_fetch("Googlebot", SITE_URL + path), path


def test_favicon_ico_is_an_icon_that_every_page_links(site):
    icon = (site / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", icon[:6])
    assert (reserved, kind) == (0, 1) and count >= 2
    for n in range(count):
        width, _height, _, _, _, _, size, offset = struct.unpack("<BBBBHHII", icon[6 + 16 * n : 22 + 16 * n])
        image = icon[offset : offset + size]
        assert image.startswith(b"\x89PNG\r\n\x1a\n") and struct.unpack(">I", image[16:20])[0] == (width or 256)
    for page in ("index.html", "guidance/budget-consultation/index.html"):
        assert 'rel="icon" href="' in (site / page).read_text() and "favicon.ico" in (site / page).read_text()


def test_the_sites_own_styles_and_scripts_are_linked_by_their_fingerprint(site):
    html = (site / "index.html").read_text(encoding="utf-8") + (site / "search" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'(?:href|src)="(?:\.\./)*(assets/[^"]+\.(?:css|js))"', html))
    ours = {a for a in linked if not a.startswith(("assets/stylesheets/", "assets/javascripts/"))}
    assert {re.sub(r"\.[0-9a-f]{8}\.", ".", a) for a in ours} >= {"assets/exchange.css", "assets/feedback.js", "assets/search.js"}
    for asset in linked:
        assert FINGERPRINTED.match("/" + asset), asset
    for asset in ours:
        digest = asset.rsplit(".", 2)[1]
        assert hashlib.sha256((site / asset).read_bytes()).hexdigest()[:FINGERPRINT_LENGTH] == digest, asset


def test_static_hosts_keep_fingerprinted_files_a_year_and_revalidate_the_rest(site):
    rules, current = {}, None
    for line in (site / "_headers").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(" "):
            current = line
            rules.setdefault(current, [])
        elif line.strip():
            rules[current].append(line.strip())
    assert "Cache-Control: no-cache" in rules["/*"]
    fingerprinted = [f for f in (site / "assets").rglob("*") if FINGERPRINTED.match("/" + f.relative_to(site).as_posix())]
    assert len(fingerprinted) >= 6
    for file in fingerprinted:
        assert rules["/" + file.relative_to(site).as_posix()] == ["! Cache-Control", f"Cache-Control: {IMMUTABLE}"]
    assert "Content-Type: application/atom+xml; charset=utf-8" in rules["/feed.xml"]
