-- +goose Up
-- A case the petition bureau registers and passes on (转送/交办) starts in
-- the routing stage, with the bureau as its unit; a transferred event passes
-- it to the responsible unit, whose acceptance starts then. Part of the case
-- as received: cases stored before were lodged directly with their unit.
ALTER TABLE cases ADD COLUMN routing INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE cases DROP COLUMN routing;
