-- +goose Up
-- One row per petitioner, category and unit at receipt; see the MySQL twin.
-- SQLite writes one transaction at a time, so the row only mirrors MySQL.
CREATE TABLE case_keys (
    petitioner_hash TEXT NOT NULL,
    category TEXT NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (petitioner_hash, category, unit)
);

-- +goose Down
DROP TABLE case_keys;
