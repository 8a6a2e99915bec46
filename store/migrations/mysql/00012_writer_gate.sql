-- +goose Up
-- The row whose lock is the writers' gate on MySQL (store.HoldWriters): the
-- service and incremental imports hold it shared, a bulk load, a recount and
-- a rekey exclusive. It exists before any process asks for it, so that
-- asking never writes (an insert would wait on the holders' locks). SQLite's
-- gate is a file lock; the row is there too, unused.
INSERT INTO settings (name, value) VALUES ('writer_gate', '');

-- +goose Down
DELETE FROM settings WHERE name = 'writer_gate';
