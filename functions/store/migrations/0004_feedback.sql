-- Feedback from anyone, signed in or not. Runs unchanged on SQLite and PostgreSQL.
-- No column refers to a person, and nothing is recorded about the sender (no address, no browser):
-- a row holds only what was clicked or typed. `reply_to` is an email address the sender chose to
-- type for a reply. Rows are removed after 12 months (functions/feedback/feedback.py RETENTION).
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('useful', 'suggestion', 'unclear', 'step')),
    -- the site address the feedback is about: the page (useful, suggestion) or the resource
    -- recommended as a next step (step); empty for a statement
    page TEXT NOT NULL DEFAULT '',
    -- the self-assessment statement (unclear; and the statement a next step was recommended for)
    statement TEXT NOT NULL DEFAULT '',
    edition TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL DEFAULT '' CHECK (verdict IN ('', 'yes', 'no', 'helped', 'not-helped')),
    message TEXT NOT NULL DEFAULT '',
    reply_to TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feedback_at ON feedback (at);
CREATE INDEX feedback_page ON feedback (page, at);
