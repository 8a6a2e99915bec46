-- +goose Up
-- Long-unresolved matters (积案) and the leaders who own them (包案, 2022
-- Reg. art. 18 ¶2): the bureau may mark a matter long-unresolved
-- (marked_backlog); its lead is recorded by role, never by name
-- (lead_role), with a target date (lead_target, a local date as days since
-- 1970-01-01) and a plan state (lead_plan); resolved_at is when it was
-- resolved (化解), and only cases received after it count towards it
-- again. idx_cases_matter covers the read of the matters' histories: the
-- cases that name a matter, not the archive.
ALTER TABLE matters ADD COLUMN marked_backlog TINYINT NOT NULL DEFAULT 0,
    ADD COLUMN lead_role VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD COLUMN lead_target INT NULL,
    ADD COLUMN lead_plan VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD COLUMN resolved_at BIGINT NULL;
CREATE INDEX idx_cases_matter ON cases (matter, received_at, decision, decided_at, stage);

-- +goose Down
DROP INDEX idx_cases_matter ON cases;
ALTER TABLE matters DROP COLUMN resolved_at, DROP COLUMN lead_plan, DROP COLUMN lead_target, DROP COLUMN lead_role,
    DROP COLUMN marked_backlog;
