-- +goose Up
-- The refresh reads what the writers keep instead of scanning the archive
-- (issue 23). backlog_tally: the open cases by current unit, category, stage
-- and deadline (0: an open stage without a clock; -1: all the open cases of
-- the unit, category and stage), with an index of the deadlines for the
-- rows a refresh reads (-1, 0 and the deadlines from now on).
-- supervision_tally: the supervised cases not closed by unit, level and
-- deadline (-1: no open stage), open and unanswered. A writer deletes the
-- rows of both it brings to zero. receipt_bucket_tally: the receipts by the
-- hour and by the UTC day they came in (hours and days since the Unix epoch,
-- floored), for the windows. Each is filled here from the cases, so the
-- figures are right at once.
CREATE TABLE backlog_tally (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    stage VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    deadline BIGINT NOT NULL,
    cases BIGINT NOT NULL,
    PRIMARY KEY (unit, category, stage, deadline)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX idx_backlog_tally_due ON backlog_tally (deadline, unit, category, stage, cases);
CREATE TABLE supervision_tally (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    level VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    deadline BIGINT NOT NULL,
    open BIGINT NOT NULL,
    unanswered BIGINT NOT NULL,
    PRIMARY KEY (unit, level, deadline)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE receipt_bucket_tally (
    span VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    bucket BIGINT NOT NULL,
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    received BIGINT NOT NULL,
    collective BIGINT NOT NULL,
    skip_level BIGINT NOT NULL,
    repeats BIGINT NOT NULL,
    PRIMARY KEY (span, bucket, unit, category)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO backlog_tally (unit, category, stage, deadline, cases)
SELECT unit, category, stage, COALESCE(stage_deadline, 0) AS dl, COUNT(*) FROM cases WHERE stage IS NOT NULL
GROUP BY unit, category, stage, dl
UNION ALL
SELECT unit, category, stage, -1, COUNT(*) FROM cases WHERE stage IS NOT NULL
GROUP BY unit, category, stage;
INSERT INTO supervision_tally (unit, level, deadline, open, unanswered)
SELECT unit, supervision, CASE WHEN stage IS NULL THEN -1 ELSE COALESCE(stage_deadline, 0) END AS dl,
SUM(CASE WHEN stage IS NULL THEN 0 ELSE 1 END), SUM(1 - supervision_answered)
FROM cases WHERE supervision IS NOT NULL AND status <> 'closed' GROUP BY unit, supervision, dl
HAVING SUM(CASE WHEN stage IS NULL THEN 0 ELSE 1 END) + SUM(1 - supervision_answered) > 0;
INSERT INTO receipt_bucket_tally (span, unit, category, bucket, received, collective, skip_level, repeats)
SELECT 'hour', received_unit, category, ((received_at - ((received_at % 3600) + 3600) % 3600) / 3600) AS b,
COUNT(*), SUM(collective), SUM(skip_level), SUM(is_repeat) FROM cases GROUP BY received_unit, category, b
UNION ALL
SELECT 'day', received_unit, category, ((received_at - ((received_at % 86400) + 86400) % 86400) / 86400) AS b,
COUNT(*), SUM(collective), SUM(skip_level), SUM(is_repeat) FROM cases GROUP BY received_unit, category, b;

-- +goose Down
DROP TABLE receipt_bucket_tally;
DROP TABLE supervision_tally;
DROP TABLE backlog_tally;
