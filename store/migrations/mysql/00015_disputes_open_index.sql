-- +goose Up
-- The refresh reads every open dispute's state (petition_disputes_open,
-- _overdue, _unowned, _persons_estimate). With the state's columns in the
-- index the read never leaves it: at 67,000 open disputes 0.2 s of row
-- lookups become a scan of the index alone.
CREATE INDEX idx_disputes_open_state ON disputes (status, unit, category, risk, resolve_by, persons_estimate,
    leader_role, handler_assigned, last_inspected_at);
DROP INDEX idx_disputes_open ON disputes;

-- +goose Down
CREATE INDEX idx_disputes_open ON disputes (status, unit, category, risk);
DROP INDEX idx_disputes_open_state ON disputes;
