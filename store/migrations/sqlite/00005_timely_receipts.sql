-- +goose Up
-- When riskmon registered a case, and whether that was within the backfill
-- horizon of its receipt (timely): only timely receipts page, so that loading
-- last month's cases during a sensitive period pages nobody, while a
-- collective petition received two hours ago and registered now pages at once.
-- Cases stored before this version are not timely: they are history.
ALTER TABLE cases ADD COLUMN registered_at INTEGER NULL;
ALTER TABLE cases ADD COLUMN timely INTEGER NOT NULL DEFAULT 0;
ALTER TABLE receipt_tally ADD COLUMN timely_cases INTEGER NOT NULL DEFAULT 0;
ALTER TABLE receipt_tally ADD COLUMN timely_collective INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE receipt_tally DROP COLUMN timely_collective;
ALTER TABLE receipt_tally DROP COLUMN timely_cases;
ALTER TABLE cases DROP COLUMN timely;
ALTER TABLE cases DROP COLUMN registered_at;
