"""The council register: a Frictionless data package of UK councils, read and validated at run time."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from model import vocabulary as v

ATTRIBUTION = (
    "Council register and context measures: mySociety, "
    "[UK local authority names and codes](https://github.com/mysociety/uk_local_authority_names_and_codes) "
    "and [composite UK IMD](https://github.com/mysociety/composite_uk_imd), "
    "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)."
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
NATION_NAMES = {t.label: t.id for t in v.NATIONS.terms}
REGION_NAMES = {t.label: t.id for t in v.REGIONS.terms}


class RegisterError(Exception):
    """The council register could not be read or is not valid; the message says why, in one line."""


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


@dataclass(frozen=True)
class Register:
    """Every current principal council, by code, and where the register came from."""

    location: str
    councils: dict[str, Council]

    def get(self, code: str) -> Council | None:
        return self.councils.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self.councils

    def sorted(self) -> list[Council]:
        return sorted(self.councils.values(), key=lambda c: c.name)


@functools.lru_cache(maxsize=4)
def load(location: str) -> Register:
    """Read and validate the register at `location` (a path or URL of datapackage.json).

    Raises RegisterError with one clear line when it is missing or invalid.
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
    if not report.valid:
        errors = report.flatten(["rowNumber", "fieldName", "message"])
        first = errors[0] if errors else ["", "", "invalid package"]
        raise RegisterError(
            f"council register at {location} is not valid ({len(errors)} error(s)); first: "
            f"row {first[0]}, field {first[1]}: {first[2]}"
        )
    names = {r.name for r in package.resources}
    if not {"councils", "deprivation"} <= names:
        raise RegisterError(f"council register at {location} lacks the councils and deprivation tables (has {sorted(names)})")
    deprivation = {row["local-authority-code"]: row for row in package.get_resource("deprivation").read_rows()}
    councils: dict[str, Council] = {}
    for row in package.get_resource("councils").read_rows():
        kind = TYPE_CODES.get(row["local-authority-type"])
        if not row["current-authority"] or kind is None:
            continue
        code = row["local-authority-code"]
        dep = deprivation.get(code, {})
        councils[code] = Council(
            code=code,
            name=row["official-name"],
            short_name=row["nice-name"] or row["official-name"],
            type=kind,
            nation=NATION_NAMES.get(row["nation"], ""),
            region=REGION_NAMES.get(row["region"], ""),
            gss=row["gss-code"] or "",
            population=int(row["pop-2020"]) if row["pop-2020"] is not None else None,
            area=float(row["area"]) if row["area"] is not None else None,
            deprivation_quintile=dep.get("la-imd-pop-quintile"),
            density=float(dep["density"]) if dep.get("density") is not None else None,
        )
    if not councils:
        raise RegisterError(f"council register at {location} holds no current councils")
    return Register(location, councils)


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
