-- +goose Up
-- One row per petitioner, category and unit at receipt; see the MySQL twin.
-- SQLite writes one transaction at a time, so the row only mirrors MySQL.
CREATE TABLE case_keys (
    k INTEGER NOT NULL PRIMARY KEY
);

-- +goose Down
DROP TABLE case_keys;
