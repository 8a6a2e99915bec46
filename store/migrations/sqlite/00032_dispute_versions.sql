-- +goose Up
-- A version of each unit's register, which every transaction that writes a
-- dispute of the unit or one of its events moves on (registerWrites): a
-- refresh keeps the open disputes and the month's late ones by unit
-- (store.KeptRegister) and reads again only the units whose register
-- changed, not every open dispute at every refresh. No row is version 0:
-- a database upgraded in place has none, and its first refresh reads the
-- register whole.
CREATE TABLE dispute_versions (
    unit TEXT NOT NULL PRIMARY KEY,
    version INTEGER NOT NULL
);

-- +goose Down
DROP TABLE dispute_versions;
