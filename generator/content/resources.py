"""The library's resources: read from content/, one Markdown file each, and checked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.content import bodycheck, fieldcheck, structure
from generator.content.kinds import BY_FOLDER, KINDS, Kind
from model import frontmatter
from model.problems import Problem, show

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ASSET_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".csv", ".xlsx", ".docx", ".odt", ".ods"}
LEDGER = "addresses.txt"


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class Resource:
    """One resource of the library, as its front matter and body describe it."""

    path: str  # as shown in messages, e.g. content/guidance/front-door.md
    rel: str  # under content/, e.g. guidance/front-door.md
    kind: Kind
    slug: str
    title: str
    summary: str
    themes: tuple[str, ...]
    published: dt.date
    review_by: dt.date
    contact: Contact
    licence: str
    body: str
    body_line: int
    ambition_routes: tuple[str, ...] = ()
    council_types: tuple[str, ...] = ()
    nations: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    council: str | None = None
    example: bool = False
    statements: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    provider: str | None = None
    duration: str | None = None
    link: str | None = None
    updated: dt.date | None = None
    draft: bool = False
    redirect_from: tuple[str, ...] = ()
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def address(self) -> str:
        return f"/{self.kind.folder}/{self.slug}/"

    @property
    def last_changed(self) -> dt.date:
        return self.updated or self.published

    def stale(self, today: dt.date) -> bool:
        return self.review_by < today


def address_of(rel: str) -> str:
    """The site address of a content file: guidance/front-door.md -> /guidance/front-door/."""
    return "/" + rel.removesuffix(".md") + "/"


def _resource(doc: frontmatter.Document, rel: str, kind: Kind) -> Resource:
    d = doc.data
    tup = lambda key: tuple(d.get(key) or ())  # noqa: E731
    contact = d.get("contact") or {}
    return Resource(
        path=doc.path,
        rel=rel,
        kind=kind,
        slug=Path(rel).stem,
        title=d["title"].strip(),
        summary=" ".join(d["summary"].split()),
        themes=tup("themes"),
        published=d["published"],
        review_by=d["review_by"],
        contact=Contact(contact["name"], contact["email"]),
        licence=d["licence"],
        body=doc.body,
        body_line=doc.body_line,
        ambition_routes=tup("ambition_routes"),
        council_types=tup("council_types"),
        nations=tup("nations"),
        regions=tup("regions"),
        council=d.get("council"),
        example=bool(d.get("example")),
        statements=tup("statements"),
        stages=tup("stages"),
        provider=d.get("provider"),
        duration=d.get("duration"),
        link=d.get("link"),
        updated=d.get("updated"),
        draft=bool(d.get("draft")),
        redirect_from=tup("redirect_from"),
        lines=doc.lines,
    )


def _labeller(root: Path):
    """How files under `root` are named in messages: from the working folder when they are under it.

    The folders are resolved once, not for each file: resolving is a system call per path part.
    """
    base, cwd = root.resolve(), Path.cwd().resolve()

    def label(file: Path) -> str:
        rel = file.relative_to(root)
        try:
            return str((base / rel).relative_to(cwd))
        except ValueError:
            return str(root.name / rel)

    return label


def load(root: Path, ctx: fieldcheck.Context, generated: frozenset[str] = frozenset()) -> tuple[list[Resource], list[Problem]]:
    """Read and check every file under `root` (content/). Returns the valid resources and every problem.

    `generated` holds the addresses of pages the generator makes (home, library, themes...),
    which links may point at too.
    """
    problems: list[Problem] = []
    docs: list[tuple[frontmatter.Document, str, Kind]] = []
    unusable: list[tuple[str, str, str, int]] = []  # (path, rel, body, body line) of files whose fields have problems
    files: set[str] = set()
    if not root.is_dir():
        return [], [Problem(str(root), 1, "content", "a folder of resources", "no such folder")]
    label_of = _labeller(root)
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = file.relative_to(root).as_posix()
        label = label_of(file)
        if rel == LEDGER or rel.startswith("."):
            continue
        folder = rel.split("/")[0]
        if file.suffix.lower() in ASSET_SUFFIXES and folder in BY_FOLDER:
            files.add(rel)
            continue
        if file.suffix != ".md":
            problems.append(Problem(label, 1, "file", "a .md resource or an image or document beside one", show(file.suffix or file.name)))
            continue
        kind = BY_FOLDER.get(folder)
        if kind is None or rel.count("/") != 1:
            expected = "a file directly in one of " + ", ".join(k.folder + "/" for k in KINDS)
            problems.append(Problem(label, 1, "file", expected, show(rel)))
            continue
        if not SLUG.match(file.stem):
            problems.append(Problem(label, 1, "file name", "lower-case words joined by hyphens, like front-door.md", show(file.name)))
            continue
        doc, found = frontmatter.parse(label, file.read_bytes())
        problems.extend(found)
        if doc is None:
            continue
        found = fieldcheck.check(doc, kind.id, ctx)
        problems.extend(found)
        if not found and not any(p.path == label for p in problems):
            docs.append((doc, rel, kind))
        else:
            unusable.append((doc.path, rel, doc.body, doc.body_line))  # its body is checked too: every problem in one run
        files.add(rel)
    resources = [_resource(doc, rel, kind) for doc, rel, kind in docs]
    published = [r for r in resources if not r.draft]
    site = bodycheck.Site(
        files=frozenset(r.rel for r in published) | frozenset(f for f in files if not f.endswith(".md")),
        addresses=frozenset(r.address for r in published) | generated | frozenset("/" + f for f in files if not f.endswith(".md")),
    )
    for path, rel, body, body_line in [(r.path, r.rel, r.body, r.body_line) for r in resources] + unusable:
        problems.extend(bodycheck.check(path, rel, body, body_line, site))
        problems.extend(structure.check(path, body, body_line))
    problems.extend(_check_addresses(resources))
    bad = {p.path for p in problems}
    return [r for r in resources if r.path not in bad], problems


def _check_addresses(resources: list[Resource]) -> list[Problem]:
    """A redirect may not shadow a page, nor be claimed twice."""
    pages = {r.address for r in resources if not r.draft}
    claimed: dict[str, str] = {}
    out = []
    for r in resources:
        for i, old in enumerate(r.redirect_from):
            line = r.lines.get(f"redirect_from[{i}]", 1)
            if old in pages:
                out.append(Problem(r.path, line, "redirect_from", "an old address no page has now", show(old)))
            elif old in claimed:
                out.append(Problem(r.path, line, "redirect_from", f"an address not already redirected by {claimed[old]}", show(old)))
            else:
                claimed[old] = r.path
    return out
