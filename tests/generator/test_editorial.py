"""Keeping content current, on a fixed content tree: stale notices and `tie report stale`, drafts, the Atom feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from functions.settings import ROOT
from generator.__main__ import main
from generator.build import build
from generator.content.library import load
from tests.factories import COUNCILS, EXAMPLES

TODAY = dt.date(2027, 1, 5)
SITE_URL = "https://exchange.example"
A = "{http://www.w3.org/2005/Atom}"

DRAFT = """---
title: A draft about savings plans
summary: Not ready yet.
themes: [financial-planning]
published: 2026-01-01
review_by: 2026-02-01
contact:
  name: Finance team
  email: finance@example.gov.uk
licence: OGL-UK-3.0
draft: true
---
Still being written.
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    """The example content, with one overdue draft and one resource updated since it was published."""
    root = tmp_path_factory.mktemp("editorial") / "content"
    shutil.copytree(EXAMPLES / "content", root)
    (root / "guidance" / "savings-plan.md").write_text(DRAFT, encoding="utf-8")
    tool = root / "tools" / "reserves-checklist.md"
    tool.write_text(tool.read_text().replace("review_by:", "updated: 2026-11-20\nreview_by:", 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(content):
    lib = load(content, EXAMPLES / "questionnaire", COUNCILS)
    assert not lib.problems, [str(p) for p in lib.problems]
    out = content.parent / "site"
    build(lib, ROOT, content.parent / "build" / "docs", out, content, today=TODAY, site_url=SITE_URL)
    return out


def tie(capsys, monkeypatch, content, *argv) -> tuple[int, str]:
    monkeypatch.setenv("TIE_COUNCILS", COUNCILS)
    monkeypatch.setenv("TIE_QUESTIONNAIRE_DIR", str(EXAMPLES / "questionnaire"))
    monkeypatch.setenv("TIE_DATA_DIR", str(content.parent / "data"))
    monkeypatch.setenv("TIE_CONTENT_DIR", str(content))
    monkeypatch.chdir(content.parent)
    code = main(list(argv))
    return code, capsys.readouterr().out


# -- stale content -----------------------------------------------------------------------------


def test_a_resource_past_its_review_date_shows_a_notice_and_others_do_not(site):
    stale = (site / "case-studies" / "front-door" / "index.html").read_text()
    assert "Due for review." in stale and "was due to be reviewed by 1 June 2026" in stale
    assert 'href="mailto:customers@example.gov.uk"' in stale
    fresh = (site / "guidance" / "budget-consultation" / "index.html").read_text()
    assert "Due for review." not in fresh


def test_tie_report_stale_lists_overdue_resources_with_contact_and_days_most_overdue_first(capsys, monkeypatch, content):
    code, out = tie(capsys, monkeypatch, content, "report", "stale", "--today", "2027-01-05")
    assert code == 0
    assert out == (
        "4 resources are past the review date (5 January 2027), most overdue first:\n"
        "  content/case-studies/front-door.md: 'Redesigning the front door', review by 1 June 2026, 218 days overdue; "
        "ask Customer services <customers@example.gov.uk>\n"
        "  content/data/council-tax-collection.md: 'Council tax collection rates', review by 1 January 2027, 4 days overdue; "
        "ask Data team <data@example.gov.uk>\n"
        "  content/support/peer-challenge.md: 'Corporate peer challenge', review by 1 January 2027, 4 days overdue; "
        "ask Support team <support@example.org>\n"
        "  content/training/scrutiny-skills.md: 'Scrutiny skills for councillors', review by 1 January 2027, 4 days overdue; "
        "ask Learning team <learning@example.gov.uk>\n"
    )
    assert "savings-plan" not in out  # a draft is not published, so it is not stale


def test_tie_report_stale_as_csv_and_as_a_scheduled_check(capsys, monkeypatch, content):
    code, out = tie(capsys, monkeypatch, content, "report", "stale", "--today", "2027-01-05", "--csv", "--fail")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["address"], r["days_overdue"], r["contact_email"]) for r in rows][0] == (
        "/case-studies/front-door/",
        "218",
        "customers@example.gov.uk",
    )
    code, out = tie(capsys, monkeypatch, content, "report", "stale", "--today", "2026-05-01", "--fail")
    assert code == 0 and out == "Nothing is past its review date (1 May 2026).\n"


def test_a_bad_date_for_the_report_is_a_clear_message(capsys, monkeypatch, content):
    with pytest.raises(SystemExit) as exit_:
        tie(capsys, monkeypatch, content, "report", "stale", "--today", "5/1/2027")
    assert exit_.value.code == 2
    assert "--today: expected a date as YYYY-MM-DD, got '5/1/2027'" in capsys.readouterr().err


# -- drafts ------------------------------------------------------------------------------------


def test_a_draft_is_checked_but_not_built(content, site):
    lib = load(content, EXAMPLES / "questionnaire", COUNCILS)
    assert "savings-plan" in {r.slug for r in lib.resources}
    assert not (site / "guidance" / "savings-plan").exists()
    assert "savings-plan" not in (site / "whats-new" / "index.html").read_text()
    assert "savings-plan" not in (site / "feed.xml").read_text()


def test_a_broken_draft_still_fails_the_check(content, tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(content, broken)
    draft = broken / "guidance" / "savings-plan.md"
    draft.write_text(draft.read_text().replace("themes: [financial-planning]", "themes: [finance]"))
    lib = load(broken, EXAMPLES / "questionnaire", COUNCILS)
    assert any("savings-plan.md" in p.path and p.field == "themes" for p in lib.problems)


# -- the Atom feed -----------------------------------------------------------------------------


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _rfc3339(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_feed_is_valid_atom_with_absolute_links(site):
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{A}{tag}") is not None, tag
    assert feed.find(f"{A}author/{A}name").text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links["self"] == SITE_URL + "/feed.xml"
    assert links["alternate"] == SITE_URL + "/whats-new/"
    assert _absolute(feed.find(f"{A}id").text)
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 6
    ids = [e.find(f"{A}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        for tag in ("id", "title", "updated", "published", "summary"):
            assert (entry.find(f"{A}{tag}").text or "").strip(), tag
        link = entry.find(f"{A}link[@rel='alternate']").get("href")
        assert _absolute(link) and link.startswith(SITE_URL + "/")
        assert (site / urlsplit(link).path.strip("/") / "index.html").is_file(), link
        assert _rfc3339(entry.find(f"{A}published").text) <= _rfc3339(entry.find(f"{A}updated").text)
    updated = [_rfc3339(e.find(f"{A}updated").text) for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert _rfc3339(feed.find(f"{A}updated").text) == updated[0]


def test_the_feed_carries_updates_as_well_as_new_resources(site):
    feed = ET.parse(site / "feed.xml").getroot()
    first = feed.find(f"{A}entry")
    assert first.find(f"{A}title").text == "Reserves policy checklist"
    assert first.find(f"{A}updated").text == "2026-11-20T00:00:00Z"
    assert first.find(f"{A}published").text == "2026-02-01T00:00:00Z"


def test_whats_new_and_every_page_head_link_to_the_feed(site):
    whats_new = (site / "whats-new" / "index.html").read_text()
    assert 'href="../feed.xml"' in whats_new
    for page in ("index.html", "guidance/budget-consultation/index.html", "library/index.html"):
        html = (site / page).read_text()
        head = html.split("</head>", 1)[0]
        # "alternate feed", not "alternate" alone, which Material's script takes for another language's sitemap
        assert 'rel="alternate feed" type="application/atom+xml"' in head and "feed.xml" in head, page
        assert 'rel="alternate"' not in head, page
