"""The open-data package in data/benchmarks/: staged in a folder beside it and validated, then swapped in.

Only the public audience's figures are written here: what signed-in members see stays in the store
and is served by the app. The package holds stages.csv and routes.csv (the figures), groups.csv,
group-names.csv and neighbours.csv (who is similar to whom), releases.csv (the change log), and a
datapackage.json naming the licence, the sources with the register's attribution, a semver
version, the release and, for demo data, that it is synthetic.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from functions.benchmarks.disclosure import Figure, GroupId
from functions.benchmarks.figures import Key
from functions.benchmarks.rules import PUBLIC, reason
from model import opendata
from model.register import Register
from model.vocabulary import STAGES

FORMAT = 1  # the package's major version: a column removed or its meaning changed makes it 2
RELEASES_FIELDS = [
    {"name": "release", "type": "integer", "description": "The release's number: one more for every night that changed a figure."},
    {"name": "version", "type": "string", "description": "The package's version after that release (semver: the minor part counts releases that changed open data)."},
    {"name": "released-at", "type": "datetime", "description": "When the release was made (UTC)."},
    {"name": "as-of", "type": "datetime", "description": "The moment of the responses it counts: publications made by then (UTC)."},
    {"name": "register-version", "type": "string", "description": "The council register it used: titles and sha256 of its data files."},
    {"name": "councils", "type": "integer", "description": "Councils whose responses shared with everyone it counted."},
    {"name": "changes", "type": "string", "description": "What changed in the open data: figures newly shown, updated, kept or blanked."},
]


class InvalidPackage(Exception):
    """The written package did not pass validation: nothing was replaced. `errors` lists every problem."""

    def __init__(self, errors: list[str]):
        super().__init__("the benchmark package is not valid:\n" + "\n".join(f"  {e}" for e in errors))
        self.errors = errors


def next_version(previous: str | None, public_changed: bool) -> str:
    """The package's semver after a release: the minor part goes up when the open data changed."""
    if not previous:
        return f"{FORMAT}.0.0"
    major, minor, _patch = (int(x) for x in previous.split("."))
    if major != FORMAT:
        return f"{FORMAT}.0.0"
    return f"{major}.{minor + 1}.0" if public_changed else previous


def _cell(value) -> str:
    return "" if value is None else str(value)


def _note(code: str | None) -> str:
    return reason(code, PUBLIC) if code else ""


def stage_rows(figures: dict[Key, dict[GroupId, Figure]]):
    for key in sorted((k for k in figures if k.kind != "route"), key=lambda k: (k.edition, k.kind, k.subject, k.measure)):
        for gid in sorted(figures[key]):
            f = figures[key][gid]
            blank = f.status == "blank"
            row = [key.edition, gid[0], gid[1], key.kind, key.subject, key.measure,
                   "" if blank else f.n, _note(f.reason) if blank else ""]  # fmt: skip
            for stage in STAGES.ids:
                row += [_cell(f.cells.get(stage)), _note(f.cell_reasons.get(stage)) if f.cells.get(stage) is None else ""]
            row += [_cell(f.mean), _note(f.mean_reason) if f.mean is None else "", f.status, _cell(f.release)]
            yield row


def route_rows(figures: dict[Key, dict[GroupId, Figure]]):
    for key in sorted((k for k in figures if k.kind == "route"), key=lambda k: (k.edition, k.subject)):
        for gid in sorted(figures[key]):
            f = figures[key][gid]
            blank = f.status == "blank"
            yes = f.cells.get("yes")
            yield [key.edition, gid[0], gid[1], key.subject, "" if blank else f.n, _note(f.reason) if blank else "",
                   _cell(yes), _note(f.cell_reasons.get("yes") or f.cell_reasons.get("no")) if yes is None else "",
                   f.status, _cell(f.release)]  # fmt: skip


def descriptor(register: Register, meta: dict, hashes: dict[str, tuple[str, int]]) -> dict:
    demo = meta["synthetic"]
    resources = opendata.BENCHMARK_RESOURCES + opendata.SIMILAR_RESOURCES + [
        opendata.resource("releases", "Every release of this package, newest last: the change log", RELEASES_FIELDS, ["release"])
    ]
    out_resources = []
    for r in resources:
        r = dict(r)
        digest, size = hashes[r["path"]]
        r["hash"] = f"sha256:{digest}"
        r["bytes"] = size
        out_resources.append(r)
    description = (
        "How UK councils place themselves on the Transformation and Innovation Exchange's self-assessment, by "
        "comparator group: for each statement and theme, the share of councils at each stage now and as an ambition, "
        "and the share favouring each route to change. Only consensus responses that councils published for everyone "
        f"are counted, and only in figures of at least {PUBLIC.minimum} councils; cells that would give away a few "
        "councils' answers are blank, with the reason beside them (docs/decisions/0009-benchmarks.md). "
        f"Groups and neighbours are made from the council register version {register.version.label}."
    )
    if demo:
        description = "SYNTHETIC DEMO DATA: made up by `tie demo`, not councils' real answers. " + description
    return {
        "name": "exchange-benchmarks",
        "title": ("Synthetic demo: " if demo else "") + "Council self-assessment benchmarks by comparator group",
        "description": description,
        "version": meta["version"],
        "licenses": opendata.LICENSES,
        "contributors": [{"title": "Transformation and Innovation Exchange", "role": "publisher"}, *opendata.CONTRIBUTORS],
        "sources": opendata.sources(register.version),
        "exchange": meta,
        "resources": out_resources,
    }


@dataclass(frozen=True)
class Staged:
    """A package written and validated in a folder beside its target, waiting to be swapped in."""

    folder: Path
    checksum: str

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def stage(
    target: Path,
    register: Register,
    figures: dict[Key, dict[GroupId, Figure]],
    releases: list[list],
    meta: dict,
) -> Staged:
    """Write the package into a new folder beside `target` and validate it. Raises InvalidPackage, leaving
    nothing behind; `target` is not touched until `swap_in`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".benchmarks-", dir=target.parent))
    try:
        opendata.write_csv(staging / "stages.csv", opendata.STAGE_FIELDS, stage_rows(figures))
        opendata.write_csv(staging / "routes.csv", opendata.ROUTE_FIELDS, route_rows(figures))
        opendata.write_similar_tables(staging, register)
        opendata.write_csv(staging / "releases.csv", RELEASES_FIELDS, releases)
        hashes = {}
        for f in sorted(staging.glob("*.csv")):
            data = f.read_bytes()
            hashes[f.name] = (hashlib.sha256(data).hexdigest(), len(data))
        checksum = hashlib.sha256("".join(f"{n}:{h}\n" for n, (h, _) in sorted(hashes.items())).encode()).hexdigest()
        meta = {**meta, "checksum": checksum}
        (staging / "datapackage.json").write_text(
            json.dumps(descriptor(register, meta, hashes), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        errors = validate(staging)
        if errors:
            raise InvalidPackage(errors)
        return Staged(staging, checksum)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def validate(folder: Path) -> list[str]:
    """Every problem `frictionless validate` finds in the package in `folder`; empty when it is valid."""
    from frictionless import Package

    report = Package(str(folder / "datapackage.json")).validate()
    if report.valid:
        return []
    return [f"{task.name}: {e.title}: {e.message}" for task in report.tasks for e in task.errors] + [
        f"{e.title}: {e.message}" for e in report.errors
    ]


def swap_in(staged: Staged, target: Path) -> None:
    """Put the staged package where the old one was: the old one is moved aside first, then removed."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staged.folder.rename(target)
    if old.exists():
        shutil.rmtree(old)
