-- +goose Up
CREATE TABLE units (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE categories (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL
);

-- Times are Unix seconds (UTC). received_unit is the unit at receipt and never
-- changes; unit is the current responsible unit.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_no TEXT NOT NULL UNIQUE,
    received_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL REFERENCES categories (code),
    received_unit TEXT NOT NULL REFERENCES units (code),
    unit TEXT NOT NULL REFERENCES units (code),
    persons INTEGER NOT NULL,
    level TEXT NOT NULL,
    petitioner_hash TEXT NOT NULL,
    repeat_of TEXT NULL,
    supervised INTEGER NOT NULL DEFAULT 0,
    collective INTEGER NOT NULL,
    skip_level INTEGER NOT NULL,
    is_repeat INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    stage TEXT NULL,
    stage_deadline INTEGER NULL,
    extended INTEGER NOT NULL DEFAULT 0,
    decided_at INTEGER NULL,
    last_event_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_cases_window ON cases (received_at, received_unit, category, collective, skip_level, is_repeat);
CREATE INDEX idx_cases_open ON cases (stage, unit, category, stage_deadline, supervised);
CREATE INDEX idx_cases_repeat ON cases (petitioner_hash, category, received_unit, received_at);

-- unit is the case's unit when the event happened, so counters built from
-- events keep the labels the facts had.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    unit TEXT NOT NULL,
    completed_stage TEXT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    days INTEGER NULL,
    result TEXT NULL,
    new_unit TEXT NULL,
    UNIQUE (case_id, seq)
);

-- Tallies are the all-time counters, kept in the same transaction as the
-- facts they count, so a refresh reads hundreds of rows instead of millions.
-- Each counter is spread over shards (rows), as on MySQL; readers add them up.
CREATE TABLE receipt_tally (
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    level TEXT NOT NULL,
    cases INTEGER NOT NULL,
    persons INTEGER NOT NULL,
    collective INTEGER NOT NULL,
    repeats INTEGER NOT NULL,
    shard INTEGER NOT NULL,
    PRIMARY KEY (unit, category, channel, level, shard)
);

CREATE TABLE completion_tally (
    unit TEXT NOT NULL,
    stage TEXT NOT NULL,
    completed INTEGER NOT NULL,
    late INTEGER NOT NULL,
    shard INTEGER NOT NULL,
    PRIMARY KEY (unit, stage, shard)
);

CREATE TABLE evaluation_tally (
    unit TEXT NOT NULL,
    result TEXT NOT NULL,
    evaluations INTEGER NOT NULL,
    shard INTEGER NOT NULL,
    PRIMARY KEY (unit, result, shard)
);

-- +goose Down
DROP TABLE evaluation_tally;
DROP TABLE completion_tally;
DROP TABLE receipt_tally;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE categories;
DROP TABLE units;
