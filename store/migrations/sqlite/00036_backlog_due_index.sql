-- +goose Up
-- idx_backlog_tally_due held each row's count of cases, so that its reads
-- were covered; but every write to a count then moved the row's entry in
-- the index, and under many writers MariaDB's reads of the counts of all
-- open cases (deadline -1) walked the marked entries of the rows the
-- writers keep hot. The same index on both databases: a write to a count
-- leaves it alone, and a read looks the count up by the key.
DROP INDEX idx_backlog_tally_due;
CREATE INDEX idx_backlog_tally_due ON backlog_tally (deadline, unit, category, stage);

-- +goose Down
DROP INDEX idx_backlog_tally_due;
CREATE INDEX idx_backlog_tally_due ON backlog_tally (deadline, unit, category, stage, cases);
