-- +goose Up
-- A version of each unit, category and stage of the open cases, which
-- every transaction that changes stored states and moves a row of
-- backlog_tally moves on (stateTallies.write; a create moves the key's
-- count of open cases instead): a refresh keeps each one's rows of the
-- deadlines ahead (store.KeptBacklog) and reads again only those whose
-- version or count moved, not backlog_tally's deadlines ahead at every
-- refresh. The row of the empty
-- unit, category and stage stands for all of them: the bulk load and
-- recount, which rewrite backlog_tally, move it on. No row is version 0: a
-- database upgraded in place has none, and its first refresh reads all.
CREATE TABLE backlog_versions (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    stage VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (unit, category, stage)
);

-- +goose Down
DROP TABLE backlog_versions;
