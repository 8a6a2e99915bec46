-- +goose Up
-- Matters (the problem many petitioners raise: one demolition project, one
-- enterprise's unpaid wages): a registry like the units', named by cases
-- and disputes. cases.received_matter is the matter the case named when it
-- was received (content, compared when the case is sent again); cases.matter
-- the one it raises now, moved by linked events (case_events.matter). The
-- rising rule reads the cases received in the last 30 days through
-- idx_cases_matter_window, which covers it: its cost is the window's cases,
-- not the archive. No case or dispute named a matter before.
CREATE TABLE matters (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    unit TEXT NOT NULL REFERENCES units (code),
    category TEXT NOT NULL REFERENCES categories (code)
);
ALTER TABLE cases ADD COLUMN received_matter TEXT NULL;
ALTER TABLE cases ADD COLUMN matter TEXT NULL;
ALTER TABLE case_events ADD COLUMN matter TEXT NULL;
ALTER TABLE disputes ADD COLUMN matter TEXT NULL;
CREATE INDEX idx_cases_matter_window ON cases (received_at, matter, petitioner_hash, persons);
CREATE INDEX idx_disputes_matter ON disputes (matter, status, risk);

-- +goose Down
DROP INDEX idx_disputes_matter;
DROP INDEX idx_cases_matter_window;
ALTER TABLE disputes DROP COLUMN matter;
ALTER TABLE case_events DROP COLUMN matter;
ALTER TABLE cases DROP COLUMN matter;
ALTER TABLE cases DROP COLUMN received_matter;
DROP TABLE matters;
