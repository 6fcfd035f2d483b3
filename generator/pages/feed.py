"""The Atom feed of new and updated resources (/feed.xml), with absolute addresses from the site's URL."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.content.resources import Resource
from generator.pages.site_pages import WHATS_NEW
from model import vocabulary as v
from model.site import FEED_FILE

ATOM = "http://www.w3.org/2005/Atom"
TITLE = "Transformation and Innovation Exchange: new and updated resources"
LANG = {"{http://www.w3.org/XML/1998/namespace}lang": "en"}  # the site's language (mkdocs.yml theme.language), said on every text


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    el.text = text
    return el


def atom(resources: list[Resource], site_url: str, today: dt.date) -> str:
    """The feed: the newest WHATS_NEW resources (as /whats-new/ lists them), newest first."""
    base = site_url.rstrip("/")
    newest = sorted(resources, key=lambda r: (r.last_changed, r.title), reverse=True)[:WHATS_NEW]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", LANG)
    _text(feed, "id", base + "/whats-new/")
    _text(feed, "title", TITLE, **LANG)
    _text(feed, "subtitle", "Case studies, guidance, tools, training, performance data and support offers for UK councils.", **LANG)
    _text(feed, "updated", _stamp(newest[0].last_changed if newest else today))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": f"{base}/{FEED_FILE}"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": base + "/whats-new/"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Transformation and Innovation Exchange")
    for r in newest:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", base + r.address)
        _text(entry, "title", r.title, type="text", **LANG)
        _text(entry, "published", _stamp(r.published))
        _text(entry, "updated", _stamp(r.last_changed))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": base + r.address})
        who = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(who, "name", r.contact.name)
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": r.kind.id, "label": r.kind.label})
        for theme in r.themes:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": theme, "label": v.THEMES.label(theme)})
        _text(entry, "summary", r.summary, type="text", **LANG)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def write(site: Path, resources: list[Resource], site_url: str, today: dt.date) -> Path:
    path = site / FEED_FILE
    path.write_text(atom(resources, site_url, today), encoding="utf-8")
    return path
