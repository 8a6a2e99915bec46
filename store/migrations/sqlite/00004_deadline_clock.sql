-- +goose Up
-- A stored deadline is a cache of the rules: what it is computed from is kept
-- on the row, so that a change of the calendar or of a time limit can
-- recompute it. stage_start is the event that started the open stage's clock
-- (the receipt, the acceptance, the review or re-review request), and
-- extension_days the days handling was extended by.
ALTER TABLE cases ADD COLUMN stage_start INTEGER NULL;
ALTER TABLE cases ADD COLUMN extension_days INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET stage_start = CASE status
    WHEN 'received' THEN received_at
    ELSE (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = cases.id AND e.type = cases.status)
    END
WHERE stage IS NOT NULL;
UPDATE cases SET extension_days = COALESCE(
    (SELECT MAX(e.days) FROM case_events e WHERE e.case_id = cases.id AND e.type = 'extended'), 0)
WHERE extended = 1;
-- The rules the stored deadlines were computed with (a fingerprint): when it
-- differs from the running rules, riskmon recomputes the open cases'
-- deadlines. A database upgraded to this version has none, so its deadlines
-- are recomputed once, by the rules as the law counts days.
CREATE TABLE settings (
    name TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
ALTER TABLE cases DROP COLUMN extension_days;
ALTER TABLE cases DROP COLUMN stage_start;
