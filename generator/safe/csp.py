"""The Content Security Policy for the built site: the hashes of its inline scripts, recorded for the app, and a _headers file for static hosts (the policy itself: model/site.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from model.site import SCRIPT_HASHES_FILE, policy

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
DATA_TYPES = re.compile(r"type=[\"']?application/(ld\+)?json", re.I)


def script_hashes(html: str) -> set[str]:
    """'sha256-…' sources for each executable inline script in a page (JSON data blocks are not executed)."""
    found = set()
    for attrs, body in INLINE_SCRIPT.findall(html):
        if DATA_TYPES.search(attrs):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        found.add(f"'sha256-{digest}'")
    return found


def page_hashes(pages: Iterable[Path]) -> set[str]:
    """The hashes of the inline scripts of these pages (the build reads one page of each template)."""
    found: set[str] = set()
    for page in pages:
        found |= script_hashes(page.read_text(encoding="utf-8"))
    return found


def write(site: Path, hashes: set[str]) -> None:
    """Record the hashes for the app, and a _headers file for static hosts that read one."""
    target = site / SCRIPT_HASHES_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(sorted(hashes)), encoding="utf-8")
    (site / "_headers").write_text(
        "/*\n"
        f"  Content-Security-Policy: {policy(hashes)}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: no-referrer\n"
        "  X-Frame-Options: DENY\n",
        encoding="utf-8",
    )
