-- +goose Up
-- The audit trail: every write the API accepted, with the credential that
-- made it (its operator-chosen name, never a person's), the route, the
-- object and the time, written in the write's own transaction. Events and
-- disputes also keep the credential that recorded them; NULL for those
-- written before, by an import or by the demo.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    credential TEXT NOT NULL,
    method TEXT NOT NULL,
    route TEXT NOT NULL,
    object TEXT NOT NULL
);
CREATE INDEX idx_audit_log_at ON audit_log (at);
ALTER TABLE case_events ADD COLUMN recorded_by TEXT NULL;
ALTER TABLE disputes ADD COLUMN recorded_by TEXT NULL;
ALTER TABLE dispute_events ADD COLUMN recorded_by TEXT NULL;

-- +goose Down
ALTER TABLE dispute_events DROP COLUMN recorded_by;
ALTER TABLE disputes DROP COLUMN recorded_by;
ALTER TABLE case_events DROP COLUMN recorded_by;
DROP TABLE audit_log;
