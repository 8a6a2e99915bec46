-- +goose Up
-- 2022 信访工作条例 art. 22(三): the bureau's assignment (交办) sets a date by
-- which the unit reports the matter done; case_events.due holds the date a
-- transfer assigned, cases.assigned_due the open one (NULL when none, or
-- when the completion report came), read by the collector through
-- idx_cases_assigned: the open assignments, not the archive. Art. 23 ¶3:
-- a unit objects to the bureau's transfer within 5 working days of
-- receiving it; transferred_by and transferred_at keep who passed the case
-- on and when, filled here for the cases still waiting for their
-- acceptance decision after a transfer by the bureau (one that completed
-- routing). No assignment was stored before.
ALTER TABLE cases ADD COLUMN assigned_due INTEGER NULL;
ALTER TABLE cases ADD COLUMN transferred_by TEXT NULL;
ALTER TABLE cases ADD COLUMN transferred_at INTEGER NULL;
ALTER TABLE case_events ADD COLUMN due INTEGER NULL;
UPDATE cases SET
    transferred_by = (SELECT e.unit FROM case_events e WHERE e.case_id = cases.id AND e.type = 'transferred'
        AND e.completed_stage = 'routing' ORDER BY e.seq DESC LIMIT 1),
    transferred_at = (SELECT e.at FROM case_events e WHERE e.case_id = cases.id AND e.type = 'transferred'
        AND e.completed_stage = 'routing' ORDER BY e.seq DESC LIMIT 1)
WHERE status = 'received' AND routing = 1;
CREATE INDEX idx_cases_assigned ON cases (assigned_due, unit);

-- +goose Down
DROP INDEX idx_cases_assigned;
ALTER TABLE case_events DROP COLUMN due;
ALTER TABLE cases DROP COLUMN transferred_at;
ALTER TABLE cases DROP COLUMN transferred_by;
ALTER TABLE cases DROP COLUMN assigned_due;
