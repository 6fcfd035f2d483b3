"""Writing contributed values into generated Markdown safely: escaped as text, never as markup."""

from __future__ import annotations

import html
import re

import yaml

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def text(value: str) -> str:
    """A value as literal Markdown text: HTML-escaped and Markdown punctuation backslashed."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(value).split()), quote=False))


def attr(value: str) -> str:
    """A value for an HTML attribute written by the generator."""
    return html.escape(str(value), quote=True)


def inline_html(value: str) -> str:
    """A value as text inside generator-written HTML."""
    return html.escape(str(value), quote=False)


def link(label: str, target: str) -> str:
    """A Markdown link with an escaped label; `target` is generator-made, never contributed."""
    return f"[{text(label)}]({target})"


# Material writes these values into <title>, <meta content="..."> and the header without escaping them.
ESCAPED_META = ("title", "description")


# libyaml's safe emitter when PyYAML was built with it: the same values, five times faster, and
# every generated page has front matter.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(meta: dict) -> str:
    """YAML front matter for a generated page, safely quoted, with the values Material prints as HTML escaped."""
    meta = {k: (attr(v) if k in ESCAPED_META else v) for k, v in meta.items()}
    return "---\n" + yaml.dump(meta, Dumper=DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=False) + "---\n\n"


def relative(from_address: str, to_address: str) -> str:
    """A relative link between two site addresses (both ending in /), as MkDocs would make it."""
    a = [p for p in from_address.strip("/").split("/") if p]
    b = [p for p in to_address.strip("/").split("/") if p]
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    parts = [".."] * (len(a) - common) + b[common:]
    return ("/".join(parts) + "/") if parts else "./"
