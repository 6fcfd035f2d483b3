"""The releases in the store: what every earlier night showed, read back, and a new night recorded.

A figure's row is written only when what its audience sees of it changes, so the store holds every
contributor set ever shown for every figure (the differencing checks look back over all of them)
and the state of every figure at any release (a night can be replayed and compared).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from functions.benchmarks.disclosure import Figure, GroupId, Past
from functions.benchmarks.figures import Key, contributor_hash
from functions.benchmarks.release import History, Release
from functions.benchmarks.rules import Counts
from functions.store import Tx

Current = dict[str, dict[Key, dict[GroupId, Figure]]]


@dataclass(frozen=True)
class ReleaseRow:
    id: int
    released_at: int
    as_of: int
    register_version: str
    version: str
    package_sha256: str
    demo: bool
    summary: dict


def _release(row: dict) -> ReleaseRow:
    return ReleaseRow(row["id"], row["released_at"], row["as_of"], row["register_version"], row["version"],
                      row["package_sha256"], bool(row["demo"]), json.loads(row["summary"]))  # fmt: skip


def latest(tx: Tx) -> ReleaseRow | None:
    row = tx.one("SELECT * FROM benchmark_releases ORDER BY id DESC LIMIT 1")
    return _release(row) if row else None


def get(tx: Tx, number: int) -> ReleaseRow | None:
    row = tx.one("SELECT * FROM benchmark_releases WHERE id = ?", (number,))
    return _release(row) if row else None


def all_releases(tx: Tx) -> list[ReleaseRow]:
    return [_release(r) for r in tx.all("SELECT * FROM benchmark_releases ORDER BY id")]


def _figure(row: dict, sets: dict[str, frozenset[str]], decoded: dict | None = None) -> Figure:
    """A stored row as a figure. `decoded`: JSON texts already decoded, and keys and groups already made, shared
    between the figures that store the same (a first night's hundred thousand figures hold a few thousand
    distinct values, for a few thousand keys); nothing changes a figure's values in place."""
    decoded = {} if decoded is None else decoded
    key = _shared(Key(row["edition"], row["kind"], row["subject"], row["measure"]), decoded)
    value = _decode(row["value"], decoded)
    counts = _decode(row["counts"], decoded) if row["counts"] else None
    return Figure(
        key,
        _shared((row["grouping"], row["group_id"]), decoded),
        value["status"],
        value["reason"],
        value["n"],
        value["cells"],
        value["cell_reasons"],
        value["mean"],
        value["mean_reason"],
        value["release"],
        sets.get(row["set_hash"], frozenset()),
        sets.get(row["hidden_hash"], frozenset()),
        Counts(counts["all"], counts["hidden"]) if counts else None,
    )


def _decode(text: str, decoded: dict) -> dict:
    found = decoded.get(text)
    if found is None:
        found = decoded[text] = json.loads(text)
    return found


def _shared(value: tuple, made: dict) -> tuple:
    """The one tuple equal to `value` made so far (keys and groups: tuples, never texts, so never a stored JSON text)."""
    return made.setdefault(value, value)


def load(tx: Tx, before: int | None = None, audience: str | None = None) -> tuple[History, Current]:
    """What every release before `before` (all of them when None) showed: the history and the current state.

    Every night reads all of it, so the rows are read one at a time and each distinct JSON text is decoded once.
    """
    where, params = [], []
    if before is not None:
        where.append("release_id < ?")
        params.append(before)
    if audience is not None:
        where.append("audience = ?")
        params.append(audience)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    sets = _sets(tx)
    history: History = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    current: Current = defaultdict(lambda: defaultdict(dict))
    decoded: dict = {}
    for r in tx.each(f"SELECT * FROM benchmark_figures{clause} ORDER BY release_id", params):
        fig = _figure(r, sets, decoded)
        current[r["audience"]][fig.key][fig.group] = fig
        if fig.status == "shown" and fig.release == r["release_id"]:
            history[r["audience"]][fig.key][fig.group].append(Past(r["release_id"], fig.contributors, fig.hidden, fig.counts, fig))
    return history, current


def _sets(tx: Tx) -> dict[str, frozenset[str]]:
    """Every contributor set stored, by hash: each is written once, for the first figure that showed it."""
    return {r["hash"]: frozenset(r["contributors"].split("\n")) if r["contributors"] else frozenset()
            for r in tx.each("SELECT hash, contributors FROM benchmark_sets")}  # fmt: skip


def viewers(tx: Tx) -> list[frozenset[str]]:
    """The sets of two or more councils that one person belongs to together, now (never who)."""
    found = {frozenset(r["councils"].split(",")) for r in tx.all("SELECT councils FROM benchmark_viewer_councils")}
    return sorted(found, key=sorted)


def checked_viewers(tx: Tx, release_id: int) -> set[frozenset[str]]:
    return {frozenset(r["councils"].split(",")) for r in tx.all("SELECT councils FROM benchmark_viewers WHERE release_id = ?", (release_id,))}


def record(tx: Tx, release: Release, changed: dict[str, list[Figure]], *, released_at: int, register_version: str,
           version: str, package_sha256: str, demo: bool, summary: dict) -> None:  # fmt: skip
    """Write the release, the sets it shows for the first time and its changed figures."""
    tx.insert(
        "benchmark_releases",
        {
            "id": release.number,
            "released_at": released_at,
            "as_of": release.as_of,
            "register_version": register_version,
            "version": version,
            "package_sha256": package_sha256,
            "demo": int(demo),
            "summary": json.dumps(summary, sort_keys=True),
        },
    )
    known = {r["hash"] for r in tx.all("SELECT hash FROM benchmark_sets")}
    new_sets: list[tuple] = []
    todo: list[tuple] = []
    hashes: dict[frozenset[str], str] = {}  # most figures of a group share their sets: each is hashed once

    def hash_of(members: frozenset[str]) -> str:
        found = hashes.get(members)
        if found is None:
            found = hashes[members] = contributor_hash(members)
        return found

    for audience, figs in changed.items():
        for f in figs:
            set_hash = hidden_hash = None
            if f.counts is not None:
                set_hash, hidden_hash = hash_of(f.contributors), hash_of(f.hidden)
                for h, members in ((set_hash, f.contributors), (hidden_hash, f.hidden)):
                    if h not in known:
                        new_sets.append((h, "\n".join(sorted(members))))
                        known.add(h)
            todo.append((audience, f, set_hash, hidden_hash))
    tx.insert_many("benchmark_sets", ("hash", "contributors"), new_sets)
    # in the order of the primary key (audience, grouping, group id, edition, kind, subject, measure): an index filled
    # in order writes each page once, where the order figures are decided in (key by key) sends every row to another
    # page, which made a first night's hundred thousand rows three times slower. The rows are made as they are
    # written, so that their texts are never all held at once.
    todo.sort(key=lambda t: (t[0], t[1].group, t[1].key))
    published: dict[tuple, str] = {}  # blank figures publish the same few values: each text is made once
    tx.insert_many("benchmark_figures", FIGURE_COLUMNS, (_row(audience, f, set_hash, hidden_hash, release.number, published)
                                                         for audience, f, set_hash, hidden_hash in todo))  # fmt: skip
    tx.insert_many("benchmark_viewers", ("release_id", "councils"), [(release.number, ",".join(sorted(c))) for c in release.viewers])


def _row(audience: str, f: Figure, set_hash: str | None, hidden_hash: str | None, number: int, published: dict[tuple, str]) -> tuple:
    counts = _JSON({"all": f.counts.all, "hidden": f.counts.hidden}) if f.counts else None
    if f.status == "blank":
        seen = (f.reason, tuple(f.cells.items()), tuple(f.cell_reasons.items()), f.n, f.mean, f.mean_reason, f.release)
        value = published.get(seen)
        if value is None:
            value = published[seen] = _SORTED_JSON(f.published())
    else:
        value = _SORTED_JSON(f.published())
    return (audience, f.group[0], f.group[1], *f.key, number, f.status, set_hash, hidden_hash, counts, value)


_JSON = json.JSONEncoder().encode  # one encoder for the hundred thousand rows of a first night
_SORTED_JSON = json.JSONEncoder(sort_keys=True).encode
FIGURE_COLUMNS = ("audience", "grouping", "group_id", "edition", "kind", "subject", "measure", "release_id", "status",
                  "set_hash", "hidden_hash", "counts", "value")  # fmt: skip


def signed_in_figures(tx: Tx, groups: list[GroupId], edition: str) -> dict[Key, dict[GroupId, Figure]]:
    """The latest signed-in figures of `groups` for an edition, for the results page, which reads it on every view:
    each group's rows are found through the primary key (audience, grouping, group id, edition), and the counts,
    which never leave the store, are not read."""
    if not groups:
        return {}
    marks = " OR ".join("(audience = 'signed-in' AND grouping = ? AND group_id = ? AND edition = ?)" for _ in groups)
    rows = tx.all(
        "SELECT release_id, edition, kind, subject, measure, grouping, group_id, value, NULL AS counts, NULL AS set_hash, "
        "NULL AS hidden_hash FROM benchmark_figures WHERE " + marks + " ORDER BY release_id",
        [x for g in groups for x in (g[0], g[1], edition)],
    )
    out: dict[Key, dict[GroupId, Figure]] = defaultdict(dict)
    for r in rows:
        fig = _figure(r, {})
        out[fig.key][fig.group] = fig
    return out
