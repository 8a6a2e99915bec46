-- +goose Up
-- Stage completions by the local day they happened on, for the on-time rate
-- of a calendar month or quarter. The day is the county's (timezone), which
-- a migration does not know: the table starts empty and riskmon fills it
-- from case_events at start whenever the zone recorded in settings
-- ('completion_day_zone') is not the configured one, as on this upgrade
-- (store.RecountCompletionDays). Keyed by day first, so that a refresh reads
-- the current quarter's rows only; not sharded, so that a quarter is a few
-- thousand rows: completions of one unit and stage on one day are few and
-- their writers hold the row only to commit.
CREATE TABLE completion_day_tally (
    day INTEGER NOT NULL,
    unit TEXT NOT NULL,
    stage TEXT NOT NULL,
    completed INTEGER NOT NULL,
    late INTEGER NOT NULL,
    PRIMARY KEY (day, unit, stage)
);

-- +goose Down
DROP TABLE completion_day_tally;
DELETE FROM settings WHERE name = 'completion_day_zone';
