-- +goose Up
-- One row per petitioner, category and unit at receipt. Creating a case locks
-- its row first, so two cases of the same person and matter are written one
-- after the other and each sees the other for the repeat rule.
CREATE TABLE case_keys (
    petitioner_hash CHAR(64) NOT NULL,
    category VARCHAR(64) NOT NULL,
    unit VARCHAR(64) NOT NULL,
    PRIMARY KEY (petitioner_hash, category, unit)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- +goose Down
DROP TABLE case_keys;
