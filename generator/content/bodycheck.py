"""Checks the Markdown body of contributed content: raw HTML, link schemes, attribute lists, includes, internal links.

The checks are a contributor's first, clear answer; the build's sanitiser is the guarantee. Where it is
unsure whether Markdown will treat text as code, a check treats it as text: it may refuse an example
that would have been harmless, but it never lets through markup that Markdown would pass on.
"""

from __future__ import annotations

import html
import posixpath
import re
import urllib.parse
from dataclasses import dataclass

from model.problems import Problem, show

# Raw HTML a contributor may use: harmless, and useful in running text. Everything else is
# Markdown's job. (The build's sanitiser keeps the same tags, so this is also what survives.)
ALLOWED_TAGS = {"abbr": {"title"}, "br": set(), "kbd": set(), "sub": set(), "sup": set(), "details": {"open"}, "summary": set()}
BANNED_SCHEMES = ("javascript:", "vbscript:", "data:")

# A fence opens code only when a line with exactly the same fence closes it (pymdownx.superfences);
# a fence with an unusual info string, or never closed, is not code and is checked like text.
FENCE_OPEN = re.compile(r"^(\s{0,3})(`{3,}|~{3,})[ \t]*[\w#.+-]*[ \t]*$")
# A code span as Python-Markdown reads it: a run of backticks, not escaped, closed by a run of the same length.
CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<![`\\])\1(?!`)")
# Markdown passes on as HTML anything from "<" and a letter to ">" that is not an autolink; browsers
# read a tag's name up to a space, "/" or ">", so <kbd:x onclick=...> is an element with a handler.
TAG_START = re.compile(r"</?([A-Za-z][^\s/<>]*)")
TAG = re.compile(r"</?[A-Za-z][^\s/<>]*((?:[\s/][^<>]*)?)>")
# Autolinks: Markdown makes links of http, ftp and email ones; any other <scheme:...> is passed on as
# a tag, harmless without attribute values (and its scheme is checked with the links).
AUTOLINK_LIKE = re.compile(r"<(?:(?:https?|ftp)://[^<>\s]*|[A-Za-z][A-Za-z0-9+.-]*:[^<>\s\"'=]*|[^<>\s\"'=]+@[^@<>\s\"'=]+)>")
OTHER_MARKUP = re.compile(r"<(!--|!\[CDATA\[|\?|![A-Za-z])")
ATTRIBUTE = re.compile(r"([^\s=/]+)(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*)\}")
ATTR_TOKEN = re.compile(r"[.#][A-Za-z][\w-]*")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and line ends are text
SNIPPET = re.compile(r"(^|\s|;)--8<--")
JINJA = re.compile(r"\{%-?\s*(include|import|extends)\b")
# Links are found in the whole body, not line by line: Markdown lets a link's address, or a
# reference's, start on the next line. A destination may hold one level of balanced parentheses.
DESTINATION = r"(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)"
INLINE_LINK = re.compile(r"\]\([ \t]*\n?[ \t]*" + DESTINATION)
IMAGE = re.compile(r"!\[[^\]\n]*\]\([ \t]*\n?[ \t]*" + DESTINATION)
REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\n?[ \t]*" + DESTINATION, re.M)
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# What browsers ignore in a URL: controls and spaces anywhere in a scheme ("java\tscript:" is still
# javascript:); tabs and newlines anywhere, and controls and spaces before it starts.
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")
IGNORED_ANYWHERE = re.compile(r"[\t\n\r]")
IGNORED_BEFORE = "".join(chr(c) for c in range(0x21))


@dataclass(frozen=True)
class Site:
    """What internal links may point at: content files (relative to content/) and site addresses."""

    files: frozenset[str]
    addresses: frozenset[str]


def scheme_is_banned(url: str) -> bool:
    """True for javascript:, vbscript: and data: links, however they are disguised."""
    text = url
    for _ in range(3):  # entities and percent-escapes can be nested
        text = urllib.parse.unquote(html.unescape(text))
    return IGNORED_IN_URLS.sub("", text).lower().startswith(BANNED_SCHEMES)


def stays_on_site(url: str) -> bool:
    """True when a URL is a path on this site, never another host, whatever its disguise.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so `/\\evil.example`
    and `/<tab>/evil.example` both mean //evil.example: another host.
    """
    plain = IGNORED_ANYWHERE.sub("", url).lstrip(IGNORED_BEFORE).replace("\\", "/")
    return not (plain.startswith("//") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", plain))


def fenced_code(lines: list[str]) -> set[int]:
    """The indexes of lines inside closed fenced code blocks, fences included."""
    code: set[int] = set()
    index = 0
    while index < len(lines):
        match = FENCE_OPEN.match(lines[index])
        if match:
            close = re.compile(r"^" + re.escape(match.group(1)) + re.escape(match.group(2)) + r"[ \t]*$")
            end = next((j for j in range(index + 1, len(lines)) if close.match(lines[j])), None)
            if end is not None:
                code.update(range(index, end + 1))
                index = end + 1
                continue
        index += 1
    return code


def check(path: str, rel: str, body: str, first_line: int, site: Site) -> list[Problem]:
    """Every problem in a body. `rel` is the file's path under content/; `first_line` is the body's line in the file."""
    lines = body.split("\n")
    code = fenced_code(lines)
    problems: list[Problem] = []
    for offset, line in enumerate(lines):
        if offset not in code:
            problems.extend(_check_line(path, first_line + offset, line))
    text = "\n".join("" if i in code else line for i, line in enumerate(lines))
    problems.extend(_check_links(path, rel, text, first_line, site))
    return problems


def _check_line(path: str, number: int, line: str) -> list[Problem]:
    out: list[Problem] = []
    # Python-Markdown marks its placeholders with control characters (\x02 ... \x03): text must not hold them.
    for character in sorted(set(CONTROL.findall(line.rstrip("\r")))):
        out.append(Problem(path, number, "text", "printable text", f"the control character U+{ord(character):04X}"))
    if SNIPPET.search(line) or JINJA.search(line):
        out.append(Problem(path, number, "include", "no includes in contributed content", show(line.strip())))
    for match in OTHER_MARKUP.finditer(line):
        out.append(Problem(path, number, "html", "Markdown, not raw HTML", show("<" + match.group(1))))
    # Code spans are not skipped here: inside an HTML block or an attribute Markdown does not treat
    # them as code, and <abbr title="`"onclick=...`"> becomes an attribute.
    for start in TAG_START.finditer(line):
        if AUTOLINK_LIKE.match(line, start.start()):
            continue
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
    # Attribute lists are not read inside code spans, so those may hold braces.
    for match in ATTR_LIST.finditer(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)):
        if match.group(0).startswith("{:") or not all(ATTR_TOKEN.fullmatch(t) for t in match.group(1).split()):
            out.append(Problem(path, number, "attributes", "only .class or #id in an attribute list", show(match.group(0))))
    return out


def _check_links(path: str, rel: str, text: str, first_line: int, site: Site) -> list[Problem]:
    # Addresses inside code spans are still checked for their scheme (Markdown makes a link of
    # [x](`javascript:...`)), but not for whether they resolve: `[x](example.md)` may be an example.
    blanked = "\n".join(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) for line in text.split("\n"))
    found = [(m, "link") for m in INLINE_LINK.finditer(text)]
    found += [(m, "link") for m in REFERENCE.finditer(text)]
    inside = [m.span(1) for m, _ in found]  # <javascript:...> as a link's destination is not a second link
    found += [(m, "link") for m in AUTOLINK.finditer(text) if not any(a <= m.start() < b for a, b in inside)]
    found += [(m, "image") for m in IMAGE.finditer(text)]
    out: list[Problem] = []
    for match, what in sorted(found, key=lambda f: (f[0].start(1), f[1])):
        destination = match.group(1)
        url = destination[1:-1] if destination.startswith("<") and destination.endswith(">") else destination
        url = url.replace("`", "")  # a code span inside a destination is read as its text
        number = first_line + text.count("\n", 0, match.start(1))
        if what == "image":
            if not scheme_is_banned(url) and not stays_on_site(url):
                out.append(Problem(path, number, "image", "an image kept beside the resource (pages load nothing from other sites)", show(url)))
        elif scheme_is_banned(url):
            out.append(Problem(path, number, "link", "an https, mailto or site address", show(url)))
        elif blanked[match.start()] == text[match.start()] and not _resolves(rel, url, site):
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
    if "." in posixpath.basename(target):  # a file: MkDocs resolves it from the linking file, as here
        return posixpath.normpath(posixpath.join(posixpath.dirname(rel), target)) in site.files
    # a relative address, from the page's own address (/folder/slug/)
    here = "/" + rel.removesuffix(".md") + "/"
    address = posixpath.normpath(posixpath.join(here, target))
    address = address if "." in posixpath.basename(address) else address.rstrip("/") + "/"
    return address in site.addresses
