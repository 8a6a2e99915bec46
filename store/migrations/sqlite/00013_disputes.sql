-- +goose Up
-- The dispute register (矛盾纠纷排查调处台账): see the MySQL migration for the
-- columns' meaning. A dispute holds no person; its leader by role only.
CREATE TABLE disputes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dispute_no TEXT NOT NULL UNIQUE,
    found_at INTEGER NOT NULL,
    unit TEXT NOT NULL REFERENCES units (code),
    category TEXT NOT NULL REFERENCES categories (code),
    found_risk TEXT NOT NULL,
    persons_estimate INTEGER NOT NULL,
    found_leader_role TEXT NULL,
    found_handler_assigned INTEGER NOT NULL,
    found_resolve_by INTEGER NULL,
    source TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    risk TEXT NOT NULL,
    leader_role TEXT NULL,
    handler_assigned INTEGER NOT NULL,
    resolve_by INTEGER NULL,
    last_inspected_at INTEGER NULL,
    escalated_case TEXT NULL,
    last_event_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_disputes_open ON disputes (status, unit, category, risk);

CREATE TABLE dispute_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dispute_id INTEGER NOT NULL REFERENCES disputes (id),
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    leader_role TEXT NULL,
    handler_assigned INTEGER NOT NULL DEFAULT 0,
    resolve_by INTEGER NULL,
    risk TEXT NULL,
    case_no TEXT NULL,
    late INTEGER NOT NULL DEFAULT 0,
    UNIQUE (dispute_id, seq)
);

CREATE TABLE dispute_tally (
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    risk TEXT NOT NULL,
    shard INTEGER NOT NULL,
    found INTEGER NOT NULL,
    resolved INTEGER NOT NULL,
    resolved_late INTEGER NOT NULL,
    escalated INTEGER NOT NULL,
    PRIMARY KEY (unit, category, risk, shard)
);

CREATE TABLE unit_reports (
    unit TEXT NOT NULL REFERENCES units (code),
    day INTEGER NOT NULL,
    disputes_found INTEGER NOT NULL,
    remark TEXT NOT NULL DEFAULT '',
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (unit, day)
);
CREATE INDEX idx_unit_reports_day ON unit_reports (day);

-- +goose Down
DROP TABLE unit_reports;
DROP TABLE dispute_tally;
DROP TABLE dispute_events;
DROP TABLE disputes;
