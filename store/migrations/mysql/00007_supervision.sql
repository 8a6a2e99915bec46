-- +goose Up
-- Supervision (督办) can start at any time a case is open, at county, city
-- or province level; the case keeps the highest level that took it up. A
-- case supervised at receipt (the supervised flag) is supervised by the county.
ALTER TABLE cases ADD COLUMN supervision VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER supervised;
UPDATE cases SET supervision = 'county' WHERE supervised = 1;
-- the level a supervised event names
ALTER TABLE case_events ADD COLUMN level VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER new_unit;
-- supervised cases are few: the collector reads them by this index
CREATE INDEX idx_cases_supervision ON cases (supervision, unit, stage, stage_deadline);

-- +goose Down
DROP INDEX idx_cases_supervision ON cases;
ALTER TABLE case_events DROP COLUMN level;
ALTER TABLE cases DROP COLUMN supervision;
