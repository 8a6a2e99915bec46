-- +goose Up
-- The audit trail: every write the API accepted, with the credential that
-- made it (its operator-chosen name, never a person's), the route, the
-- object and the time, written in the write's own transaction. Events and
-- disputes also keep the credential that recorded them; NULL for those
-- written before, by an import or by the demo.
CREATE TABLE audit_log (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at BIGINT NOT NULL,
    credential VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    method VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    route VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    object VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    KEY idx_audit_log_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;
ALTER TABLE case_events ADD COLUMN recorded_by VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE disputes ADD COLUMN recorded_by VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE dispute_events ADD COLUMN recorded_by VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;

-- +goose Down
ALTER TABLE dispute_events DROP COLUMN recorded_by;
ALTER TABLE disputes DROP COLUMN recorded_by;
ALTER TABLE case_events DROP COLUMN recorded_by;
DROP TABLE audit_log;
