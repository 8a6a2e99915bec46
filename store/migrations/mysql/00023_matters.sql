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
    code VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    CONSTRAINT fk_matters_unit FOREIGN KEY (unit) REFERENCES units (code),
    CONSTRAINT fk_matters_category FOREIGN KEY (category) REFERENCES categories (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
ALTER TABLE cases ADD COLUMN received_matter VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD COLUMN matter VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE case_events ADD COLUMN matter VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE disputes ADD COLUMN matter VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;
CREATE INDEX idx_cases_matter_window ON cases (received_at, matter, petitioner_hash, persons);
CREATE INDEX idx_disputes_matter ON disputes (matter, status, risk);

-- +goose Down
DROP INDEX idx_disputes_matter ON disputes;
DROP INDEX idx_cases_matter_window ON cases;
ALTER TABLE disputes DROP COLUMN matter;
ALTER TABLE case_events DROP COLUMN matter;
ALTER TABLE cases DROP COLUMN matter, DROP COLUMN received_matter;
DROP TABLE matters;
