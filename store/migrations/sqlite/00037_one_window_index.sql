-- +goose Up
-- The receipts' window index (the windows' part-hours, the counts from the
-- cases) and the petitioners' (the surge, the matters' activity) both
-- begin with received_at: one index holding the columns of both covers
-- every read of a window of cases, and a case write updates one index fewer.
DROP INDEX idx_cases_window;
DROP INDEX idx_cases_petitioners_window;
CREATE INDEX idx_cases_window ON cases (received_at, received_unit, category, collective, skip_level, is_repeat, matter, petitioner_hash, persons);

-- +goose Down
DROP INDEX idx_cases_window;
CREATE INDEX idx_cases_window ON cases (received_at, received_unit, category, collective, skip_level, is_repeat);
CREATE INDEX idx_cases_petitioners_window ON cases (received_at, matter, petitioner_hash, persons, received_unit, category);
