"""The search index: Pagefind's chunked static index, so a first search loads a few hundred KB, not the whole library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OUTPUT = "pagefind"


class SearchIndexError(Exception):
    """Pagefind failed; the message carries what it said."""


def start(site: Path) -> subprocess.Popen:
    """Start indexing the built site in place (writes site/pagefind/); `wait` for it to finish.

    Only pages marked data-pagefind-body are indexed. Pagefind only reads the pages, so other work
    that only reads them, or writes other files, can run meanwhile on the machine's other cores.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", OUTPUT, "--silent"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait(indexing: subprocess.Popen) -> None:
    """Wait for the index started by `start`. Raises SearchIndexError with what Pagefind said if it failed."""
    out, err = indexing.communicate()
    if indexing.returncode != 0:
        said = (err or out).strip().splitlines()
        raise SearchIndexError("search index: pagefind failed: " + (said[-1] if said else f"exit {indexing.returncode}"))


def index(site: Path) -> None:
    """Index the built site in place and wait for it."""
    wait(start(site))
