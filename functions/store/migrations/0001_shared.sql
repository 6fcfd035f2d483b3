-- Shared by every feature: rate-limit counters and the append-only audit log.

-- One row per key (a keyed hash of an address or a client, never the address itself) per window.
CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- Who did what to whom, when. People appear by pseudonym only (people.pseudonym), so that an
-- entry outlives the person's erasure without naming them; no email or IP address is ever kept.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    council TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Entries cannot be edited, and can be deleted only by the retention job once older than the
-- retention period (2 years = 63072000 seconds; functions/retention.py states the same).
-- begin block
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log entries cannot be changed');
END;
-- end block
-- begin block
CREATE TRIGGER audit_log_no_early_delete BEFORE DELETE ON audit_log
WHEN old.at > CAST(strftime('%s', 'now') AS INTEGER) - 63072000
BEGIN
    SELECT RAISE(ABORT, 'audit log entries are kept for 2 years');
END;
-- end block
