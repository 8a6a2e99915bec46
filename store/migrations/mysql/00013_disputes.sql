-- +goose Up
-- The dispute register (矛盾纠纷排查调处台账): matters that could become
-- collective or skip-level petitions. A dispute holds no person: no name,
-- identifier, phone or address; its leader by role only. The found_*
-- columns are the dispute as registered (an identical registration again is
-- a no-op, another is a conflict); risk, leader_role, handler_assigned and
-- resolve_by are its state now. resolve_by is a local date as days since
-- 1970-01-01 (calendar.Day); times are Unix seconds.
CREATE TABLE disputes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    dispute_no VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    found_at BIGINT NOT NULL,
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    found_risk VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    persons_estimate INT NOT NULL,
    found_leader_role VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    found_handler_assigned TINYINT NOT NULL,
    found_resolve_by INT NULL,
    source VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    registered_at BIGINT NOT NULL,
    status VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    risk VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    leader_role VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    handler_assigned TINYINT NOT NULL,
    resolve_by INT NULL,
    last_inspected_at BIGINT NULL,
    escalated_case VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    last_event_at BIGINT NOT NULL,
    last_seq INT NOT NULL DEFAULT 0,
    UNIQUE KEY uq_disputes_no (dispute_no),
    KEY idx_disputes_open (status, unit, category, risk),
    CONSTRAINT fk_disputes_unit FOREIGN KEY (unit) REFERENCES units (code),
    CONSTRAINT fk_disputes_category FOREIGN KEY (category) REFERENCES categories (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE dispute_events (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    dispute_id BIGINT NOT NULL,
    seq INT NOT NULL,
    type VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    at BIGINT NOT NULL,
    leader_role VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    handler_assigned TINYINT NOT NULL DEFAULT 0,
    resolve_by INT NULL,
    risk VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NULL,
    case_no VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    late TINYINT NOT NULL DEFAULT 0,
    UNIQUE KEY uq_dispute_events_seq (dispute_id, seq),
    CONSTRAINT fk_dispute_events_dispute FOREIGN KEY (dispute_id) REFERENCES disputes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The register's all-time counters, sharded as the case tallies are: found
-- by the risk when found, resolved (late or not) and escalated by the risk
-- at that moment.
CREATE TABLE dispute_tally (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    risk VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    shard TINYINT NOT NULL,
    found BIGINT NOT NULL,
    resolved BIGINT NOT NULL,
    resolved_late BIGINT NOT NULL,
    escalated BIGINT NOT NULL,
    PRIMARY KEY (unit, category, risk, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A unit's daily report (日报) for a local date (calendar.Day), zero reports
-- included. Sending it again replaces it; reported_at is the latest.
CREATE TABLE unit_reports (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    day INT NOT NULL,
    disputes_found INT NOT NULL,
    remark VARCHAR(500) NOT NULL DEFAULT '',
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (unit, day),
    KEY idx_unit_reports_day (day),
    CONSTRAINT fk_unit_reports_unit FOREIGN KEY (unit) REFERENCES units (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- +goose Down
DROP TABLE unit_reports;
DROP TABLE dispute_tally;
DROP TABLE dispute_events;
DROP TABLE disputes;
