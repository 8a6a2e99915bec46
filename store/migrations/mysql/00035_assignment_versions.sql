-- +goose Up
-- A version of each unit's open assignments (交办), which every
-- transaction that changes a stored case's assignment date, or moves an
-- assigned case to another unit, moves on for both units (updateStates): a
-- refresh keeps the open assignments by unit and due date
-- (store.KeptAssignments) and reads again only the units whose version
-- moved. The row of the empty unit stands for all: the bulk load moves it
-- on. No row is version 0: a database upgraded in place has none, and its
-- first refresh reads all.
CREATE TABLE assignment_versions (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);

-- +goose Down
DROP TABLE assignment_versions;
