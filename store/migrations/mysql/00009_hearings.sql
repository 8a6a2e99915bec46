-- +goose Up
-- A hearing (听证) during a re-review pauses its clock: hearing_since is set
-- while one is under way (the case then has no deadline), paused_days counts
-- the days hearings took, which lengthen the re-review's period.
ALTER TABLE cases ADD COLUMN hearing_since BIGINT NULL AFTER extension_days;
ALTER TABLE cases ADD COLUMN paused_days INT NOT NULL DEFAULT 0 AFTER hearing_since;

-- +goose Down
ALTER TABLE cases DROP COLUMN paused_days;
ALTER TABLE cases DROP COLUMN hearing_since;
