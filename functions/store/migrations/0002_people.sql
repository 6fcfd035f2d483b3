-- People, their councils and roles, and how they sign in. Runs unchanged on SQLite and PostgreSQL.
-- Every table here that refers to a person is listed in functions/people/privacy.py (export and erasure).

-- A person, known by their work email address. `pseudonym` is random and is what the audit log
-- records, so that audit entries outlive the person's erasure without naming them.
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    pseudonym TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    operator INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX people_last_seen ON people (last_seen_at);

-- Who belongs to which council (a code of the council register), and as what.
CREATE TABLE memberships (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    council TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'super-user')),
    respondent_role TEXT CHECK (respondent_role IN ('officer', 'councillor')),
    joined_by TEXT NOT NULL CHECK (joined_by IN ('invitation', 'domain', 'operator')),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, council)
);
CREATE INDEX memberships_council ON memberships (council);

-- A person a super-user removed: joining by email domain no longer adds them back (an invitation still can).
CREATE TABLE removals (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    council TEXT NOT NULL,
    removed_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, council)
);

-- Email domains a council has registered: a person signing in with an address there joins the
-- council. One domain may belong to several councils (shared services).
CREATE TABLE council_domains (
    council TEXT NOT NULL,
    domain TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (council, domain)
);
CREATE INDEX council_domains_domain ON council_domains (domain);

-- One-time sign-in links: the token is kept only as a keyed hash. The address is kept (until the
-- retention job removes the link) because the person may not exist until the link is used.
CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    next_path TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX sign_in_links_expires ON sign_in_links (expires_at);

-- Server-held sessions: the cookie's value is kept only as a keyed hash; `id` names the session
-- without granting anything.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    mfa_verified_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Invitations to join a council, sent to one address; single use, kept only as a keyed hash.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    council TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'super-user')),
    invited_by TEXT REFERENCES people (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX invitations_council ON invitations (council);

-- A person's second factor. The TOTP secret itself is never stored: it is derived from the app's
-- secret key and this random salt, so a copy of the database alone cannot produce codes.
CREATE TABLE two_factor (
    person_id TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0
);

-- Recovery codes, each usable once, kept only as keyed hashes.
CREATE TABLE recovery_codes (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (person_id, code_hash)
);
