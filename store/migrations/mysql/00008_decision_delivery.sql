-- +goose Up
-- The latest decision (replied, reviewed, re_reviewed) and when the
-- petitioner received it: a review may be requested after the unit closed
-- the case, within the window that counts from the delivery when it is known.
ALTER TABLE cases ADD COLUMN decision VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER decided_at;
ALTER TABLE cases ADD COLUMN delivered_at BIGINT NULL AFTER decision;
UPDATE cases SET decision = (
    SELECT e.type FROM case_events e
    WHERE e.case_id = cases.id AND e.type IN ('replied', 'reviewed', 're_reviewed')
    ORDER BY e.seq DESC LIMIT 1)
WHERE decided_at IS NOT NULL;

-- +goose Down
ALTER TABLE cases DROP COLUMN delivered_at;
ALTER TABLE cases DROP COLUMN decision;
