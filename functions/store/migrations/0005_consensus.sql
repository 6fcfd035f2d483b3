-- The consensus: the super-user's working draft, and the council's published official responses.
-- Runs unchanged on SQLite and PostgreSQL. See docs/decisions/0006-consensus-data.md.

-- The draft the super-user records during the meeting, one row per round and statement. Stages
-- only (no "don't know": the meeting agrees a stage). `version` goes up with every save, so that
-- a save based on an older version (another super-user saved first) is refused, not overwritten.
-- Who saved it last is forgotten if they are erased; the draft, which is the council's, stays.
CREATE TABLE consensus_drafts (
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    statement_id TEXT NOT NULL,
    current TEXT NOT NULL,
    ambition TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT REFERENCES people (id) ON DELETE SET NULL,
    PRIMARY KEY (round_id, statement_id)
);

-- The council's favoured ambition routes as the meeting agreed them (a JSON list of route ids).
CREATE TABLE consensus_draft_routes (
    round_id TEXT PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
    routes TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT REFERENCES people (id) ON DELETE SET NULL
);

-- Each publication of a round's consensus is a new version; the highest version is the council's
-- official response for the round. `sharing` says who may see it: the council only, similar
-- councils (through the anonymised benchmarks), or everyone. Nothing personal is kept here except
-- who published it, which is forgotten if they are erased.
CREATE TABLE consensus_responses (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    council TEXT NOT NULL,
    edition TEXT NOT NULL,
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    sharing TEXT NOT NULL CHECK (sharing IN ('council', 'similar', 'public')),
    routes TEXT NOT NULL DEFAULT '[]',
    published_at BIGINT NOT NULL,
    published_by TEXT REFERENCES people (id) ON DELETE SET NULL,
    UNIQUE (round_id, version)
);
CREATE INDEX consensus_responses_edition ON consensus_responses (edition, council, year, version);

-- The published answers: a stage for now and for the ambition, and the rationale the council
-- recorded (shown to whoever may see the response; never given to the benchmarks).
CREATE TABLE consensus_answers (
    response_id TEXT NOT NULL REFERENCES consensus_responses (id) ON DELETE CASCADE,
    statement_id TEXT NOT NULL,
    current TEXT NOT NULL,
    ambition TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (response_id, statement_id)
);
