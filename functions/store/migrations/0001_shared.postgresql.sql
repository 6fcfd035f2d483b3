-- Shared by every feature: rate-limit counters and the append-only audit log (PostgreSQL).

CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

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

-- Entries cannot be edited, and can be deleted only once older than the retention period (2 years).
-- begin block
CREATE FUNCTION audit_log_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit log entries cannot be changed';
    END IF;
    IF OLD.at > EXTRACT(EPOCH FROM now())::bigint - 63072000 THEN
        RAISE EXCEPTION 'audit log entries are kept for 2 years';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
-- end block
CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
