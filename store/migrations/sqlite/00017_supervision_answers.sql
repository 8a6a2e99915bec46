-- +goose Up
-- 2022 信访工作条例 art. 40: the organ answers a supervision (督办) in writing;
-- supervision_answered is set by that answer and cleared when a higher level
-- takes the case up. Supervision may now come at any time until the case is
-- closed (after a refusal or a reply too), up to the national bureau.
ALTER TABLE cases ADD COLUMN supervision_answered INTEGER NOT NULL DEFAULT 0;

-- Art. 23: acceptance is completed by a decision either way; passing a case
-- on (转送) decides nothing. Transfers by a unit stored before counted as
-- completed acceptances: they complete nothing now, so the completion tally
-- is counted again from the events, and the day tally's zone is forgotten so
-- that the next start rebuilds it (RecountCompletionDays). The bureau's
-- transfer still completes routing (art. 22).
UPDATE case_events SET completed_stage = NULL, late = 0 WHERE type = 'transferred' AND completed_stage = 'acceptance';
DELETE FROM completion_tally;
INSERT INTO completion_tally (unit, stage, completed, late, shard)
SELECT unit, completed_stage, COUNT(*), SUM(late), 0 FROM case_events
WHERE completed_stage IS NOT NULL GROUP BY unit, completed_stage;
DELETE FROM settings WHERE name = 'completion_day_zone';

-- the collector counts the unanswered by this index; a closed case owes none
CREATE INDEX idx_cases_supervision_answer ON cases (supervision_answered, supervision, unit, status);

-- +goose Down
DROP INDEX idx_cases_supervision_answer;
ALTER TABLE cases DROP COLUMN supervision_answered;
