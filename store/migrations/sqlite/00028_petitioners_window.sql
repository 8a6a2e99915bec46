-- +goose Up
-- A unit's surge without a matter code counts the distinct petitioners of
-- each receiving unit and category in the last 7 days and in each of its
-- usual weeks (store/surge.go). The window index of the matters' counts gains the unit
-- and the category so that it covers both reads: the number of indexes a
-- case write updates stays the same.
DROP INDEX idx_cases_matter_window;
CREATE INDEX idx_cases_petitioners_window ON cases (received_at, matter, petitioner_hash, persons, received_unit, category);

-- +goose Down
DROP INDEX idx_cases_petitioners_window;
CREATE INDEX idx_cases_matter_window ON cases (received_at, matter, petitioner_hash, persons);
