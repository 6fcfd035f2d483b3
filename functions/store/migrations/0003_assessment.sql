-- The self-assessment: rounds, each member's own response and answers, and idempotency records.
-- Runs unchanged on SQLite and PostgreSQL.

-- One round per council per year, answering one questionnaire edition. `status` is open, closed
-- or published (functions/assessment/rounds.py). Closing sets closed_at, which starts the 12 months after
-- which individual answers are deleted (functions/retention.py). Whoever opened it is forgotten
-- if they are erased; the round, which is the council's, stays.
CREATE TABLE rounds (
    id TEXT PRIMARY KEY,
    council TEXT NOT NULL,
    edition TEXT NOT NULL,
    year INTEGER NOT NULL,
    status TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    opened_by TEXT REFERENCES people (id) ON DELETE SET NULL,
    closed_at BIGINT,
    UNIQUE (council, year)
);

-- A member's own response to a round: personal data, read only by its author and the council's
-- super-user, and erased with the person. `routes` is a JSON list of ambition route ids;
-- `version` goes up with every save so that a save based on an older version is refused.
CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    respondent_role TEXT,
    routes TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    UNIQUE (round_id, person_id)
);
CREATE INDEX responses_person ON responses (person_id);

-- One row per statement answered. current and ambition are stage ids or 'dont-know'; NULL while
-- a draft leaves them unanswered.
CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    statement_id TEXT NOT NULL,
    current TEXT,
    ambition TEXT,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (response_id, statement_id)
);

-- A request sent with an Idempotency-Key is stored with its response, in the same transaction as
-- its effect, so a retry gets the same answer and changes nothing. Kept for a day.
CREATE TABLE idempotency_keys (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
