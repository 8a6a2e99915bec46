-- +goose Up
-- Escalations that page. dispute_tally.escalated counts every dispute that
-- became a petition; an escalation recorded within the backfill horizon of
-- when it happened is news (escalated_timely) and pages, history loaded
-- later does not; one into a collective or skip-level petition
-- (escalated_major_timely) pages harder in a sensitive period. No dispute
-- was written before this version (nothing called the register), so there
-- is nothing to count again.
ALTER TABLE dispute_events ADD COLUMN timely TINYINT NOT NULL DEFAULT 0;
ALTER TABLE dispute_tally
    ADD COLUMN escalated_timely BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN escalated_major_timely BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE dispute_tally DROP COLUMN escalated_major_timely, DROP COLUMN escalated_timely;
ALTER TABLE dispute_events DROP COLUMN timely;
