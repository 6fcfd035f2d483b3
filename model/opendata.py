"""The open data tables: their fields, described once, for the site's similar-councils package and the nightly benchmarks.

Both halves use them: `tie build` writes groups and neighbours into the site's method page, and
`tie nightly` writes the same tables beside its figures into data/benchmarks/, which `tie build`
then reads back (`read_benchmarks`) to bake the public tables into the pages. Every field is typed
and described, so that a reader of the CSV alone can tell what each column holds.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from model import similar
from model.register import ATTRIBUTION, Register, RegisterVersion
from model.vocabulary import ROUTES, STAGES

LICENSES = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
             "title": "Creative Commons Attribution 4.0 International"}]  # fmt: skip
CONTRIBUTORS = [{"title": "mySociety", "path": "https://mysociety.org", "role": "author"}]


def sources(version: RegisterVersion) -> list[dict]:
    """The register's sources, with its attribution and the digest of the data files used."""
    return [{"title": f"{version.title}: {s}", "path": "https://github.com/mysociety"} for s in version.sources] + [
        {"title": f"Council register data files, sha256 {version.sha256}", "path": "https://github.com/mysociety/uk_local_authority_names_and_codes"},
        {"title": ATTRIBUTION.replace("[", "").replace("]", " ").replace("(", "<").replace(")", ">"), "path": "https://creativecommons.org/licenses/by/4.0/"},
    ]


GROUPS_FIELDS = [
    {"name": "council-code", "type": "string", "description": "The council's code in the council register (local-authority-code)."},
    {"name": "grouping", "type": "string", "description": "Which grouping: " + "; ".join(f"{k} ({lbl.lower()})" for k, lbl in similar.GROUPINGS.items()) + ".",
     "constraints": {"enum": list(similar.GROUPINGS)}},  # fmt: skip
    {"name": "group", "type": "string", "description": "The council's group in that grouping (see group-names.csv)."},
]
GROUP_NAMES_FIELDS = [
    {"name": "grouping", "type": "string", "description": "Which grouping the group belongs to.", "constraints": {"enum": list(similar.GROUPINGS)}},
    {"name": "group", "type": "string", "description": "The group's id."},
    {"name": "name", "type": "string", "description": "The group's name."},
    {"name": "councils", "type": "integer", "description": f"How many councils it holds (at least {similar.MINIMUM_GROUP}).",
     "constraints": {"minimum": similar.MINIMUM_GROUP}},  # fmt: skip
    {"name": "merge-reason", "type": "string", "description": "For a group made by merging regions, why; empty otherwise."},
]
NEIGHBOURS_FIELDS = [
    {"name": "council-code", "type": "string", "description": "The council's code in the council register."},
    {"name": "rank", "type": "integer", "description": "1 for the nearest neighbour, and so on.", "constraints": {"minimum": 1}},
    {"name": "neighbour-code", "type": "string", "description": "The neighbour's code in the council register."},
    {"name": "distance", "type": "number", "description": "The weighted Euclidean distance between the two councils' standardised measures (0 is identical).",
     "constraints": {"minimum": 0}},  # fmt: skip
]


def resource(name: str, title: str, fields: list[dict], key: list[str], description: str = "") -> dict:
    out = {
        "name": name,
        "path": f"{name}.csv",
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": key, "missingValues": [""]},
    }
    if description:
        out["description"] = description
    return out


SIMILAR_RESOURCES = [
    resource("groups", "Each council's group in each grouping", GROUPS_FIELDS, ["council-code", "grouping"]),
    resource("group-names", "Each group's name and size, and why it was merged", GROUP_NAMES_FIELDS, ["grouping", "group"]),
    resource("neighbours", "Each council's nearest neighbours, nearest first", NEIGHBOURS_FIELDS, ["council-code", "rank"]),
]


def write_csv(path: Path, fields: list[dict], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([x["name"] for x in fields])
        writer.writerows(rows)


def write_similar_tables(folder: Path, register: Register) -> None:
    """groups.csv, group-names.csv and neighbours.csv, from the register alone."""
    all_groups = similar.groups(register)
    member = similar.membership(all_groups)
    write_csv(folder / "groups.csv", GROUPS_FIELDS, ([code, g, member[code][g].id] for code in sorted(member) for g in similar.GROUPINGS))
    write_csv(
        folder / "group-names.csv",
        GROUP_NAMES_FIELDS,
        ([g, grp.id, grp.label, len(grp.members), grp.merge.reason if grp.merge else ""] for g, by in all_groups.items() for grp in by.values()),
    )
    write_csv(
        folder / "neighbours.csv",
        NEIGHBOURS_FIELDS,
        ([code, n.rank, n.code, f"{n.distance:.6f}"] for code, ns in similar.neighbours(register).items() for n in ns),
    )


# -- the benchmark figures ----------------------------------------------------------------------

STATUS = {
    "shown": "computed in this figure's release from the responses shared by then",
    "kept": "an earlier release's figure, kept because showing tonight's would give away a few councils' answers (see note)",
    "blank": "not shown (see note)",
}


def _note(what: str) -> dict:
    return {"name": f"{what}-note", "type": "string", "description": f"Why {what} is blank, when it is; empty otherwise."}


_FIGURE_START = [
    {"name": "edition", "type": "string", "description": "The questionnaire edition the responses answered."},
    {"name": "grouping", "type": "string", "description": "Which fixed grouping: " + "; ".join(f"{k} ({lbl.lower()})" for k, lbl in similar.GROUPINGS.items()) + ".",
     "constraints": {"enum": list(similar.GROUPINGS)}},  # fmt: skip
    {"name": "group", "type": "string", "description": "The comparator group (see group-names.csv)."},
]
_FIGURE_END = [
    {"name": "status", "type": "string", "description": "; ".join(f"{k}: {v}" for k, v in STATUS.items()) + ".", "constraints": {"enum": list(STATUS)}},
    {"name": "release", "type": "integer", "description": "The release whose responses the figure was computed from (blank when the figure is blank)."},
]
STAGE_FIELDS = (
    _FIGURE_START
    + [
        {"name": "kind", "type": "string", "description": "statement: one statement; theme: each council's middle stage over the theme's statements.",
         "constraints": {"enum": ["statement", "theme"]}},  # fmt: skip
        {"name": "subject", "type": "string", "description": "The statement id or theme id."},
        {"name": "measure", "type": "string", "description": "current: where councils are now; ambition: where they aim to be.",
         "constraints": {"enum": ["current", "ambition"]}},  # fmt: skip
        {"name": "n", "type": "integer", "description": "How many councils' shared responses the figure counts (blank when the figure is blank).", "constraints": {"minimum": 0}},
        _note("n"),
    ]
    + [
        field
        for t in STAGES.terms
        for field in (
            {"name": t.id, "type": "integer", "description": f"Percentage of the n councils at \u201c{t.label}\u201d ({t.description.rstrip('.')}), to a whole number.",
             "constraints": {"minimum": 0, "maximum": 100}},  # fmt: skip
            _note(t.id),
        )
    ]
    + [
        {"name": "mean", "type": "number", "description": f"The mean stage, from 1 ({STAGES.terms[0].label}) to {len(STAGES.terms)} ({STAGES.terms[-1].label}), to one decimal place."},
        _note("mean"),
    ]
    + _FIGURE_END
)
ROUTE_FIELDS = (
    _FIGURE_START
    + [
        {"name": "route", "type": "string", "description": "The route to change (ids: " + ", ".join(ROUTES.ids) + ").", "constraints": {"enum": list(ROUTES.ids)}},
        {"name": "n", "type": "integer", "description": "How many councils' shared responses the figure counts (blank when the figure is blank).", "constraints": {"minimum": 0}},
        _note("n"),
        {"name": "favours", "type": "integer", "description": "Percentage of the n councils favouring the route, to a whole number.",
         "constraints": {"minimum": 0, "maximum": 100}},  # fmt: skip
        _note("favours"),
    ]
    + _FIGURE_END
)
BENCHMARK_RESOURCES = [
    resource("stages", "Where councils put themselves, by comparator group: each statement and theme, now and as an ambition",
             STAGE_FIELDS, ["edition", "grouping", "group", "kind", "subject", "measure"]),  # fmt: skip
    resource("routes", "The share of councils favouring each route to change, by comparator group", ROUTE_FIELDS, ["edition", "grouping", "group", "route"]),
]


@dataclass(frozen=True)
class Benchmarks:
    """The public benchmark package as `tie build` reads it back: its metadata and its rows."""

    meta: dict
    stages: list[dict]
    routes: list[dict]

    @property
    def release(self) -> int:
        return int(self.meta.get("release", 0))

    @property
    def version(self) -> str:
        return str(self.meta.get("version", ""))

    @property
    def demo(self) -> bool:
        return bool(self.meta.get("synthetic", False))


def read_benchmarks(folder: Path) -> Benchmarks | None:
    """The package in `folder` (data/benchmarks/), or None when there is none yet."""
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        return None
    meta = json.loads(descriptor.read_text(encoding="utf-8"))

    def rows(name: str) -> list[dict]:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    return Benchmarks(meta.get("exchange", {}) | {"version": meta.get("version", "")}, rows("stages"), rows("routes"))
