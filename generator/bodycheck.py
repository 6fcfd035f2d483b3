"""Checks the Markdown body of contributed content: raw HTML, link schemes, attribute lists, includes, internal links."""

from __future__ import annotations

import html
import posixpath
import re
import urllib.parse
from dataclasses import dataclass

from .problems import Problem, show

# Raw HTML a contributor may use: harmless, and useful in running text. Everything else is
# Markdown's job. (The build's sanitiser keeps the same tags, so this is also what survives.)
ALLOWED_TAGS = {"abbr": {"title"}, "br": set(), "kbd": set(), "sub": set(), "sup": set(), "details": {"open"}, "summary": set()}
BANNED_SCHEMES = ("javascript:", "vbscript:", "data:")

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
TAG_START = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*((?:\s[^<>]*)?)/?>")
OTHER_MARKUP = re.compile(r"<(!--|!\[CDATA\[|\?|![A-Za-z])")
ATTRIBUTE = re.compile(r"([^\s=/]+)(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
ATTR_LIST = re.compile(r"\{:?\s*([^{}\n]*)\}")
SNIPPET = re.compile(r"(^|\s|;)--8<--")
JINJA = re.compile(r"\{%-?\s*(include|import|extends)\b")


@dataclass(frozen=True)
class Site:
    """What internal links may point at: content files (relative to content/) and site addresses."""

    files: frozenset[str]
    addresses: frozenset[str]


def _code_free_lines(body: str):
    """Yield (offset, line) with fenced code blocks removed and code spans blanked."""
    fence = None
    for offset, line in enumerate(body.split("\n")):
        match = FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        yield offset, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def scheme_is_banned(url: str) -> bool:
    """True for javascript:, vbscript: and data: links, however they are disguised."""
    text = url
    for _ in range(3):  # entities and percent-escapes can be nested
        text = urllib.parse.unquote(html.unescape(text))
    text = re.sub(r"[\x00-\x20\x7f]+", "", text).lower()
    return text.startswith(BANNED_SCHEMES)


def check(path: str, rel: str, body: str, first_line: int, site: Site) -> list[Problem]:
    """Every problem in a body. `rel` is the file's path under content/; `first_line` is the body's line in the file."""
    problems: list[Problem] = []
    for offset, line in _code_free_lines(body):
        number = first_line + offset
        problems.extend(_check_line(path, rel, number, line, site))
    return problems


def _check_line(path: str, rel: str, number: int, line: str, site: Site) -> list[Problem]:
    out: list[Problem] = []
    if SNIPPET.search(line) or JINJA.search(line):
        out.append(Problem(path, number, "include", "no includes in contributed content", show(line.strip())))
    for match in OTHER_MARKUP.finditer(line):
        out.append(Problem(path, number, "html", "Markdown, not raw HTML", show("<" + match.group(1))))
    for start in TAG_START.finditer(line):
        name = start.group(1).lower()
        match = TAG.match(line, start.start())
        if name not in ALLOWED_TAGS:
            allowed = ", ".join(sorted(ALLOWED_TAGS))
            found = match.group(0) if match else line[start.start() :]
            out.append(Problem(path, number, "html", f"Markdown or one of the allowed tags ({allowed})", show(found)))
            continue
        if not match:
            out.append(Problem(path, number, "html", f"the whole <{name}> tag on one line", show(line[start.start() :])))
            continue
        for attr in ATTRIBUTE.finditer(match.group(1) or ""):
            if attr.group(1).lower() not in ALLOWED_TAGS[name]:
                out.append(Problem(path, number, "html", f"no {attr.group(1)!r} attribute on <{name}>", show(match.group(0))))
    for match in ATTR_LIST.finditer(line):
        tokens = match.group(1).split()
        bad = [t for t in tokens if not re.fullmatch(r"[.#][A-Za-z][\w-]*", t)]
        if bad and ("=" in match.group(1) or match.group(0).startswith("{:")):
            out.append(Problem(path, number, "attributes", "only .class or #id in an attribute list", show(match.group(0))))
    urls = [m.group(1) for m in INLINE_LINK.finditer(line)]
    urls += [m.group(1) for m in REFERENCE.finditer(line)]
    urls += [m.group(1) for m in AUTOLINK.finditer(line)]
    for url in urls:
        if scheme_is_banned(url):
            out.append(Problem(path, number, "link", "an https, mailto or site address", show(url)))
        elif not _resolves(rel, url, site):
            out.append(Problem(path, number, "link", "a page that exists in the library", show(url)))
    return out


def _resolves(rel: str, url: str, site: Site) -> bool:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme or parsed.netloc or not parsed.path:
        return True  # external, mailto: or an anchor on the same page
    target = urllib.parse.unquote(parsed.path)
    if target.startswith("/"):
        address = target if target.endswith("/") or "." in posixpath.basename(target) else target + "/"
        return address in site.addresses
    if target.endswith(".md"):
        return posixpath.normpath(posixpath.join(posixpath.dirname(rel), target)) in site.files
    # a relative address, from the page's own address (/folder/slug/)
    here = "/" + rel.removesuffix(".md") + "/"
    address = posixpath.normpath(posixpath.join(here, target))
    address = address if "." in posixpath.basename(address) else address.rstrip("/") + "/"
    return address in site.addresses
