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
ALTER TABLE cases ADD COLUMN major INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN is_major INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN major_since INTEGER NULL;
ALTER TABLE cases ADD COLUMN reported_to INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN major_unreported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_events ADD COLUMN report_to TEXT NULL;

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
    day INTEGER NOT NULL,
    unit TEXT NOT NULL,
    recipient TEXT NOT NULL,
    reports INTEGER NOT NULL,
    late INTEGER NOT NULL,
    PRIMARY KEY (day, unit, recipient)
);
CREATE TABLE evaluation_day_tally (
    day INTEGER NOT NULL,
    unit TEXT NOT NULL,
    result TEXT NOT NULL,
    evaluations INTEGER NOT NULL,
    PRIMARY KEY (day, unit, result)
);
DELETE FROM settings WHERE name = 'completion_day_zone';

-- +goose Down
DROP TABLE evaluation_day_tally;
DROP TABLE report_day_tally;
DROP INDEX idx_cases_major_unreported;
ALTER TABLE case_events DROP COLUMN report_to;
ALTER TABLE cases DROP COLUMN major_unreported;
ALTER TABLE cases DROP COLUMN reported_to;
ALTER TABLE cases DROP COLUMN major_since;
ALTER TABLE cases DROP COLUMN is_major;
ALTER TABLE cases DROP COLUMN major;
