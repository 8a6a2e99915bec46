package store

import (
	"slices"
	"strconv"
	"strings"
)

// tallyTable describes a counter table once: its name, its text key
// columns, the integer key column (shard: a tally spread over rows so that
// writers rarely wait for one another; day: a day tally, counted by the
// local days of the zone recorded with them), its value columns, and how
// the facts count it. The writers add to it (adds), recount rebuilds it
// (fromFacts; the day tallies in Go, rebuildCompletionDays) and the
// reader sums it (sumQuery), all from this one description.
type tallyTable struct {
	name       string
	keys, vals []string
	num        string // the integer key column: "shard", "day", "deadline" or "bucket"
	fromFacts  string // INSERT ... SELECT from cases or case_events; "" for a day tally
	// prune: the table counts what is open now, not what happened, so its
	// rows go to zero as cases move on and close. The writers leave them
	// (deleting them in every batch of events cost 8% of the database's
	// CPU an event at 1M cases), the reads pass over them, and the daily
	// upkeep deletes them (PruneTallies): no read walks more than a day's.
	prune bool
}

// adds is an empty collection of additions to t.
func (t tallyTable) adds() *tallyAdds {
	return newTallyAdds(t.name, append(slices.Clip(t.keys), t.num), t.vals)
}

// groupKeys are the key columns a read sums over the shards by: a day
// tally keeps its day.
func (t tallyTable) groupKeys() []string {
	if t.num == "shard" {
		return t.keys
	}
	return append(slices.Clip(t.keys), t.num)
}

// sumQuery reads t summed over its shards, each sum named as its column.
func (t tallyTable) sumQuery() string { return t.sumQueryWhere("") }

// sumQueryWhere is sumQuery of the rows where cond holds ("": every row).
func (t tallyTable) sumQueryWhere(cond string) string {
	keys := strings.Join(t.groupKeys(), ", ")
	sums := make([]string, len(t.vals))
	for i, v := range t.vals {
		sums[i] = "SUM(" + v + ") AS " + v
	}
	if cond != "" {
		cond = " WHERE " + cond
	}
	return "SELECT " + keys + ", " + strings.Join(sums, ", ") + " FROM " + t.name + cond + " GROUP BY " + keys
}

// The tallies. Receipts: a case, its persons, whether collective and whether
// a repeat, and of them the timely ones (petition.Rules.Timely), by the unit
// and category at receipt.
var receiptTally = tallyTable{"receipt_tally", []string{"unit", "category", "channel", "level"},
	[]string{"cases", "persons", "collective", "repeats", "timely_cases", "timely_collective"}, "shard",
	`INSERT INTO receipt_tally (unit, category, channel, level, cases, persons, collective, repeats, timely_cases,
timely_collective, shard)
SELECT received_unit, category, channel, level, COUNT(*), SUM(persons), SUM(collective), SUM(is_repeat), SUM(timely),
SUM(timely * collective), 0
FROM cases GROUP BY received_unit, category, channel, level`, false}

// Stage completions, on time or late, by the unit that completed them.
var completionTally = tallyTable{"completion_tally", []string{"unit", "stage"}, []string{"completed", "late"}, "shard",
	`INSERT INTO completion_tally (unit, stage, completed, late, shard)
SELECT unit, completed_stage, COUNT(*), SUM(late), 0 FROM case_events
WHERE completed_stage IS NOT NULL GROUP BY unit, completed_stage`, false}

// Evaluations by result; only evaluations carry a result.
var evaluationTally = tallyTable{"evaluation_tally", []string{"unit", "result"}, []string{"evaluations"}, "shard",
	`INSERT INTO evaluation_tally (unit, result, evaluations, shard)
SELECT unit, result, COUNT(*), 0 FROM case_events WHERE result IS NOT NULL GROUP BY unit, result`, false}

// Review and re-review requests, by the unit whose decision they contest,
// and of them those the record shows outside the window.
var requestTally = tallyTable{"request_tally", []string{"unit", "stage"}, []string{"requests", "late"}, "shard",
	`INSERT INTO request_tally (unit, stage, requests, late, shard)
SELECT unit, CASE type WHEN 'review_requested' THEN 'review' ELSE 're_review' END, COUNT(*), SUM(late), 0 FROM case_events
WHERE type IN ('review_requested', 're_review_requested') GROUP BY unit, type`, false}

// Matters diverted into another procedure, by the unit that held them and
// the case's category; only diversions name a procedure.
var diversionTally = tallyTable{"diversion_tally", []string{"unit", "category", "diverted_to"}, []string{"diversions"}, "shard",
	`INSERT INTO diversion_tally (unit, category, diverted_to, diversions, shard)
SELECT e.unit, c.category, e.diverted_to, COUNT(*), 0 FROM case_events e JOIN cases c ON c.id = e.case_id
WHERE e.diverted_to IS NOT NULL GROUP BY e.unit, c.category, e.diverted_to`, false}

// The day tallies, for the rates of a calendar month or quarter: stage
// completions, evaluations, reports upward (dayTallies).
var (
	completionDayTally = tallyTable{"completion_day_tally", []string{"unit", "stage"}, []string{"completed", "late"}, "day", "", false}
	evaluationDayTally = tallyTable{"evaluation_day_tally", []string{"unit", "result"}, []string{"evaluations"}, "day", "", false}
	reportDayTally     = tallyTable{"report_day_tally", []string{"unit", "recipient"}, []string{"reports", "late"}, "day", "", false}
)

// The register: found by the risk when found; resolved and escalated by the
// risk at the end, which no event changes after either; late and timely from
// the dispute's last event, the one that ended it; major from the case it
// became; re-dated (a time limit moved later) by the risk then.
var disputeTally = tallyTable{"dispute_tally", []string{"unit", "category", "risk"},
	[]string{"found", "resolved", "resolved_late", "escalated", "escalated_timely", "escalated_major_timely", "redated"}, "shard",
	`INSERT INTO dispute_tally (unit, category, risk, shard, found, resolved, resolved_late, escalated, escalated_timely,
escalated_major_timely, redated)
SELECT unit, category, risk, 0, SUM(found), SUM(resolved), SUM(late), SUM(escalated), SUM(timely), SUM(major), SUM(redated) FROM (
SELECT unit, category, found_risk AS risk, 1 AS found, 0 AS resolved, 0 AS late, 0 AS escalated, 0 AS timely, 0 AS major, 0 AS redated
FROM disputes
UNION ALL
SELECT d.unit, d.category, e.redated_risk, 0, 0, 0, 0, 0, 0, 1
FROM disputes d JOIN dispute_events e ON e.dispute_id = d.id WHERE e.redated_risk IS NOT NULL
UNION ALL
SELECT d.unit, d.category, d.risk, 0, CASE WHEN d.status = 'resolved' THEN 1 ELSE 0 END, CASE WHEN d.status = 'resolved' THEN e.late ELSE 0 END,
CASE WHEN d.status = 'escalated' THEN 1 ELSE 0 END, CASE WHEN d.status = 'escalated' THEN e.timely ELSE 0 END,
CASE WHEN d.status = 'escalated' AND e.timely = 1 AND (c.collective = 1 OR c.skip_level = 1) THEN 1 ELSE 0 END, 0
FROM disputes d JOIN dispute_events e ON e.dispute_id = d.id AND e.seq = d.last_seq
LEFT JOIN cases c ON c.case_no = d.escalated_case
WHERE d.status IN ('resolved', 'escalated')
) facts GROUP BY unit, category, risk`, false}

// Receipts by the hour and by the UTC day they were received in, for the
// receipt windows (today, 7 and 30 days, the last hour): a window is its
// whole days, its whole hours before the first of them and the cases of
// the part-hour at its start (receiptwindows.go). Hours and days are
// counted from the Unix epoch, floored (received_at may be before 1970),
// so they need no zone and no rebuild when the zone changes. One table,
// a row's span "hour" or "day", so that a create writes both in one
// statement.
var receiptBucketTally = tallyTable{"receipt_bucket_tally", []string{"span", "unit", "category"},
	[]string{"received", "collective", "skip_level", "repeats"}, "bucket",
	`INSERT INTO receipt_bucket_tally (span, unit, category, bucket, received, collective, skip_level, repeats)
` + receiptBucketsFromCases(spanHour) + `
UNION ALL
` + receiptBucketsFromCases(spanDay), false}

// The receipt buckets' spans, and their lengths in seconds.
const (
	spanHour = "hour"
	spanDay  = "day"
)

var spanSeconds = map[string]int64{spanHour: secondsPerHour, spanDay: secondsPerDay}

// receiptBucketsFromCases counts the receipts by buckets of span from the cases.
func receiptBucketsFromCases(span string) string {
	return `SELECT '` + span + `', received_unit, category, ` + floorDivSQL("received_at", int(spanSeconds[span])) + ` AS b,
COUNT(*), SUM(collective), SUM(skip_level), SUM(is_repeat) FROM cases GROUP BY received_unit, category, b`
}

// The open cases by current unit, category, stage and stage deadline (Unix
// seconds; 0 for an open stage without a clock, which is never overdue),
// and, under the deadline -1, all the open cases of the unit, category and
// stage (one table, so that a write moves both in one statement): the
// due-soon counts and the oldest overdue deadline at any instant are read
// from it (backlog.go). Deadlines fall at the end of a day, so its rows are
// the open cases' distinct days, not the cases. A refresh reads only the
// rows of -1, 0 and the deadlines from now on and
// the first deadline of each unit, category and stage: the overdue are the
// open less the others. The collector keeps what it read of each key
// between refreshes (KeptBacklog) and reads again only the keys that moved.
var backlogTally = tallyTable{"backlog_tally", []string{"unit", "category", "stage"}, []string{"cases"}, "deadline",
	`INSERT INTO backlog_tally (unit, category, stage, deadline, cases)
SELECT unit, category, stage, COALESCE(stage_deadline, 0) AS dl, COUNT(*) FROM cases WHERE stage IS NOT NULL
GROUP BY unit, category, stage, dl
UNION ALL
SELECT unit, category, stage, ` + allOpenSQL + `, COUNT(*) FROM cases WHERE stage IS NOT NULL
GROUP BY unit, category, stage`, true}

// allOpen is the deadline under which backlogTally counts every open case
// of a unit, category and stage.
const allOpen = -1

var allOpenSQL = strconv.Itoa(allOpen)

// The supervised cases not closed (2022 Reg. art. 40), by current unit,
// the highest level supervising and the open stage's deadline (0: a stage
// without a clock; noStage: no open stage): open counts those in a stage, and
// unanswered those whose organ has not answered in writing. A case that
// counts in neither has no place in it (supervision.go).
var supervisionTally = tallyTable{"supervision_tally", []string{"unit", "level"}, []string{"open", "unanswered"}, "deadline",
	`INSERT INTO supervision_tally (unit, level, deadline, open, unanswered)
SELECT unit, supervision, CASE WHEN stage IS NULL THEN ` + noStageSQL + ` ELSE COALESCE(stage_deadline, 0) END AS dl,
SUM(CASE WHEN stage IS NULL THEN 0 ELSE 1 END), SUM(1 - supervision_answered)
FROM cases WHERE supervision IS NOT NULL AND status <> 'closed' GROUP BY unit, supervision, dl
HAVING SUM(CASE WHEN stage IS NULL THEN 0 ELSE 1 END) + SUM(1 - supervision_answered) > 0`, true}

// floorDivSQL is col divided by n rounded down, in both dialects (their %
// and integer / round toward zero).
func floorDivSQL(col string, n int) string {
	m := strconv.Itoa(n)
	return "((" + col + " - ((" + col + " % " + m + ") + " + m + ") % " + m + ") / " + m + ")"
}

// tallyTables are every tally, in the order recount rebuilds them.
var tallyTables = []tallyTable{receiptTally, receiptBucketTally, backlogTally, supervisionTally, completionTally,
	evaluationTally, requestTally, diversionTally, completionDayTally, evaluationDayTally, reportDayTally, disputeTally}
