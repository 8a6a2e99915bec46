-- +goose Up
-- One row per petitioner, category and unit at receipt. Creating a case locks
-- its row first, so two cases of the same person and matter are written one
-- after the other and each sees the other for the repeat rule.
-- The key is a 64-bit hash of the three; two keys sharing a hash only wait
-- for each other.
CREATE TABLE case_keys (
    k BIGINT NOT NULL PRIMARY KEY
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE case_keys;
