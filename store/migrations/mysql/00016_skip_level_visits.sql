-- +goose Up
-- Skip-level (越级访) is a visit above the level allowed: a visit goes to the
-- competent organ's own level or the one above (2022 信访工作条例 art. 20),
-- while online petitions, letters, phone calls and faxes may go to any level
-- (art. 17). Cases stored before counted every channel at province or
-- national level as skip-level: recompute the flag, which the receipt
-- windows read, and count the register's tally again from its facts, whose
-- major escalations read it. The receipt tally keeps channel and level, so
-- the skip-level counters follow from it without change.
UPDATE cases SET skip_level = 0 WHERE skip_level = 1 AND channel <> 'visit';
UPDATE cases SET skip_level = 1 WHERE skip_level = 0 AND channel = 'visit' AND level IN ('province', 'national');
DELETE FROM dispute_tally;
INSERT INTO dispute_tally (unit, category, risk, shard, found, resolved, resolved_late, escalated, escalated_timely,
escalated_major_timely)
SELECT unit, category, risk, 0, SUM(found), SUM(resolved), SUM(late), SUM(escalated), SUM(timely), SUM(major) FROM (
SELECT unit, category, found_risk AS risk, 1 AS found, 0 AS resolved, 0 AS late, 0 AS escalated, 0 AS timely, 0 AS major
FROM disputes
UNION ALL
SELECT d.unit, d.category, d.risk, 0, CASE WHEN d.status = 'resolved' THEN 1 ELSE 0 END, CASE WHEN d.status = 'resolved' THEN e.late ELSE 0 END,
CASE WHEN d.status = 'escalated' THEN 1 ELSE 0 END, CASE WHEN d.status = 'escalated' THEN e.timely ELSE 0 END,
CASE WHEN d.status = 'escalated' AND e.timely = 1 AND (c.collective = 1 OR c.skip_level = 1) THEN 1 ELSE 0 END
FROM disputes d JOIN dispute_events e ON e.dispute_id = d.id AND e.seq = d.last_seq
LEFT JOIN cases c ON c.case_no = d.escalated_case
WHERE d.status IN ('resolved', 'escalated')
) facts GROUP BY unit, category, risk;

-- +goose Down
-- The flag as it was: every channel at province or national level (riskmon
-- recount then counts the register again).
UPDATE cases SET skip_level = 1 WHERE skip_level = 0 AND level IN ('province', 'national');
