-- +goose Up
-- A stored deadline is a cache of the rules: what it is computed from is kept
-- on the row, so that a change of the calendar or of a time limit can
-- recompute it. stage_start is the event that started the open stage's clock
-- (the receipt, the acceptance, the review or re-review request), and
-- extension_days the days handling was extended by.
ALTER TABLE cases
    ADD COLUMN stage_start BIGINT NULL AFTER stage,
    ADD COLUMN extension_days INT NOT NULL DEFAULT 0 AFTER extended;
UPDATE cases c SET stage_start = CASE c.status
    WHEN 'received' THEN c.received_at
    ELSE (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = c.id AND e.type = c.status)
    END
WHERE c.stage IS NOT NULL;
UPDATE cases c SET extension_days = COALESCE(
    (SELECT MAX(e.days) FROM case_events e WHERE e.case_id = c.id AND e.type = 'extended'), 0)
WHERE c.extended = 1;
-- The rules the stored deadlines were computed with (a fingerprint): when it
-- differs from the running rules, riskmon recomputes the open cases'
-- deadlines. A database upgraded to this version has none, so its deadlines
-- are recomputed once, by the rules as the law counts days.
CREATE TABLE settings (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    value VARCHAR(255) NOT NULL
) ENGINE=InnoDB;

-- +goose Down
DROP TABLE settings;
ALTER TABLE cases DROP COLUMN stage_start, DROP COLUMN extension_days;
