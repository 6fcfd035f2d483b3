"""library.json: every published resource's metadata, for instant filtering in the browser and next steps in the app."""

from __future__ import annotations

import json
from pathlib import Path

from generator.content.facets import FACETS
from generator.content.resources import Resource
from model.register import Register
from model.site import LIBRARY_FILE


def entries(resources: list[Resource], register: Register | None) -> list[dict]:
    """One compact entry per resource; facet values are those the listing pages use."""
    out = []
    for r in sorted(resources, key=lambda r: (r.title.lower(), r.address)):
        entry = {"url": r.address, "title": r.title, "summary": r.summary, "kind": r.kind.id}
        for facet in FACETS:
            if facet.id != "kind":
                entry[facet.id] = sorted(facet.values(r, register))
        entry["statements"] = list(r.statements)
        entry["stages"] = list(r.stages)
        # what the resource says it is for, as written (the facets above add the council it is from): the app's
        # next steps leave out a resource for other council types, nations or regions
        entry["for"] = {"council-type": list(r.council_types), "nation": list(r.nations), "region": list(r.regions)}
        out.append(entry)
    return out


def write(site: Path, resources: list[Resource], register: Register | None) -> None:
    data = {"facets": [f.id for f in FACETS], "resources": entries(resources, register)}
    (site / LIBRARY_FILE).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
