"""The search index: Pagefind's chunked static index, so a first search loads a few hundred KB, not the whole library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OUTPUT = "pagefind"


class SearchIndexError(Exception):
    """Pagefind failed; the message carries what it said."""


def index(site: Path) -> None:
    """Index the built site in place (writes site/pagefind/). Only pages marked data-pagefind-body are indexed."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", OUTPUT, "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise SearchIndexError("search index: pagefind failed: " + (said[-1] if said else f"exit {result.returncode}"))
