"""The public benchmarks baked into the site: the benchmarks page, a page per comparator group, and a table per theme.

`tie build` reads the open-data package `tie nightly` wrote (data/benchmarks/, or data/demo-benchmarks/
for a demo database; the command chooses) with `model.opendata.read_benchmarks`, copies its files under
/benchmarks/ for download, and writes the figures as tables. Only figures of the open-data audience are
in the package: responses published for everyone, groups of at least 10 councils. A blank cell is shown
blank, never as 0, with its reason from the package beside it for everyone (a numbered note under the
table, and the reason read out in the cell). Group pages are of fixed size, one per fixed group, so the
build stays linear. Without a package every page still builds and says no benchmarks are published yet.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.pages.councils import METHOD, demo_banner
from generator.pages.mdtext import attr, front_matter, inline_html, relative, text
from model import opendata, similar
from model import vocabulary as v
from model.questionnaire import Edition
from model.register import ATTRIBUTION_HTML

BASE = "/benchmarks/"
FOLDER = BASE.strip("/")
THEME_GROUPING = "type-nation"  # theme pages show one grouping: its groups do not overlap, and five tables a page stay readable
FILES = ("datapackage.json", "stages.csv", "routes.csv", "groups.csv", "group-names.csv", "neighbours.csv", "releases.csv")
FILE_ABOUT = {
    "datapackage.json": "what each file and column holds, the licence and the sources",
    "stages.csv": "each statement and theme by group: the share of councils at each stage, now and as an ambition",
    "routes.csv": "the share of councils in each group favouring each route to change",
    "groups.csv": "each council's group in each grouping",
    "group-names.csv": "each group's name and size, and why it was merged",
    "neighbours.csv": "each council's nearest neighbours (not used for open figures)",
    "releases.csv": "every release, newest last: the change log",
}
MEASURES = {"current": "where councils are now", "ambition": "where councils aim to be"}
NONE_YET = "No benchmarks have been published yet."
DESCRIPTION = (
    "How councils place themselves on the self-assessment, by comparator group: the share at each stage now and as an "
    "ambition, counted only from responses published for everyone, with the open data to download."
)


class PackageError(Exception):
    """The benchmark package could not be read; the message names the file."""


@dataclass(frozen=True)
class Group:
    grouping: str
    id: str
    name: str
    councils: int

    @property
    def address(self) -> str:
        return f"{BASE}{self.grouping}/{self.id}/"


@dataclass(frozen=True)
class Package:
    """The package as the pages need it: its metadata and rows, its groups and change log, and where it lies."""

    folder: Path
    data: opendata.Benchmarks
    groups: list[Group]
    releases: list[dict]
    stages: dict[tuple, dict]  # (edition, grouping, group, kind, subject, measure) -> row
    routes: dict[tuple, dict]  # (edition, grouping, group, route) -> row

    @property
    def editions(self) -> list[str]:
        return sorted({key[0] for key in self.stages})

    def edition_shown(self, editions: dict[str, Edition]) -> str | None:
        """The newest edition the package has figures for, preferring one the site knows."""
        known = [e for e in self.editions if e in editions]
        return (known or self.editions or [None])[-1]


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(folder: Path | None) -> Package | None:
    """The package in `folder`, or None when there is none yet. Raises PackageError for one that cannot be read."""
    if folder is None:
        return None
    try:
        data = opendata.read_benchmarks(folder)
        if data is None:
            return None
        names = _csv(folder / "group-names.csv")
        releases = _csv(folder / "releases.csv")
    except (OSError, ValueError, KeyError) as err:
        raise PackageError(f"the benchmark package in {folder} could not be read: {err}") from None
    groups = [Group(r["grouping"], r["group"], r["name"], int(r["councils"] or 0)) for r in names]
    stages = {(r["edition"], r["grouping"], r["group"], r["kind"], r["subject"], r["measure"]): r for r in data.stages}
    routes = {(r["edition"], r["grouping"], r["group"], r["route"]): r for r in data.routes}
    return Package(folder, data, groups, releases, stages, routes)


def copy_package(docs: Path, package: Package | None) -> None:
    """The package's files under /benchmarks/, for download (MkDocs copies them into the site)."""
    if package is None:
        return
    target = docs / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        if (package.folder / name).is_file():
            shutil.copy2(package.folder / name, target / name)


# -- tables -------------------------------------------------------------------------------------


class _Notes:
    """The reasons for a table's blank cells, numbered once each, listed under the table."""

    def __init__(self, table_id: str):
        self.table_id = table_id
        self.numbers: dict[str, int] = {}

    def cell(self, reason: str) -> str:
        reason = reason or "not shown"
        said = inline_html(reason if reason.startswith("blank") else f"blank: {reason}")
        number = self.numbers.setdefault(reason, len(self.numbers) + 1)
        return (
            f'<td class="tie-blank"><span aria-hidden="true">–</span> '
            f'<a class="tie-note-ref" href="#{self.table_id}-note-{number}">'
            f'<span class="visually-hidden">{said}; note </span>{number}</a></td>'
        )

    def html(self) -> str:
        if not self.numbers:
            return ""
        items = "".join(f'<li id="{self.table_id}-note-{n}">{inline_html(r)}</li>' for r, n in self.numbers.items())
        return f'<p class="tie-notes-title" id="{self.table_id}-notes">Why cells are blank</p><ol class="tie-notes" aria-labelledby="{self.table_id}-notes">{items}</ol>'


def _value(row: dict | None, column: str, notes: _Notes, unit: str = "") -> str:
    if row is None:
        return notes.cell("not in this release")
    value = row.get(column, "")
    if value == "":
        return notes.cell(row.get(f"{column}-note", "") or row.get("n-note", ""))
    return f'<td class="tie-num">{inline_html(value)}{unit}</td>'


def _register_short(label: str) -> str:
    """The register version by its digest ("sha256 595b294980ce"), short enough for a caption; the full label is on the page."""
    return "register " + label[label.rfind("sha256") :] if "sha256" in label else f"register version {label}"


def _source(package: Package, edition: str, what: str) -> str:
    """What a table shows, in its caption: the group(s), edition, release and register version."""
    register = _register_short(str(package.data.meta.get("register_version", "")))
    return (
        f'<span class="tie-caption-source">{inline_html(what)}; edition {inline_html(edition)}, release {package.data.release} '
        f"(package {inline_html(package.data.version)}), {inline_html(register)}.</span>"
    )


def _full_source(package: Package, edition: str) -> str:
    meta = package.data.meta
    return (
        f'<p class="tie-source">Edition {inline_html(edition)}, release {package.data.release} (package version '
        f"{inline_html(package.data.version)}, responses published by {inline_html(meta.get('as_of', ''))}), register version "
        f"{inline_html(meta.get('register_version', ''))}.</p>\n"
    )


def _table(table_id: str, caption: str, first: str, rows: list[tuple[str, dict | None]], columns: list[tuple[str, str, str]]) -> str:
    """A table of figures: `rows` are (first cell's HTML, the package row); `columns` (column, heading, unit)."""
    notes = _Notes(table_id)
    head = f'<th scope="col">{inline_html(first)}</th>' + "".join(f'<th scope="col" class="tie-num">{inline_html(h)}</th>' for _, h, _ in columns)
    body = "".join(
        f'<tr><th scope="row">{label}</th>' + "".join(_value(row, c, notes, unit) for c, _, unit in columns) + "</tr>" for label, row in rows
    )
    return (
        f'<table class="tie-figures" id="{table_id}"><caption id="{table_id}-caption"><span class="tie-caption-text">{caption}</span></caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>\n{notes.html()}\n"
    )


STAGE_COLUMNS = [(s.id, f"{s.label} %", "") for s in v.STAGES.terms] + [("n", "Councils (n)", ""), ("mean", "Mean stage", "")]
ROUTE_COLUMNS = [("favours", "Favour it %", ""), ("n", "Councils (n)", "")]


def _explain_columns() -> str:
    stages = ", ".join(f"{s.label} ({i})" for i, s in enumerate(v.STAGES.terms, 1))
    return (
        "<p>Each row gives the percentage of its councils at each stage, how many councils it counts (n) and the mean stage, "
        f"from 1 to {len(v.STAGES.terms)}: {inline_html(stages)}. A dash is a blank cell, never a 0: its numbered note says why.</p>\n"
    )


# -- the theme pages' tables --------------------------------------------------------------------


def theme_tables(package: Package | None, edition: Edition | None) -> dict[str, str]:
    """For each theme of `edition`, the HTML to add to its page: the theme's figure for each group of THEME_GROUPING."""
    if edition is None:
        return {}
    out = {}
    for theme in edition.themes:
        here = f"/self-assessment/{theme.id}/"
        link = relative(here, BASE)
        section = ['<h2 id="benchmarks">How councils place themselves</h2>\n']
        if package is None or not package.stages:
            section.append(f'<p>{NONE_YET} <a href="{attr(link)}">About the benchmarks</a>.</p>\n')
            out[theme.id] = "".join(section)
            continue
        shown = package.edition_shown({edition.id: edition})
        if package.data.demo:
            section.append(demo_banner())
        section.append(
            f"<p>Each council's middle stage over this theme's {len(theme.statements)} statements, counted by comparator group "
            f"({inline_html(similar.GROUPINGS[THEME_GROUPING].lower())}), only from responses published for everyone and only where "
            f'a group has at least {similar.MINIMUM_GROUP} of them. <a href="{attr(link)}">About the benchmarks, every group and '
            "the open data</a>.</p>\n"
        )
        section.append(_full_source(package, shown))
        section.append(_explain_columns())
        groups = [g for g in package.groups if g.grouping == THEME_GROUPING]
        for measure, about in MEASURES.items():
            rows = [
                (f'<a href="{attr(relative(here, g.address))}">{inline_html(g.name)}</a>', package.stages.get((shown, THEME_GROUPING, g.id, "theme", theme.id, measure)))
                for g in groups
            ]
            caption = f"{inline_html(theme.label)}: {inline_html(about)}, by group" + _source(
                package, shown, f"Groups: {similar.GROUPINGS[THEME_GROUPING].lower()}"
            )
            section.append(_table(f"bench-{measure}", caption, "Group", rows, STAGE_COLUMNS))
        out[theme.id] = "".join(section)
    return out


# -- the benchmarks page and the group pages ----------------------------------------------------


def _attribution(package: Package | None, here: str) -> str:
    version = f" Register version: {inline_html(package.data.meta.get('register_version', ''))}." if package else ""
    return (
        f'<p class="tie-attribution">{ATTRIBUTION_HTML}{version} '
        f'<a href="{attr(relative(here, METHOD))}">How similar councils are found</a>.</p>\n'
    )


def _what(here: str) -> str:
    return (
        '<p class="tie-lede">How councils place themselves on the self-assessment, compared with councils like them: for each '
        "comparator group, the share of councils at each stage, now and as an ambition, and the share favouring each route "
        "to change.</p>\n"
        "<ul><li>Only responses that councils <strong>published for everyone</strong> are counted: never one shared only with "
        "similar councils, never an individual officer's answers or any comment.</li>"
        f"<li>A figure counts at least <strong>{similar.MINIMUM_GROUP} councils</strong>; groups are fixed and do not overlap "
        f'(<a href="{attr(relative(here, METHOD))}">how similar councils are found</a>).</li>'
        "<li>A cell that would give away a few councils' answers is <strong>blank, with its reason</strong>: shown as a dash "
        "with a numbered note, never as 0. A 0 in a table is a real 0.</li>"
        "<li>Percentages are whole numbers; a figure may be kept from an earlier release when tonight's would give away "
        "councils' answers by comparison with it.</li></ul>\n"
    )


def _downloads(package: Package, here: str) -> str:
    base = relative(here, BASE)
    items = "".join(
        f'<li><a href="{attr(base)}{name}">{name}</a>: {inline_html(FILE_ABOUT[name])}</li>' for name in FILES if (package.folder / name).is_file()
    )
    return (
        '<h2 id="download">Download the open data</h2>\n'
        f"<p>A Frictionless data package under CC BY 4.0 (attribute the Exchange, and mySociety for the register), version "
        f"{inline_html(package.data.version)}. Every column is described in datapackage.json; a blank cell's reason is in the "
        f"column beside it.</p><ul>{items}</ul>\n"
    )


CHANGE_LOG_CLASS = {"councils": ' class="tie-num"', "released-at": ' class="tie-date"', "as-of": ' class="tie-date"',
                    "version": ' class="tie-date"', "changes": ' class="tie-wide"', "register-version": ' class="tie-wide"'}  # fmt: skip


def _cell_text(column: str, value: str) -> str:
    if column == "register-version":
        return _register_short(value)
    return value.replace("T", " ").replace("Z", " UTC") if column in ("released-at", "as-of") else value


def _change_log(package: Package) -> str:
    columns = [("release", "Release"), ("version", "Version"), ("released-at", "Released"), ("as-of", "Responses as of"),
               ("councils", "Councils counted"), ("changes", "What changed"), ("register-version", "Register")]  # fmt: skip
    num = ' class="tie-num"'
    head = "".join(f'<th scope="col"{num if c in ("release", "councils") else ""}>{h}</th>' for c, h in columns)
    rows = "".join(
        f'<tr><th scope="row" class="tie-num">{inline_html(r.get("release", ""))}</th>'
        + "".join(f'<td{CHANGE_LOG_CLASS.get(c, "")}>{inline_html(_cell_text(c, r.get(c, "")))}</td>' for c, _ in columns[1:])
        + "</tr>"
        for r in reversed(package.releases)
    )
    return (
        '<h2 id="changes">Change log</h2>\n'
        '<table class="tie-figures">'
        f'<caption id="changes-caption"><span class="tie-caption-text">Every release, newest first (releases.csv)</span></caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>\n"
    )


def _group_list(package: Package, here: str) -> str:
    out = ['<h2 id="groups">Comparator groups</h2>\n', "<p>A page for each group, with every theme and statement and the routes to change.</p>\n"]
    for grouping, label in similar.GROUPINGS.items():
        items = "".join(
            f'<li><a href="{attr(relative(here, g.address))}">{inline_html(g.name)}</a> <span class="tie-count">({g.councils} councils)</span></li>'
            for g in package.groups
            if g.grouping == grouping
        )
        out.append(f'<h3 id="grouping-{grouping}">{inline_html(label)}</h3>\n<ul class="tie-bench-groups">{items}</ul>\n')
    return "".join(out)


def main_page(package: Package | None, editions: dict[str, Edition]) -> tuple[str, str]:
    here = BASE
    out = [front_matter({"title": "Benchmarks", "description": DESCRIPTION, "tie_page": "benchmarks"}), "# Benchmarks\n"]
    if package is None:
        out.append(_what(here))
        out.append(
            f'<div class="tie-banner" role="note"><p><strong>{NONE_YET}</strong> They appear here after the nightly job '
            "has run once councils have published their self-assessment responses for everyone.</p></div>\n"
        )
        out.append(_attribution(None, here))
        return here, "\n".join(out)
    if package.data.demo:
        out.append(demo_banner())
    out.append(_what(here))
    shown = package.edition_shown(editions) or ""
    meta = package.data.meta
    out.append(
        '<dl class="tie-meta" aria-label="What these figures are">'
        f"<dt>Edition</dt><dd>{inline_html(', '.join(package.editions) or shown)}</dd>"
        f"<dt>Release</dt><dd>{package.data.release}</dd>"
        f"<dt>Package version</dt><dd>{inline_html(package.data.version)}</dd>"
        f"<dt>Responses as of</dt><dd>{inline_html(meta.get('as_of', ''))}</dd>"
        f"<dt>Register version</dt><dd>{inline_html(meta.get('register_version', ''))}</dd></dl>\n"
    )
    out.append(_attribution(package, here))
    out.append(_group_list(package, here))
    out.append(_downloads(package, here))
    out.append(_change_log(package))
    return here, "\n".join(out)


def group_page(package: Package, group: Group, edition: Edition | None, edition_id: str) -> tuple[str, str]:
    here = group.address
    grouping = similar.GROUPINGS.get(group.grouping, group.grouping)
    title = f"Benchmarks: {group.name}"
    described = f"How the {group.councils} councils of {group.name} ({grouping.lower()}) place themselves on the self-assessment, theme by theme."
    out = [front_matter({"title": title, "description": described, "tie_page": "benchmarks"}), f"# {text(title)}\n"]
    if package.data.demo:
        out.append(demo_banner())
    out.append(
        f'<p class="tie-lede">{group.councils} councils, grouped by {inline_html(grouping.lower())}. Only responses published '
        f"for everyone are counted, and only where at least {similar.MINIMUM_GROUP} councils gave them.</p>\n"
    )
    out.append(_full_source(package, edition_id))
    out.append(_explain_columns())
    out.append(f'<p><a href="{attr(relative(here, BASE))}">Every group, the open data and the change log</a></p>\n')
    what = f"Group: {group.name}"
    themes = edition.themes if edition else []
    for theme in themes:
        out.append(f'<h2 id="{attr(theme.id)}">{inline_html(theme.label)}</h2>\n')
        for measure, about in MEASURES.items():
            rows = [(f"The theme ({len(theme.statements)} statements)", package.stages.get((edition_id, group.grouping, group.id, "theme", theme.id, measure)))]
            rows += [
                (f'<span class="tie-statement__id">{inline_html(s.id)}</span> {inline_html(s.text)}',
                 package.stages.get((edition_id, group.grouping, group.id, "statement", s.id, measure)))  # fmt: skip
                for s in theme.statements
            ]
            caption = f"{inline_html(theme.label)}: {inline_html(about)}" + _source(package, edition_id, what)
            out.append(_table(f"{theme.id}-{measure}", caption, "Statement", rows, STAGE_COLUMNS))
    out.append('<h2 id="routes">Routes to change</h2>\n')
    rows = [(inline_html(r.label), package.routes.get((edition_id, group.grouping, group.id, r.id))) for r in v.ROUTES.terms]
    out.append(_table("route-figures", "The share of councils favouring each route" + _source(package, edition_id, what), "Route", rows, ROUTE_COLUMNS))
    out.append(_attribution(package, here))
    return here, "\n".join(out)


def pages(package: Package | None, editions: dict[str, Edition]) -> list[tuple[str, str]]:
    """The benchmarks page and, with a package, a page per comparator group."""
    out = [main_page(package, editions)]
    if package is None:
        return out
    edition_id = package.edition_shown(editions) or ""
    edition = editions.get(edition_id)
    out += [group_page(package, g, edition, edition_id) for g in package.groups if g.grouping in similar.GROUPINGS]
    return out
