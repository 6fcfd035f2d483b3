-- The benchmark releases: what each nightly run showed to each audience, so that the next run can
-- check its figures against every contributor set ever shown and a night can be replayed.
-- Runs unchanged on SQLite and PostgreSQL. See docs/decisions/0009-benchmarks.md.

-- One row per release: when it ran, the time its snapshot was taken at, the register it used, the
-- open-data package's version and checksum, whether it was made from demo data, and its summary.
CREATE TABLE benchmark_releases (
    id INTEGER PRIMARY KEY,
    released_at BIGINT NOT NULL,
    as_of BIGINT NOT NULL,
    register_version TEXT NOT NULL,
    version TEXT NOT NULL,
    package_sha256 TEXT NOT NULL,
    demo INTEGER NOT NULL,
    summary TEXT NOT NULL
);

-- Contributor sets, by the sha256 of their sorted members ("council:publication id", one per line).
CREATE TABLE benchmark_sets (
    hash TEXT PRIMARY KEY,
    contributors TEXT NOT NULL
);

-- A figure's state from the release that changed it until the next row for the same figure: shown
-- (computed in this release from `set_hash`), kept (an earlier value, `reason` says why) or blank.
-- `counts` (JSON, the set's counts: all and hidden) never leaves the store; `value` (JSON) is what
-- its audience sees. Rows are written only when a figure changes, and never updated.
CREATE TABLE benchmark_figures (
    release_id INTEGER NOT NULL REFERENCES benchmark_releases (id),
    audience TEXT NOT NULL CHECK (audience IN ('public', 'signed-in')),
    edition TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    measure TEXT NOT NULL,
    grouping TEXT NOT NULL,
    group_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('shown', 'kept', 'blank')),
    set_hash TEXT REFERENCES benchmark_sets (hash),
    hidden_hash TEXT REFERENCES benchmark_sets (hash),
    counts TEXT,
    value TEXT NOT NULL,
    PRIMARY KEY (audience, grouping, group_id, edition, kind, subject, measure, release_id)
);

-- The sets of councils that one signed-in person belongs to together, as a release checked them:
-- such a person sees the benchmarks of all of them, so the release checked them as one viewer.
CREATE TABLE benchmark_viewers (
    release_id INTEGER NOT NULL REFERENCES benchmark_releases (id),
    councils TEXT NOT NULL,
    PRIMARY KEY (release_id, councils)
);
