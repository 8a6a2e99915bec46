-- +goose Up
-- A dispute's time limit moves later only with a reason (court,
-- negotiation, funds, other), and every move is counted
-- (dispute_tally.redated, by the risk when it was moved: redated_risk), so
-- that re-dating cannot take a dispute out of the overdue count unseen.
-- dispute_events.late now marks every event that came after the last day
-- of the time limit in force before it (it marked only a late resolution):
-- the dispute was overdue in that event's month, whatever the event did to
-- its time limit. idx_dispute_events_late reads the month's late events,
-- not the register's history. Events stored before kept their mark: a
-- resolution after the limit; no re-date was counted before.
ALTER TABLE dispute_events ADD COLUMN reason VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD COLUMN redated_risk VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE dispute_tally ADD COLUMN redated BIGINT NOT NULL DEFAULT 0;
CREATE INDEX idx_dispute_events_late ON dispute_events (late, at, dispute_id);

-- +goose Down
DROP INDEX idx_dispute_events_late ON dispute_events;
ALTER TABLE dispute_tally DROP COLUMN redated;
ALTER TABLE dispute_events DROP COLUMN redated_risk, DROP COLUMN reason;
