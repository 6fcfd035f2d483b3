"""The app's page layout: the built site's own page shell, so app pages look and navigate like the site.

`tie build` renders a page at /_tie/shell/ whose title and content are markers. The app turns
it into the Jinja template "layout.html": its relative links made absolute, the markers made
blocks. Without a built site (in unit tests) a plain accessible layout stands in.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

from model.site import SHELL_ADDRESS

TEMPLATES = Path(__file__).parent.parent / "templates"
URL_ATTR = re.compile(r'(\s(?:href|src|action|data-search-page)=")([^"]*)(")')  # the shell's addresses, made absolute
HEADING = re.compile(r"<h1[^>]*>TIE_APP_TITLE.*?</h1>", re.S)
CONTENT = "<p>TIE_APP_CONTENT</p>"


def _absolute(html: str) -> str:
    def fix(match: re.Match) -> str:
        url = match.group(2)
        if url.startswith(("/", "#", "http:", "https:", "mailto:", "data:")):
            return match.group(0)
        return match.group(1) + urljoin(SHELL_ADDRESS, url) + match.group(3)

    return URL_ATTR.sub(fix, html)


def _raw(text: str) -> str:
    return "{% raw %}" + text.replace("{% endraw %}", "") + "{% endraw %}"


def from_shell(html: str) -> str | None:
    """The layout template made from the built shell page, or None if the page lacks its markers."""
    html = HEADING.sub("", html, count=1)
    if CONTENT not in html:
        return None
    before, after = html.split(CONTENT, 1)
    before = _absolute(before).replace('href="#tie_app_title"', 'href="#tie-app-main"')
    after = _absolute(after)
    # the title marker appears in <title> and in the header: both become the page's title
    pieces = [_raw(p) for p in before.split("TIE_APP_TITLE")]
    head = "{{ page_title }}".join(pieces)
    return head + '<div class="tie-app" id="tie-app-main">{% block main %}{% endblock %}</div>' + _raw(after)


def layout(site_dir: Path | None) -> str:
    """The layout template's source: from the built site when there is one, else the plain fallback."""
    shell = site_dir / SHELL_ADDRESS.strip("/") / "index.html" if site_dir else None
    if shell is not None and shell.is_file():
        template = from_shell(shell.read_text(encoding="utf-8"))
        if template:
            return template
    return (TEMPLATES / "fallback_layout.html").read_text(encoding="utf-8")
