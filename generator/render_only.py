"""The MkDocs plugin with which a build renders only some pages into a site the last build wrote
(generator/rerender.py says when), and reads the navigation's titles.

MkDocs' own `dirty` build renders the pages whose source is newer than their HTML; this plugin says
instead which files are new or changed, compared by content, and keeps the pages the navigation lists
among them: their titles are read from their Markdown, and every page shows them. The front matter of
the pages it does not render is read all the same, for the sitemap.
"""

from __future__ import annotations

import logging
import os

from mkdocs.plugins import BasePlugin

# The warning MkDocs gives for every dirty build, meant for `mkdocs serve`; strict mode would abort on it.
DIRTY_WARNING = "A 'dirty' build is being performed"


class RenderOnly(BasePlugin):
    """With `changed` None, every page is rendered (a full build); otherwise only the files in it (relative
    to docs, "/"-separated) and the navigation's pages. `nav` holds [source, title] of the navigation's pages
    once MkDocs has read them."""

    def __init__(self, changed: frozenset[str] | None):
        super().__init__()
        self.changed = changed
        self.nav: list[list[str]] = []
        self._pages = []

    def on_nav(self, nav, config, files):
        self._pages = list(nav.pages)
        if self.changed is not None:
            listed = {page.file.src_uri for page in self._pages}
            docs = os.path.join(config.docs_dir, "")
            for file in files:
                if file.abs_src_path and file.abs_src_path.startswith(docs):  # not the theme's own files
                    render = file.src_uri in self.changed or file.src_uri in listed
                    file.is_modified = _yes if render else _no
        return nav

    def on_env(self, env, config, files):
        # Every page's front matter, also the pages not rendered: the sitemap gives each resource's date of change.
        for file in files.documentation_pages():
            if file.page is not None and file.page.markdown is None:
                file.page.read_source(config)
        self.nav = [[page.file.src_uri, page.title or ""] for page in self._pages]
        return env


def _yes() -> bool:
    return True


def _no() -> bool:
    return False


class QuietDirty(logging.Filter):
    """Drops MkDocs' warning about dirty builds, which this build makes knowingly."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)
