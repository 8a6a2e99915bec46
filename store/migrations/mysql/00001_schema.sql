-- +goose Up
CREATE TABLE units (
    code VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    kind VARCHAR(16) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE categories (
    code VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Codes, case numbers and hashes are ASCII with binary comparison: cheaper in
-- every index than utf8mb4's collation, and exact. Times are Unix seconds (UTC). received_unit is the unit at receipt and never
-- changes; unit is the current responsible unit.
CREATE TABLE cases (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_no VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    received_at BIGINT NOT NULL,
    channel VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    received_unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    persons INT NOT NULL,
    level VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    petitioner_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    repeat_of VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    supervised TINYINT NOT NULL DEFAULT 0,
    collective TINYINT NOT NULL,
    skip_level TINYINT NOT NULL,
    is_repeat TINYINT NOT NULL DEFAULT 0,
    status VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    stage VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NULL,
    stage_deadline BIGINT NULL,
    extended TINYINT NOT NULL DEFAULT 0,
    decided_at BIGINT NULL,
    last_event_at BIGINT NOT NULL,
    last_seq INT NOT NULL DEFAULT 0,
    UNIQUE KEY uq_cases_case_no (case_no),
    KEY idx_cases_window (received_at, received_unit, category, collective, skip_level, is_repeat),
    KEY idx_cases_open (stage, unit, category, stage_deadline, supervised),
    KEY idx_cases_repeat (petitioner_hash, category, received_unit, received_at),
    CONSTRAINT fk_cases_category FOREIGN KEY (category) REFERENCES categories (code),
    CONSTRAINT fk_cases_received_unit FOREIGN KEY (received_unit) REFERENCES units (code),
    CONSTRAINT fk_cases_unit FOREIGN KEY (unit) REFERENCES units (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- unit is the case's unit when the event happened, so counters built from
-- events keep the labels the facts had.
CREATE TABLE case_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    seq INT NOT NULL,
    type VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    at BIGINT NOT NULL,
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    completed_stage VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NULL,
    late TINYINT NOT NULL DEFAULT 0,
    days INT NULL,
    result VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NULL,
    new_unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    UNIQUE KEY uq_case_events_seq (case_id, seq),
    CONSTRAINT fk_case_events_case FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Tallies are the all-time counters, kept in the same transaction as the
-- facts they count, so a refresh reads hundreds of rows instead of millions.
-- Each counter is spread over 16 shards (rows) so that concurrent writers of
-- the same unit and category rarely wait for one another's row lock; readers
-- add the shards up.
CREATE TABLE receipt_tally (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    level VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    cases BIGINT NOT NULL,
    persons BIGINT NOT NULL,
    collective BIGINT NOT NULL,
    repeats BIGINT NOT NULL,
    shard TINYINT NOT NULL,
    PRIMARY KEY (unit, category, channel, level, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE completion_tally (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    stage VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    completed BIGINT NOT NULL,
    late BIGINT NOT NULL,
    shard TINYINT NOT NULL,
    PRIMARY KEY (unit, stage, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE evaluation_tally (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    result VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    evaluations BIGINT NOT NULL,
    shard TINYINT NOT NULL,
    PRIMARY KEY (unit, result, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- +goose Down
DROP TABLE evaluation_tally;
DROP TABLE completion_tally;
DROP TABLE receipt_tally;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE categories;
DROP TABLE units;
