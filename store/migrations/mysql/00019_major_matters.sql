-- +goose Up
-- 2022 信访工作条例 art. 25: a major matter (重大事项) is reported upward at
-- once, to the county Party committee and government and by the bureau to
-- the bureaus above; art. 46(4) punishes concealing or delaying it.
-- cases.major is what the intake said at receipt; is_major is what the rules
-- derive (petition.Rules.Major: marked, a collective petition of at least
-- major_persons, default 50, or a visit to the national bureau; later a
-- marked_major event or a high-risk dispute escalating into the case);
-- major_since starts the report's limit; reported_to holds a bit a
-- recipient (petition.ReportRecipients); major_unreported is is_major
-- without the county leadership's bit, for the collector's index.
ALTER TABLE cases ADD COLUMN major TINYINT NOT NULL DEFAULT 0 AFTER routing,
    ADD COLUMN is_major TINYINT NOT NULL DEFAULT 0,
    ADD COLUMN major_since BIGINT NULL,
    ADD COLUMN reported_to TINYINT NOT NULL DEFAULT 0,
    ADD COLUMN major_unreported TINYINT NOT NULL DEFAULT 0;
ALTER TABLE case_events ADD COLUMN report_to VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL;

-- Stored cases are major by the default rule. Whether they were reported
-- riskmon never recorded: their major_since stays NULL, which says so
-- (petition.State.MajorUnreported is false for them), so an upgrade never
-- pages for history (docs/data-model.md).
UPDATE cases SET is_major = 1 WHERE persons >= 50 OR (channel = 'visit' AND level = 'national');
-- a high-risk dispute that escalated into a case made it major then
UPDATE cases SET is_major = 1
WHERE is_major = 0 AND case_no IN (SELECT escalated_case FROM disputes WHERE status = 'escalated' AND risk = 'high');
CREATE INDEX idx_cases_major_unreported ON cases (major_unreported, timely, unit, major_since);

-- Reports upward and evaluations by the local day they were made on, like
-- completion_day_tally, for the rates of a calendar month or quarter: the
-- reports made within and after the limit, satisfaction (满意率) and
-- participation (参评率). The zone setting is forgotten so that the next
-- start rebuilds every day tally from the events in the configured zone.
CREATE TABLE report_day_tally (
    day INT NOT NULL,
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    recipient VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    reports BIGINT NOT NULL,
    late BIGINT NOT NULL,
    PRIMARY KEY (day, unit, recipient)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE evaluation_day_tally (
    day INT NOT NULL,
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    result VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    evaluations BIGINT NOT NULL,
    PRIMARY KEY (day, unit, result)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
DELETE FROM settings WHERE name = 'completion_day_zone';

-- +goose Down
DROP TABLE evaluation_day_tally;
DROP TABLE report_day_tally;
DROP INDEX idx_cases_major_unreported ON cases;
ALTER TABLE case_events DROP COLUMN report_to;
ALTER TABLE cases DROP COLUMN major_unreported, DROP COLUMN reported_to, DROP COLUMN major_since, DROP COLUMN is_major,
    DROP COLUMN major;
