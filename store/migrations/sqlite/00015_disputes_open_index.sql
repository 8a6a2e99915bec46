-- +goose Up
-- The refresh reads every open dispute's state; with the state's columns in
-- the index the read never leaves it (see the MariaDB migration).
CREATE INDEX idx_disputes_open_state ON disputes (status, unit, category, risk, resolve_by, persons_estimate,
    leader_role, handler_assigned, last_inspected_at);
DROP INDEX idx_disputes_open;

-- +goose Down
CREATE INDEX idx_disputes_open ON disputes (status, unit, category, risk);
DROP INDEX idx_disputes_open_state;
