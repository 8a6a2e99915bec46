-- +goose Up
-- When riskmon registered a case, and whether that was within the backfill
-- horizon of its receipt (timely): only timely receipts page, so that loading
-- last month's cases during a sensitive period pages nobody, while a
-- collective petition received two hours ago and registered now pages at once.
-- Cases stored before this version are not timely: they are history.
ALTER TABLE cases
    ADD COLUMN registered_at BIGINT NULL AFTER received_at,
    ADD COLUMN timely TINYINT NOT NULL DEFAULT 0 AFTER is_repeat;
ALTER TABLE receipt_tally
    ADD COLUMN timely_cases BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN timely_collective BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE receipt_tally DROP COLUMN timely_cases, DROP COLUMN timely_collective;
ALTER TABLE cases DROP COLUMN registered_at, DROP COLUMN timely;
