"""The ledger of every address the library has published (content/addresses.txt), so that none ever 404s.

Once a resource is published, its address is recorded (`tie addresses`). From then on `tie check`
insists that every recorded address either still has a page, or is redirected: by `redirect_from`
on the page that replaced it, or, for a page removed for good, by a target written beside it in
the ledger (`/guidance/old-advice/ /library/`). Lines are never removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.content.fieldcheck import ADDRESS
from generator.content.resources import LEDGER, Resource
from model.problems import Problem, show

HEADER = """\
# Every address the library has published, one a line. `tie addresses` adds new ones; never remove a line.
# `tie check` fails when an address here has neither a page nor a redirect, so no published link breaks.
# A page that moved: put `redirect_from: [/old/address/]` on the page that replaced it.
# A page removed for good: write where its readers should go instead, after the address:
#   /guidance/old-advice/ /library/
"""


@dataclass(frozen=True)
class Entry:
    """One line of the ledger: an address, and where it now leads if its page was removed for good."""

    address: str
    line: int
    target: str | None = None


def ledger_path(content_dir: Path) -> Path:
    return content_dir / LEDGER


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return f"{path.parent.name}/{path.name}"


def read(path: Path) -> tuple[list[Entry], list[Problem]]:
    """The ledger's entries and every problem with its lines. No ledger: nothing recorded yet."""
    if not path.is_file():
        return [], []
    label = _label(path)
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) > 2 or not all(ADDRESS.match(p) or p == "/" for p in parts):
            problems.append(Problem(label, number, "address", "an address like /guidance/front-door/, optionally followed by the address to send readers to", show(text)))
            continue
        if parts[0] in seen:
            problems.append(Problem(label, number, parts[0], f"each address once (it is already on line {seen[parts[0]]})", "it again"))
            continue
        seen[parts[0]] = number
        entries.append(Entry(parts[0], number, parts[1] if len(parts) == 2 else None))
    return entries, problems


def check(content_dir: Path, resources: list[Resource], generated: frozenset[str]) -> list[Problem]:
    """Every recorded address must still lead somewhere; redirects must not shadow pages.

    `resources` are the resources that passed their own checks; a file that failed them still
    counts as the page at its address here (its own problems are already reported).
    """
    path = ledger_path(content_dir)
    entries, problems = read(path)
    label = _label(path)
    published = {r.address: r for r in resources if not r.draft}
    pages = set(published) | generated
    redirected = {old: r for r in published.values() for old in r.redirect_from}
    for r in published.values():
        for i, old in enumerate(r.redirect_from):
            if old in generated:
                problems.append(Problem(r.path, r.lines.get(f"redirect_from[{i}]", 1), "redirect_from", "an old address no page has now", show(old)))
    ready = {r.address for r in resources}
    for entry in entries:
        failed_checks = entry.address not in ready and _has_file(content_dir, entry.address)
        has_page = entry.address in pages or failed_checks
        if entry.target is not None:
            if has_page or entry.address in redirected:
                problems.append(Problem(label, entry.line, entry.address, "no target while a page or a redirect_from has this address (remove the target)", show(entry.target)))
            elif entry.target not in pages:
                problems.append(Problem(label, entry.line, entry.address, "a target that is a page of the site", show(entry.target)))
            continue
        if not has_page and entry.address not in redirected:
            problems.append(
                Problem(
                    label,
                    entry.line,
                    entry.address,
                    "a page, or a redirect to where it went (add `redirect_from: [" + entry.address + "]` to the page that replaced it)",
                    "no page and no redirect",
                )
            )
    return problems


def _has_file(content_dir: Path, address: str) -> bool:
    parts = address.strip("/").split("/")
    return len(parts) == 2 and (content_dir / parts[0] / f"{parts[1]}.md").is_file()


def unrecorded(content_dir: Path, resources: list[Resource]) -> list[str]:
    """Published addresses the ledger does not have yet, sorted. Drafts are not published, so never listed."""
    entries, _ = read(ledger_path(content_dir))
    known = {e.address for e in entries}
    return sorted({r.address for r in resources if not r.draft} - known)


def record(content_dir: Path, resources: list[Resource]) -> list[str]:
    """Append every published address not yet in the ledger (creating it if need be); returns them."""
    new = unrecorded(content_dir, resources)
    path = ledger_path(content_dir)
    if not new:
        return []
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(a + "\n" for a in new), encoding="utf-8")
    return new


def moves(content_dir: Path, resources: list[Resource]) -> dict[str, str]:
    """Every old address and the address it now leads to: redirect_from of published pages, and ledger targets."""
    out = {old: r.address for r in resources if not r.draft for old in r.redirect_from}
    entries, _ = read(ledger_path(content_dir))
    for entry in entries:
        if entry.target and entry.address not in out:
            out[entry.address] = entry.target
    return dict(sorted(out.items()))
