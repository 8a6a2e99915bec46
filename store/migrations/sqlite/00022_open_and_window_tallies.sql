-- +goose Up
-- The refresh reads what the writers keep instead of scanning the archive
-- (issue 23): the open cases by current unit, category, stage and deadline
-- (0: an open stage without a clock), with an index of the deadlines for
-- the ones due from now on, and in all by unit, category and stage; the
-- supervised cases not closed by unit, level and deadline (-1: no open
-- stage); rows that count nothing are deleted by the writer that empties
-- them. And the receipts by the hour and by the UTC day they came in (hours
-- and days since the Unix epoch, floored), for the windows. Each is filled
-- here from the cases, so the figures are right at once.
CREATE TABLE backlog_tally (
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    stage TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    cases INTEGER NOT NULL,
    PRIMARY KEY (unit, category, stage, deadline)
);
CREATE TABLE open_tally (
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    stage TEXT NOT NULL,
    shard INTEGER NOT NULL,
    cases INTEGER NOT NULL,
    PRIMARY KEY (unit, category, stage, shard)
);
CREATE TABLE supervision_tally (
    unit TEXT NOT NULL,
    level TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    open INTEGER NOT NULL,
    unanswered INTEGER NOT NULL,
    PRIMARY KEY (unit, level, deadline)
);
CREATE INDEX idx_backlog_tally_due ON backlog_tally (deadline, unit, category, stage, cases);
CREATE TABLE receipt_hour_tally (
    hour INTEGER NOT NULL,
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    received INTEGER NOT NULL,
    collective INTEGER NOT NULL,
    skip_level INTEGER NOT NULL,
    repeats INTEGER NOT NULL,
    PRIMARY KEY (hour, unit, category)
);
CREATE TABLE receipt_utc_day_tally (
    utc_day INTEGER NOT NULL,
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    received INTEGER NOT NULL,
    collective INTEGER NOT NULL,
    skip_level INTEGER NOT NULL,
    repeats INTEGER NOT NULL,
    PRIMARY KEY (utc_day, unit, category)
);
INSERT INTO backlog_tally (unit, category, stage, deadline, cases)
SELECT unit, category, stage, COALESCE(stage_deadline, 0) AS dl, COUNT(*) FROM cases WHERE stage IS NOT NULL
GROUP BY unit, category, stage, dl;
INSERT INTO open_tally (unit, category, stage, cases, shard)
SELECT unit, category, stage, COUNT(*), 0 FROM cases WHERE stage IS NOT NULL GROUP BY unit, category, stage;
INSERT INTO supervision_tally (unit, level, deadline, open, unanswered)
SELECT unit, supervision, CASE WHEN stage IS NULL THEN -1 ELSE COALESCE(stage_deadline, 0) END AS dl,
SUM(CASE WHEN stage IS NULL THEN 0 ELSE 1 END), SUM(1 - supervision_answered)
FROM cases WHERE supervision IS NOT NULL AND status <> 'closed' GROUP BY unit, supervision, dl
HAVING SUM(CASE WHEN stage IS NULL THEN 0 ELSE 1 END) + SUM(1 - supervision_answered) > 0;
INSERT INTO receipt_hour_tally (unit, category, hour, received, collective, skip_level, repeats)
SELECT received_unit, category, ((received_at - ((received_at % 3600) + 3600) % 3600) / 3600) AS h, COUNT(*),
SUM(collective), SUM(skip_level), SUM(is_repeat)
FROM cases GROUP BY received_unit, category, h;
INSERT INTO receipt_utc_day_tally (unit, category, utc_day, received, collective, skip_level, repeats)
SELECT received_unit, category, ((received_at - ((received_at % 86400) + 86400) % 86400) / 86400) AS d, COUNT(*),
SUM(collective), SUM(skip_level), SUM(is_repeat)
FROM cases GROUP BY received_unit, category, d;

-- +goose Down
DROP TABLE receipt_utc_day_tally;
DROP TABLE receipt_hour_tally;
DROP TABLE supervision_tally;
DROP TABLE open_tally;
DROP TABLE backlog_tally;
