"""The council register: a Frictionless data package of UK councils, read and checked at run time.

`load(location)` gives every current principal council with the context measures used to find
similar councils (model/similar.py), and the register's version (its titles and a sha256 of its
data files), shown wherever its data appears. A register with a missing column or a malformed value
is refused with every problem listed, each naming the file, row and column, as `tie check` does for
content.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from model import vocabulary as v
from model.problems import Problem, show

ATTRIBUTION = (
    "Council register and context measures: mySociety, "
    "[UK local authority names and codes](https://github.com/mysociety/uk_local_authority_names_and_codes) "
    "and [composite UK IMD](https://github.com/mysociety/composite_uk_imd), "
    "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)."
)
ATTRIBUTION_HTML = (
    "Council register and context measures: mySociety, "
    '<a href="https://github.com/mysociety/uk_local_authority_names_and_codes">UK local authority names and codes</a> '
    'and <a href="https://github.com/mysociety/composite_uk_imd">composite UK IMD</a>, '
    '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.'
)

# The register's type codes, as councils name themselves. Combined authorities (COMB) and the
# Greater London Authority (SRA) are not principal councils, so nobody answers for them here.
TYPE_CODES = {
    "CTY": "county",
    "NMD": "district",
    "UA": "unitary",
    "SCO": "unitary",
    "WPA": "unitary",
    "MD": "metropolitan",
    "LBO": "london-borough",
    "CC": "london-borough",
    "NID": "ni-district",
}
# The register's `powers`, as tiers (model/vocabulary.py TIERS).
POWERS = {"upper tier": "upper", "lower tier": "lower", "unitary": "single", "ni district": "ni-district"}
NATION_NAMES = {t.label: t.id for t in v.NATIONS.terms}
REGION_NAMES = {t.label: t.id for t in v.REGIONS.terms}

# The columns read, table by table: a register without one of them is refused.
COLUMNS = {
    "councils": (
        "local-authority-code",
        "official-name",
        "nice-name",
        "gss-code",
        "nation",
        "region",
        "local-authority-type",
        "current-authority",
        "pop-2020",
        "area",
        "powers",
    ),
    "deprivation": ("local-authority-code", "la-deprivation-score", "la-imd-pop-quintile", "density"),
}


class RegisterError(Exception):
    """The council register could not be read or is not valid: `problems` lists every reason."""

    def __init__(self, message: str, problems: list[Problem] = ()):
        self.problems = sorted(problems)
        lines = [message] + [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))
        self.summary = message


@dataclass(frozen=True)
class Council:
    """A current principal council, with the context measures used to find similar councils."""

    code: str
    name: str
    short_name: str
    type: str
    nation: str
    region: str
    gss: str
    population: int | None
    area: float | None
    deprivation_quintile: int | None
    density: float | None
    deprivation_score: float | None = None  # composite UK IMD score: higher is more deprived
    tier: str = ""  # a TIERS id, from the register's `powers`


@dataclass(frozen=True)
class RegisterVersion:
    """Which register: the package's and its sources' titles, and a sha256 of its data files' bytes."""

    title: str
    sources: tuple[str, ...]
    sha256: str

    @property
    def label(self) -> str:
        """One line for pages and tables: the titles and the digest's first 12 hex digits."""
        return f"{self.title} ({'; '.join(self.sources)}), sha256 {self.sha256[:12]}"


@dataclass(frozen=True)
class Register:
    """Every current principal council, by code, and where the register came from."""

    location: str
    councils: dict[str, Council]
    version: RegisterVersion | None = None
    # what is worked out from the councils alone (model.similar's nearest neighbours), kept with them: a register
    # does not change once read, and the nightly and the build each ask for the same results more than once
    derived: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def get(self, code: str) -> Council | None:
        return self.councils.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self.councils

    def sorted(self) -> list[Council]:
        return sorted(self.councils.values(), key=lambda c: c.name)


@functools.lru_cache(maxsize=4)
def load(location: str) -> Register:
    """Read and check the register at `location` (a path or URL of datapackage.json).

    Raises RegisterError listing every problem when it is missing, invalid or lacks what is needed.
    """
    import frictionless  # imported here: it is slow to import and only this needs it

    if "://" not in location and not Path(location).is_file():
        raise RegisterError(
            f"council register not found at {location}: set TIE_COUNCILS to the path or URL of its datapackage.json"
        )
    try:
        package = frictionless.Package(location)
        report = package.validate()
    except Exception as err:  # frictionless raises many kinds; all mean the same to the user
        raise RegisterError(f"council register at {location} could not be read: {_first_line(err)}") from None
    base = posixpath.dirname(location)
    problems = _schema_problems(report, base)
    names = {r.name for r in package.resources}
    for table, columns in COLUMNS.items():
        if table not in names:
            problems.append(Problem(location, 1, table, f"a table named {table!r} in the package", show(sorted(names))))
            continue
        resource = package.get_resource(table)
        have = {f.name for f in resource.schema.fields}
        for column in columns:
            if column not in have:
                problems.append(Problem(_path(base, resource), 1, column, f"a column {column!r} in table {table!r}", "no such column"))
    if problems:
        raise RegisterError(f"council register at {location} is not valid ({len(problems)} problem(s))", problems)
    councils, problems = _councils(package, base)
    if problems:
        raise RegisterError(f"council register at {location} is not valid ({len(problems)} problem(s))", problems)
    if not councils:
        raise RegisterError(f"council register at {location} holds no current councils")
    return Register(location, councils, _version(package))


def _path(base: str, resource) -> str:
    return posixpath.join(base, resource.path) if base and resource.path else str(resource.path or resource.name)


def _schema_problems(report, base: str) -> list[Problem]:
    """Frictionless's own findings (types, enums, missing cells, uniqueness), one problem each."""
    found = []
    for task in report.tasks:
        where = posixpath.join(base, task.place) if base and task.place else (task.place or task.name)
        for e in task.errors:
            field = getattr(e, "field_name", None) or task.name
            cell = getattr(e, "cell", None)
            got = f"{e.title.lower()}: {e.note}" + (f" (cell {show(cell)})" if cell not in (None, "") else "")
            found.append(Problem(where, getattr(e, "row_number", None) or 1, field, "a value the package's schema allows", got))
    for e in report.errors:  # the package's own descriptor
        found.append(Problem(base or "datapackage.json", 1, "datapackage.json", "a valid data package descriptor", e.note))
    return found


def _number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _positive(value) -> bool:
    return _number(value) and value > 0


def _councils(package, base: str) -> tuple[dict[str, Council], list[Problem]]:
    """The current principal councils, and every value of theirs that cannot be used."""
    problems: list[Problem] = []
    dep_resource = package.get_resource("deprivation")
    deprivation = {row["local-authority-code"]: (n, row) for n, row in enumerate(dep_resource.read_rows(), start=2)}
    resource = package.get_resource("councils")
    path, dep_path = _path(base, resource), _path(base, dep_resource)
    councils: dict[str, Council] = {}
    for number, row in enumerate(resource.read_rows(), start=2):  # row 1 is the header
        kind = TYPE_CODES.get(row["local-authority-type"])
        if not row["current-authority"] or kind is None:
            continue
        code = row["local-authority-code"]

        def bad(column: str, expected: str, got, where: str = path, line: int = number, code: str = code) -> None:
            got = float(got) if isinstance(got, Decimal) else got  # frictionless reads numbers as Decimal('1338.0')
            problems.append(Problem(where, line, column, expected, f"{show(got)} for {code}"))

        if row["nation"] not in NATION_NAMES:
            bad("nation", "one of " + ", ".join(NATION_NAMES), row["nation"])
        if row["region"] not in REGION_NAMES:
            bad("region", "one of " + ", ".join(REGION_NAMES), row["region"])
        if row["powers"] not in POWERS:
            bad("powers", "one of " + ", ".join(POWERS), row["powers"])
        if not _positive(row["pop-2020"]):
            bad("pop-2020", "a population above 0", row["pop-2020"])
        if not _positive(row["area"]):
            bad("area", "an area in km² above 0", row["area"])
        dep_line, dep = deprivation.get(code, (0, None))
        if dep is None:
            bad("local-authority-code", "a row for every current council in the deprivation table", code, dep_path, 1)
            dep = {}
        else:
            if not _number(dep.get("la-deprivation-score")):
                bad("la-deprivation-score", "a deprivation score", dep.get("la-deprivation-score"), dep_path, dep_line)
            if not _positive(dep.get("density")):
                bad("density", "a density in people per km² above 0", dep.get("density"), dep_path, dep_line)
        councils[code] = Council(
            code=code,
            name=row["official-name"],
            short_name=row["nice-name"] or row["official-name"],
            type=kind,
            nation=NATION_NAMES.get(row["nation"], ""),
            region=REGION_NAMES.get(row["region"], ""),
            gss=row["gss-code"] or "",
            population=int(row["pop-2020"]) if _positive(row["pop-2020"]) else None,
            area=float(row["area"]) if _positive(row["area"]) else None,
            deprivation_quintile=dep.get("la-imd-pop-quintile"),
            density=float(dep["density"]) if _positive(dep.get("density")) else None,
            deprivation_score=float(dep["la-deprivation-score"]) if _number(dep.get("la-deprivation-score")) else None,
            tier=POWERS.get(row["powers"], ""),
        )
    return councils, problems


def _version(package) -> RegisterVersion:
    digest = hashlib.sha256()
    for resource in package.resources:
        digest.update(resource.read_bytes())
    sources = tuple(s.get("title", "") for r in package.resources for s in (r.sources or []) if s.get("title"))
    return RegisterVersion(package.title or package.name or "council register", sources, digest.hexdigest())


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
