-- +goose Up
-- A petitioner evaluates a decision (a reply, a review or re-review decision)
-- once: evaluated says the case's latest decision has its evaluation, so a
-- second one is refused and the satisfaction rate counts each decision once.
ALTER TABLE cases ADD COLUMN evaluated TINYINT NOT NULL DEFAULT 0 AFTER decided_at;
UPDATE cases SET evaluated = 1 WHERE decided_at IS NOT NULL AND EXISTS (
    SELECT 1 FROM case_events e WHERE e.case_id = cases.id AND e.type = 'evaluated' AND e.at >= cases.decided_at);

-- +goose Down
ALTER TABLE cases DROP COLUMN evaluated;
