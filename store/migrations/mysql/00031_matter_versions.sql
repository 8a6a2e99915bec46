-- +goose Up
-- A version of each matter's cases, which every transaction that writes a
-- case naming the matter (its creation, an event, a bulk load) moves on:
-- a refresh keeps the matters' histories for the long-unresolved rule
-- (积案, 2022 Reg. art. 18 ¶2) and reads again only those whose
-- cases changed or whose window moved past one of them, not every case
-- that names a matter at every refresh.
ALTER TABLE matters ADD COLUMN cases_version BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE matters DROP COLUMN cases_version;
