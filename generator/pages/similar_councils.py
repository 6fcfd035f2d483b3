"""The method page of similar councils, and the open data it offers: groups and neighbours as a Frictionless package.

`write_package` writes similar-councils/ into the generated tree (MkDocs copies it into the site):
datapackage.json, groups.csv (council code, grouping, group), group-names.csv (each group's name,
size and, for a merged group, why) and neighbours.csv (council code, rank, neighbour code, distance).
The package names the register version it was made from; tests validate it with `frictionless validate`.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.pages.councils import METHOD, address, attribution
from generator.pages.mdtext import attr, front_matter, inline_html, relative
from model import opendata, similar
from model import vocabulary as v
from model.register import Register

PACKAGE_VERSION = "1.0.0"  # semver: a new column is a minor version, a changed meaning a major one
FOLDER = METHOD.strip("/")

def _descriptor(register: Register) -> dict:
    version = register.version
    return {
        "name": "similar-councils",
        "title": "Similar councils: comparator groups and nearest neighbours",
        "description": (
            "Fixed, non-overlapping comparator groups of UK principal councils (council type by nation; council type by "
            f"region, small groups merged) and each council's {similar.NEIGHBOURS} nearest neighbours of the same tier (10 in "
            "Northern Ireland) by standardised log population, log population density and deprivation score, equally weighted. "
            f"Made by the Transformation and Innovation Exchange from the council register version {version.label}."
        ),
        "version": PACKAGE_VERSION,
        "licenses": opendata.LICENSES,
        "contributors": opendata.CONTRIBUTORS,
        "sources": opendata.sources(version),
        "resources": [
            *opendata.SIMILAR_RESOURCES,
        ],
    }


def write_package(docs: Path, register: Register) -> Path:
    """Write the package into docs/similar-councils/; returns the descriptor's path."""
    folder = docs / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    opendata.write_similar_tables(folder, register)
    path = folder / "datapackage.json"
    path.write_text(json.dumps(_descriptor(register), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def method_page(register: Register) -> tuple[str, str]:
    """How the groups and neighbours are made, from which register, and how to download them."""
    here = METHOD
    all_groups = similar.groups(register)
    sizes = similar.tier_sizes(register)
    out = [front_matter({"title": "How similar councils are found", "tie_page": "method"}), "# How similar councils are found\n"]
    out.append(
        '<p class="tie-lede">The Exchange compares a council with councils like it in two ways, both made only from open '
        "data, so that anyone can check them: fixed comparator groups, and each council's nearest neighbours.</p>\n"
    )
    out.append(attribution(register, here))
    out.append(
        '<h2 id="register">The register</h2>\n'
        f"<p>Every current principal council in the UK ({len(register.councils)} councils) from mySociety's register of "
        "local authorities, with their population (2020), area, population density and the composite UK index of multiple "
        "deprivation. Combined authorities and the Greater London Authority are left out: nobody answers the self-assessment "
        f"for them. The version used: <strong>{inline_html(register.version.label)}</strong> (the digest is a sha256 of the "
        "register's data files, in full in the downloadable package).</p>\n"
    )
    out.append('<h2 id="groups">Fixed comparator groups</h2>\n')
    out.append(
        "<p>Two groupings, each putting every council in exactly one group. Groups do not overlap, so figures published for "
        "different groups cannot be set against each other to reveal a few councils' answers. Every group holds at least "
        f"{similar.MINIMUM_GROUP} councils, the least a published figure may count (the ONS 10-5 rule). Benchmarks published as "
        "open data use these groups only.</p>\n"
        "<ul><li><strong>Council type by nation</strong>: county, district, unitary, metropolitan, London borough or Northern "
        "Ireland district, in England, Scotland, Wales or Northern Ireland.</li>"
        "<li><strong>Council type by region</strong>: the same types by English region (Scotland, Wales and Northern Ireland "
        f"stand as their own region). Where a type has fewer than {similar.MINIMUM_GROUP} councils in a region, regions are "
        "merged by the table below.</li></ul>\n"
    )
    rows = "".join(
        f'<tr><td>{inline_html(m.label)}</td><td>{inline_html(", ".join(v.REGIONS.label(r) for r in m.regions))}</td>'
        f"<td>{len(all_groups['type-region'][m.group].members) if m.group in all_groups['type-region'] else 0}</td><td>{inline_html(m.reason)}</td></tr>"
        for m in similar.MERGES
    )
    out.append(
        '<div class="tie-table"><table><caption>Merged groups and why</caption><thead><tr><th scope="col">Group</th>'
        f'<th scope="col">Regions</th><th scope="col">Councils</th><th scope="col">Why</th></tr></thead><tbody>{rows}</tbody></table></div>\n'
    )
    for grouping, label in similar.GROUPINGS.items():
        rows = "".join(
            f"<tr><td>{inline_html(g.label)}</td><td>{len(g.members)}</td>"
            f'<td><a href="{attr(relative(here, address(g.members[0])))}">{inline_html(register.get(g.members[0]).short_name)}</a> and others</td></tr>'
            for g in all_groups[grouping].values()
        )
        out.append(
            f'<div class="tie-table"><table><caption>{inline_html(label)}: every group</caption><thead><tr><th scope="col">Group</th>'
            f'<th scope="col">Councils</th><th scope="col">For example</th></tr></thead><tbody>{rows}</tbody></table></div>\n'
        )
    weights = "".join(f"<li>{inline_html(name)}: weight {w:g}</li>" for name, w in similar.WEIGHTS.items())
    out.append(
        '<h2 id="neighbours">Nearest neighbours</h2>\n'
        f"<p>For each council, the {similar.NEIGHBOURS} councils of the same tier that are most like it. A tier is what the "
        "council does, from the register's <em>powers</em>: upper tier (county councils), lower tier (district councils), "
        "single tier (unitaries, metropolitan and London boroughs) and Northern Ireland districts. A county is compared only "
        "with counties because its services (social care, schools, highways) are not a district's. "
        f"Northern Ireland has {sizes.get('ni-district', 0)} district councils, so each has {sizes.get('ni-district', 1) - 1} "
        "neighbours, not 15.</p>\n"
        "<p>Three measures, each standardised within the tier (minus the tier's mean, divided by the tier's standard deviation, "
        "so that each counts in the same units):</p>\n"
        "<ul><li><strong>log population</strong>: councils range from 2,000 people to a million, so a difference of a tenth "
        "counts the same for a small council as a large one;</li>"
        "<li><strong>log population density</strong>: people per km², logged for the same reason; it separates rural from urban "
        "councils of the same size;</li>"
        "<li><strong>deprivation score</strong>: the composite UK index of multiple deprivation for the council's area, as "
        "it is (higher is more deprived).</li></ul>\n"
        f"<p>The weights, equal because nothing in the open data says one measure matters more than another, and equal weights let "
        f"anyone check a distance by hand:</p><ul>{weights}</ul>\n"
        "<p>The distance between two councils is the square root of the weighted sum of the squared differences of their "
        "standardised measures. Neighbours are ranked by distance, nearest first; two at the same distance are ordered by "
        "their register code. The same register always gives the same neighbours.</p>\n"
        "<p>Neighbours overlap heavily (a council's neighbours share most of theirs), so figures for them could be set against each "
        "other to reveal a council's answers. They are therefore shown only to signed-in members of councils, one group at a "
        "time, and never published as open data; the open data uses the fixed groups.</p>\n"
    )
    out.append(
        '<h2 id="cipfa">How this differs from CIPFA\'s nearest neighbours</h2>\n'
        "<p>CIPFA's Nearest Neighbours Model is the comparator most councils know. It uses many more measures (around 40, "
        "from demography to the economy and housing, weighted by CIPFA) and is sold by subscription, so its groups cannot be "
        "republished or checked by those who have not paid for them. The Exchange's neighbours use three open measures and "
        "equal weights: coarser, but anyone can download them, see exactly how they were made and reproduce them from the "
        "register. Where a council already uses CIPFA's neighbours for its own benchmarking, it can keep doing so; these "
        "are offered for comparing answers to the self-assessment, where every council must be able to see its comparators.</p>\n"
    )
    base = relative(here, METHOD)
    out.append(
        '<h2 id="download">Download</h2>\n'
        "<p>The groups and neighbours as open data, a Frictionless data package under CC BY 4.0 (attribute mySociety for "
        f"the register, and the Exchange), version {PACKAGE_VERSION}:</p>\n"
        f'<ul><li><a href="{attr(base)}datapackage.json">datapackage.json</a>: what each file and column holds</li>'
        f'<li><a href="{attr(base)}groups.csv">groups.csv</a>: council code, grouping, group</li>'
        f'<li><a href="{attr(base)}group-names.csv">group-names.csv</a>: each group\'s name, size and why it was merged</li>'
        f'<li><a href="{attr(base)}neighbours.csv">neighbours.csv</a>: council code, rank, neighbour code, distance</li></ul>\n'
    )
    return here, "\n".join(out)
